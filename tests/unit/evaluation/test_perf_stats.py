"""Pure helpers of the performance benchmark (services/evaluation/perf)."""

from __future__ import annotations

import numpy as np
import pytest

from services.evaluation.perf.data import Item, headline_only, replay, take
from services.evaluation.perf.stats import (
    END,
    START,
    latency_summary,
    parse_vmhwm_mb,
    percentile,
    rate,
    ratio,
    replace_section,
    top_frames,
)


@pytest.mark.parametrize("values", [[3.0], [1.0, 2.0], [5, 1, 4, 2, 3], list(np.random.default_rng(1).random(101))])
@pytest.mark.parametrize("q", [0, 1, 25, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy_linear(values, q):
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_edges():
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_latency_summary_all_observed():
    s = latency_summary([0.1, 0.2, 0.3, 0.4], expected=4)
    assert s["missing"] == 0 and s["p50"] == pytest.approx(0.25) and s["max"] == 0.4 and s["mean"] == 0.25


def test_latency_summary_missing_items_are_infinitely_late():
    # 99 observed, 1 never arrived: p50/p95 known, p99 falls between the slowest seen and "never" -> unknown
    s = latency_summary([1.0] * 99, expected=100)
    assert s["missing"] == 1 and s["p50"] == 1.0 and s["p95"] == 1.0
    assert s["p99"] is None and s["max"] is None and s["mean"] is None
    # nothing observed: nothing known
    assert latency_summary([], expected=3)["p50"] is None


def test_vmhwm_parsing():
    status = "Name:\tpython\nVmPeak:\t  999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 1000 kB\n"
    assert parse_vmhwm_mb(status) == 200.0
    assert parse_vmhwm_mb("Name:\tkthread\n") is None


def test_rate_and_ratio():
    assert rate(10, 4) == 2.5 and rate(10, 0) == 0.0
    assert ratio(50, 100) == 0.5 and ratio(1, 0) is None and ratio(None, 2) is None


def test_replace_section_keeps_the_rest_of_the_file():
    quality = "<!-- quality:start -->\nQ\n<!-- quality:end -->"
    text = f"# Benchmarks\n\n{quality}\n\n{START}\nold\n{END}\ntrailer\n"
    new = replace_section(text, f"{START}\nnew\n{END}")
    assert new == f"# Benchmarks\n\n{quality}\n\n{START}\nnew\n{END}\ntrailer\n"
    appended = replace_section(f"# Benchmarks\n\n{quality}\n", f"{START}\nx\n{END}")
    assert appended.startswith(f"# Benchmarks\n\n{quality}\n\n{START}") and appended.endswith(f"{END}\n")


def test_top_frames_counts_a_frame_once_per_stack():
    raw = ["main (a.py:1);work (b.py:2);work (b.py:7) 3", "main (a.py:1);idle (c.py:3) 1", "garbage"]
    frames = dict(top_frames(raw))
    assert frames["main (a.py)"] == 1.0
    assert frames["work (b.py)"] == 0.75  # two lines of one function: one entry, counted once per stack
    assert dict(top_frames(raw, prefix_filter=("c.py",))) == {"idle (c.py)": 0.25}
    assert top_frames([]) == []


def _items():
    return [Item({"url": "https://a.example.com/x", "title": "T1", "text": "body one"}, "e1", "basil_dev.jsonl"),
            Item({"url": None, "title": "T2", "text": "body two"}, "e2", "ecbplus_dev.jsonl")]


def test_replay_gives_fresh_urls_and_keeps_labels():
    a, b = replay(_items(), 0), replay(_items(), 1)
    urls = [i.payload["url"] for i in a + b]
    assert len(set(urls)) == 4 and all(u.startswith("https://") for u in urls)
    assert [i.label for i in a] == ["e1", "e2"] and a[0].payload["text"] == "body one"


def test_take_cycles_with_fresh_copies():
    got = take(_items(), 5)
    assert [i.label for i in got] == ["e1", "e2", "e1", "e2", "e1"]
    assert len({i.payload["url"] for i in got}) == 5
    assert take(_items(), 0) == []


def test_headline_only_uses_title_as_text():
    assert [i.payload["text"] for i in headline_only(_items())] == ["T1", "T2"]
