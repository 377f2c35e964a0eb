"""`newsfuse`: run the pipeline, its services, ingestion, queries and evaluations."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from enum import Enum, StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.common import processes
from services.common.broker import EmbeddedBroker
from services.common.kafka import BrokerNotConfigured
from services.common.logging import configure_logging
from services.common.processes import SERVICES, start_service, start_services, stop_services
from services.common.settings import Settings, get_settings
from services.common.supervise import Supervisor

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)  # pipes and CI logs get a readable table
TIME_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z",
                "%Y-%m-%d %H:%M:%S"]


Service = Enum("Service", {name: name for name in SERVICES}, type=str)  # type: ignore[misc]


def main() -> None:
    app()


# --- settings and broker ----------------------------------------------------------------------
def connected_settings() -> Settings:
    """Settings whose bootstrap servers name a broker: configured, or the running embedded one."""
    try:
        return processes.connected_settings()
    except BrokerNotConfigured as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None


@contextlib.contextmanager
def broker_for(settings: Settings) -> Iterator[tuple[Settings, EmbeddedBroker | None]]:
    """Yield settings naming a broker, and the embedded one when none is configured (started, stopped after)."""
    if settings.kafka_bootstrap_servers:
        yield settings, None
        return
    with EmbeddedBroker(settings.data_dir, port=settings.broker_port) as broker:
        console.print(f"embedded Kafka broker (Tansu) on {broker.bootstrap_servers}")
        yield settings.with_embedded_broker(broker.bootstrap_servers), broker


def page_url(settings: Settings) -> str:
    return f"http://{settings.sink_host}:{settings.sink_port}/"


@contextlib.contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """Turn SIGTERM/SIGINT into an event, so we always get to clean up our children."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# --- commands -----------------------------------------------------------------------------------
@app.command()
def up(drain_timeout: float = typer.Option(
        120, help="On Ctrl-C/SIGTERM, seconds to wait for every accepted article to be stored.")) -> None:
    """Embedded broker (unless KAFKA_BOOTSTRAP_SERVERS is set) + ingest, processor and sink, in the foreground.

    A service that exits is restarted (1 s, 2 s … 30 s apart). Ctrl-C/SIGTERM stops ingest first, waits until
    what it accepted is stored, then stops the processor, the sink and the broker.
    """
    from services.common.kafka import ensure_topics

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    with broker_for(settings) as (settings, broker), stop_on_signals() as stop:
        ensure_topics(settings)
        if broker:
            _replay_journal(settings)
        supervisor = Supervisor({name: functools.partial(start_service, settings, name) for name in SERVICES})
        supervisor.start_all()
        console.print(f"ingest http://{settings.ingest_host}:{settings.ingest_port}  "
                      f"live events page {page_url(settings)}  (Ctrl-C stops all)", soft_wrap=True)
        _print_consumer_hint(settings)
        try:
            while not stop.wait(0.5):
                supervisor.check()
                if broker and broker.process and broker.process.poll() is not None:
                    # Its memory is gone: only a fresh start (which replays the journal) recovers.
                    console.print("[red]the embedded broker stopped; start `newsfuse up` again[/]")
                    raise typer.Exit(1)
        finally:
            _stop_draining(settings, supervisor, drain=broker is not None, timeout=drain_timeout)


def _print_consumer_hint(settings: Settings) -> None:
    """Where a dashboard or an operator plugs in: the broker, a consumer command, the metrics."""
    from services.common.cloud_events import dataschema_uri
    from services.common.settings import CANONICAL_TOPIC

    bootstrap = settings.kafka_bootstrap_servers
    console.print(f"Kafka bootstrap {bootstrap}: canonical events on {CANONICAL_TOPIC} (CloudEvents headers, "
                  f"value schema {dataschema_uri(settings.dataschema_base, CANONICAL_TOPIC)})", soft_wrap=True)
    consumer = Path(__file__).resolve().parents[1] / "docs" / "dashboard_consumer.py"
    if consumer.exists():
        console.print(f"  follow them with any Kafka client, e.g.  {sys.executable} {consumer} {bootstrap}", soft_wrap=True)
    metrics = [f"http://{settings.ingest_host}:{settings.ingest_port}/metrics",
               f"http://{settings.sink_host}:{settings.sink_port}/metrics"]
    if settings.processor_metrics_port:
        metrics.insert(1, f"http://{settings.processor_metrics_host}:{settings.processor_metrics_port}/metrics")
    console.print(f"  Prometheus metrics  {'  '.join(metrics)}", soft_wrap=True)


