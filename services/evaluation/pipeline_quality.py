"""Dedup quality through the running product: `python -m services.evaluation.pipeline_quality FILE.jsonl`.

`newsfuse eval` runs extraction + dedup in-process, in event-time order. This runs the product instead: a
fresh embedded broker and `newsfuse serve ingest|processor|sink` processes with default settings (raw
partitions, SQLite sink), the file's rows POSTed over HTTP in batches in a shuffled order (fixed seed),
published_at exactly as in the file (undated rows stay undated: ingest's clock becomes their time). It waits
until every accepted article is a source of an event in the sink database (never from broker end offsets:
Tansu reports them wrongly), reads the events from that database and scores them against event_label.

Rows the ingest API rejects (422) are counted with ingest's reason and left out of the scores.
Last line on stdout: one JSON object with the scores and the counts.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from schemas import Article
from services.evaluation.metrics import evaluate
from services.evaluation.perf.pipeline import Stack, new_stack, wait_http, wait_log
from services.evaluation.runner import read_jsonl

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SEED = 13
DEFAULT_BATCH = 50
# Fail only when no article reached the sink for this long: a slow shared machine must not cut a run short.
DEFAULT_STALL_TIMEOUT_S = 600.0
STARTUP_TIMEOUT_S = 300.0  # processor model loading, on 2 shared cores
BROKER_BUSY_RETRIES = 5  # 503 = broker did not acknowledge; ids are stable, so a retry never duplicates


@dataclass(frozen=True)
class Rejected:
    row: int          # index of the row in the file
    id: str           # the dataset's id
    reason: str       # ingest's 422 detail, "field: message; ..."


@dataclass
class Ingested:
    article_ids: dict[int, str]       # row index -> article id ingest returned
    rejected: list[Rejected]
    seconds: float


def article_payload(row: dict[str, Any]) -> dict[str, Any]:
    """The row as a scraper would POST it: the Article fields only, values untouched (null stays null)."""
    return {name: row[name] for name in Article.model_fields if name in row}


def shuffled_order(n: int, seed: int) -> list[int]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return order


def rejections_by_index(detail: Sequence[dict[str, Any]]) -> dict[int, str]:
    """Ingest's 422 detail (one entry per field error, each with the item's `index`) -> reason per item."""
    reasons: dict[int, list[str]] = {}
    for err in detail:
        where = ".".join(str(p) for p in err.get("loc", [])) or "article"
        reasons.setdefault(int(err["index"]), []).append(f"{where}: {err.get('msg', '')}")
    return {i: "; ".join(r) for i, r in reasons.items()}


def _post(client: httpx.Client, url: str, payloads: list[dict[str, Any]]) -> httpx.Response:
    for attempt in range(BROKER_BUSY_RETRIES):
        response = client.post(url, json=payloads)
        if response.status_code != 503:
            return response
        time.sleep(1 + attempt)
    return response


def post_batch(client: httpx.Client, url: str, rows: Sequence[dict[str, Any]],
               indices: list[int]) -> tuple[dict[int, str], list[Rejected]]:
    """POST rows[indices] as one request. A 422 publishes nothing: record the rejected items with ingest's
    reasons and POST the rest again. Returns row index -> article id, and the rejections."""
    response = _post(client, url, [article_payload(rows[i]) for i in indices])
    rejected: list[Rejected] = []
    if response.status_code == 422:
        reasons = rejections_by_index(response.json()["detail"])
        rejected = [Rejected(indices[k], str(rows[indices[k]].get("id")), r) for k, r in sorted(reasons.items())]
        indices = [i for k, i in enumerate(indices) if k not in reasons]
        if not indices:
            return {}, rejected
        response = _post(client, url, [article_payload(rows[i]) for i in indices])
    if response.status_code != 202:
        raise RuntimeError(f"ingest answered {response.status_code}: {response.text[:500]}")
    ids = response.json()["ids"]
    if len(ids) != len(indices):  # the mapping is by position: a silent drop would shift every row after it
        raise RuntimeError(f"ingest accepted {len(ids)} ids for {len(indices)} articles")
    return dict(zip(indices, ids, strict=True)), rejected


def ingest_rows(stack: Stack, rows: Sequence[dict[str, Any]], order: list[int], batch: int,
                progress: Progress) -> Ingested:
    url = f"{stack.ingest_url}/v1/articles"
    article_ids: dict[int, str] = {}
    rejected: list[Rejected] = []
    task = progress.add_task(f"POST {len(order)} rows, batches of {batch}", total=len(order))
    t0 = time.monotonic()
    with httpx.Client(timeout=120) as client:
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            accepted, refused = post_batch(client, url, rows, chunk)
            article_ids.update(accepted)
            rejected += refused
            progress.advance(task, len(chunk))
    progress.remove_task(task)
    return Ingested(article_ids, rejected, time.monotonic() - t0)


def _placed(store) -> set[str]:
    from sqlalchemy.exc import OperationalError

    try:
        return store.placed_article_ids()
    except OperationalError:  # the sink has not created its tables yet
        return set()


def wait_until_placed(stack: Stack, store, want: set[str], progress: Progress,
                      stall_timeout: float, describe: dict[str, str]) -> float:
    """Block until every wanted article is a source of an event in the sink DB; seconds waited.
    Raises when nothing new arrived for stall_timeout s, naming the missing articles."""
    task = progress.add_task("articles stored as event sources (sink DB)", total=len(want))
    t0 = last_progress = time.monotonic()
    done = 0
    while True:
        stack.check_alive()
        placed = len(want & _placed(store))
        progress.update(task, completed=placed)
        if placed == len(want):
            progress.remove_task(task)
            return time.monotonic() - t0
        if placed > done:
            done, last_progress = placed, time.monotonic()
        elif time.monotonic() - last_progress > stall_timeout:
            missing = sorted(want - _placed(store))
            listed = "\n".join(f"  {a}  {describe.get(a, '')}" for a in missing[:50])
            raise TimeoutError(f"{len(missing)} of {len(want)} accepted articles not in the sink DB after "
                               f"{stall_timeout:.0f} s without progress (logs: {stack.run_dir / 'logs'}):\n"
                               f"{listed}")
        time.sleep(0.5)


def sink_assignment(events: Sequence[Any]) -> tuple[dict[str, str], int]:
    """article id -> event id from the stored CanonicalEvents; and how many articles are sources of more than
    one event (each should have exactly one: such an article keeps the first event listed)."""
    assignment: dict[str, str] = {}
    in_several = set()
    for event in events:
        for source in event.sources:
            if assignment.setdefault(source.article_id, event.event_id) != event.event_id:
                in_several.add(source.article_id)
    return assignment, len(in_several)


def score_rows(rows: Sequence[dict[str, Any]], article_ids: dict[int, str],
               assignment: dict[str, str]) -> dict[str, Any]:
    """Scores over the accepted rows (rows of one article id share its event)."""
    scored = sorted(article_ids)
    gold = [str(rows[i]["event_label"]) for i in scored]
    pred = [assignment[article_ids[i]] for i in scored]
    return evaluate(gold, pred)


def run_file(path: Path, run_dir: Path, progress: Progress, seed: int = DEFAULT_SEED,
             batch: int = DEFAULT_BATCH, stall_timeout: float = DEFAULT_STALL_TIMEOUT_S) -> dict[str, Any]:
    """The whole measurement for one labeled file on a fresh stack (stopped before returning)."""
    from services.sink.store import EventStore

    rows = read_jsonl(path)
    stack = new_stack(run_dir)
    store = EventStore(stack.settings.sqlalchemy_url)
    try:
        t0 = time.monotonic()
        for name, service in (("ingest", "ingest"), ("processor-1", "processor"), ("sink", "sink")):
            stack.start(name, service)
        wait_http(f"{stack.ingest_url}/healthz", stack, STARTUP_TIMEOUT_S)
        # models loaded before the first POST, so docs/s is the pipeline's rate, not model loading
        if not wait_log(run_dir / "logs" / "processor-1.log", "extract agent ready", stack, STARTUP_TIMEOUT_S):
            raise TimeoutError(f"processor not ready after {STARTUP_TIMEOUT_S:.0f} s (logs: {run_dir / 'logs'})")
        progress.console.log(f"{path.name}: stack up in {time.monotonic() - t0:.0f} s (logs: {run_dir / 'logs'})")
        ingested = ingest_rows(stack, rows, shuffled_order(len(rows), seed), batch, progress)
        progress.console.log(f"{path.name}: {len(ingested.article_ids)} rows accepted, {len(ingested.rejected)} "
                             "rejected by ingest (422, not scored); waiting for the sink")
        want = set(ingested.article_ids.values())
        titles = {a: f"row {i} id={rows[i].get('id')} {str(rows[i].get('title'))[:80]!r}"
                  for i, a in ingested.article_ids.items()}
        wait_s = wait_until_placed(stack, store, want, progress, stall_timeout, titles)
        assignment, in_several = sink_assignment(store.list_events(limit=len(want) + 1))
        result = {
            "file": path.name, "rows": len(rows), "seed": seed, "batch": batch,
            "raw_partitions": stack.settings.raw_partitions,
            "database": stack.settings.sqlalchemy_url.split(":", 1)[0],
            "accepted_rows": len(ingested.article_ids), "distinct_articles": len(want),
            "undated_accepted_rows": sum(1 for i in ingested.article_ids if not rows[i].get("published_at")),
            "rejected_rows": len(ingested.rejected), "rejected": [asdict(r) for r in ingested.rejected],
            "events_in_sink": store.count_events(), "articles_in_several_events": in_several,
            **score_rows(rows, ingested.article_ids, assignment),
            "post_s": round(ingested.seconds, 2), "post_to_all_stored_s": round(ingested.seconds + wait_s, 2),
            "docs_per_s": round(len(want) / max(ingested.seconds + wait_s, 1e-9), 1),
            "start_to_all_stored_s": round(time.monotonic() - t0, 1),
        }
        return result
    finally:
        store.engine.dispose()
        stack.stop()


def default_run_dir(dataset: Path) -> Path:
    return REPO / ".newsfuse" / "pipeline-quality" / dataset.stem


def scored_rows(result: dict[str, Any]) -> list[int]:
    """Indices of the rows a run_file result scored: every row ingest accepted."""
    rejected = {r["row"] for r in result["rejected"]}
    return [i for i in range(result["rows"]) if i not in rejected]


def progress_bar(console: Console) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path, help="labeled JSONL file (id, event_label and the Article fields)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the shuffled POST order")
    ap.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="articles per POST")
    ap.add_argument("--run-dir", type=Path, default=None,
                    help="broker state, SQLite file and service logs (default .newsfuse/pipeline-quality/<file>)")
    ap.add_argument("--stall-timeout", type=float, default=DEFAULT_STALL_TIMEOUT_S,
                    help="fail when no article reached the sink DB for this many seconds")
    args = ap.parse_args(argv)
    run_dir = args.run_dir or default_run_dir(args.dataset)
    console = Console(stderr=True)  # stdout carries only the JSON line
    with progress_bar(console) as progress:
        result = run_file(args.dataset, run_dir, progress, args.seed, args.batch, args.stall_timeout)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
