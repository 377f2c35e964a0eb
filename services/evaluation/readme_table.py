"""The README's "Measured" table, generated from the benchmark results (docs/benchmarks.json from
`make bench`, docs/benchmarks-quality.json from `make bench-quality`); both commands rewrite it.
`python -m services.evaluation.readme_table` regenerates it from the committed results alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.evaluation.datasets import REPOSITORY

BEGIN = "<!-- measured: generated from docs/benchmarks*.json by make bench / bench-quality; do not edit -->"
END = "<!-- end measured -->"
DEV_FILES = ("basil_dev.jsonl", "ecbplus_dev.jsonl", "meantime_dev.jsonl")


def measured_table(perf: dict[str, Any], quality: dict[str, Any]) -> str:
    """Markdown: one row per headline figure; a missing result reads 'not measured'."""
    rows = [("measure", "result", "from")]
    rows += _quality_rows(quality)
    rows += _performance_rows(perf)
    lines = [f"| {' | '.join(row)} |" for row in rows]
    lines.insert(1, "|---|---|---|")
    return "\n".join(lines)


def _quality_rows(quality: dict[str, Any]) -> list[tuple[str, str, str]]:
    files = " · ".join(f.removesuffix("_dev.jsonl") for f in DEV_FILES)

    def f1s(system: str) -> str:
        return " · ".join(_f1(quality.get(system, {}).get(name)) for name in DEV_FILES)

    run = f"make bench-quality{_when(quality)}"
    seed = quality.get("newsfuse", {})
    return [
        (f"dedup BCubed / pairwise F1 ({files}), leave-one-corpus-out", f1s("newsfuse-loco"), run),
        ("same, shipped model through the running pipeline (shuffled)", f1s("pipeline"), run),
        ("same, in-process in shuffled arrival orders (the pipeline's and 4 more): BCubed F1 min–max", " · ".join(
            _spread(quality.get("newsfuse-shuffled", {}).get(name)) for name in DEV_FILES), run),
        ("same, leave-one-corpus-out in those shuffled orders: BCubed F1 min–max", " · ".join(
            _spread(quality.get("newsfuse-loco-shuffled", {}).get(name)) for name in DEV_FILES), run),
        ("same, TF-IDF single pass (tuned peer)", f1s("tfidf-single-pass"), run),
        ("seed story (never trained on), dated · undated", " · ".join(
            _f1(seed.get(name)) for name in ("seed_story", "seed_story:undated")), run),
    ]


def _performance_rows(perf: dict[str, Any]) -> list[tuple[str, str, str]]:
    run = f"make bench{_when(perf)}"
    ingest = {r.get("mode"): r for r in perf.get("ingest", {}).get("runs", [])}
    extract = perf.get("extract", {}).get("configs", [])
    dedup = {r.get("live_events_before"): r for r in perf.get("dedup", {}).get("runs", [])}
    e2e = perf.get("e2e", {}).get("configs", [])
    first = e2e[0] if e2e else {}
    return [
        ("ingest, HTTP batches of 500", _rate(_get(ingest, "batch 500", "articles_per_s")), run),
        ("extraction, full text, 1 process", _rate(_get(extract[0] if extract else {}, "full text (BASIL)",
                                                         "articles_per_s")), run),
        ("dedup assignment at 50,000 live events", _rate(_get(dedup, 50000, "articles_per_s")), run),
        ("end to end, sustained (1 · 2 workers)", " · ".join(
            _rate(_get(c, "burst", "sustained_articles_per_s")) for c in e2e) or "not measured", run),
        ("p95 ingest → canonical topic at 20/s, headlines · full text (1 worker)", " · ".join(
            _seconds(_get(first, kind, "latency_topic_s", "p95")) for kind in ("headlines", "fulltext")), run),
        (f"p95 ingest → canonical topic at {_get(first, 'fulltext_fast', 'offered_per_s') or 60:g}/s full text "
         "(1 · 2 workers)", " · ".join(_seconds(_get(c, "fulltext_fast", "latency_topic_s", "p95")) for c in e2e)
         or "not measured", run),
    ]


def _get(data: Any, *keys: Any) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _spread(spread: dict[str, Any] | None) -> str:
    if not spread or "bcubed_f1_min" not in spread:
        return "not measured"
    return f"{spread['bcubed_f1_min']:.3f}–{spread['bcubed_f1_max']:.3f}"


def _f1(scores: dict[str, Any] | None) -> str:
    if not scores or "bcubed_f1" not in scores:
        return "not measured"
    return f"{scores['bcubed_f1']:.3f} / {scores['pairwise_f1']:.3f}"


def _formatted(unit: str, digits: int) -> Callable[[Any], str]:
    return lambda value: "not measured" if value is None else f"{value:,.{digits}f} {unit}"


_rate = _formatted("articles/s", 0)
_seconds = _formatted("s", 2)


def _when(results: dict[str, Any]) -> str:
    stamp = results.get("finished_utc") or results.get("started_utc")
    return f", {stamp[:10]}" if stamp else ""


def update_readme(readme: Path, perf_json: Path, quality_json: Path) -> bool:
    """Replace the table between the markers; True if the README changed."""
    table = measured_table(_load(perf_json), _load(quality_json))
    text = readme.read_text()
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no measured-table markers ({BEGIN} … {END})")
    updated = pattern.sub(lambda _: f"{BEGIN}\n{table}\n{END}", text)
    readme.write_text(updated)
    return updated != text


def update_repository_readme() -> bool:
    docs = REPOSITORY / "docs"
    return update_readme(REPOSITORY / "README.md", docs / "benchmarks.json", docs / "benchmarks-quality.json")


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


if __name__ == "__main__":
    print("README.md updated" if update_repository_readme() else "README.md already up to date")
