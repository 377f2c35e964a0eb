from services.processor.dedup.window import DAY_S, EventWindow, joinable


def test_joinable_is_symmetric_around_the_dated_span():
    w = 7 * DAY_S
    assert joinable(10 * DAY_S, 12 * DAY_S, 14 * DAY_S, w)
    assert joinable(21 * DAY_S, 12 * DAY_S, 14 * DAY_S, w)
    assert not joinable(4 * DAY_S, 12 * DAY_S, 14 * DAY_S, w)
    assert not joinable(22 * DAY_S, 12 * DAY_S, 14 * DAY_S, w)
    assert joinable(None, 12 * DAY_S, 14 * DAY_S, w) and joinable(99 * DAY_S, None, None, w)


def _window(states, **kw):
    args = {"window_days": 7, "lateness_days": 0, "watermark_rank": 3, "capacity": 100, **kw}
    return EventWindow(state=states.get, **args)


def test_watermark_is_the_nth_newest_time():
    win = _window({})
    for t in (5, 1, 9, 7, 100):
        win.observe(t * DAY_S, None)
    assert win.watermark == 7 * DAY_S


def test_eviction_needs_both_clocks():
    states = {"e": (0.0, 0.0)}
    win = _window(states, watermark_rank=1)
    win.touch("e", 0.0)
    win.observe(30 * DAY_S, 1 * DAY_S)  # event time far ahead, ingestion time not
    assert win.expired() == []
    win.observe(None, 8 * DAY_S)  # now idle for a window in ingestion time too
    assert win.expired() == ["e"]


def test_an_event_active_again_is_not_evicted():
    states = {"e": (0.0, 0.0)}
    win = _window(states, watermark_rank=1)
    win.touch("e", 0.0)
    win.observe(30 * DAY_S, 8 * DAY_S)
    states["e"] = (0.0, 8 * DAY_S)  # a late article joined it
    win.touch("e", 8 * DAY_S)
    assert win.expired() == []
