"""2. Extraction throughput: `ArticleAnalyzer.analyze_many` (what the faust extract agent runs).

Each configuration runs in fresh worker processes (spawned, models loaded once, warmed up, then released
together by a barrier); model loading is not timed. Batches of the agent's size (EXTRACT_BATCH).
  * "1 process, 1 core": the process is pinned to one CPU (sched_setaffinity) and BLAS to one thread: the
    per-core figure;
  * "1 process, all cores": unpinned, as one processor worker is deployed (one model thread,
    NEWSFUSE_PROCESSOR_THREADS; spaCy, faust and the event loop may use the other core);
  * "2 processes": one per core (pinned, BLAS 1 thread), as two processor workers on this machine.
The 1-core run also times the stages separately (EventExtractor vs embeddings vs the rest), in CPU time.
Wall-clock rates depend on what else runs on the machine; articles per CPU-second of the pinned process
is the per-core capacity with the machine to itself.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from datetime import UTC, datetime

from services.evaluation.perf.stats import rate


def _raw(payloads: list[dict]):
    from services.evaluation.runner import to_raw_article

    now = datetime.now(UTC)
    return [to_raw_article({**p, "id": f"perf-{n}"}, now) for n, p in enumerate(payloads)]


def _worker(cpu: int | None, sets: dict[str, list[dict]], batch: int, barrier, queue, stages: bool) -> None:
    try:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})
            # OpenBLAS sizes its pool by the machine, not the affinity mask: 2 threads spinning on 1 core
            # collapse (see the dedup figures). One core, one BLAS thread, as OPENBLAS_NUM_THREADS=1 would.
            from threadpoolctl import threadpool_limits

            threadpool_limits(1, user_api="blas")
        from services.processor.analyze import ArticleAnalyzer

        t = time.perf_counter()
        analyzer = ArticleAnalyzer()
        load_s = time.perf_counter() - t
        arts = {name: _raw(p) for name, p in sets.items()}
        for name in arts:  # warm-up: lazy imports (stop lists...), first-run allocations
            analyzer.analyze_many(arts[name][:4])
        analyzer.cache.clear()  # the timed pass analyses every article, the warm-up ones too
        barrier.wait(timeout=600)
        out: dict = {"load_s": round(load_s, 1)}
        for name, items in arts.items():
            t, c = time.perf_counter(), time.process_time()
            for k in range(0, len(items), batch):
                analyzer.analyze_many(items[k:k + batch])
            out[name] = {"articles": len(items), "seconds": time.perf_counter() - t,
                         "cpu_seconds": time.process_time() - c}
            barrier.wait(timeout=600)  # configurations with 2 processes measure the same set at once
        if stages:
            out["stages"] = _stages(analyzer, arts, batch)
        queue.put(out)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        queue.put({"error": f"{type(exc).__name__}: {exc}"})
        try:
            barrier.abort()
        except Exception:  # noqa: BLE001
            pass


def _stages(analyzer, arts: dict, batch: int) -> dict:
    """CPU ms per article of each stage, through the analyzer's own components.

    CPU time of this process (pinned to one core), so other jobs on the machine do not inflate it.
    """
    from services.processor.analyze import with_body
    from services.processor.dedup.features import embedding_text
    from services.processor.extract import BATCH_SIZE, _prepare

    out = {}
    for name, items in arts.items():
        items = items[:32]  # a subset: each stage runs again on its own
        t = {"extract (EventExtractor: spaCy NER, dates, type, quotes)": 0.0,
             "spaCy NER alone (headline + lead, part of extract)": 0.0,
             "embeddings (FeatureEncoder.embed_texts)": 0.0, "analyze_many total": 0.0}
        for k in range(0, len(items), batch):
            chunk = [with_body(a) for a in items[k:k + batch]]  # as analyze_many gives them to each stage
            clock = time.process_time
            t0 = clock()
            analyzer.extractor.extract_many(chunk)
            t1 = clock()
            texts = [embedding_text(a.title, a.text) for a in chunk]
            analyzer.encoder.embed_texts(texts)
            analyzer.cache.clear()  # the timed pass before cached these articles: time the models, not a lookup
            t2 = clock()
            analyzer.analyze_many(chunk)
            t3 = clock()
            t["extract (EventExtractor: spaCy NER, dates, type, quotes)"] += t1 - t0
            # the model's share of extract: what no speed-up that keeps spaCy can remove
            ner_texts = [_prepare(a).ner_text for a in chunk]
            t4 = clock()
            list(analyzer.extractor.nlp.pipe(ner_texts, batch_size=BATCH_SIZE))
            t["spaCy NER alone (headline + lead, part of extract)"] += clock() - t4
            t["embeddings (FeatureEncoder.embed_texts)"] += t2 - t1
            t["analyze_many total"] += t3 - t2
        n = len(items)
        ms = {k: round(1000 * v / n, 1) for k, v in t.items()}
        ms["rest (keywords, MinHash, pydantic models)"] = round(max(0.0,
            ms["analyze_many total"] - ms["extract (EventExtractor: spaCy NER, dates, type, quotes)"]
            - ms["embeddings (FeatureEncoder.embed_texts)"]), 1)
        out[name] = ms
    return out


def _run_config(cpus: list[int | None], sets: dict[str, list[dict]], batch: int, stages: bool,
                timeout: float) -> list[dict]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(cpus))
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(cpu, sets, batch, barrier, queue, stages and i == 0), daemon=True)
             for i, cpu in enumerate(cpus)]
    for p in procs:
        p.start()
    results = []
    deadline = time.monotonic() + timeout
    try:
        for _ in procs:
            results.append(queue.get(timeout=max(deadline - time.monotonic(), 1)))
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
                p.join()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise RuntimeError(f"extraction worker failed: {errors}")
    return results


def run(sets: dict[str, list[dict]], progress, batch: int | None = None, timeout: float = 420) -> dict:
    from services.processor.app import EXTRACT_BATCH

    batch = batch or EXTRACT_BATCH
    ncpu = len(os.sched_getaffinity(0))
    configs = [("1 process, 1 core (BLAS 1 thread)", [0], True), ("1 process, all cores (as deployed)", [None], False)]
    if ncpu >= 2:
        configs.append((f"{ncpu} processes, 1 core each (BLAS 1 thread)", list(range(ncpu)), False))
    out: dict = {"batch": batch, "cores": ncpu, "sets": {k: len(v) for k, v in sets.items()}, "configs": []}
    task = progress.add_task("extraction", total=len(configs))
    for label, cpus, stages in configs:
        progress.update(task, description=f"extraction: {label}")
        results = _run_config(cpus, sets, batch, stages, timeout)
        row = {"config": label, "processes": len(cpus), "model_load_s": [r["load_s"] for r in results]}
        for name in sets:
            # all processes ran the set at the same time (barrier): throughput = sum of articles / slowest
            arts = sum(r[name]["articles"] for r in results)
            row[name] = {"articles": arts, "articles_per_s": rate(arts, max(r[name]["seconds"] for r in results)),
                         # per process: articles per CPU-second of that process (all its threads)
                         "articles_per_cpu_s": [rate(r[name]["articles"], r[name]["cpu_seconds"]) for r in results]}
        if stages:
            row["stages_ms_per_article"] = next(r["stages"] for r in results if "stages" in r)
        out["configs"].append(row)
        progress.advance(task)
    progress.remove_task(task)
    return out
