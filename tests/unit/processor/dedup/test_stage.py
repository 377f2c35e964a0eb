"""The dedup stage over a plain dict: restore after a crash, redelivery, eviction, one index per partition."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

import pytest

from schemas import ExtractedArticle
from services.processor.dedup import DedupConfig
from services.processor.dedup.stage import DedupStage, Placement, PlacementFailed, partition_of, table_key
from services.processor.dedup.state import EventRecord, EvictedEvent, parse_state

# evict as soon as both clocks allow: the newest publication time is the watermark, no allowed lateness
BATCH = 4
EAGER = DedupConfig(window_days=7, allowed_lateness_days=0, watermark_rank=1, forget_after_days=20)


class RecordingTable(MutableMapping[str, str]):
    """A dict that logs every write, as a changelog does: a prefix of the log is what a crash leaves."""

    def __init__(self, writes: list[tuple[str, str | None]] | None = None) -> None:
        self.data: dict[str, str] = {}
        self.writes: list[tuple[str, str | None]] = []
        for key, value in writes or []:
            if value is None:
                del self[key]
            else:
                self[key] = value

    def __getitem__(self, key: str) -> str:
        return self.data[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.data[key] = value
        self.writes.append((key, value))

    def __delitem__(self, key: str) -> None:
        del self.data[key]
        self.writes.append((key, None))

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def stream(synth) -> list[ExtractedArticle]:
    """Five stories over six weeks, three reports each: events open, grow, leave the window, are forgotten."""
    stories = [synth.direction() for _ in range(5)]
    return [synth.article(story, day=9 * n + hours / 24, hours=0, noise=0.2, outlet=outlet)
            for n, story in enumerate(stories) for hours, outlet in ((0, "nyt"), (5, "fox"), (30, "hpo"))]


def run(stage: DedupStage, articles: list[ExtractedArticle], partition: int = 0) -> list[tuple[str, int, tuple]]:
    """Place every article; what was published, in order: (event id, version, article ids)."""
    published = []
    for article in articles:
        event = stage.place(partition, article).event
        if event is not None:
            published.append((event.event_id, event.version, tuple(s.article_id for s in event.sources)))
    return published


def last_versions(published: list[tuple[str, int, tuple]]) -> dict[str, tuple]:
    """What a consumer of the canonical topic ends with: the last published version of each event."""
    return {event_id: (version, ids) for event_id, version, ids in published}


@pytest.fixture(autouse=True)
def one_blas_thread() -> Iterator[None]:
    """Each index draws a random projection (QR); threaded BLAS on a loaded 2-core machine makes it 100x slower."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


def test_each_article_joins_its_story_and_old_events_leave_then_are_forgotten(synth):
    articles = stream(synth)
    table = RecordingTable()
    published = last_versions(run(DedupStage(EAGER, table), articles))
    assert sorted(len(ids) for _, ids in published.values()) == [3] * 5
    states = [parse_state(v) for v in table.values()]
    live = [s for s in states if isinstance(s, EventRecord)]
    evicted = [s for s in states if isinstance(s, EvictedEvent)]
    # days 36-37 live; 18-19 and 27-28 left the window; 0-1 and 9-10 forgotten (20 days on) and deleted
    assert len(live) == 1 and len(evicted) == 2 and len(table) == 3
    assert any(value is None for _, value in table.writes)


def test_a_crash_after_any_write_then_redelivery_from_the_last_commit_gives_the_uninterrupted_result(synth):
    """The agent commits after each batch (BATCH articles); a kill -9 keeps a prefix of the table writes
    (the changelog) and the broker redelivers from the last committed batch."""
    articles = stream(synth)
    reference = RecordingTable()
    stage = DedupStage(EAGER, reference)
    published, writes_after = [], []  # per article: what it published, and the table writes so far
    for article in articles:
        published.append(run(stage, [article]))
        writes_after.append(len(reference.writes))
    assert writes_after[-1] == 21  # 15 placements, 4 evictions, 2 forgotten events
    expected = last_versions([p for ps in published for p in ps])

    for crash_after in range(writes_after[-1]):
        # published: the articles placed before the last write that survived (its own publish may not have)
        done = [i for i, writes in enumerate(writes_after) if writes < crash_after]
        committed = sum(1 for end in range(BATCH - 1, len(articles), BATCH) if writes_after[end] < crash_after)
        crashed = RecordingTable(reference.writes[:crash_after])
        replayed = run(DedupStage(EAGER, crashed), articles[committed * BATCH:])
        assert crashed.data == reference.data, f"crash after {crash_after} writes"
        before = [p for i in done for p in published[i]]
        assert last_versions(before + replayed) == expected, f"crash after {crash_after} writes"


def test_a_redelivered_article_republishes_its_events_current_version_and_writes_nothing(synth):
    story = synth.direction()
    first, second = synth.article(story), synth.article(story, hours=2, noise=0.1)
    table = RecordingTable()
    stage = DedupStage(EAGER, table)
    created, joined = stage.place(0, first), stage.place(0, second)
    assert (created.event.version, joined.event.version) == (1, 2) and not joined.redelivered
    writes = len(table.writes)

    again = stage.place(0, first)
    assert again.redelivered and again.event == joined.event  # the current version, not the first
    assert len(table.writes) == writes
    # a restarted worker (index rebuilt from the table) recognises it as well
    assert DedupStage(EAGER, table).place(0, first).event == joined.event