def _replay_journal(settings: Settings) -> None:
    """A fresh embedded broker knows nothing: give it every article accepted before, as it was given then."""
    from services.ingest.publisher import replay_journal

    started = time.monotonic()
    replayed = replay_journal(settings)
    if replayed:
        console.print(f"re-published {replayed} journaled articles in {time.monotonic() - started:.1f}s "
                      "(the processor re-reads them before new ones)")


def _stop_draining(settings: Settings, supervisor: Supervisor, drain: bool, timeout: float) -> None:
    """Ingest first, so nothing new is accepted; then, with the embedded broker (which forgets what is still
    in flight), wait until every accepted article is stored; then the processor and the sink."""
    supervisor.stop("ingest")
    if drain:
        _wait_until_drained(settings, supervisor, timeout)
    for name in SERVICES[1:]:
        supervisor.stop(name)


def _wait_until_drained(settings: Settings, supervisor: Supervisor, timeout: float) -> None:
    from services.ingest.journal import IngestJournal
    from services.sink.store import EventStore

    with IngestJournal.for_settings(settings) as journal:
        accepted = journal.article_ids()
    store = EventStore(settings.sqlalchemy_url)
    store.create_schema()  # stopped before the sink made it: nothing stored yet, not an error
    deadline = time.monotonic() + timeout
    try:
        while pending := _not_yet_stored(settings, store, accepted):
            if time.monotonic() > deadline:
                console.print(f"[yellow]{len(pending)} accepted articles not stored after {timeout:.0f}s; "
                              "stopping anyway (the journal gives them again at the next start)[/]")
                return
            supervisor.check()  # a crash while draining is restarted too
            time.sleep(0.5)
        console.print(f"drained: all {len(accepted)} journaled articles are stored")
    finally:
        store.engine.dispose()


def _not_yet_stored(settings: Settings, store, accepted: set[str]) -> set[str]:
    """Accepted articles neither a source in the database nor a dead letter (which never will be)."""
    from services.common.dlq import article_id_of
    from services.common.dlq_admin import read_all
    from services.common.settings import EXTRACTED_TOPIC, RAW_TOPIC, dlq_topic

    pending = accepted - store.placed_article_ids()
    if pending:
        letters = [r for t in (RAW_TOPIC, EXTRACTED_TOPIC) for r in read_all(settings, dlq_topic(t), idle_ms=300)]
        pending -= {article_id_of(r) for r in letters}
    return pending


@app.command()
def serve(service: Service) -> None:
    """Run one service in the foreground (what each container runs)."""
    importlib.import_module(f"services.{service.value}.serve").serve()


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., metavar="PATH_OR_URL...",
                                        help="Files or folders (.txt .json .jsonl .ndjson .rss .atom .xml), "
                                             "or RSS/Atom feed URLs."),
    follow_feeds: bool = typer.Option(False, "--follow", help="Keep polling the feed URLs; Ctrl-C stops."),
    interval: float = typer.Option(300.0, min=0.1, help="Seconds between polls with --follow."),
    max_polls: int | None = typer.Option(None, min=1, help="Stop --follow after this many polls."),
) -> None:
    """Validate and publish articles from files and feeds (same code as POST /v1/articles)."""
    from services.common.kafka import ensure_topics
    from services.ingest.feeds import FeedFollower, follow, is_feed_url
    from services.ingest.files import ingest_files
    from services.ingest.publisher import ArticlePublisher
    from services.ingest.readers import iter_files

    urls = [s for s in sources if is_feed_url(s)]
    paths = [Path(s) for s in sources if not is_feed_url(s)]
    if missing := [str(p) for p in paths if not p.exists()]:
        raise typer.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATH_OR_URL")
    if follow_feeds and (paths or not urls):
        raise typer.BadParameter("--follow polls feed URLs: give URLs only", param_hint="PATH_OR_URL")
    settings = connected_settings()
    ensure_topics(settings)
    publisher = ArticlePublisher(settings)
    follower = FeedFollower(urls, publisher)
    try:
        files = iter_files(paths)
        with _progress() as progress:
            task = progress.add_task("ingesting", total=len(files))
            summary = ingest_files(files, publisher, on_file=lambda _: progress.advance(task))
        if follow_feeds:
            with stop_on_signals() as stop:
                summary.merge(follow(follower, interval, stop, max_polls, on_poll=_print_poll))
        elif urls:
            summary.merge(follower.poll())
    finally:
        follower.client.close()
        publisher.close()
    _print_ingest_summary(summary)
    if summary.rejected:
        raise typer.Exit(1)


