"""The dedup stage without faust: one live event index per partition, kept in step with a table.

The table (a faust Table in the processor, a dict in unit tests) is the durable state: key
"<partition>:<event id>" -> EventRecord JSON (a live event) or EvictedEvent JSON (it left the window).
Each partition of news.articles.extracted.v1 is one dedup shard with its own index, rebuilt from its
table entries when the partition is (re)assigned; the table's changelog partition is the source
partition, so the state moves with it on a rebalance.

Idempotent: an article placed before (redelivered after a crash, or sent again) changes nothing; one of a
live event re-publishes that event's current version, in case the crash came between the table write and
the publish (the sink ignores versions it has).

When an event grows, a lone-article event may move into it (`DedupConfig.reconsider_lone_articles`): the
lone event leaves the table and the placement names it in `retired`, for a tombstone on the canonical topic.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, replace

from schemas import CanonicalEvent, ExtractedArticle
from services.processor.canonical import build_canonical_event
from services.processor.dedup.clusterer import DedupConfig, Deduplicator, epoch_seconds
from services.processor.dedup.state import EventRecord, EvictedArticles, EvictedEvent, parse_state

log = logging.getLogger(__name__)


def table_key(partition: int, event_id: str) -> str:
    return f"{partition}:{event_id}"


def partition_of(key: str) -> int:
    """The partition of a table key; a key without one was written when there was one partition."""
    partition, separator, _ = key.partition(":")
    return int(partition) if separator else 0


class PlacementFailed(Exception):
    """The deduplicator failed on one article (its cause is chained); the table is unchanged."""


@dataclass(frozen=True)
class Placement:
    """What placing one article changed: the event version to publish (None: nothing to publish), and the
    events that no longer exist (their one article moved into `event`)."""

    event: CanonicalEvent | None
    redelivered: bool = False
    retired: tuple[str, ...] = ()


class _PartitionIndex:
    """The live index and the remembered evicted articles of one partition."""

    def __init__(self, config: DedupConfig) -> None:
        self.live = Deduplicator(config)
        self.evicted = EvictedArticles(config.forget_after_days)
        self.unannounced: tuple[str, ...] = ()  # retired at restore (`_stale_lone_events`): tombstones owed


class DedupStage:
    """Places extracted articles into events, one index per partition, every change written to `table`."""

    def __init__(self, config: DedupConfig, table: MutableMapping[str, str]) -> None:
        self.config = config
        self.table = table
        self._indexes: dict[int, _PartitionIndex] = {}

    def place(self, partition: int, article: ExtractedArticle) -> Placement:
        """Place one article of `partition`. PlacementFailed if the deduplicator fails on it; the partition's
        index is then rebuilt from the table at its next article (the failed add may have changed it half-way)."""
        index = self._index(partition)
        # Before every article, skipped ones included: the index then evolves the same whatever the batch
        # boundaries, and a replay after a crash catches up with the evictions the crash cut off.
        self._slide_window(partition, index, article)
        if (event_id := index.live.event_of(article.article_id)) is not None:
            current = parse_state(self.table[table_key(partition, event_id)])
            assert isinstance(current, EventRecord), "a live event's table entry is its record"
            return self._with_owed(partition, index, Placement(build_canonical_event(current), redelivered=True))
        if index.evicted.event_of(article.article_id) is not None:
            return self._with_owed(partition, index, Placement(None, redelivered=True))
        try:
            record = index.live.add(article)
            assert record is not None, "add() returns None only for a placed article, handled above"
            retired = tuple(absorbed for absorbed, _ in index.live.take_merged())
            canonical = build_canonical_event(record)
        except Exception as exc:  # a bug on one article: the caller dead-letters it and goes on
            self._indexes.pop(partition, None)
            raise PlacementFailed(article.article_id) from exc
        self.table[table_key(partition, record.event_id)] = record.model_dump_json()
        return self._with_owed(partition, index, Placement(canonical, retired=self._retire(partition, retired)))

    def keep_only(self, partitions: Iterable[int]) -> None:
        """After a rebalance: drop the indexes of partitions this worker no longer owns (their state went
        with them); the others stay as they are, in step with their table entries."""
        owned = set(partitions)
        for partition in set(self._indexes) - owned:
            del self._indexes[partition]

    @property
    def partitions(self) -> list[int]:
        """Partitions with a live index in memory."""
        return sorted(self._indexes)

    def live_events(self, partition: int) -> int:
        return self._index(partition).live.live_events

    def _index(self, partition: int) -> _PartitionIndex:
        if partition not in self._indexes:
            self._indexes[partition] = self._restore(partition)
        return self._indexes[partition]

    def _restore(self, partition: int) -> _PartitionIndex:
        index = _PartitionIndex(self.config)
        states = [parse_state(value) for key, value in self._entries(partition)]
        # left in the table until `place` announces them: a failed placement rebuilds the index and finds them again
        stale = _stale_lone_events([s for s in states if isinstance(s, EventRecord)])
        if stale:
            log.warning("retired events restored beside the events that absorbed them: retired again",
                        extra={"partition": partition, "events": sorted(stale)})
        index.unannounced = tuple(sorted(stale))
        index.live.restore(s for s in states if isinstance(s, EventRecord) and s.event_id not in stale)
        for state in states:
            if isinstance(state, EvictedEvent):
                index.evicted.add(state)
        log.info("dedup index restored", extra={"partition": partition, "live_events": index.live.live_events,
                                                "evicted_events": len(index.evicted)})
        return index

    def _entries(self, partition: int) -> list[tuple[str, str]]:
        """The partition's table entries; entries written before keys named their partition are moved."""
        entries = [(key, value) for key, value in list(self.table.items()) if partition_of(key) == partition]
        for key, value in entries:
            if ":" not in key:
                self.table[table_key(partition, key)] = value
                del self.table[key]
        return entries

    def _with_owed(self, partition: int, index: _PartitionIndex, placement: Placement) -> Placement:
        """The placement, naming too the events the restore found retired but still in the table (they leave it
        now: a placement that fails before this rebuilds the index from the table and finds them again)."""
        owed, index.unannounced = self._retire(partition, index.unannounced), ()
        return replace(placement, retired=owed + placement.retired) if owed else placement

    def _retire(self, partition: int, event_ids: tuple[str, ...]) -> tuple[str, ...]:
        """Events that moved into another: out of the table; their ids, for tombstones."""
        for event_id in event_ids:
            del self.table[table_key(partition, event_id)]
        return event_ids

    def _slide_window(self, partition: int, index: _PartitionIndex, article: ExtractedArticle) -> None:
        """Events that left the window become EvictedEvent entries; those forgotten (by the ingestion time
        of `article`) leave the table."""
        for gone in index.live.evict_expired():
            self.table[table_key(partition, gone.event_id)] = gone.model_dump_json()
            index.evicted.add(gone)
        for event_id in index.evicted.forget_expired(epoch_seconds(article.ingested_at)):
            del self.table[table_key(partition, event_id)]


def _stale_lone_events(records: list[EventRecord]) -> set[str]:
    """Lone-article events whose article another event also holds: the lone event was retired (its article
    moved into the grown event), but a stop between the two table writes (the grown event's record, then the
    lone one's deletion) kept only the first. Left live, both events would hold the article."""
    grown = {m.article.article_id for r in records if len(r.members) > 1 for m in r.members}
    return {r.event_id for r in records if len(r.members) == 1 and r.members[0].article.article_id in grown}
