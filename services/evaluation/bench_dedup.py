"""Assignment speed of the deduplicator alone (features precomputed): `python -m services.evaluation.bench_dedup`.

Fills the live index with N events through the public `add()` (synthetic embeddings, entities, keywords
and MinHash of the production shapes), then times `add()` on a stream where half of the articles report
one of the live events and half are new stories. Prints one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from schemas import ArticleEvent, ArticleFeatures, ExtractedArticle
from services.common.memory import tune_gc_for_large_live_state
from services.processor.dedup import DedupConfig, Deduplicator
from services.processor.dedup.features import EMBEDDING_MODEL, KEYWORDS_PER_ARTICLE, USE_DIM

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _word(i: int) -> str:
    """A letters-only pseudo-word for vocabulary index i (production keys are words, not digit strings)."""
    letters = ""
    while True:
        i, r = divmod(i, 26)
        letters += chr(97 + r)
        if not i:
            return "q" + letters


def synthetic_articles(stories: np.ndarray, story_idx: np.ndarray, rng: np.random.Generator, start: int,
                       vocab: int = 50_000, noise: float = 0.3) -> list[ExtractedArticle]:
    n = len(story_idx)
    v = _unit(stories[story_idx] + noise * _unit(rng.standard_normal((n, stories.shape[1]))))
    n_core = KEYWORDS_PER_ARTICLE * 2 // 3  # as many keywords as production writes
    n_noise = KEYWORDS_PER_ARTICLE - n_core
    out = []
    for i in range(n):
        s = int(story_idx[i])
        # entities/keywords: a story-specific core plus article-specific noise, Zipf-ish vocabulary
        core = [f"{_word(s)} {_word(s + 1)}", _word((s * 7) % 997)]
        kws = [f"#{_word((s * 31 + j) % vocab)}" for j in range(n_core)]
        kws += [f"#{_word(int(k))}" for k in rng.zipf(1.3, n_noise) % vocab]
        out.append(ExtractedArticle(
            article_id=f"bench-{start + i}", outlet=f"outlet{i % 50}", title=f"story {s}",
            published_at=T0 + timedelta(seconds=start + i), ingested_at=T0 + timedelta(seconds=start + i),
            event=ArticleEvent(language="en"),
            features=ArticleFeatures(embedding=v[i].tolist(), embedding_model=EMBEDDING_MODEL, entities=core + kws,
                                     minhash=rng.integers(0, 2**40, 64).tolist()),
        ))
    return out


def bench(live_events: int = 50_000, measure: int = 4_000, seed: int = 0, window_days: float = 7.0) -> dict:
    rng = np.random.default_rng(seed)
    dim = USE_DIM
    stories = _unit(rng.standard_normal((live_events + measure, dim))).astype(np.float32)
    dd = Deduplicator(DedupConfig(window_days=window_days))
    tune_gc_for_large_live_state()  # as the processor runs
    t = time.perf_counter()
    fill = synthetic_articles(stories, np.arange(live_events), rng, 0)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    for a in fill:
        dd.add(a)
    t_fill = time.perf_counter() - t
    # measured stream: 50% follow-ups of live stories, 50% new stories
    idx = np.where(rng.random(measure) < 0.5, rng.integers(0, live_events, measure),
                   live_events + np.arange(measure))
    arts = synthetic_articles(stories, idx, rng, live_events)
    t = time.perf_counter()
    placed = [dd.add(a) for a in arts]
    t_measure = time.perf_counter() - t
    joined = sum(1 for r, i in zip(placed, idx) if i < live_events and r is not None and r.version > 1)
    return {
        "live_events_before": live_events, "live_events_after": dd.live_events, "articles": measure,
        "articles_per_s": round(measure / t_measure, 1), "ms_per_article": round(1000 * t_measure / measure, 3),
        "fill_articles_per_s": round(live_events / t_fill, 1), "feature_build_s": round(t_build, 1),
        "follow_ups_joined": f"{joined}/{int((idx < live_events).sum())}",
        "coarse_search": live_events > dd.config.exact_search_limit,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--live-events", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    ap.add_argument("--measure", type=int, default=4_000)
    args = ap.parse_args(argv)
    for n in args.live_events:
        print(json.dumps(bench(n, args.measure)), flush=True)


if __name__ == "__main__":
    main()
