"""faust's aiokafka transport, with two changes: a configurable fetch wait, and commits that never skip.

Fetch wait: faust-streaming 0.15 hard-codes `fetch_max_wait_ms=1500` for worker consumers. On the embedded
broker a waiting fetch is answered late in that window (p50 371 ms at 1,500 ms, 7 ms at 50 ms: `make bench`,
broker fetch wake-up), and every record crosses two such fetches in the processor, so latency depends on
it. Apache Kafka answers as soon as data arrives; there a lower wait only means more empty fetches when idle.

Nothing skipped, two fixes found by the kill -9 tests (raw offsets 32-36 of both partitions were never
processed after a restart: the partition then sat idle behind the hole, or was committed past it):
* When a worker starts or a rebalance ends, faust seeks to the committed offsets, then empties the agents'
  queues as it resumes the flow (`clear_on_resume`). Messages fetched in between were dropped and never
  fetched again. Every consumed partition is now fetched again from its committed offset (its earliest
  offset before the group's first commit) when the flow resumes; a message seen twice is redone, which
  the processor makes a no-op.
* faust commits the first run of consecutive acknowledged offsets of a partition without checking that
  it continues the last commit (it tolerates a one-offset hole, and any hole before the first commit). A
  commit that would cross an unprocessed message is refused, logged, and the partition re-read from it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

import faust
from faust.transport.drivers import aiokafka as driver
from faust.types import TP

log = logging.getLogger(__name__)
REREAD_EVERY_S = 30.0  # while a hole stays open: the re-read is in flight, don't pile seeks on it


def first_unacked(committed: int, acked: Iterable[int], gaps: Iterable[tuple[int, int]] = ()) -> int | None:
    """The first offset at or after `committed` (the next offset to process) that is neither acknowledged
    nor a known gap in the log [begin, end), if an acknowledged offset follows it: the hole a commit must
    not cross. None when the acknowledged offsets continue the commit."""
    done = set(acked)
    if not done:
        return None
    for begin, end in gaps:
        done.update(range(max(begin, committed), end))
    offset = committed
    while offset in done:
        offset += 1
    return offset if offset < max(done) else None


def app_class(fetch_max_wait_ms: int) -> type[faust.App]:
    """A faust.App whose worker consumers wait at most `fetch_max_wait_ms` per fetch and never commit
    past an unprocessed message."""

    class ConsumerThread(driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport):
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = fetch_max_wait_ms  # read when the consumer starts its fetcher
            return consumer

    class GuardedConsumer(driver.Consumer):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._last_reread: dict[TP, tuple[int, float]] = {}  # partition -> (committed, monotonic time)
            self._rewind_pending = False

        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

        def _new_offset(self, tp: TP) -> int | None:
            committed = self._committed_offset[tp]
            if committed is not None:
                gaps = [(interval.begin, interval.end) for interval in self._gap[tp]]
                hole = first_unacked(committed, self._acked[tp], gaps)
                if hole is not None:
                    self._reread(tp, committed, hole)
                    return None
            return super()._new_offset(tp)

        def _reread(self, tp: TP, committed: int, hole: int) -> None:
            last = self._last_reread.get(tp)
            if last is not None and last[0] == committed and time.monotonic() - last[1] < REREAD_EVERY_S:
                return
            self._last_reread[tp] = committed, time.monotonic()
            log.warning("%s[%d]: offset %d not processed but later ones are; holding the commit, re-reading from %d",
                        tp.topic, tp.partition, hole, committed, extra={"topic": tp.topic, "partition": tp.partition, "committed": committed,
                               "first_unprocessed": hole, "acked_after": len(self._acked[tp])})
            asyncio.ensure_future(self.seek(tp, committed))

        def resume_flow(self) -> None:
            # faust clears every agent queue when flow resumes (after recovery, which ends a rebalance and
            # also a worker's start-up), but the messages in them were already fetched: start over.
            self._rewind_pending = True
            super().resume_flow()

        async def _getmany(self, active_partitions, timeout: float):
            if self._rewind_pending:
                self._rewind_pending = False
                await self._rewind_to_committed()
            return await super()._getmany(active_partitions, timeout)

        async def _rewind_to_committed(self) -> None:
            """Fetch every consumed partition again from its committed offset, or from its earliest offset
            when the group has not committed it yet (aiokafka leaves such a partition where it was)."""
            consumed = [tp for tp in self.assignment() if self.app.topics.acks_enabled_for(tp.topic)]
            uncommitted = [tp for tp in consumed if self._committed_offset[tp] is None]
            if uncommitted and self.app.conf.consumer_auto_offset_reset == "earliest":
                self._committed_offset.update(await self.earliest_offsets(*uncommitted))
            for tp in consumed:
                if self._committed_offset[tp] is not None:
                    await self.seek(tp, self._committed_offset[tp])

    class Transport(driver.Transport):
        Consumer = GuardedConsumer

    class App(faust.App):
        def _new_transport(self) -> Transport:
            return Transport(self.conf.broker_consumer, self)

    return App
