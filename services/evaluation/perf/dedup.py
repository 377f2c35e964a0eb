"""3. Dedup assignment speed with N live events: `services.evaluation.bench_dedup`, with a faster fill.

bench_dedup fills the live index through `add()`, which at 50k events takes minutes on this machine (every
fill article searches the growing index). Here the same synthetic articles (bench_dedup.synthetic_articles,
same seed, same stream) become single-article events in a helper Deduplicator whose search is switched off
(min_similarity 1.0: no article can join, so add() takes the create path), and the measured Deduplicator
(default DedupConfig) is rebuilt from the helper's records with `restore()`, the path a processor restart
takes. The records are those add() creates, so the index (centroid index, LSH bands, window heap) is the
same; the timed part, `add()` on the measured stream, is bench_dedup's. As after a real restart, restore() has
also computed each event's IDF norms; the word-frequency lookups of the measured stream's new words are timed.
The process runs with the processor's garbage-collector setting (`tune_gc_for_large_live_state`).

The fill runs with BLAS limited to one thread (threadpoolctl; it is not timed). The timed part runs twice on
two fresh streams of the same kind: once with numpy's BLAS as the processor has it (OpenBLAS, one thread per
core) and once limited to one thread: on a busy machine OpenBLAS's threaded matrix-vector product collapses.
"""

from __future__ import annotations

import time

import numpy as np
from threadpoolctl import threadpool_limits

from services.common.memory import tune_gc_for_large_live_state
from services.evaluation.bench_dedup import _unit, synthetic_articles
from services.processor.dedup import DedupConfig, Deduplicator
from services.processor.dedup.features import USE_DIM


def bench(live_events: int, measure: int, seed: int = 0, window_days: float = 7.0) -> dict:
    rng = np.random.default_rng(seed)
    stories = _unit(rng.standard_normal((live_events + measure, USE_DIM))).astype(np.float32)
    t = time.perf_counter()
    fill = synthetic_articles(stories, np.arange(live_events), rng, 0)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    with threadpool_limits(1, user_api="blas"):
        helper = Deduplicator(DedupConfig(window_days=window_days, min_similarity=1.0, exact_search_limit=0,
                                          coarse_candidates=1, candidates=1))
        for a in fill:
            helper.add(a)
        records = helper.records()
        del helper, fill
        dd = Deduplicator(DedupConfig(window_days=window_days))
        dd.restore(records)
    t_fill = time.perf_counter() - t
    del records
    tune_gc_for_large_live_state()  # as the processor runs
    out = {"live_events_before": live_events, "articles": measure, "fill_articles_per_s": round(live_events / t_fill, 1),
           "feature_build_s": round(t_build, 1), "coarse_search": live_events > dd.config.exact_search_limit,
           "fill": "restore()"}
    start = live_events
    for label, threads in (("", None), ("_blas1", 1)):
        # measured stream (as bench_dedup.bench): 50 % follow-ups of live stories, 50 % new stories
        idx = np.where(rng.random(measure) < 0.5, rng.integers(0, live_events, measure),
                       live_events + np.arange(measure) + (measure if threads else 0))
        arts = synthetic_articles(stories if not threads else _more(stories, rng, measure), idx, rng, start)
        start += measure
        with threadpool_limits(threads, user_api="blas"):
            t = time.perf_counter()
            placed = [dd.add(a) for a in arts]
            t_measure = time.perf_counter() - t
        joined = sum(1 for r, i in zip(placed, idx) if i < live_events and r is not None and r.version > 1)
        out |= {f"articles_per_s{label}": round(measure / t_measure, 1),
                f"ms_per_article{label}": round(1000 * t_measure / measure, 3),
                f"follow_ups_joined{label}": f"{joined}/{int((idx < live_events).sum())}"}
    out["live_events_after"] = dd.live_events
    return out


def _more(stories: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """The story matrix plus n more new stories (the second stream's new events)."""
    extra = _unit(rng.standard_normal((n, stories.shape[1]))).astype(np.float32)
    return np.vstack([stories, extra])