def _print_poll(number: int, summary) -> None:
    console.print(f"poll {number}: {len(summary.accepted)} new, {summary.already_published} already published, "
                  f"{len(summary.rejected)} rejected")
    for origin, reason in summary.rejected[:10]:
        console.print(f"  [red]rejected[/] {origin}: {reason}")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


def _print_ingest_summary(summary) -> None:
    console.print(f"accepted {len(summary.accepted)}, rejected {len(summary.rejected)}"
                  + (f", already published {summary.already_published}" if summary.already_published else ""))
    for origin, reason in summary.rejected[:50]:
        console.print(f"  [red]rejected[/] {origin}: {reason}")
    if len(summary.rejected) > 50:
        console.print(f"  ... and {len(summary.rejected) - 50} more")
    if summary.ignored_fields:
        fields = ", ".join(f"{k} ({v})" for k, v in summary.ignored_fields.most_common())
        console.print(f"  ignored fields not in the Article schema: {fields}")


@app.command()
def events(
    as_json: bool = typer.Option(False, "--json", help="One CanonicalEvent JSON object per line."),
    explain: str | None = typer.Option(None, "--explain", metavar="EVENT_ID", help="Why each source joined."),
    entity: str | None = typer.Option(None, help="Only events naming this actor or place."),
    since: datetime | None = typer.Option(None, formats=TIME_FORMATS, metavar="TIME",
                                          help="Only events updated at or after TIME (UTC unless it has an offset)."),
    limit: int = typer.Option(100, min=1, help="Show at most this many (the newest)."),
    show_all: bool = typer.Option(False, "--all", help="Every matching event, however many."),
) -> None:
    """Canonical events from the sink's database (newest first); says how many it left out."""
    from services.sink.store import EventStore

    store = EventStore(get_settings().sqlalchemy_url)
    store.create_schema()
    if explain:
        event = store.get_event(explain)
        if event is None:
            console.print(f"[red]no event {explain}[/]")
            raise typer.Exit(1)
        print_explanation(event)
        return
    found = store.list_events(since=since, entity=entity, limit=None if show_all else limit)
    if as_json:
        for event in found:
            print(event.model_dump_json())
    else:
        print_events(found)
    if len(found) == limit and (total := store.count_events(since=since, entity=entity)) > limit:
        console.print(f"{len(found)} of {total} events shown (--all for every one, or --limit N)")


def print_events(found) -> None:
    table = Table(title=f"{len(found)} canonical events")
    for column in ("event id", "date", "title", "articles", "outlets", "actors", "places"):
        table.add_column(column, overflow="fold")
    for e in found:
        table.add_row(e.event_id, str(e.event_date or "?"), e.title, str(e.num_articles), str(e.num_sources),
                      ", ".join(a.name for a in e.actors[:4]), ", ".join(p.name for p in e.locations[:4]))
    out.print(table)


def print_explanation(event) -> None:
    out.print(f"[bold]{event.event_id}[/] v{event.version}: {event.title} ({event.event_date or 'date unknown'})")
    table = Table()
    for column in ("article", "outlet", "score", "similarity", "shared entities", "date gap", "conflicts", "note"):
        table.add_column(column, overflow="fold")
    for s in event.sources:
        r = s.reasons
        table.add_row(s.article_id, s.outlet or "?", f"{s.match_score:.2f}",
                      "-" if r.similarity is None else f"{r.similarity:.2f}", ", ".join(r.shared_entities),
                      "-" if r.date_gap_days is None else f"{r.date_gap_days:g} d", "; ".join(r.conflicts) or "-",
                      ("near-duplicate; " if r.near_duplicate else "") + r.note)
    out.print(table)


@app.command()
def topics() -> None:
    """Create every newsfuse topic (idempotent) and list them."""
    from services.common.kafka import ensure_topics

    for name in ensure_topics(connected_settings()):
        out.print(name)


dlq_app = typer.Typer(help="Dead letters: messages a stage could not process, with the reason.")
app.add_typer(dlq_app, name="dlq")


class Stage(StrEnum):
    raw = "news.articles.raw.v1"
    extracted = "news.articles.extracted.v1"
    canonical = "news.events.canonical.v1"


