"""Headline-only items (RSS items, wire alerts) through the real pipeline: POSTed without a body, they become
sources of the events they report, and of no other."""

from __future__ import annotations

import httpx
import pytest

from services.ingest.files import ingest_files
from services.ingest.publisher import ArticlePublisher
from services.ingest.readers import iter_files
from tests.integration.processes import healthy, running_pipeline, wait_until

ABOUT_THE_CALL = [
    {"url": "https://wire.example.com/alerts/biden-putin-call", "outlet": "wire.example.com",
     "title": "Biden and Putin trade warnings over Ukraine in 50-minute phone call",
     "published_at": "2021-12-30T21:30:00Z"},
    {"url": "https://feeds.example.org/world/putin-biden-phone", "text": "",
     "title": "Putin warns Biden of complete rupture over Ukraine sanctions in phone call",
     "published_at": "2021-12-31T01:00:00Z"},
]
UNRELATED = [
    {"url": "https://wire.example.com/alerts/chile-quake", "title": "Magnitude 6.8 earthquake strikes northern Chile",
     "published_at": "2021-12-30T14:00:00Z"},
    {"url": "https://sports.example.org/derby", "title": "Liverpool beat Everton 4-1 in Merseyside derby",
     "published_at": "2021-12-30T22:30:00Z"},
]


@pytest.fixture
def pipeline(settings):
    with running_pipeline(settings) as running:  # SQLite: the database is not the subject here
        yield running


def test_headline_only_items_become_sources_of_the_right_events(pipeline, seeds_dir):
    settings, store, processes = pipeline
    publisher = ArticlePublisher(settings)
    seeds = set(ingest_files(iter_files([seeds_dir]), publisher).accepted)
    publisher.close()
    wait_until(lambda: seeds <= store.placed_article_ids(), 240, "the seed articles stored")

    ingest_url = f"http://{settings.ingest_host}:{settings.ingest_port}"
    wait_until(lambda: healthy(ingest_url), 60, "ingest /healthz")
    response = httpx.post(f"{ingest_url}/v1/articles", json=ABOUT_THE_CALL + UNRELATED, timeout=30)
    assert response.status_code == 202, response.text
    call_ids, unrelated_ids = response.json()["ids"][:2], response.json()["ids"][2:]
    wait_until(lambda: set(call_ids + unrelated_ids) <= store.placed_article_ids(), 120,
               "the headline-only items stored")

    events = store.list_events(limit=1000)
    sources = {e.event_id: {s.article_id for s in e.sources} for e in events}
    [call_event] = [event_id for event_id, ids in sources.items() if seeds & ids]
    assert sources[call_event] == seeds | set(call_ids)
    for article_id in unrelated_ids:
        assert [ids for ids in sources.values() if article_id in ids] == [{article_id}]
    assert all(p.poll() is None for p in processes.values())
