"""`newsfuse eval`: run the real analysis + dedup code in-process over a labeled JSONL file.

Input: one article per line (id, url, outlet, title, text, published_at, language, event_label?).
Output: PRED.tsv with `id<TAB>canonical_event_id` per input line (input order) and, as the LAST line
on stdout, one JSON object with the scores (null when the file has no labels) and the speed.

Stream order: sorted by published_at, stable. An undated article keeps its place in the file: it
inherits the publication time of the nearest dated article before it (or, at the head of the file,
the first one after it), so a mixed list never compares None with a date, undated articles stay next to
the articles they were listed with, and an all-undated file is streamed in file order. The inherited
time only orders the stream: an undated article reaches the deduplicator undated, as through ingest.
Every article is ingested at `INGESTED_AT` (plus its position in ms), as a backfill through ingest would be.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import typer

from schemas import RawArticle
from services.evaluation.metrics import evaluate

# Stream-order time of an entirely undated file, and the ingestion clock of every run: fixed, so runs
# are reproducible.
_UNDATED_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
INGESTED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BATCH = 64


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc
    return rows


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        ts = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def stream_order(rows: Sequence[dict[str, Any]]) -> tuple[list[int], list[datetime]]:
    """Indices of rows in stream order, and each row's event time (published or inherited)."""
    published = [_parse_time(r.get("published_at")) for r in rows]
    inherited: list[datetime | None] = []
    last = None
    for ts in published:
        last = ts or last
        inherited.append(last)
    first = next((ts for ts in published if ts), None) or _UNDATED_EPOCH
    times = [ts or first for ts in inherited]
    order = sorted(range(len(rows)), key=lambda i: times[i])  # sorted() is stable
    return order, times


def _clean(value: Any, limit: int) -> str:
    return _CONTROL.sub(" ", str(value or "")).strip()[:limit]


def internal_ids(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Article id per row. Ids are not guaranteed unique in a dataset (e.g. a placeholder id shared by
    different articles): a repeated id becomes id~hash(content), so different articles stay different and
    an exact repeat of an article is a redelivery (same event) - as ingest's content hash would treat it."""
    from collections import Counter

    from services.common.ids import article_id

    counts = Counter(str(r.get("id")) for r in rows)
    out = []
    for r in rows:
        rid = str(r.get("id"))
        if counts[rid] > 1:
            rid = f"{rid}~{article_id(r.get('url'), r.get('outlet'), str(r.get('title') or ''), str(r.get('text') or ''))}"
        out.append(rid)
    return out


def to_raw_article(row: dict[str, Any], ingested_at: datetime, article_id: str | None = None) -> RawArticle:
    """The dataset row as ingest would publish it; headline-only rows get the headline as text."""
    title = _clean(row.get("title"), 1000)
    text = _clean(row.get("text"), 200_000)
    if not title:
        title = (text.split("\n", 1)[0][:300] or "(untitled)").strip() or "(untitled)"
    if not text:
        text = title
    url = row.get("url")
    if not (isinstance(url, str) and re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+", url, re.I)):
        url = None
    language = row.get("language")
    if not (isinstance(language, str) and re.match(r"^[a-z]{2,3}([-_].*)?$", language.strip().lower())):
        language = None
    outlet = row.get("outlet")
    return RawArticle(
        article_id=article_id or str(row["id"]), url=url, outlet=_clean(outlet, 200) or None if outlet else None,
        title=title, text=text, published_at=_parse_time(row.get("published_at")),
        language=language, ingested_at=ingested_at, ingest_source="eval",
    )


def ingestion_time(position: int) -> datetime:
    """When the article at `position` of an evaluation stream is ingested: a backfill, 1 ms apart."""
    return INGESTED_AT + timedelta(milliseconds=position)


def run_stream(rows: Sequence[dict[str, Any]], analyzer, dedup, batch: int = BATCH,
               on_record: Callable | None = None) -> dict[str, str]:
    """Feed rows through analyzer + deduplicator in stream order; returns {internal id: event id}
    (internal_ids(rows)[i] is row i's key)."""
    order, _ = stream_order(rows)
    ids = internal_ids(rows)
    assignment: dict[str, str] = {}
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        raws = [to_raw_article(rows[i], ingestion_time(start + n), ids[i]) for n, i in enumerate(chunk)]
        for extracted in analyzer.analyze_many(raws):
            record = dedup.add(extracted)
            if record is not None:
                assignment[extracted.article_id] = record.event_id
                if on_record is not None:
                    on_record(record)
            elif extracted.article_id not in assignment:  # placed before this run (restored state)
                assignment[extracted.article_id] = dedup.event_of(extracted.article_id) or ""
            dedup.evict_expired()
    return assignment


def evaluate_run(rows: Sequence[dict[str, Any]], assignment: dict[str, str]) -> dict[str, Any]:
    labeled = all(r.get("event_label") not in (None, "") for r in rows) and rows
    out: dict[str, Any] = {"n_docs": len(rows)}
    if labeled:
        gold = [str(r["event_label"]) for r in rows]
        pred = [assignment[i] for i in internal_ids(rows)]
        out.update(evaluate(gold, pred))
    else:
        out.update({"n_gold": None, "n_pred": len(set(assignment.values())), "bcubed_p": None,
                    "bcubed_r": None, "bcubed_f1": None, "pairwise_p": None, "pairwise_r": None,
                    "pairwise_f1": None})
    return out


def run_eval(dataset: Path, predictions: Path, config: Path | None = None, analyzer=None) -> dict[str, Any]:
    from services.processor.dedup import DedupConfig, Deduplicator

    t0 = time.perf_counter()
    rows = read_jsonl(dataset)
    cfg = DedupConfig(**json.loads(Path(config).read_text())) if config else DedupConfig()
    if analyzer is None:
        from services.processor.analyze import ArticleAnalyzer

        analyzer = ArticleAnalyzer()
    t1 = time.perf_counter()
    assignment = run_stream(rows, analyzer, Deduplicator(cfg))
    t2 = time.perf_counter()
    predictions = Path(predictions)
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with open(predictions, "w", encoding="utf-8") as fh:
        for row, key in zip(rows, internal_ids(rows), strict=True):
            fh.write(f"{row.get('id')}\t{assignment[key]}\n")
    result = evaluate_run(rows, assignment)
    result["docs_per_s"] = round(len(rows) / max(t2 - t1, 1e-9), 2)
    result["model_load_s"] = round(t1 - t0, 2)
    result["total_s"] = round(time.perf_counter() - t0, 2)
    return result


def eval_command(
    dataset: Path = typer.Argument(..., exists=True, dir_okay=False, help="Labeled JSONL file."),
    predictions: Path = typer.Option(..., "--predictions", help="Where to write id<TAB>event_id lines."),
    config: Path | None = typer.Option(None, "--config", help="JSON object of DedupConfig overrides."),
) -> None:
    """Cluster a JSONL file of articles with the production code and score it against its labels."""
    result = run_eval(dataset, predictions, config)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover - `python -m services.evaluation.runner FILE --predictions P`
    typer.run(eval_command)
