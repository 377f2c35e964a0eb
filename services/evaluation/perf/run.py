"""`python -m services.evaluation.perf` (`make bench`): every performance figure of newsfuse, in one run.

Writes .newsfuse/bench/results.json, docs/benchmarks.json (a copy) and the Performance section of
docs/benchmarks.md (between the perf markers; the Quality section is kept), and prints the table.
`--quick` runs tiny sizes (a smoke test, about 4 minutes); the default sizes finish in < 15 min on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from services.evaluation.perf import data, ratios, report
from services.evaluation.perf.stats import replace_section
from services.evaluation.readme_table import update_repository_readme

REPO = Path(__file__).resolve().parents[3]
console = Console(stderr=True)

SIZES = {
    "full": {"ingest_single": 1000, "ingest_batches": {100: 5000, 500: 10000},
             "extract_fulltext": 40, "extract_headlines": 128, "dedup_live": [1_000, 10_000, 50_000],
             "dedup_measure": 4000, "dedup_real_live": 50_000, "e2e_seconds": 15, "e2e_fulltext_seconds": 10, "e2e_fast_seconds": 6, "burst": 200, "burst_batch": 100, "drain_timeout": 150},
    "quick": {"ingest_single": 100, "ingest_batches": {100: 500, 500: 1000},
              "extract_fulltext": 8, "extract_headlines": 16, "dedup_live": [1_000], "dedup_measure": 200,
              "dedup_real_live": 1_000,
              "e2e_seconds": 3, "e2e_fulltext_seconds": 3, "e2e_fast_seconds": 2, "burst": 20, "burst_batch": 10, "drain_timeout": 60},
}


def load_avg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: check that everything runs")
    ap.add_argument("--datasets", default=None, help="folder of the dev .jsonl files (default ../shared/datasets)")
    ap.add_argument("--only", nargs="*", choices=["ingest", "extract", "dedup", "e2e"], default=None)
    ap.add_argument("--workers", nargs="*", type=int, default=[1, 2], help="processor workers per e2e config")
    ap.add_argument("--rate", type=float, default=20.0, help="articles/s of the paced e2e phases")
    ap.add_argument("--fast-rate", type=float, default=60.0, help="articles/s of the fast full-text e2e phase")
    ap.add_argument("--no-profile", action="store_true", help="do not attach py-spy to the processor")
    ap.add_argument("--out-dir", default=str(REPO / ".newsfuse" / "bench"))
    ap.add_argument("--merge", action="store_true",
                    help="re-measure only the --only stages and merge them into the existing results.json")
    ap.add_argument("--docs", default=None,
                    help="markdown file to update (default docs/benchmarks.md; --quick: none unless given)")
    args = ap.parse_args(argv)
    sizes = SIZES["quick" if args.quick else "full"]
    if args.docs is None:
        args.docs = "" if args.quick else str(REPO / "docs" / "benchmarks.md")
    only = set(args.only or ["ingest", "extract", "dedup", "e2e"])

    from services.evaluation.datasets import datasets_dir

    out_dir = Path(args.out_dir)
    runs = out_dir / "runs"
    last_json = REPO / "docs" / "benchmarks.json"  # the previous run, before this one overwrites it
    last_run = ratios.summary(json.loads(last_json.read_text())) if last_json.exists() else None
    previous = None
    if args.merge:
        previous = json.loads((out_dir / "results.json").read_text())
    else:
        shutil.rmtree(runs, ignore_errors=True)  # broker logs, SQLite files and faust dirs of the last run
    runs.mkdir(parents=True, exist_ok=True)
    items = data.dataset_items(datasets_dir(args.datasets)) + data.seed_items()
    if not items:
        raise SystemExit("no input: dev datasets not found (set --datasets or NEWSFUSE_DATASETS)")
    fulltext = [i for i in items if len(i.payload["text"].split()) >= 100]
    basil = [i for i in items if i.source == "basil_dev.jsonl"] or fulltext

    started = time.monotonic()
    results: dict = {
        "started_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"), "quick": args.quick,
        "machine": {"cpus": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
                    "load_avg_start": load_avg()},
        "input": {"items": len(items), "by_source": {s: sum(1 for i in items if i.source == s)
                                                     for s in sorted({i.source for i in items})}},
        "sizes": {k: (v if not isinstance(v, dict) else {str(a): b for a, b in v.items()}) for k, v in sizes.items()},
        "previous_run": last_run, "peer_rates": {},
    }
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=False)
    with progress:
        overall = progress.add_task("[bold]newsfuse perf", total=len(only))
        if "ingest" in only:
            from services.evaluation.perf import ingest

            t = time.monotonic()
            results["ingest"] = ingest.run(items, runs / "ingest", progress, sizes["ingest_single"],
                                           sizes["ingest_batches"])
            results["ingest"]["wall_s"] = round(time.monotonic() - t, 1)
            results["ingest"]["load_avg_end"] = load_avg()
            results["peer_rates"]["ingest"] = ratios.peer_rates([i.row for i in items])  # the items ingest posts
            progress.advance(overall)
        if "extract" in only:
            from services.evaluation.perf import extract

            t = time.monotonic()
            set_items = {"full text (BASIL)": data.take(basil, sizes["extract_fulltext"], tag="x"),
                         "headline only": data.take(data.headline_only(basil + items), sizes["extract_headlines"], tag="h")}
            sets = {name: [i.payload for i in chosen] for name, chosen in set_items.items()}
            results["extract"] = extract.run(sets, progress)
            for name, chosen in set_items.items():
                results["peer_rates"][name] = ratios.peer_rates([i.row for i in chosen])
            results["extract"]["words_per_article"] = {
                k: round(sum(len(p["text"].split()) for p in v) / len(v)) for k, v in sets.items()}
            results["extract"]["wall_s"] = round(time.monotonic() - t, 1)
            results["extract"]["load_avg_end"] = load_avg()
            progress.advance(overall)
        if "dedup" in only:
            from services.evaluation.perf.dedup import bench, bench_growing_event, bench_real

            t = time.monotonic()
            results["dedup"] = {"runs": [], "load_avg_start": load_avg()}
            if previous is not None:
                results["dedup"]["measured_utc"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
            task = progress.add_task("dedup assignment (bench_dedup)", total=len(sizes["dedup_live"]))
            for n in sizes["dedup_live"]:
                progress.update(task, description=f"dedup: filling {n:,} live events, then timing add()")
                t1 = time.monotonic()
                r = bench(n, sizes["dedup_measure"])
                r["wall_s"] = round(time.monotonic() - t1, 1)
                results["dedup"]["runs"].append(r)
                progress.advance(task)
            n = sizes["dedup_real_live"]
            task = progress.add_task(f"dedup: real dev articles against {n:,} live events", total=None)
            t1 = time.monotonic()
            real, real_texts = bench_real(n, datasets_dir(args.datasets), out_dir / "analysed")
            real["wall_s"] = round(time.monotonic() - t1, 1)
            results["dedup"]["real"] = real
            results["peer_rates"]["dedup real"] = ratios.peer_rates(real_texts)
            progress.remove_task(task)
            results["dedup"]["growing_event"] = bench_growing_event(datasets_dir(args.datasets), out_dir / "analysed")
            results["dedup"]["wall_s"] = round(time.monotonic() - t, 1)
            results["dedup"]["load_avg_end"] = load_avg()
            progress.advance(overall)
        if "e2e" in only:
            from services.evaluation.perf import e2e

            t = time.monotonic()
            n_paced = int(args.rate * sizes["e2e_seconds"])
            results["e2e"] = {"rate_per_s": args.rate, "configs": []}
            burst_items = None
            for workers in args.workers:
                k = len(results["e2e"]["configs"])
                # Event time matters to the dedup window (7 days behind the newest article seen): a phase that
                # replayed 2010 BASIL dates after newer articles would see its events evicted at once. So the
                # scored burst comes first (after a warm-up on the earliest BASIL headlines), in dataset stream
                # order, and the paced phases use ECB+ items (undated: event time = ingest time = now).
                # Both paced phases start after the ECB+ stories of the burst, and the full-text one takes the
                # stories the headline phase sent as headlines: no text is analysed twice (a copy would be an
                # analysis-cache hit, `content_key`, and its latency would not be an extraction's).
                ecb = [i for i in items if i.source == "ecbplus_dev.jsonl"] or items
                burst = data.take(items, sizes["burst"], tag=f"b{k}")
                fresh = sum(1 for i in burst if i.source == "ecbplus_dev.jsonl")  # the first ones of `ecb`
                n_full = int(args.rate * sizes["e2e_fulltext_seconds"])
                # the fast phase: the ECB+ stories no earlier phase sent, then BASIL's without their dates (another
                # text to the analysis cache; undated, so their event time is now, as for ECB+), each once
                unsent = data.undated(ecb[fresh + n_full:] + basil)
                phase_items = {
                    "warmup": data.take(data.headline_only(basil[:16]), 16, tag=f"w{k}"),
                    "burst": burst,
                    "headlines": data.take(data.headline_only(ecb), n_paced, start=fresh, tag=f"a{k}"),
                    "fulltext": data.take(ecb, n_full, start=fresh, tag=f"c{k}"),
                    "fulltext_fast": data.take(unsent, min(len(unsent), int(args.fast_rate * sizes["e2e_fast_seconds"])),
                                               tag=f"f{k}"),
                }
                burst_items = phase_items["burst"]
                cfg = e2e.run_config(workers, phase_items, runs / f"e2e-{workers}w", progress, args.rate, args.fast_rate,
                                     sizes["burst_batch"], sizes["drain_timeout"],
                                     profile=not args.no_profile and workers == args.workers[0],
                                     raw_partitions=max(4, workers))
                cfg["burst_quality"] = e2e.score_burst(phase_items["burst"], cfg.pop("burst_assignment"))
                cfg["load_avg_end"] = load_avg()
                results["e2e"]["configs"].append(cfg)
            if burst_items:
                results["e2e"]["burst_input"] = {s: sum(1 for i in burst_items if i.source == s)
                                                 for s in sorted({i.source for i in burst_items})}
                results["e2e"]["peers"] = e2e.peers(burst_items)
                results["peer_rates"]["burst"] = {k: v["docs_per_s"] for k, v in results["e2e"]["peers"].items()}
            results["e2e"]["wall_s"] = round(time.monotonic() - t, 1)
            progress.advance(overall)
    if previous is not None:
        merged = {k: v for k, v in previous.items()}
        for stage in only:
            merged[stage] = results[stage]
        merged["peer_rates"] = {**previous.get("peer_rates", {}), **results["peer_rates"]}
        merged.setdefault("remeasured", []).append(
            {"stages": sorted(only), "utc": results["started_utc"], "wall_s": round(time.monotonic() - started, 1)})
        results = merged
    else:
        results["wall_s"] = round(time.monotonic() - started, 1)
        results["machine"]["load_avg_end"] = load_avg()
        results["finished_utc"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")

    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str)
    (out_dir / "results.json").write_text(text)
    section = report.markdown(results)
    if args.docs:
        docs = Path(args.docs)
        docs.parent.mkdir(parents=True, exist_ok=True)
        (docs.parent / "benchmarks.json").write_text(text)
        docs.write_text(replace_section(docs.read_text() if docs.exists() else "# Benchmarks\n", section))
        update_repository_readme()  # its Measured table reads docs/benchmarks.json
    Console(width=160).print(report.console_table(results))
    console.print(f"results: {out_dir / 'results.json'}" + (f", {args.docs}" if args.docs else "")
                  + f"; wall time {results['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
