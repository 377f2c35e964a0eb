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

`bench_real` times the dev files' own articles (`analysed_stream`: real USE embeddings, entity keys, keywords,
MinHash and event fields, as the extract agent makes them) against N live events. Random vectors are nearly
orthogonal and spread evenly over the IVF lists; real news embeddings crowd into a few regions (politics,
disasters), which is what makes a probe expensive. The dev files hold 772 articles, so the live events are
blends of them: the gold events are split in two halves; each live event blends three articles of the
first half (the normalised sum of their embeddings, the event fields of the first, entity keys and keywords
sampled from the three, an unrelated MinHash), and the measured stream is every article of the other half
(so no live event contains a measured story), in stream order, full text then headline-only, given times
within one live week so that the time filter lets every live event be a candidate.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from schemas import ExtractedArticle
from services.common.memory import tune_gc_for_large_live_state
from services.evaluation.bench_dedup import T0, _unit, synthetic_articles
from services.processor.dedup import DedupConfig, Deduplicator
from services.processor.dedup.features import USE_DIM
from services.processor.extract.gazetteer import load_gazetteer


def bench(live_events: int, measure: int, seed: int = 0, window_days: float = 7.0) -> dict:
    rng = np.random.default_rng(seed)
    stories = _unit(rng.standard_normal((live_events + measure, USE_DIM))).astype(np.float32)
    t = time.perf_counter()
    fill = synthetic_articles(stories, np.arange(live_events), rng, 0)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    dd = _restored(fill, window_days)
    del fill
    t_fill = time.perf_counter() - t
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


def _restored(fill: list[ExtractedArticle], window_days: float) -> Deduplicator:
    """A Deduplicator (default config) whose live events are the fill articles, one event each, loaded with
    restore() as after a restart; the process then runs with the processor's GC setting."""
    with threadpool_limits(1, user_api="blas"):
        # nothing can join (min_similarity 1.0) and the search is cut to one list: only the records matter
        helper = Deduplicator(DedupConfig(window_days=window_days, min_similarity=1.0, exact_search_limit=0,
                                          coarse_probe=1, coarse_candidates=1, candidates=1))
        for a in fill:
            helper.add(a)
        records = helper.records()
        del helper
        dd = Deduplicator(DedupConfig(window_days=window_days))
        dd.restore(records)
    load_gazetteer()  # loaded in the processor by extraction; the dedup reads it to tell names from places
    tune_gc_for_large_live_state()  # as the processor runs
    return dd


class _LazyAnalyzer:
    """Loads the models only when a dev file's analysis is not cached yet."""

    def __init__(self) -> None:
        self._analyzer = None

    def analyze_many(self, articles):
        if self._analyzer is None:
            from services.processor.analyze import ArticleAnalyzer

            self._analyzer = ArticleAnalyzer()
        return self._analyzer.analyze_many(articles)


def real_articles(folder: Path, cache: Path) -> tuple[list[ExtractedArticle], list[str], list[dict]]:
    """Every dev article as the extract agent makes it, full text then headline-only, its gold label, and its
    title and text (what the peers read)."""
    from services.evaluation.runner import as_headline_item, read_jsonl, stream_order
    from services.evaluation.train_dedup import DEV_FILES, analysed_stream

    analyzer = _LazyAnalyzer()
    arts: list[ExtractedArticle] = []
    gold: list[str] = []
    texts: list[dict] = []
    for headline_only in (False, True):
        for name in DEV_FILES:
            if (folder / name).exists():
                a, g = analysed_stream(folder / name, analyzer, cache, headline_only=headline_only)
                rows = read_jsonl(folder / name)
                rows = [as_headline_item(r) for r in rows] if headline_only else rows
                texts += [{"title": rows[i].get("title") or "", "text": rows[i].get("text") or ""}
                          for i in stream_order(rows)[0]]  # analysed_stream's order
                arts += a
                gold += [f"{name}:{label}" for label in g]
    assert len(texts) == len(arts)
    return arts, gold, texts


def _blends(pool: list[ExtractedArticle], n: int, rng: np.random.Generator, window_days: float) -> list[ExtractedArticle]:
    """n background articles, each a blend of three real ones (see the module docstring), dated within the
    window before T0."""
    vectors = np.array([a.features.embedding for a in pool], dtype=np.float32)
    out = []
    for i in range(n):
        parts = rng.choice(len(pool), 3, replace=False)
        keys = [k for p in parts for k in pool[p].features.entities]
        size = min(len(keys), len(pool[parts[0]].features.entities))
        when = T0 - timedelta(days=float(rng.uniform(0, 0.9 * window_days)))
        first = pool[parts[0]]
        out.append(first.model_copy(update={
            "article_id": f"background-{i}", "url": None, "published_at": when, "ingested_at": when,
            "features": first.features.model_copy(update={
                "embedding": _unit(vectors[parts].sum(axis=0)).tolist(),
                "entities": [keys[k] for k in rng.choice(len(keys), size, replace=False)] if size else [],
                "minhash": rng.integers(0, 2**40, len(first.features.minhash)).tolist()}),
        }))
    return out


