"""The glue of services.evaluation.pipeline_quality: rows -> POST bodies -> ingest ids -> sink events -> scores.

POSTs go to the real ingest app (validation and ids as in production) with a publisher that only records."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import Progress

from services.common.ids import article_id
from services.common.settings import Settings
from services.evaluation.metrics import evaluate
from services.evaluation.pipeline_quality import (
    article_payload,
    post_batch,
    progress_bar,
    rejections_by_index,
    score_rows,
    scored_rows,
    shuffled_order,
    sink_assignment,
    wait_until_placed,
)
from services.ingest.http import create_app

ROWS = [
    {"id": "a1", "url": "https://www.example.com/quake/?utm_source=x", "outlet": "ex", "title": "Quake hits town",
     "text": "A strong earthquake hit the town.", "published_at": "2014-03-01T10:00:00Z", "language": "en",
     "event_label": "quake", "gold_main_event": "an earthquake"},
    {"id": "a2", "url": None, "outlet": "wire", "title": "Town shaken by quake", "text": "Buildings fell.",
     "published_at": None, "language": "en", "event_label": "quake"},
    # rejected by ingest: not an http(s) URL (a rule that stays when text becomes optional)
    {"id": "a3", "url": "ftp://example.com/quake", "outlet": None, "title": "Quake", "text": "A quake.",
     "published_at": None, "language": "en", "event_label": "quake"},
    {"id": "b1", "url": None, "outlet": None, "title": "Club signs striker", "text": "The club signed him.",
     "published_at": None, "language": "en", "event_label": "transfer"},
]


class RecordingPublisher:
    def __init__(self) -> None:
        self.published = []

    def publish(self, articles, timeout: float = 30.0) -> None:
        self.published += articles

    def close(self) -> None:
        pass


@pytest.fixture
def ingest():
    publisher = RecordingPublisher()
    settings = Settings(_env_file=None, kafka_bootstrap_servers="127.0.0.1:9", ingest_token=None)
    with TestClient(create_app(settings, publisher_factory=lambda: publisher)) as client:
        yield client, publisher


def test_payload_keeps_article_fields_as_in_the_file():
    payload = article_payload(ROWS[1])
    assert payload == {"url": None, "outlet": "wire", "title": "Town shaken by quake", "text": "Buildings fell.",
                       "published_at": None, "language": "en"}


def test_post_batch_maps_each_accepted_row_to_ingests_id_and_reports_rejected_rows(ingest):
    client, publisher = ingest
    ids, rejected = post_batch(client, "/v1/articles", ROWS, [3, 0, 2, 1])
    assert [(r.row, r.id) for r in rejected] == [(2, "a3")]
    assert rejected[0].reason.startswith("url: ")
    # URL rows: hash of the normalized URL; rows without URL: hash of outlet + title + text
    assert ids == {
        0: article_id("https://example.com/quake", None, "", ""),
        1: article_id(None, "wire", "Town shaken by quake", "Buildings fell."),
        3: article_id(None, None, "Club signs striker", "The club signed him."),
    }
    assert [a.article_id for a in publisher.published] == [ids[3], ids[0], ids[1]]
    undated = next(a for a in publisher.published if a.article_id == ids[1])
    assert undated.published_at is None


def test_a_batch_of_only_rejected_rows_publishes_nothing(ingest):
    client, publisher = ingest
    ids, rejected = post_batch(client, "/v1/articles", ROWS, [2])
    assert ids == {} and [r.row for r in rejected] == [2]
    assert publisher.published == []


def test_rejections_are_grouped_per_item():
    detail = [{"index": 1, "loc": ["text"], "msg": "too short"}, {"index": 1, "loc": ["url"], "msg": "bad"},
              {"index": 0, "loc": [], "msg": "duplicate of item 3"}]
    assert rejections_by_index(detail) == {1: "text: too short; url: bad", 0: "article: duplicate of item 3"}


def test_shuffled_order_is_a_permutation_fixed_by_the_seed():
    order = shuffled_order(50, seed=7)
    assert sorted(order) == list(range(50)) and order != list(range(50))
    assert order == shuffled_order(50, seed=7) != shuffled_order(50, seed=8)


def _event(event_id: str, *article_ids: str) -> SimpleNamespace:
    return SimpleNamespace(event_id=event_id, sources=[SimpleNamespace(article_id=a) for a in article_ids])


def test_sink_assignment_maps_sources_and_counts_articles_in_several_events():
    assignment, in_several = sink_assignment([_event("e1", "x", "y"), _event("e2", "z", "y")])
    assert assignment == {"x": "e1", "y": "e1", "z": "e2"}
    assert in_several == 1


def test_scores_cover_accepted_rows_only_with_their_sink_events():
    rows = [{"event_label": "q"}, {"event_label": "q"}, {"event_label": "q"}, {"event_label": "t"}]
    article_ids = {0: "x", 1: "y", 3: "z"}          # row 2 was rejected by ingest
    result = score_rows(rows, article_ids, {"x": "e1", "y": "e2", "z": "e2"})
    assert result == evaluate(["q", "q", "t"], ["e1", "e2", "e2"])
    assert result["bcubed_p"] < 1 and result["pairwise_f1"] == 0.0
    assert scored_rows({"rows": 4, "rejected": [{"row": 2}]}) == [0, 1, 3]


class _StackStub:
    run_dir = Path("/tmp/run")

    def check_alive(self) -> None:
        pass


class _StoreStub:
    def __init__(self, placed: set[str]) -> None:
        self.placed = placed

    def placed_article_ids(self) -> set[str]:
        return self.placed


def _quiet_progress() -> Progress:
    return progress_bar(Console(file=io.StringIO()))


def test_waiting_returns_once_every_article_is_a_source():
    with _quiet_progress() as progress:
        waited = wait_until_placed(_StackStub(), _StoreStub({"x", "y", "z"}), {"x", "y"}, progress, 5.0, {})
    assert waited < 5.0


def test_waiting_fails_after_a_stall_naming_the_missing_articles():
    with _quiet_progress() as progress, pytest.raises(TimeoutError) as failure:
        wait_until_placed(_StackStub(), _StoreStub({"x"}), {"x", "y"}, progress, 1.0, {"y": "row 7 'Quake'"})
    message = str(failure.value)
    assert "1 of 2 accepted articles not in the sink DB" in message and "y  row 7 'Quake'" in message
