"""Quality benchmark: newsfuse vs two peers on every dev file, one run: `python -m services.evaluation.bench_quality`.

Systems (all see the articles in the same stream order as `newsfuse eval`):
  * newsfuse: ArticleAnalyzer (extraction + features) + Deduplicator with the default DedupConfig;
  * tfidf-single-pass: classic TF-IDF centroid clustering, threshold tuned on the dev files (grid, best
    mean F1 over all files: a favourable setting for the peer);
  * minhash-lsh: datasketch MinHash-LSH near-duplicate grouping (Jaccard threshold tuned the same way).
Writes the table between the quality markers of docs/benchmarks.md (the rest of the file is kept).
Dataset folder: --datasets, $NEWSFUSE_DATASETS, or ../shared/datasets next to the repository.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import datetime, timezone
from pathlib import Path

from services.evaluation.metrics import evaluate
from services.evaluation.peers import MinHashLSHGrouping, TfidfSinglePass
from services.evaluation.runner import internal_ids, read_jsonl, run_stream, stream_order
from services.processor.dedup import DedupConfig
from services.processor.dedup.train import datasets_dir
from services.processor.dedup.features import LEAD_WORDS

REPO = Path(__file__).resolve().parents[2]
START, END = "<!-- quality:start -->", "<!-- quality:end -->"
TFIDF_GRID = (0.15, 0.175, 0.2, 0.225, 0.25, 0.275, 0.3, 0.35)
LSH_GRID = (0.3, 0.5, 0.7)


def _score(rows, labels) -> dict:
    return evaluate([str(r["event_label"]) for r in rows], [str(x) for x in labels])


def _tune(make, grid, streams) -> tuple[float, dict]:
    best_t, best, best_runs = grid[0], -1.0, {}
    for t in grid:
        runs = {}
        for name, rows in streams.items():
            t0 = time.perf_counter()
            labels = make(t).cluster(rows)
            runs[name] = {**_score(rows, labels), "docs_per_s": round(len(rows) / (time.perf_counter() - t0), 1)}
        m = sum(r["bcubed_f1"] + r["pairwise_f1"] for r in runs.values()) / (2 * len(runs))
        if m > best:
            best_t, best, best_runs = t, m, runs
    return best_t, best_runs


def run(folder: Path) -> dict:
    files = sorted(p for p in folder.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no .jsonl files in {folder} (set --datasets or NEWSFUSE_DATASETS)")
    raw = {p.name: read_jsonl(p) for p in files}
    streams = {}
    for name, rows in raw.items():
        order, _ = stream_order(rows)
        streams[name] = [rows[i] for i in order]
    results: dict = {"newsfuse": {}, "files": {n: len(r) for n, r in raw.items()}}
    from services.processor.analyze import ArticleAnalyzer
    from services.processor.dedup import DedupConfig, Deduplicator

    t0 = time.perf_counter()
    analyzer = ArticleAnalyzer()
    results["model_load_s"] = round(time.perf_counter() - t0, 1)
    for name, rows in raw.items():
        t0 = time.perf_counter()
        assignment = run_stream(rows, analyzer, Deduplicator(DedupConfig()))
        dt = time.perf_counter() - t0
        results["newsfuse"][name] = {**_score(rows, [assignment[k] for k in internal_ids(rows)]),
                                     "docs_per_s": round(len(rows) / dt, 1)}
    t, runs = _tune(lambda th: TfidfSinglePass(th), TFIDF_GRID, streams)
    results["tfidf-single-pass"] = runs
    results["tfidf_threshold"] = t
    t, runs = _tune(lambda th: MinHashLSHGrouping(th), LSH_GRID, streams)
    results["minhash-lsh"] = runs
    results["lsh_threshold"] = t
    return results


def markdown(results: dict) -> str:
    lines = [
        START,
        "## Deduplication quality (`make bench-quality`)",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()} "
        f"({_cpu_count()} cores). Stream order: published_at (stable; undated keep file order).",
        "docs/s: newsfuse = extraction + features + dedup per document after model loading "
        f"({results['model_load_s']} s, once); peers = their whole clustering run.",
        "",
        "newsfuse signals per (article, candidate event): USE-multilingual cosine to the event centroid "
        f"(title + first {LEAD_WORDS} words), IDF-weighted cosines of entity keys and of tf-weighted keywords (IDF "
        "from general-language word frequencies, wordfreq), event-date gap beyond a "
        f"{DedupConfig().date_grace_days:g}-day grace period and same-day bonus, MinHash near-duplicate (LSH "
        "lookup, always joins), event size, overlap of the event's two sides (actor1/actor2); combined by a "
        "logistic model learned on the dev files "
        "(`python -m services.processor.dedup.train`).",
        "",
        "| dataset | system | BCubed P | BCubed R | BCubed F1 | pairwise P | pairwise R | pairwise F1 | events (gold/pred) | docs/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    labels = {
        "newsfuse": "**newsfuse** (default DedupConfig)",
        "tfidf-single-pass": f"TF-IDF single-pass (threshold {results['tfidf_threshold']}, tuned on dev)",
        "minhash-lsh": f"MinHash-LSH near-dup (Jaccard {results['lsh_threshold']}, tuned on dev)",
    }
    for name in results["files"]:
        for system in ("newsfuse", "tfidf-single-pass", "minhash-lsh"):
            r = results[system][name]
            lines.append(
                f"| {name} | {labels[system]} | {r['bcubed_p']:.3f} | {r['bcubed_r']:.3f} | {r['bcubed_f1']:.3f} | "
                f"{r['pairwise_p']:.3f} | {r['pairwise_r']:.3f} | {r['pairwise_f1']:.3f} | "
                f"{r['n_gold']}/{r['n_pred']} | {r['docs_per_s']} |")
    lines += _training_report()
    lines += ["", END]
    return "\n".join(lines)


def _training_report() -> list[str]:
    """The overfitting check stored by `python -m services.processor.dedup.train` in params.json."""
    from services.processor.dedup.clusterer import PARAMS_PATH

    if not PARAMS_PATH.exists():
        return []
    params = json.loads(PARAMS_PATH.read_text())
    cross = params.get("report", {}).get("cross", {})
    if not cross:
        return []
    lines = [
        "",
        "### Overfitting check (from `python -m services.processor.dedup.train`, params.json)",
        "",
        "The pair model is learned on one dev file (with its headline-only variant: every body replaced by its "
        "headline) and tested on all; the shipped parameters are learned on all of them (ONE configuration for "
        "all data, no labels at run time).",
        "",
        "| trained on | threshold | tested on | BCubed F1 | pairwise F1 |",
        "|---|---|---|---|---|",
    ]
    for train_name, res in cross.items():
        for test_name, r in res.items():
            if test_name.startswith("test="):
                lines.append(f"| {train_name[6:]} | {res['threshold']} | {test_name[5:]} | {r['bcubed_f1']:.3f} | "
                             f"{r['pairwise_f1']:.3f} |")
    for test_name, r in params["report"].get("final", {}).items():
        lines.append(f"| all (shipped) | {params['threshold']} | {test_name} | {r['bcubed_f1']:.3f} | "
                     f"{r['pairwise_f1']:.3f} |")
    coef = ", ".join(f"{n} {c:+.2f}" for n, c in zip(params["features"], params["coef"]))
    lines += ["", f"Shipped model: logistic, {coef}, intercept {params['intercept']:+.2f}, "
              f"join threshold {params['threshold']}."]
    return lines


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1


def write_section(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default=None)
    ap.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    ap.add_argument("--json", default=None, help="also write the raw results here")
    args = ap.parse_args(argv)
    results = run(datasets_dir(args.datasets))
    section = markdown(results)
    write_section(Path(args.out), section)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    print(section)


if __name__ == "__main__":
    main()
