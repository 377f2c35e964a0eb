"""faust's aiokafka transport, with two changes: a configurable fetch wait, and no skipped messages.

Fetch wait: faust-streaming 0.15 hard-codes `fetch_max_wait_ms=1500` for worker consumers. On the embedded
broker a waiting fetch is answered late in that window (p50 371 ms at 1,500 ms, 7 ms at 50 ms: `make bench`,
broker fetch wake-up), and every record crosses two such fetches in the processor, so latency depends on
it. Apache Kafka answers as soon as data arrives; there a lower wait only means more empty fetches when idle.

Commits: without these two changes a restarted worker can leave offsets unprocessed while later ones are
processed, and its commit then sticks behind the hole or goes past it (the kill -9 tests catch both):
* When a worker starts or a rebalance ends, faust resumes the partitions, seeks them to their committed
  offsets, then empties the agents' queues as it resumes the flow (`clear_on_resume`). Messages fetched
  meanwhile were dropped, and not fetched again: for a partition with no commit aiokafka does not move at
  all, and for the others the rest of the batch being handed out pushed faust's read offset past the
  copies, which it then discards. Now, whenever the flow resumes, every consumed partition is fetched
  again from its committed offset (its earliest offset before the group's first commit), between two
  fetches; a message seen twice is redone, which the processor makes a no-op.
* faust commits the first run of consecutive acknowledged offsets; it only refuses when that run starts
  more than one offset after the last commit, and not at all before a first commit. Here a commit that
  would cross an offset neither acknowledged nor in faust's recorded gaps is held; a hole still open
  after 30 s is logged and the partitions are fetched again.
Not covered: offsets faust itself marks done without processing (its pure-Python stream acknowledges
messages it skips during a rebalance; the Cython one, used here, does not). Every private member used here
is listed, and checked at start-up, in services/common/compat.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator

import faust
from faust.transport.drivers import aiokafka as driver
from faust.types import TP

from services.common.retry import backoff_delays

log = logging.getLogger(__name__)
HOLE_REREAD_AFTER_S = 30.0  # a younger hole is usually the tail of a rewind: its copies are on their way
REWIND_MAX_DELAY_S = 30.0


def first_unacked(committed: int, acked: Iterable[int], gaps: Iterable[tuple[int, int]] = ()) -> int | None:
    """The first offset at or after `committed` (the next offset to process) that is neither acknowledged
    nor in one of faust's recorded gaps [begin, end), if an acknowledged offset follows it: the hole a
    commit must not cross. None when the acknowledged offsets continue the commit."""
    acked = set(acked)
    if not acked:
        return None
    done = set(acked)
    for begin, end in gaps:
        done.update(range(max(begin, committed), end))
    offset = committed
    while offset in done:
        offset += 1
    return offset if offset < max(acked) else None


def app_class(fetch_max_wait_ms: int) -> type[faust.App]:
    """A faust.App whose worker consumers wait at most `fetch_max_wait_ms` per fetch, fetch again what
    faust drops when the flow resumes, and hold commits that would cross an unprocessed offset."""

    class ConsumerThread(driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport):
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = fetch_max_wait_ms  # read when the consumer starts its fetcher
            return consumer

    class GuardedConsumer(driver.Consumer):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._holes: dict[TP, tuple[int, float, float]] = {}  # tp -> (committed, first seen, last re-read)
            self._rewind_pending = False
            self._rewind_delays: Iterator[float] | None = None  # set while rewinds fail

        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

        def _new_offset(self, tp: TP) -> int | None:
            committed = self._committed_offset[tp]
            if committed is not None:
                gaps = [(interval.begin, interval.end) for interval in self._gap[tp]]
                hole = first_unacked(committed, self._acked[tp], gaps)
                if hole is not None:
                    self._hold(tp, committed, hole)
                    return None
                self._holes.pop(tp, None)
            return super()._new_offset(tp)

        def _hold(self, tp: TP, committed: int, hole: int) -> None:
            """Hold the commit. A hole seen just after a rewind closes by itself (the copies are on their
            way); one still open after HOLE_REREAD_AFTER_S is logged and the partitions re-read."""
            now = time.monotonic()
            seen_committed, since, last_reread = self._holes.get(tp, (committed, now, now))
            if seen_committed != committed:
                since = last_reread = now
            if now - last_reread >= HOLE_REREAD_AFTER_S:
                log.warning("%s[%d]: offset %d unprocessed for %.0f s while later ones are; commit held, re-reading "
                            "from %d", tp.topic, tp.partition, hole, now - since, committed,
                            extra={"topic": tp.topic, "partition": tp.partition, "committed": committed,
                                   "first_unprocessed": hole})
                last_reread = now
                self._rewind_pending = True  # done between two fetches, not in the middle of handing one out
            self._holes[tp] = committed, since, last_reread

        def resume_flow(self) -> None:
            # faust empties every agent queue as the flow resumes (after recovery, which ends a rebalance and
            # also a worker's start-up), and the messages in them were already fetched: fetch them again.
            self._rewind_pending = True
            super().resume_flow()

        async def _getmany(self, active_partitions, timeout: float):
            if self._rewind_pending:
                self._rewind_pending = False
                try:
                    await self._rewind_to_committed()
                    self._rewind_delays = None
                except Exception as exc:  # e.g. a rebalance under way, the broker gone: retry, backing off
                    first = self._rewind_delays is None
                    self._rewind_delays = self._rewind_delays or backoff_delays(1.0, REWIND_MAX_DELAY_S)
                    delay = next(self._rewind_delays)
                    if first or delay == REWIND_MAX_DELAY_S:
                        log.warning("rewind to committed offsets failed, retrying in %.0f s: %r", delay, exc)
                    self._rewind_pending = True
                    await asyncio.sleep(delay)
                    return {}
            return await super()._getmany(active_partitions, timeout)

        async def _rewind_to_committed(self) -> None:
            """Fetch every consumed partition again from its committed offset, or from its earliest offset
            when the group has not committed it yet (aiokafka leaves such a partition where it was)."""
            consumed = {tp for tp in self.assignment() if self.app.topics.acks_enabled_for(tp.topic)}
            uncommitted = [tp for tp in consumed if self._committed_offset[tp] is None]
            if uncommitted and self.app.conf.consumer_auto_offset_reset == "earliest":
                earliest = await self.earliest_offsets(*uncommitted)
                consumed &= self.assignment()  # a rebalance may have started meanwhile
                self._committed_offset.update({tp: offset for tp, offset in earliest.items() if tp in consumed})
            positions = {tp: offset for tp in consumed if (offset := self._committed_offset[tp]) is not None}
            for tp in positions:
                self._gap.pop(tp, None)  # gaps seen before are about the old read position
            if positions:
                await self.seek_wait(positions)  # on the consumer's thread; resets faust's read offsets

    class Transport(driver.Transport):
        Consumer = GuardedConsumer

    class App(faust.App):
        def _new_transport(self) -> Transport:
            return Transport(self.conf.broker_consumer, self)

    return App