@dlq_app.command("list")
def dlq_list(
    topic: list[Stage] = typer.Option(list(Stage), "--topic", help="Source topic(s); default all."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List dead letters with their source, stage and error."""
    from services.common.dlq import describe
    from services.common.dlq_admin import read_all
    from services.common.settings import dlq_topic

    settings = connected_settings()
    letters = [describe(r) for t in topic for r in read_all(settings, dlq_topic(t.value))]
    if as_json:
        for letter in letters:
            print(json.dumps(letter))
        return
    table = Table(title=f"{len(letters)} dead letters")
    for column in ("source", "partition", "offset", "stage", "error", "article"):
        table.add_column(column, overflow="fold")
    for d in letters:
        table.add_row(d["source_topic"], d["source_partition"], d["source_offset"], d["stage"],
                      f"{d['error_class']}: {d['error'][:200]}", d["article_id"] or "")
    out.print(table)


@dlq_app.command("replay")
def dlq_replay(topic: Stage = typer.Option(..., "--topic", help="Source topic whose dead letters to replay.")) -> None:
    """Send dead letters back to their source topic (once each), e.g. after a fix was deployed."""
    from services.common.dlq_admin import replay
    from services.common.settings import dlq_topic

    count = replay(connected_settings(), dlq_topic(topic.value), topic.value)
    console.print(f"replayed {count} dead letters to {topic.value}")


@app.command("eval")
def eval_(
    dataset: Path = typer.Argument(..., exists=True, dir_okay=False),
    predictions: Path = typer.Option(..., "--predictions", help="Where to write id<TAB>event_id lines."),
    config: Path | None = typer.Option(None, "--config", exists=True, help="DedupConfig overrides (JSON)."),
) -> None:
    """Run extraction + dedup in-process over a labeled dataset; print metrics as the last line (JSON)."""
    from services.evaluation.runner import eval_command

    eval_command(dataset=dataset, predictions=predictions, config=config)


@app.command("eval-extraction")
def eval_extraction(dataset: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Strict precision/recall/F1 of annotated main entities, cross-language agreement; last line is JSON."""
    from services.evaluation.extraction import eval_extraction_command

    eval_extraction_command(dataset)


@app.command()
def demo(timeout: float = typer.Option(300, help="Seconds to wait for the pipeline.")) -> None:
    """Start everything, ingest seeds/, wait until every article is processed, print the events, stop."""
    from services.common.kafka import ensure_topics
    from services.ingest.files import ingest_files
    from services.ingest.journal import IngestJournal
    from services.ingest.publisher import ArticlePublisher
    from services.ingest.readers import iter_files
    from services.sink.store import EventStore

    seeds = Path("seeds")
    started = time.monotonic()
    settings = get_settings()
    with broker_for(settings) as (settings, embedded), stop_on_signals() as stop:
        ensure_topics(settings)
        store = EventStore(settings.sqlalchemy_url)
        if embedded:
            store.reset()  # a clean slate: no old events, and no journal to give the fresh broker
            with IngestJournal.for_settings(settings) as journal:
                journal.clear()
        else:
            store.create_schema()
        processes = start_services(settings, log_dir=settings.data_dir / "logs")
        try:
            publisher = ArticlePublisher(settings)
            summary = ingest_files(iter_files([seeds]), publisher)
            publisher.close()
            _print_ingest_summary(summary)
            _wait_until_stored(store, set(summary.accepted), processes, stop, timeout)
            found = [e for e in store.list_events(limit=1000)
                     if {s.article_id for s in e.sources} & set(summary.accepted)]
            print_events(found)
            console.print(f"demo finished in {time.monotonic() - started:.1f}s; "
                          f"logs in {settings.data_dir / 'logs'}; database {_without_password(settings.sqlalchemy_url)}")
            console.print(f"live events page: run `newsfuse up` (or `make up`) and open {page_url(settings)}",
                          soft_wrap=True)  # a URL must stay on one line
        finally:
            stop_services(processes)


def _wait_until_stored(store, article_ids: set[str], processes, stop: threading.Event, timeout: float) -> None:
    """Done means every article is a source of a stored event (not broker end offsets, which lie on Tansu)."""
    deadline = time.monotonic() + timeout
    with _progress() as progress:
        task = progress.add_task("processing", total=len(article_ids))
        while True:
            done = len(article_ids & store.placed_article_ids())
            progress.update(task, completed=done)
            if done == len(article_ids):
                return
            if dead := [n for n, p in processes.items() if p.poll() is not None]:
                raise typer.Exit(_fail(f"service stopped unexpectedly: {', '.join(dead)}"))
            if stop.is_set() or time.monotonic() > deadline:
                raise typer.Exit(_fail(f"only {done}/{len(article_ids)} articles processed in {timeout:.0f}s"))
            time.sleep(0.5)


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _fail(message: str) -> int:
    console.print(f"[red]{message}[/] (see the logs in the data dir)")
    return 1


if __name__ == "__main__":
    main()
