"""`newsfuse eval`: run the real analysis + dedup code in-process over a labeled JSONL file.

Input: one article per line (id, url, outlet, title, text, published_at, language, event_label?).
Output: PRED.tsv with `id<TAB>canonical_event_id` per analysed row (input order) and, as the LAST line
on stdout, one JSON object with the scores (null when the file has no labels), the speed and `rejected`.

Bad records never stop a run: a line that is not a JSON object, a field of the wrong type, or a row with
no title and no text once markup is removed is reported on stderr (`rejected FILE:LINE (id X): field:
reason`), left out of PRED.tsv and of the scores, and counted in `rejected`. Markup in titles and texts
(tags, entities) is turned into plain text by the cleaner ingest uses (schemas.text.plain_text).

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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

from schemas import RawArticle
from schemas.text import plain_text
from services.evaluation.metrics import evaluate

# Stream-order time of an entirely undated file, and the ingestion clock of every run: fixed, so runs
# are reproducible.
_UNDATED_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
INGESTED_AT = datetime(2026, 1, 1, tzinfo=UTC)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BATCH = 64


class RowError(ValueError):
    """A dataset row that cannot be analysed: which field, and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class RejectedRow:
    origin: str   # "FILE:LINE", plus the row's id when it has one
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.field}: {self.reason}"


def read_dataset(path: Path) -> tuple[list[dict[str, Any]], list[RejectedRow]]:
    """Rows that can be analysed, in file order, and the lines that cannot (bad JSON, wrong types, empty)."""
    rows, rejected = [], []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                rejected.append(RejectedRow(f"{path}:{n}", "line", f"not JSON ({exc})"))
                continue
            if not isinstance(row, dict):
                rejected.append(RejectedRow(f"{path}:{n}", "line", f"not a JSON object ({type(row).__name__})"))
                continue
            try:
                to_raw_article(row, _UNDATED_EPOCH, "check")
            except RowError as exc:
                rejected.append(RejectedRow(f"{path}:{n} (id {row.get('id')})", exc.field, exc.reason))
                continue
            except ValidationError as exc:  # a limit of the schema that the lenient mapping did not foresee
                first = exc.errors(include_url=False)[0]
                field = ".".join(map(str, first["loc"])) or "row"
                rejected.append(RejectedRow(f"{path}:{n} (id {row.get('id')})", field, first["msg"]))
                continue
            rows.append(row)
    return rows, rejected


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every row of a dataset that must be entirely valid (training, benchmarks): raises on the first bad line."""
    rows, rejected = read_dataset(path)
    if rejected:
        raise ValueError(str(rejected[0]))
    return rows


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        ts = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


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


def _text_field(row: dict[str, Any], name: str, limit: int) -> str:
    """The row's field as plain text (markup removed by the same cleaner as ingest), "" when absent."""
    value = row.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(name, f"must be a string, not {type(value).__name__}")
    return _CONTROL.sub(" ", plain_text(value)).strip()[:limit]


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
    """The dataset row as ingest would publish it, leniently: a bad url, language or date is dropped, not
    fatal. A row without a headline gets the first line of its text; a headline-only row has text None, as
    ingest publishes it. Raises RowError when a field has the wrong type or nothing is left to analyse."""
    title = _text_field(row, "title", 1000)
    text = _text_field(row, "text", 200_000)
    outlet = _text_field(row, "outlet", 200) or None
    title = title or text.split("\n", 1)[0][:300].strip()
    if not title:
        raise RowError("title", "no title and no text (after removing markup)")
    url = row.get("url")
    if not (isinstance(url, str) and re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+", url, re.I)):
        url = None
    language = row.get("language")
    if not (isinstance(language, str) and re.match(r"^[a-z]{2,3}([-_].*)?$", language.strip().lower())):
        language = None
    return RawArticle(
        article_id=article_id or str(row["id"]), url=url, outlet=outlet,
        title=title, text=text or None, published_at=_parse_time(row.get("published_at")),
        language=language, ingested_at=ingested_at, ingest_source="eval",
    )


def as_headline_item(row: dict[str, Any]) -> dict[str, Any]:
    """The row as a headline-only item (a feed or wire alert): its headline (the first line of its text when
    it has none), no body."""
    title = row.get("title") or str(row.get("text") or "").strip().split("\n", 1)[0][:300]
    return {**row, "title": title, "text": ""}


def ingestion_time(position: int) -> datetime:
    """When the article at `position` of an evaluation stream is ingested: a backfill, 1 ms apart."""
    return INGESTED_AT + timedelta(milliseconds=position)


def run_stream(rows: Sequence[dict[str, Any]], analyzer, dedup, batch: int = BATCH,
               on_record: Callable | None = None, order: Sequence[int] | None = None) -> dict[str, str]:
    """Feed rows through analyzer + deduplicator in stream order (or in `order`, row indices: an arrival
    order such as the pipeline's shuffled POSTs); returns {internal id: event id} (internal_ids(rows)[i] is
    row i's key)."""
    if order is None:
        order, _ = stream_order(rows)
    ids = internal_ids(rows)
    assignment: dict[str, str] = {}
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        raws = [to_raw_article(rows[i], ingestion_time(start + n), ids[i]) for n, i in enumerate(chunk)]
        for extracted in analyzer.analyze_many(raws):
            record = dedup.add(extracted)
            for absorbed, event_id in dedup.take_merged():  # a lone article moved into a grown event
                assignment = {a: event_id if e == absorbed else e for a, e in assignment.items()}
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
    rows, rejected = read_dataset(dataset)
    for row in rejected:
        sys.stderr.write(f"rejected {row}\n")
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
    result["rejected"] = len(rejected)
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
