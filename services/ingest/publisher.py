"""Publish accepted articles on news.articles.raw.v1 (kafka-python), acknowledged by the broker (acks=all).

With the embedded broker (`settings.ingest_journal`) every article is journaled on disk first, so that a
fresh broker can be given everything it was given before (see services/ingest/journal.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kafka import KafkaProducer

from schemas import RawArticle
from services.common.cloud_events import message_headers
from services.common.kafka import make_producer
from services.common.settings import RAW_TOPIC, Settings
from services.ingest.journal import ArticleMessage, IngestJournal

log = logging.getLogger(__name__)


class ArticlePublisher:
    def __init__(self, settings: Settings, producer: KafkaProducer | None = None) -> None:
        self.journal = IngestJournal.for_settings(settings) if settings.ingest_journal else None
        # One request in flight when journaling: a retried send can then not overtake a later one, and the
        # broker's order stays the journal's.
        in_order = {"max_in_flight_requests_per_connection": 1} if self.journal else {}
        self.producer = producer or make_producer(settings, **in_order)
        self.schema_base_url = settings.dataschema_base

    def publish(self, articles: Sequence[RawArticle], timeout: float = 30.0) -> None:
        """Send and wait until the broker has every article: return means accepted, raise means not."""
        if self.journal is None:
            self.send([ArticleMessage(a.article_id, a.model_dump_json().encode()) for a in articles], timeout)
            return
        with self.journal.in_order():
            # Journaled before sent: whatever the broker may have seen, a replay will give it again.
            self.send(self.journal.record(articles), timeout)

    def send(self, entries: Sequence[ArticleMessage], timeout: float = 30.0) -> None:
        """Publish already-serialised articles, waiting for the broker's acknowledgement of each."""
        futures = [self.producer.send(RAW_TOPIC, key=e.article_id.encode(), value=e.payload, headers=self._headers(e))
                   for e in entries]
        self.producer.flush(timeout=timeout)
        for future in futures:
            future.get(timeout=timeout)  # raises the broker's error, if any

    def _headers(self, entry: ArticleMessage) -> list[tuple[str, bytes]]:
        return message_headers(RAW_TOPIC, event_id=entry.article_id, subject=entry.article_id,
                               source="/newsfuse/ingest", schema_base_url=self.schema_base_url)

    def close(self) -> None:
        self.producer.close(timeout=10)
        if self.journal:
            self.journal.close()


def replay_journal(settings: Settings) -> int:
    """Give a fresh embedded broker every journaled article again, in journal order. Returns how many.

    Run before ingest accepts anything new, so new articles come after the old ones as they did before.
    """
    publisher = ArticlePublisher(settings)
    assert publisher.journal is not None, "replay needs settings.ingest_journal"
    try:
        with publisher.journal.in_order():
            pruned = publisher.journal.prune()
            replayed = 0
            for messages in publisher.journal.entries():
                publisher.send(messages)
                replayed += len(messages)
        log.info("journal replayed", extra={"articles": replayed, "pruned": pruned})
        return replayed
    finally:
        publisher.close()
