"""End to end: ingest -> processor -> sink as real processes on the real broker, over SQLite and PostgreSQL.

The five seed articles (one phone call, five outlets) must become ONE canonical event with five sources;
unrelated articles must not join it. Checked on the canonical topic and in the database.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from services.common.processes import service_env
from services.common.settings import CANONICAL_TOPIC
from tests.integration.kafka_utils import latest_canonical_events, placed_article_ids, read_topic
from tests.integration.processes import healthy, running_pipeline
from tests.integration.stories import UNRELATED


@pytest.fixture
def pipeline(settings, database_url):
    with running_pipeline(settings, database_url=database_url, log_json=True) as running:
        yield running


def wait_for(condition, timeout: float, processes, what: str, settings) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        dead = [name for name, p in processes.items() if p.poll() is not None]
        assert not dead, f"{dead} died; logs: {_tail_logs(settings)}"
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}; logs: {_tail_logs(settings)}")


def _tail_logs(settings) -> str:
    logs = sorted((settings.data_dir / "logs").glob("*.log"))
    return "\n".join(f"--- {p.name}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-15:]) for p in logs)


def test_seeds_become_one_event_with_five_sources(pipeline, seeds_dir):
    settings, store, processes = pipeline
    ingest_url = f"http://{settings.ingest_host}:{settings.ingest_port}"
    wait_for(lambda: healthy(ingest_url), 60, processes, "ingest /healthz", settings)
    response = httpx.post(f"{ingest_url}/v1/articles", json=UNRELATED, timeout=30)
    assert response.status_code == 202, response.text
    unrelated_ids = set(response.json()["ids"])

    cli = subprocess.run([sys.executable, "-m", "services", "ingest", str(seeds_dir)], env=service_env(settings),
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert "accepted 5, rejected 0" in cli.stderr

    # Re-sending a seed must not create a second source anywhere.
    again = subprocess.run([sys.executable, "-m", "services", "ingest", str(next(seeds_dir.glob("000_*.txt")))],
                           env=service_env(settings), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr

    wait_for(lambda: len(store.placed_article_ids()) == 8, 240, processes, "8 articles stored", settings)

    # --- from the topic -------------------------------------------------------------------------
    events = latest_canonical_events(read_topic(settings, CANONICAL_TOPIC,
                                                until=lambda r: len(placed_article_ids(r)) >= 8))
    seed_events = [e for e in events.values() if not {s.article_id for s in e.sources} & unrelated_ids]
    assert len(seed_events) == 1, [(e.title, len(e.sources)) for e in events.values()]
    seed_event = seed_events[0]
    assert seed_event.num_articles == 5 and seed_event.num_sources == 5
    assert len({s.article_id for s in seed_event.sources}) == 5
    assert str(seed_event.event_date) == "2021-12-30"
    assert {"Joe Biden", "Vladimir Putin"} <= {a.name for a in seed_event.actors}
    # The structured, corroborated view (issue 4) survives the trip through the topics.
    assert seed_event.event_type.code.startswith("04")
    assert {a.name: a.country for a in seed_event.actors}["Vladimir Putin"] == "RUS"
    assert "Ukraine" in {p.name for p in seed_event.locations}
    assert any(f.value == 50 and f.unit == "minute" and f.num_outlets == 5 for f in seed_event.figures)
    assert any("serious and substantive" in q.text.lower() and q.num_outlets >= 3 for q in seed_event.quotes)
    assert any("Geneva" in m.text and str(m.date).startswith("2022-01") for m in seed_event.mentioned_events)
    for event in events.values():
        if event is not seed_event:
            assert {s.article_id for s in event.sources} <= unrelated_ids

    # --- from the database ----------------------------------------------------------------------
    stored = store.get_event(seed_event.event_id)
    assert stored == seed_event
    assert {e.event_id for e in store.list_events()} == set(events)
    assert [e.event_id for e in store.list_events(entity="Vladimir Putin")] == [seed_event.event_id]

    # --- the read API ---------------------------------------------------------------------------
    sink_url = f"http://{settings.sink_host}:{settings.sink_port}"
    listed = httpx.get(f"{sink_url}/v1/events", timeout=10).json()
    assert {e["event_id"] for e in listed} == set(events)
    assert httpx.get(f"{sink_url}/v1/events/{seed_event.event_id}", timeout=10).json()["num_sources"] == 5
