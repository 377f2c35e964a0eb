"""Reading topics back in tests. 'Done' is a count of messages we expect, never the broker's end offsets
(Tansu reports them too low)."""

from __future__ import annotations

import time
from collections.abc import Callable

from kafka import KafkaConsumer
from kafka.structs import TopicPartition

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
