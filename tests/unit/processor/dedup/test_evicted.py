"""Remains of evicted events: copies of their articles are recognised for a bounded ingestion time."""



from datetime import UTC

from services.processor.dedup.state import EventRecord, EvictedArticles, EvictedEvent, parse_state

DAY = 86400.0


def test_an_evicted_events_articles_are_known_until_forgotten():
    evicted = EvictedArticles(forget_after_days=30)
    evicted.add(EvictedEvent(event_id="ev-a", last_ingested_at=10 * DAY, article_ids=["a1", "a2"]))
    evicted.add(EvictedEvent(event_id="ev-b", last_ingested_at=20 * DAY, article_ids=["b1"]))
    assert (evicted.event_of("a2"), evicted.event_of("b1"), evicted.event_of("zz")) == ("ev-a", "ev-b", None)

    assert evicted.forget_expired(None) == []
    assert evicted.forget_expired(40 * DAY) == []       # 30 days after ev-a's newest article: still known
    assert evicted.forget_expired(45 * DAY) == ["ev-a"]
    assert (evicted.event_of("a1"), evicted.event_of("b1"), len(evicted)) == (None, "ev-b", 1)
    # the clock never goes back: an article ingested earlier (a replayed one) forgets nothing and revives nothing
    assert evicted.forget_expired(5 * DAY) == [] and evicted.event_of("b1") == "ev-b"
    assert evicted.forget_expired(51 * DAY) == ["ev-b"]


def test_table_values_parse_to_live_records_or_evicted_remains():
    live = EventRecord(event_id="ev-1", version=3)
    gone = EvictedEvent(event_id="ev-2", last_ingested_at=1.5, article_ids=["x"])
    assert parse_state(live.model_dump_json()) == live
    assert parse_state(gone.model_dump_json()) == gone


def test_times_become_epoch_seconds_with_naive_ones_taken_as_utc(monkeypatch):
    import time
    from datetime import datetime, timedelta, timezone

    from services.processor.dedup.clusterer import epoch_seconds

    aware = datetime(2024, 1, 2, 3, tzinfo=UTC)
    monkeypatch.setenv("TZ", "America/New_York")  # read as local time, a naive one would be 5 h off
    time.tzset()
    try:
        assert epoch_seconds(aware) == epoch_seconds(aware.replace(tzinfo=None)) == 1704164400.0
        assert epoch_seconds(aware.astimezone(timezone(timedelta(hours=5)))) == 1704164400.0
        assert epoch_seconds(None) is None
    finally:
        monkeypatch.undo()
        time.tzset()


def test_records_the_deduplicator_hands_out_are_valid_and_round_trip_unchanged():
    """They are built without validation (model_construct, for speed): validating them must change nothing."""
    import numpy as np

    from services.evaluation.bench_dedup import _unit, synthetic_articles
    from services.processor.dedup import DedupConfig, Deduplicator
    from services.processor.dedup.features import USE_DIM

    rng = np.random.default_rng(1)
    stories = _unit(rng.standard_normal((40, USE_DIM))).astype(np.float32)
    dedup = Deduplicator(DedupConfig())
    records = [dedup.add(a) for a in synthetic_articles(stories, rng.integers(0, 20, 120), rng, 0)]
    assert any(r.version > 1 for r in records)  # joins happened, not only creations
    for record in records:
        stored = record.model_dump_json()
        assert EventRecord.model_validate_json(stored) == record
        assert EventRecord.model_validate_json(stored).model_dump_json() == stored