def bench_real(live_events: int, folder: Path, cache: Path, seed: int = 0,
               window_days: float = 7.0) -> tuple[dict, list[dict]]:
    """add() of real dev articles (stream order, one minute apart) with `live_events` live events; and the
    measured articles' titles and texts (the same input for the peers)."""
    from services.evaluation.metrics import evaluate

    arts, gold, texts = real_articles(folder, cache)
    if not arts:
        raise FileNotFoundError(f"no dev files in {folder}")
    rng = np.random.default_rng(seed)
    events = sorted(set(gold))
    background_events = set(rng.choice(events, len(events) // 2, replace=False))
    pool = [a for a, g in zip(arts, gold, strict=True) if g in background_events]
    arts, gold, texts = map(list, zip(*[(a, g, x) for a, g, x in zip(arts, gold, texts, strict=True)
                                        if g not in background_events]))
    t = time.perf_counter()
    dd = _restored(_blends(pool, live_events, rng, window_days), window_days)
    t_fill = time.perf_counter() - t
    measured = [a.model_copy(update={
        "article_id": f"measured-{k}", "ingested_at": T0 + timedelta(minutes=k),
        "published_at": T0 + timedelta(minutes=k) if a.published_at else None}) for k, a in enumerate(arts)]
    with threadpool_limits(1, user_api="blas"):  # as the processor runs (NEWSFUSE_PROCESSOR_THREADS=1)
        c, t = time.process_time(), time.perf_counter()
        placed = [dd.add(a).event_id for a in measured]
        t_measure, cpu = time.perf_counter() - t, time.process_time() - c
    background = {dd.event_of(f"background-{i}") for i in range(live_events)} - {None}
    joined_background = sum(1 for e in placed if e in background)
    quality = evaluate(gold, placed)
    return {"live_events_before": live_events, "articles": len(measured), "embeddings": "real (dev files)",
            "articles_per_s": round(len(measured) / t_measure, 1), "ms_per_article": round(1000 * t_measure / len(measured), 3),
            "cpu_ms_per_article": round(1000 * cpu / len(measured), 3),
            "fill_articles_per_s": round(live_events / t_fill, 1), "coarse_search": live_events > dd.config.exact_search_limit,
            "joined_a_background_event": joined_background,
            "bcubed_f1_of_measured": quality["bcubed_f1"], "live_events_after": dd.live_events}, texts


GROWING_EVENT_SIZES = (25, 100, 400)
REBUILDS_TIMED = 5  # per size: the mean of the rebuilds of the last few joins up to that size


def bench_growing_event(folder: Path, cache: Path, sizes: tuple[int, ...] = GROWING_EVENT_SIZES) -> list[dict]:
    """What one more article costs the dedup stage as an event grows (a big story draws hundreds of outlets):
    the canonical event is rebuilt from all members and the record written to the table on every join. Real
    dev articles are forced into one event (threshold 0), so the members are real; CPU ms per rebuild, each
    rebuild after one more join, as the dedup stage does it (the quote clusters carry over from the last one)."""
    from services.processor.canonical import build_canonical_event

    arts, _, _ = real_articles(folder, cache)
    arts = [a for a in arts if len(a.title.split()) > 3][: max(sizes)]
    dd = Deduplicator(DedupConfig(threshold=0.0, veto_conflicts=99, min_similarity=-1.0, window_days=1e5,
                                  reconsider_lone_articles=False))
    out = []
    timed = 0.0
    for n, article in enumerate(arts, 1):
        record = dd.add(article.model_copy(update={"article_id": f"grow-{n}", "published_at": None}))
        assert record is not None
        c = time.process_time()
        build_canonical_event(record)
        if any(size - REBUILDS_TIMED < n <= size for size in sizes):
            timed += time.process_time() - c
        if n in sizes:
            build_ms = 1000 * timed / REBUILDS_TIMED
            timed = 0.0
            c = time.process_time()
            value = record.model_dump_json()
            out.append({"members": len(record.members), "rebuild_cpu_ms": round(build_ms, 2),
                        "record_json_cpu_ms": round(1000 * (time.process_time() - c), 2),
                        "record_kb": round(len(value) / 1024),
                        "quotes": sum(len(m.article.event.quotes) for m in record.members)})
    return out
