"""Remains of evicted events: late copies of their articles are recognised for a bounded event time."""

from services.processor.dedup.state import EventRecord, EvictedArticles, EvictedEvent, parse_state

DAY = 86400.0


def test_an_evicted_events_articles_are_known_until_forgotten():
    evicted = EvictedArticles(forget_after_days=30)
    evicted.add(EvictedEvent(event_id="ev-a", evicted_at=10 * DAY, article_ids=["a1", "a2"]))
    evicted.add(EvictedEvent(event_id="ev-b", evicted_at=20 * DAY, article_ids=["b1"]))
    assert (evicted.event_of("a2"), evicted.event_of("b1"), evicted.event_of("zz")) == ("ev-a", "ev-b", None)

    assert evicted.forget_older_than(None) == []
    assert evicted.forget_older_than(40 * DAY) == []       # exactly 30 days after ev-a left: still known
    assert evicted.forget_older_than(45 * DAY) == ["ev-a"]
    assert (evicted.event_of("a1"), evicted.event_of("b1"), len(evicted)) == (None, "ev-b", 1)
    assert evicted.forget_older_than(45 * DAY) == []


def test_table_values_parse_to_live_records_or_evicted_remains():
    live = EventRecord(event_id="ev-1", version=3)
    gone = EvictedEvent(event_id="ev-2", evicted_at=1.5, article_ids=["x"])
    assert parse_state(live.model_dump_json()) == live
    assert parse_state(gone.model_dump_json()) == gone
