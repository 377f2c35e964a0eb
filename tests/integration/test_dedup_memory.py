"""The processor's dedup memory through real restarts: an evicted event's articles are remembered (a copy
is skipped), then forgotten after NEWSFUSE_DEDUP_FORGET_AFTER_DAYS of ingestion time (a copy then starts a
new event with a new id), and both survive kill -9 (the forgetting is a changelog tombstone)."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timedelta

import pytest

from schemas import RawArticle
from services.common.broker import terminate
from services.common.dlq import article_id_of
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC
from services.ingest.domain import validate_batch
from services.ingest.publisher import ArticlePublisher
from tests.integration.kafka_utils import latest_canonical_events, read_topic
from tests.integration.processes import start_service, wait_until

pytestmark = pytest.mark.faults

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
STORIES = {
    "quake": ("Strong earthquake strikes central Chile", "A magnitude 7.1 earthquake struck central Chile."),
    "vote": ("Dutch parliament approves new budget", "The Dutch parliament approved the budget after debate."),
    "match": ("Local team wins regional football final", "The home side won the regional final 2-1."),
    "storm": ("Storm closes schools across Norway", "A winter storm closed schools in western Norway."),
    "fire": ("Forest fire forces evacuations in Greece", "Thousands were evacuated as a fire spread near Athens."),
    "flood": ("Floods cut roads in northern Italy", "Heavy rain flooded roads across the Po valley."),
}


def article(story: str, day: int) -> RawArticle:
    """One article of `story`, published and ingested on day `day` after T0 (event time = ingestion time)."""
    title, text = STORIES[story]
    [accepted], _ = validate_batch([{"title": title, "text": text, "url": f"https://example.com/{story}"}],
                                   source="test")
    when = T0 + timedelta(days=day)
    return accepted.model_copy(update={"published_at": when, "ingested_at": when})


def events_with(records, article_id: str) -> set[str]:
    return {e.event_id for e in latest_canonical_events(records).values()
            if article_id in {s.article_id for s in e.sources}}


def test_copies_of_evicted_articles_are_skipped_until_forgotten_across_kill_9(settings):
    # evict as soon as both clocks allow: the newest publication time is the watermark, no allowed lateness
    settings = settings.model_copy(update={"dedup_window_days": 7.0, "dedup_forget_after_days": 30.0,
                                           "dedup_allowed_lateness_days": 0.0, "dedup_watermark_rank": 1})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    publisher = ArticlePublisher(settings)
    log = settings.data_dir / "processor.log"
    processor = start_service(settings, "processor", log)

    def extracted_copies(article_id: str) -> int:
        return sum(article_id_of(r) == article_id for r in read_topic(settings, EXTRACTED_TOPIC, timeout=2))

    def publish_then_wait_for(marker: RawArticle, copy: RawArticle | None = None) -> list:
        """Publish `copy` (if any) and, once it is on the extracted topic, `marker`: the dedup agent reads
        that one-partition topic in order, so it has decided on the copy when the marker's event shows."""
        if copy is not None:
            seen = extracted_copies(copy.article_id)
            publisher.publish([copy])
            wait_until(lambda: extracted_copies(copy.article_id) > seen, 120, "the copy extracted")
        publisher.publish([marker])
        return read_topic(settings, CANONICAL_TOPIC, timeout=120,
                          until=lambda r: bool(events_with(r, marker.article_id)))

    def kill_and_restart() -> None:
        nonlocal processor
        os.kill(processor.pid, signal.SIGKILL)
        processor.wait(timeout=30)
        processor = start_service(settings, "processor", log)

    try:
        quake = article("quake", 0)
        publish_then_wait_for(quake)
        records = publish_then_wait_for(article("vote", 20))  # day 20: the quake event leaves the window
        [quake_event] = events_with(records, quake.article_id)
        kill_and_restart()

        # the same message again on day 21: remembered (restored from the changelog after kill -9), skipped
        records = publish_then_wait_for(article("match", 21), quake)
        assert events_with(records, quake.article_id) == {quake_event}

        # day 60: the quake event was ingested 60 days ago, more than 30: forgotten (a tombstone)
        publish_then_wait_for(article("storm", 60))
        kill_and_restart()

        # the same article sent again on day 61 starts a new event, under a new id
        copy = quake.model_copy(update={"ingested_at": T0 + timedelta(days=61)})
        records = publish_then_wait_for(article("fire", 62), copy)
        quake_events = events_with(records, quake.article_id)
        assert quake_event in quake_events and len(quake_events) == 2
        assert processor.poll() is None, log.read_text()[-2000:]
    finally:
        terminate(processor, timeout=30)
