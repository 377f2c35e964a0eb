"""`newsfuse dlq`: list dead letters, and replay them to their source topic after a fix."""

from __future__ import annotations

import time

from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from services.common.dlq import original_headers
from services.common.kafka import client_config, make_consumer, make_producer
from services.common.settings import Settings

REPLAY_GROUP = "newsfuse-dlq-replay"


def read_all(settings: Settings, topic: str, idle_ms: int = 1500) -> list:
    """Every record of a (small) dead-letter topic, from the beginning, without joining a group."""
    consumer = KafkaConsumer(**client_config(settings), enable_auto_commit=False, consumer_timeout_ms=idle_ms)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        return list(consumer)
    finally:
        consumer.close()


def replay(settings: Settings, dlq: str, source_topic: str, idle_ms: int = 3000) -> int:
    """Re-publish letters not yet replayed to `source_topic`, with their original key and headers.

    Progress is committed in the REPLAY_GROUP consumer group after the broker has the copies, so running
    replay twice does not send a letter twice.
    """
    consumer = make_consumer(settings, [dlq], REPLAY_GROUP)
    producer = make_producer(settings)
    replayed = 0
    try:
        for record in _drain(consumer, idle_ms):
            headers = original_headers(list(record.headers or [])) + [("dlq.replayed", str(record.offset).encode())]
            producer.send(source_topic, key=record.key, value=record.value, headers=headers).get(timeout=30)
            consumer.commit()
            replayed += 1
    finally:
        producer.close(timeout=10)
        consumer.close()
    return replayed


def _drain(consumer, idle_ms: int, join_timeout: float = 30.0):
    """Records until none arrive for idle_ms, counted from when the group assigned us partitions."""
    deadline = time.monotonic() + join_timeout
    while not consumer.assignment() and time.monotonic() < deadline:
        yield from _records(consumer.poll(timeout_ms=200))
    idle_since = time.monotonic()
    while (time.monotonic() - idle_since) * 1000 < idle_ms:
        for record in _records(consumer.poll(timeout_ms=200)):
            idle_since = time.monotonic()
            yield record


def _records(batches: dict):
    for records in batches.values():
        yield from records
