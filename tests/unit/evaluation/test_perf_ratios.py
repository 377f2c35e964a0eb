"""`make bench` ratios: each throughput against the peers on its input and against the previous run."""

from services.evaluation.perf import ratios


def run(ingest: float, e2e: float, real: float | None = None) -> dict:
    r = {
        "started_utc": "2026-12-04 18:00:00", "machine": {"load_avg_start": "1.0 1.0 1.0"},
        "ingest": {"runs": [{"mode": "batch 100", "articles_per_s": ingest}]},
        "dedup": {"runs": [{"live_events_before": 50_000, "articles_per_s": 2000.0}]},
        "e2e": {"configs": [{"workers": 2, "burst": {"sustained_articles_per_s": e2e, "steady_articles_per_s": None}}]},
    }
    if real is not None:
        r["dedup"]["real"] = {"live_events_before": 50_000, "articles_per_s": real}
    return r


def test_every_throughput_is_a_figure_and_missing_ones_are_skipped():
    names = [f.name for f in ratios.figures(run(4000.0, 50.0, real=600.0))]
    assert names == ["ingest, batch 100", "dedup at 50,000 live events (random vectors)",
                     "dedup at 50,000 live events (real dev embeddings)", "end to end sustained, 2 worker(s)"]
    assert "dedup at 50,000 live events (real dev embeddings)" not in [f.name for f in ratios.figures(run(1.0, 1.0))]


def test_ratios_to_the_previous_run_and_to_the_peers_on_the_same_input():
    r = run(4000.0, 50.0, real=600.0)
    r["previous_run"] = ratios.summary(run(2000.0, 25.0))
    r["peer_rates"] = {"burst": {"tfidf-single-pass": 2500.0, "minhash-lsh": 1000.0},
                       "dedup real": {"tfidf-single-pass": 1200.0}}
    rows = {row[0]: row[1:] for row in ratios.rows(r)}
    assert rows["ingest, batch 100"] == [4000.0, 2000.0, 2.0, None, None]
    assert rows["end to end sustained, 2 worker(s)"] == [50.0, 25.0, 2.0, 0.02, 0.05]
    assert rows["dedup at 50,000 live events (real dev embeddings)"] == [600.0, None, None, 0.5, None]
    assert len(ratios.HEADER) == 1 + len(next(iter(rows.values())))


def test_a_run_without_a_previous_one_has_no_previous_ratios():
    assert all(row[2] is None and row[3] is None for row in ratios.rows(run(1.0, 1.0)))


def test_cpu_per_article_by_process_and_the_rate_it_allows_on_idle_cores():
    from services.evaluation.perf.stats import cpu_per_article, parse_cpu_seconds

    before = {"processor-1": 10.0, "ingest": 1.0, "gone": 3.0}
    after = {"processor-1": 12.0, "ingest": 1.5, "gone": None}
    cpu = cpu_per_article(before, after, articles=100, cores=2)
    assert cpu["ms_per_article"] == {"processor-1": 20.0, "ingest": 5.0}
    assert cpu["total_ms_per_article"] == 25.0 and cpu["articles_per_s_on_idle_cores"] == 80.0
    assert cpu_per_article(before, after, articles=0, cores=2) == {}
    stat = "4242 (python -m x) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 8"
    assert parse_cpu_seconds(stat, 100) == 3.0
