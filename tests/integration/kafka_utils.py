"""Reading topics back in tests. 'Done' is a count of messages we expect, never the broker's end offsets
(Tansu reports them too low)."""

from __future__ import annotations

import time
from collections.abc import Callable

from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from schemas import CanonicalEvent
from services.common.kafka import client_config
from services.common.settings import Settings


def read_topic(settings: Settings, topic: str, until: Callable[[list], bool] | None = None,
               timeout: float = 10.0) -> list:
    """All records of `topic` from the beginning, polling until `until(records)` is true or time runs out."""
    consumer = KafkaConsumer(**client_config(settings), enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        records: list = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
            if until is not None and until(records):
                break
        return records
    finally:
        consumer.close()


def latest_canonical_events(records) -> dict[str, CanonicalEvent]:
    """The newest version of each event among canonical-topic records (each keyed by its event id); a
    tombstone (null value: the event was retired, its article moved into another event) removes its event."""
    latest: dict[str, CanonicalEvent] = {}
    for record in records:
        if record.value is None:
            latest.pop(record.key.decode(), None)
            continue
        event = CanonicalEvent.model_validate_json(record.value)
        assert record.key.decode() == event.event_id
        if event.event_id not in latest or latest[event.event_id].version < event.version:
            latest[event.event_id] = event
    return latest


def each_placed_once(ids: set[str]) -> Callable[[list], bool]:
    """`until` for read_topic: every article of `ids` is a source of exactly one newest event version. An event
    that absorbs a lone article is published before the absorbed event's tombstone, and the two may sit on
    different partitions, so a reader can see the article in both for a moment; the settled topic has it once
    (a real double never settles: the read then ends at its timeout and the test's assertion fails)."""
    def settled(records) -> bool:
        sources = [s.article_id for e in latest_canonical_events(records).values() for s in e.sources]
        return set(sources) >= ids and len(sources) == len(set(sources))

    return settled


def placed_article_ids(records) -> set[str]:
    """Article ids that are sources of the newest version of some event."""
    return {s.article_id for e in latest_canonical_events(records).values() for s in e.sources}
