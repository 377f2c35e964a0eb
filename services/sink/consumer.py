"""The sink's consumer loop: canonical events from Kafka into the store, offsets in the same transaction."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from kafka import ConsumerRebalanceListener, KafkaConsumer, KafkaProducer
from kafka.structs import OffsetAndMetadata, TopicPartition
from pydantic import ValidationError

from schemas import CanonicalEvent, read_message
from services.common.compat import cluster_id
from services.common.dlq import dead_letter
from services.common.kafka import make_consumer, make_producer
from services.common.metrics import CONSUMER_LAG, EVENTS_STORED, observe_since
from services.common.retry import retry_until_done
from services.common.settings import CANONICAL_TOPIC, Settings
from services.sink.store import DB_ERRORS, Delivery, EventStore

log = logging.getLogger(__name__)


class _SeekToStoredOffsets(ConsumerRebalanceListener):
    """On assignment, continue from the offsets stored with the data (not Kafka's committed ones)."""

    def __init__(self, sink: SinkConsumer) -> None:
        self.sink = sink

    def on_partitions_revoked(self, revoked) -> None:
        pass

    def on_partitions_assigned(self, assigned) -> None:
        stored = self.sink.stored_offsets()
        for tp in assigned:
            if tp.partition in stored:
                self.sink.consumer.seek(tp, stored[tp.partition])
        log.info("partitions assigned", extra={"partitions": [tp.partition for tp in assigned], "stored": stored})


class SinkConsumer:
    def __init__(self, settings: Settings, store: EventStore) -> None:
        self.settings = settings
        self.store = store
        self.consumer: KafkaConsumer = make_consumer(
            settings, [CANONICAL_TOPIC], settings.sink_group_id, listener=_SeekToStoredOffsets(self))
        self._producer: KafkaProducer | None = None
        self.stored_events = 0

    @property
    def cluster_id(self) -> str:
        # Offsets are only meaningful on the broker cluster that assigned them (the embedded broker is
        # new, and empty, at every start).
        return cluster_id(self.consumer) or "unknown"

    def stored_offsets(self) -> dict[int, int]:
        # Called inside a rebalance callback, where polling again is not allowed.
        return self._with_db_retry(lambda: self.store.stored_offsets(
            self.cluster_id, self.settings.sink_group_id, CANONICAL_TOPIC), keep_alive=False)

    def run(self, stop: threading.Event) -> None:
        log.info("sink consuming", extra={"topic": CANONICAL_TOPIC})
        try:
            while not stop.is_set():
                batches = self.consumer.poll(timeout_ms=500, max_records=500)
                for tp, records in batches.items():
                    self._handle(tp, records)
                self._record_lag()
        finally:
            self.consumer.close()
            if self._producer:
                self._producer.close(timeout=10)

    def _handle(self, tp: TopicPartition, records: Sequence) -> None:
        deliveries: list[Delivery] = []
        for record in records:
            if record.value is None and record.key:  # a tombstone: the event no longer exists
                deliveries.append(Delivery(None, record.topic, record.partition, record.offset,
                                           deleted=record.key.decode()))
                continue
            try:
                deliveries.append(Delivery(read_message(CanonicalEvent, record.value),
                                           record.topic, record.partition, record.offset))
            except (ValidationError, ValueError, TypeError) as exc:
                self._dead_letter(record, exc)
        if deliveries:
            stored = self._with_db_retry(
                lambda: self.store.apply(deliveries, self.cluster_id, self.settings.sink_group_id))
            self.stored_events += stored
            EVENTS_STORED.inc(stored)
            observe_since("stored", (r.timestamp / 1000 for r in records))
        # Kafka's committed offset is for lag monitoring; the stored one is the truth.
        self.consumer.commit({tp: OffsetAndMetadata(records[-1].offset + 1, "", -1)})

    def _record_lag(self) -> None:
        """From the last fetch's high watermarks: no request to the broker."""
        for tp in self.consumer.assignment():
            highwater = self.consumer.highwater(tp)
            if highwater is not None:
                lag = max(0, highwater - self.consumer.position(tp))
                CONSUMER_LAG.labels(self.settings.sink_group_id, tp.topic, str(tp.partition)).set(lag)

    def _dead_letter(self, record, error: BaseException) -> None:
        letter = dead_letter(topic=record.topic, partition=record.partition, offset=record.offset,
                             key=record.key, value=record.value, error=error, stage="sink.parse",
                             original_headers=list(record.headers or []))
        if self._producer is None:
            self._producer = make_producer(self.settings)
        self._producer.send(letter.topic, key=letter.key, value=letter.value, headers=letter.headers).get(30)
        log.warning("dead letter", extra={"offset": record.offset, "error": type(error).__name__})

    def _with_db_retry(self, call, keep_alive: bool = True):
        """Wait out a database outage: retry with backoff, keeping the group membership meanwhile."""
        return retry_until_done(call, DB_ERRORS, "database unavailable",
                                on_wait=self._keep_group_membership if keep_alive else None)

    def _keep_group_membership(self) -> None:
        paused = self.consumer.assignment()
        self.consumer.pause(*paused)
        self.consumer.poll(timeout_ms=0)  # paused: fetches nothing, but polling keeps us in the group
        self.consumer.resume(*paused)