def test_a_copy_of_an_evicted_events_article_is_skipped_until_forgotten(synth):
    quake, vote, later = synth.direction(), synth.direction(), synth.direction()
    old = synth.article(quake, day=0)
    table = RecordingTable()
    stage = DedupStage(EAGER, table)
    old_event = stage.place(0, old).event.event_id
    stage.place(0, synth.article(vote, day=10))  # the watermark moves past the quake's window

    copy = old.model_copy(update={"ingested_at": old.ingested_at.replace(day=12)})
    assert stage.place(0, copy) == stage.place(0, copy)
    assert stage.place(0, copy).event is None and stage.place(0, copy).redelivered
    assert isinstance(parse_state(table[table_key(0, old_event)]), EvictedEvent)

    stage.place(0, synth.article(later, day=25))  # ingested 25 days on: past forget_after_days (20)
    assert table_key(0, old_event) not in table
    fresh = stage.place(0, old.model_copy(update={"ingested_at": old.ingested_at.replace(day=26)}))
    assert fresh.event.event_id != old_event and fresh.event.version == 1 and not fresh.redelivered


def test_each_partition_has_its_own_index_and_state(synth):
    story = synth.direction()
    a, b = synth.article(story), synth.article(story, hours=1, noise=0.1)
    table = RecordingTable()
    stage = DedupStage(EAGER, table)
    in_0, in_1 = stage.place(0, a).event, stage.place(1, b).event
    assert in_0.event_id != in_1.event_id and in_0.version == in_1.version == 1  # never compared
    assert sorted(partition_of(k) for k in table) == [0, 1]

    stage.keep_only([1])  # partition 0 moved to another worker
    assert stage.partitions == [1]
    other_worker = DedupStage(EAGER, table)  # it recovered partition 0's changelog
    joined = other_worker.place(0, synth.article(story, hours=2, noise=0.1)).event
    assert joined.event_id == in_0.event_id and joined.version == 2
    assert other_worker.partitions == [0]


def test_a_failed_assignment_rebuilds_the_partitions_index_from_the_table(synth, monkeypatch):
    from services.processor.dedup.clusterer import Deduplicator

    story = synth.direction()
    table = RecordingTable()
    stage = DedupStage(EAGER, table)
    first = stage.place(0, synth.article(story)).event
    real_add = Deduplicator.add

    def half_done(self, article):
        real_add(self, article)  # the index changed, the table did not
        raise RuntimeError("bug")

    monkeypatch.setattr(Deduplicator, "add", half_done)
    bad = synth.article(story, hours=1, noise=0.1)
    with pytest.raises(PlacementFailed) as failed:
        stage.place(0, bad)
    assert isinstance(failed.value.__cause__, RuntimeError)
    monkeypatch.setattr(Deduplicator, "add", real_add)
    assert stage.partitions == []
    assert stage.place(0, bad).event.version == 2  # not "already placed": the half-done add was forgotten
    assert table_key(0, first.event_id) in table


def test_entries_written_before_keys_named_their_partition_move_to_partition_0(synth):
    story = synth.direction()
    legacy = RecordingTable()
    record = DedupStage(EAGER, legacy).place(0, synth.article(story)).event
    legacy_table = RecordingTable([(k.split(":", 1)[1], v) for k, v in legacy.data.items()])  # "ev-…" keys

    stage = DedupStage(EAGER, legacy_table)
    joined = stage.place(0, synth.article(story, hours=1, noise=0.1)).event
    assert joined.event_id == record.event_id and joined.version == 2
    assert list(legacy_table) == [table_key(0, record.event_id)]


def test_a_moved_lone_event_leaves_the_table_and_is_named_for_a_tombstone(synth, monkeypatch):
    from services.processor.dedup import clusterer
    from tests.unit.processor.dedup.conftest import SIMILARITY_ONLY, lone_article_story

    monkeypatch.setattr(clusterer, "load_params", lambda: SIMILARITY_ONLY)
    table = RecordingTable()
    stage = DedupStage(DedupConfig(threshold=0.5, lone_article_margin=0.0), table)
    lone, first, second = lone_article_story(synth)
    lone_event = stage.place(0, lone).event.event_id
    assert stage.place(0, first).retired == ()
    placement = stage.place(0, second)
    assert placement.retired == (lone_event,)
    assert table_key(0, lone_event) not in table
    assert placement.event.num_articles == 3 and lone.article_id in {s.article_id for s in placement.event.sources}
    # a restart rebuilds the same state from the table; the lone article, sent again, is a known source
    again = DedupStage(DedupConfig(threshold=0.5, lone_article_margin=0.0), RecordingTable(table.writes))
    assert again.place(0, lone) == Placement(placement.event, redelivered=True)


def test_a_stop_between_the_grown_event_and_the_lone_events_deletion_retires_it_at_restore(synth, monkeypatch):
    """The changelog prefix that ends after the grown event's record and before the lone event's deletion (a
    stop between two table writes) held the lone article in two live events; now the restore retires the lone
    event again and the next placement names it for its tombstone."""
    from services.processor.dedup import clusterer
    from tests.unit.processor.dedup.conftest import SIMILARITY_ONLY, lone_article_story

    monkeypatch.setattr(clusterer, "load_params", lambda: SIMILARITY_ONLY)
    config = DedupConfig(threshold=0.5, lone_article_margin=0.0)
    table = RecordingTable()
    stage = DedupStage(config, table)
    lone, first, second = lone_article_story(synth)
    lone_event = stage.place(0, lone).event.event_id
    stage.place(0, first)
    placement = stage.place(0, second)
    deletion = table.writes.index((table_key(0, lone_event), None))
    torn = RecordingTable(table.writes[:deletion])  # the grown event's record is in, the deletion is not
    again = DedupStage(config, torn)
    replayed = again.place(0, second)  # the batch redone after the stop
    assert replayed.redelivered and replayed.event == placement.event and replayed.retired == (lone_event,)
    assert table_key(0, lone_event) not in torn
    assert again.live_events(0) == 1
    assert again.place(0, lone).retired == ()  # named once
