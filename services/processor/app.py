"""The processor: a faust-streaming app with two thin agents around the pure core.

  extract: news.articles.raw.v1 -> ArticleAnalyzer (pure) -> news.articles.extracted.v1   (scales with partitions)
  dedup:   news.articles.extracted.v1 -> Deduplicator (pure) -> news.events.canonical.v1  (state in a faust Table)

Both acknowledge a batch only after every output of it (results and dead letters) is on the broker, so a
crash replays work instead of losing it; the dedup state makes a replayed article change nothing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
import weakref
from collections.abc import Awaitable, Sequence

import faust
from faust.worker import Worker
from pydantic import ValidationError

from schemas import CanonicalEvent, ExtractedArticle, RawArticle, read_message
from services.common.cloud_events import message_headers
from services.common.dlq import dead_letter
from services.common.memory import tune_gc_for_large_live_state
from services.common.metrics import DEDUP_DECISIONS, LIVE_EVENTS, MODEL_SECONDS, observe_since
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, RAW_TOPIC, Settings, dlq_topic, secret_value
from services.common.threads import limit_native_threads
from services.processor.canonical import build_canonical_event
from services.processor.dedup import DedupConfig, Deduplicator
from services.processor.dedup.clusterer import epoch_seconds
from services.processor.dedup.state import EventRecord, EvictedArticles, EvictedEvent, parse_state
from services.processor.transport import app_class

log = logging.getLogger(__name__)
EXTRACT_BATCH = 32
DEDUP_BATCH = 100


def faust_broker_options(settings: Settings) -> dict:
    """faust settings that work on Tansu and on Apache Kafka alike (see ../shared/NOTES.md)."""
    options: dict = {
        "broker": [f"kafka://{server}" for server in (settings.kafka_bootstrap_servers or "").split(",")],
        "broker_session_timeout": 6,         # Tansu holds group joins ~session_timeout/2
        "broker_heartbeat_interval": 2,
        "producer_max_batch_size": 100,      # one record per batch: exact changelog recovery on Tansu
        "producer_acks": -1,
        "producer_max_request_size": 16 * 1024 * 1024,  # as kafka-python's: any message can be dead-lettered
        "processing_guarantee": "at_least_once",  # Tansu breaks aiokafka transactions
        "topic_replication_factor": settings.replication_factor,
    }
    if settings.kafka_sasl_mechanism or settings.kafka_security_protocol != "PLAINTEXT":
        options["broker_credentials"] = faust_credentials(settings)
    return options


def faust_credentials(settings: Settings):
    import ssl

    context = ssl.create_default_context(cafile=settings.kafka_ssl_cafile) if "SSL" in settings.kafka_security_protocol else None
    if settings.kafka_sasl_mechanism:
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username, password=secret_value(settings.kafka_sasl_password),
            mechanism=settings.kafka_sasl_mechanism, ssl_context=context,
        )
    return faust.SSLCredentials(context)


def create_app(settings: Settings) -> faust.App:
    app = app_class(settings.fetch_max_wait_ms)(
        settings.processor_app_id,
        **faust_broker_options(settings),
        store="memory://",
        web_enabled=settings.processor_web_port > 0,
        web_port=settings.processor_web_port or 6066,
        web_host="127.0.0.1",
    )
    raw_bytes = {"key_serializer": "raw", "value_serializer": "raw"}
    raw_topic = app.topic(RAW_TOPIC, internal=False, **raw_bytes)
    extracted_topic = app.topic(EXTRACTED_TOPIC, internal=False, **raw_bytes)
    canonical_topic = app.topic(CANONICAL_TOPIC, internal=False, **raw_bytes)
    dlq = {t: app.topic(dlq_topic(t), internal=False, **raw_bytes) for t in (RAW_TOPIC, EXTRACTED_TOPIC)}
    # Dedup state, recovered from its changelog on restart. One table, so any recovered state is a prefix
    # of the writes: event id -> EventRecord JSON (live event) or EvictedEvent JSON (left the window).
    events_table = app.Table("dedup-events", partitions=settings.extracted_partitions, key_type=str, value_type=str)
    dedup_config = DedupConfig(window_days=settings.dedup_window_days, forget_after_days=settings.dedup_forget_after_days,
                               allowed_lateness_days=settings.dedup_allowed_lateness_days,
                               watermark_rank=settings.dedup_watermark_rank,
                               max_live_events=settings.dedup_max_live_events)
    dedup_state: dict[str, tuple[Deduplicator, EvictedArticles]] = {}
    tune_gc_for_large_live_state()  # the dedup index: millions of long-lived objects
    limit_native_threads(settings.processor_threads)

    async def send_dead_letter(event: faust.EventT, error: BaseException, stage: str) -> Awaitable:
        message = event.message
        headers = message.headers or []  # faust gives a dict or a list of pairs
        letter = dead_letter(
            topic=message.topic, partition=message.partition, offset=message.offset, key=message.key,
            value=message.value, error=error, stage=stage,
            original_headers=list(headers.items()) if isinstance(headers, dict) else list(headers),
        )
        log.warning("dead letter", extra={"stage": stage, "topic": message.topic, "offset": message.offset,
                                          "error": type(error).__name__})
        return await dlq[message.topic].send(key=letter.key, value=letter.value, headers=letter.headers)

    def headers(topic: str, event_id: str, subject: str) -> list[tuple[str, bytes]]:
        return message_headers(topic, event_id=event_id, subject=subject, source="/newsfuse/processor",
                               schema_base_url=settings.dataschema_base)

    async def publish_canonical(event: CanonicalEvent) -> Awaitable:
        return await canonical_topic.send(
            key=event.event_id.encode(), value=event.model_dump_json().encode(),
            headers=headers(CANONICAL_TOPIC, f"{event.event_id}.v{event.version}", event.event_id))

    @app.agent(raw_topic)
    @crash_only
    async def extract(stream: faust.StreamT) -> None:
        from services.processor.analyze import ArticleAnalyzer

        # load models once, off the event loop
        analyzer = await asyncio.to_thread(ArticleAnalyzer, threads=settings.processor_threads)
        log.info("extract agent ready")
        async for events in stream.take_events(EXTRACT_BATCH, within=0.2):
            pending: list[Awaitable] = []
            parsed: list[tuple[faust.EventT, RawArticle]] = []
            for event in events:
                try:
                    parsed.append((event, read_message(RawArticle, event.value)))
                except (ValidationError, ValueError, TypeError) as exc:
                    pending.append(await send_dead_letter(event, exc, "extract.parse"))
            for event, extracted in await _analyze(analyzer, parsed):
                if isinstance(extracted, BaseException):
                    pending.append(await send_dead_letter(event, extracted, "extract.analyze"))
                else:
                    pending.append(await extracted_topic.send(
                        key=extracted.article_id.encode(), value=extracted.model_dump_json().encode(),
                        headers=headers(EXTRACTED_TOPIC, extracted.article_id, extracted.article_id)))
            await asyncio.gather(*pending)  # on the broker before take_events acks the batch
            observe_since("extracted", (event.message.timestamp for event in events))

    @app.on_partitions_assigned.connect
    async def _forget_dedup_state(app: faust.App, assigned, **kwargs) -> None:  # noqa: ARG001
        log.info("partitions assigned", extra={"partitions": len(assigned), "generation": app.consumer_generation_id})
        dedup_state.clear()  # rebuilt from the (recovered) table on the next event

    def dedup_index() -> tuple[Deduplicator, EvictedArticles]:
        if "d" not in dedup_state:
            dedup, evicted = Deduplicator(dedup_config), EvictedArticles(dedup_config.forget_after_days)
            states = [parse_state(v) for v in events_table.values()]
            dedup.restore(s for s in states if isinstance(s, EventRecord))
            for state in states:
                if isinstance(state, EvictedEvent):
                    evicted.add(state)
            dedup_state["d"] = dedup, evicted
            log.info("dedup index restored", extra={"live_events": dedup.live_events, "evicted_events": len(evicted)})
        return dedup_state["d"]

    async def already_placed(article_id: str, pending: list[Awaitable]) -> bool:
        """True for a redelivered article (replay after a crash, or sent again by a scraper)."""
        dedup, evicted = dedup_index()
        event_id = dedup.event_of(article_id)
        if event_id is not None:
            # Re-publish the current version, in case the crash came between state write and publish
            # (the sink ignores versions it already has).
            record = parse_state(events_table[event_id])
            pending.append(await publish_canonical(build_canonical_event(record)))
            return True
        return evicted.event_of(article_id) is not None

    def slide_window(dedup: Deduplicator, evicted: EvictedArticles, article: ExtractedArticle) -> None:
        """Events that left the window become EvictedEvent entries; those forgotten (by the ingestion time
        of `article`) leave the table."""
        for gone in dedup.evict_expired():
            events_table[gone.event_id] = gone.model_dump_json()  # kept downstream (sink, canonical topic)
            evicted.add(gone)
        for event_id in evicted.forget_expired(epoch_seconds(article.ingested_at)):
            del events_table[event_id]

    @app.agent(extracted_topic)
    @crash_only
    async def dedup(stream: faust.StreamT) -> None:
        async for events in stream.take_events(DEDUP_BATCH, within=0.1):
            pending: list[Awaitable] = []
            for event in events:
                _make_current(event)
                try:
                    article = read_message(ExtractedArticle, event.value)
                except (ValidationError, ValueError, TypeError) as exc:
                    pending.append(await send_dead_letter(event, exc, "dedup.parse"))
                    continue
                # Before every article, skipped ones included, not once per batch: the index then evolves the
                # same whatever the batch boundaries, and a replay after a crash (whose articles are skipped)
                # catches up with evictions the crash cut off, as an uninterrupted run would have made them.
                dedup, evicted = dedup_index()
                slide_window(dedup, evicted, article)
                if await already_placed(article.article_id, pending):
                    DEDUP_DECISIONS.labels(decision="skipped_duplicate").inc()
                    continue
                try:
                    record = dedup.add(article)
                    canonical = build_canonical_event(record)
                except Exception as exc:  # a bug on one article must not stop the stream
                    log.exception("dedup failed")
                    dedup_state.clear()  # add() may have changed the index half-way: rebuild it from the table
                    pending.append(await send_dead_letter(event, exc, "dedup.assign"))
                    continue
                events_table[record.event_id] = record.model_dump_json()
                pending.append(await publish_canonical(canonical))
                DEDUP_DECISIONS.labels(decision="new_event" if record.version == 1 else "joined").inc()
                LIVE_EVENTS.set(dedup.live_events)
            await asyncio.gather(*pending)
            observe_since("canonical", (event.message.timestamp for event in events))
            # Table writes go to their changelogs through faust's send buffer, not through `pending`: flush
            # them too, or a crash after the ack would restore a state that lacks this batch's articles.
            await app.producer.flush()

    return app


def _make_current(event: faust.EventT) -> None:
    """Make `event` faust's current event in this task, for table writes.

    take_events does not set it, and table writes need it to pick the changelog partition (= the source
    partition, so state moves with its partition). Only the task-local context variable is set: the
    stream's own `current_event` attribute is what take_events' buffer reads when the next message
    arrives, and overwriting it (as Stream._set_current_event does) makes take_events buffer a stale
    event in place of the new one, which is then silently dropped.
    """
    from faust.streams import _current_event

    _current_event.set(weakref.ref(event))


class CrashOnlyWorker(Worker):
    """A faust Worker that ends at once on SIGTERM/SIGINT, exactly as after a crash: the batches in flight
    stay unacknowledged and the next worker redoes them (the dedup state makes that a no-op).

    faust's graceful stop ends by cancelling the agents mid-batch, which `crash_only` turns into an exit
    anyway (unwinding would acknowledge the whole batch); exiting at once says so plainly and is quicker.
    A restarted worker once sat idle on one raw partition after a graceful stop: that was the lost
    first fetch after start-up, fixed in `transport.py`.
    """

    def _on_sigterm(self) -> None:
        _exit_now("SIGTERM")

    def _on_sigint(self) -> None:
        _exit_now("SIGINT")


def _exit_now(signal_name: str) -> None:
    log.info("stopping: the work in flight stays unacknowledged and will be redone", extra={"signal": signal_name})
    logging.shutdown()
    os._exit(0)


def crash_only(agent):
    """An error, or a shutdown in the middle of a batch, ends the worker at once without unwinding.

    Unwinding would run faust's take_events `finally`, which acknowledges the whole batch, processed or
    not, and faust then commits it (on a crash it would also restart the agent past it): the rest of the
    batch would be lost. Exiting here leaves the batch unacknowledged, so the next worker redoes it; the
    dedup state makes the redone part change nothing. SIGTERM therefore exits 0 but never half-commits.
    """

    @functools.wraps(agent)
    async def guarded(stream: faust.StreamT) -> None:
        try:
            await agent(stream)
        except asyncio.CancelledError:
            _exit_now("cancelled")
        except BaseException:
            log.critical("agent failed; exiting without acknowledging the batch", exc_info=True)
            logging.shutdown()
            os._exit(70)

    return guarded


async def _analyze(analyzer, parsed: Sequence[tuple[faust.EventT, RawArticle]]) -> list[tuple[faust.EventT, object]]:
    """Analyze a batch in a worker thread; if the batch fails, retry one by one so only the culprit fails."""
    if not parsed:
        return []
    articles = [a for _, a in parsed]
    try:
        started = time.perf_counter()
        results = await asyncio.to_thread(analyzer.analyze_many, articles)
        per_article = (time.perf_counter() - started) / len(articles)
        for _ in articles:
            MODEL_SECONDS.observe(per_article)
        return [(event, result) for (event, _), result in zip(parsed, results, strict=True)]
    except Exception:
        log.exception("batch analysis failed; retrying article by article")
    outcomes: list[tuple[faust.EventT, object]] = []
    for event, article in parsed:
        try:
            outcomes.append((event, await asyncio.to_thread(analyzer.analyze, article)))
        except Exception as exc:
            outcomes.append((event, exc))
    return outcomes
