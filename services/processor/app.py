"""The processor: a faust-streaming app with two thin agents around the pure core.

  extract: news.articles.raw.v1 -> ArticleAnalyzer (pure) -> news.articles.extracted.v1   (scales with partitions)
  dedup:   news.articles.extracted.v1 -> DedupStage (pure) -> news.events.canonical.v1  (one index per partition,
           state in a faust Table)

Both acknowledge a batch only after every output of it (results and dead letters) is on the broker, so a
crash replays work instead of losing it; the dedup state makes a replayed article change nothing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from collections.abc import Awaitable, Mapping, Sequence

import faust
from faust.worker import Worker
from pydantic import ValidationError

from schemas import CanonicalEvent, ExtractedArticle, RawArticle, read_message
from services.common.cloud_events import message_headers
from services.common.compat import PROCESSOR_LIBRARIES, set_current_event, verify
from services.common.dlq import ARTICLE_ID_HEADER, dead_letter
from services.common.kafka import LARGE_MESSAGES, MAX_MESSAGE_BYTES, security_config
from services.common.memory import tune_gc_for_large_live_state
from services.common.metrics import DEDUP_DECISIONS, LIVE_EVENTS, MODEL_SECONDS, observe_since
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, RAW_TOPIC, Settings, dlq_topic
from services.common.threads import limit_native_threads
from services.processor.dedup import DedupConfig
from services.processor.dedup.shard import ShardKey
from services.processor.dedup.stage import DedupStage, PlacementFailed
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
        "producer_max_request_size": MAX_MESSAGE_BYTES,  # as kafka-python's: any message can be dead-lettered
        "processing_guarantee": "at_least_once",  # Tansu breaks aiokafka transactions
        "topic_replication_factor": settings.replication_factor,
    }
    security = security_config(settings)
    if "sasl_mechanism" in security or security["security_protocol"] != "PLAINTEXT":
        options["broker_credentials"] = faust_credentials(security)
    return options


def faust_credentials(security: dict) -> faust.SASLCredentials | faust.SSLCredentials:
    """kafka-python's SASL/SSL options (`security_config`) as faust credentials."""
    import ssl

    context = None
    if "SSL" in security["security_protocol"]:
        context = ssl.create_default_context(cafile=security.get("ssl_cafile"))
    if "sasl_mechanism" in security:
        return faust.SASLCredentials(username=security["sasl_plain_username"],
                                     password=security["sasl_plain_password"],
                                     mechanism=security["sasl_mechanism"], ssl_context=context)
    return faust.SSLCredentials(context)


def dedup_config(settings: Settings) -> DedupConfig:
    return DedupConfig(window_days=settings.dedup_window_days, forget_after_days=settings.dedup_forget_after_days,
                       allowed_lateness_days=settings.dedup_allowed_lateness_days,
                       watermark_rank=settings.dedup_watermark_rank, max_live_events=settings.dedup_max_live_events,
                       reconsider_lone_articles=settings.dedup_reconsider_lone_articles)


def new_faust_app(settings: Settings) -> faust.App:
    datadir = settings.data_dir / "faust"  # faust's own files: the data dir, not the (maybe read-only) working dir
    datadir.mkdir(parents=True, exist_ok=True)  # faust's own mkdir makes only the last level
    return app_class(settings.fetch_max_wait_ms)(
        settings.processor_app_id,
        **faust_broker_options(settings),
        store="memory://",
        datadir=str(datadir),
        web_enabled=settings.processor_web_port > 0,
        web_port=settings.processor_web_port or 6066,
        web_host="127.0.0.1",
    )


class Topics:
    """The processor's topics (raw bytes: the agents parse and serialise with the pydantic models)."""

    def __init__(self, app: faust.App, schema_base_url: str) -> None:
        self.schema_base_url = schema_base_url

        def raw_bytes(name: str) -> faust.TopicT:
            return app.topic(name, internal=False, key_serializer="raw", value_serializer="raw")

        self.raw, self.extracted, self.canonical = raw_bytes(RAW_TOPIC), raw_bytes(EXTRACTED_TOPIC), raw_bytes(CANONICAL_TOPIC)
        self.dlq = {t: raw_bytes(dlq_topic(t)) for t in (RAW_TOPIC, EXTRACTED_TOPIC)}

    async def send_dead_letter(self, event: faust.EventT, error: BaseException, stage: str) -> Awaitable:
        message = event.message
        headers = message.headers or []  # faust gives a dict or a list of pairs
        letter = dead_letter(
            topic=message.topic, partition=message.partition, offset=message.offset, key=message.key,
            value=message.value, error=error, stage=stage,
            original_headers=list(headers.items()) if isinstance(headers, Mapping) else list(headers),
        )
        log.warning("dead letter", extra={"stage": stage, "topic": message.topic, "offset": message.offset,
                                          "error": type(error).__name__})
        return await self.dlq[message.topic].send(key=letter.key, value=letter.value, headers=letter.headers)

    def headers(self, topic: str, event_id: str, subject: str) -> list[tuple[str, bytes]]:
        """CloudEvents (Kafka binding, binary mode) headers of one record."""
        return message_headers(topic, event_id=event_id, subject=subject, source="/newsfuse/processor",
                               schema_base_url=self.schema_base_url)

    async def publish_extracted(self, article: ExtractedArticle, shard: str) -> Awaitable:
        """Keyed by its dedup shard (the shard's articles share a partition); the article id in a header."""
        headers = [(ARTICLE_ID_HEADER, article.article_id.encode()),
                   *self.headers(EXTRACTED_TOPIC, article.article_id, article.article_id)]
        return await self.extracted.send(key=shard.encode(), value=article.model_dump_json().encode(), headers=headers)

    async def publish_canonical(self, event: CanonicalEvent) -> Awaitable:
        headers = self.headers(CANONICAL_TOPIC, f"{event.event_id}.v{event.version}", event.event_id)
        return await self.canonical.send(key=event.event_id.encode(), value=event.model_dump_json().encode(),
                                         headers=headers)

    async def publish_retired(self, event_id: str) -> Awaitable:
        """A tombstone (null value) for an event that no longer exists: its article moved into another event.
        The compacted canonical topic then forgets it; consumers delete it."""
        return await self.canonical.send(key=event_id.encode(), value=None)


def create_app(settings: Settings) -> faust.App:
    verify(*PROCESSOR_LIBRARIES)
    app = new_faust_app(settings)
    topics = Topics(app, settings.dataschema_base)
    shard_key = ShardKey(settings.dedup_shard_key)
    # One table, so any recovered state of a partition is a prefix of its writes (see DedupStage).
    table = app.Table("dedup-events", partitions=settings.extracted_partitions, key_type=str, value_type=str,
                      extra_topic_configs=LARGE_MESSAGES)  # a big story's record outgrows 1 MB
    stage = DedupStage(dedup_config(settings), table)
    tune_gc_for_large_live_state()  # the dedup index: millions of long-lived objects
    limit_native_threads(settings.processor_threads)

    @app.agent(topics.raw)
    @crash_only
    async def extract(stream: faust.Stream) -> None:
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
                    pending.append(await topics.send_dead_letter(event, exc, "extract.parse"))
            for event, extracted in await _analyze(analyzer, parsed):
                if isinstance(extracted, BaseException):
                    pending.append(await topics.send_dead_letter(event, extracted, "extract.analyze"))
                else:
                    pending.append(await topics.publish_extracted(extracted, shard_key.of(extracted)))
            await asyncio.gather(*pending)  # on the broker before take_events acks the batch
            observe_since("extracted", (event.message.timestamp for event in events))

    app.agent(topics.extracted, name="dedup")(crash_only(dedup_agent(app, topics, stage)))
    app.on_partitions_assigned.connect(functools.partial(_keep_owned_state, stage=stage))
    return app


async def _keep_owned_state(app: faust.App, assigned: set, *, stage: DedupStage, **kwargs) -> None:
    log.info("partitions assigned", extra={"partitions": len(assigned), "generation": app.consumer_generation_id})
    stage.keep_only(tp.partition for tp in assigned if tp.topic == EXTRACTED_TOPIC)


def dedup_agent(app: faust.App, topics: Topics, stage: DedupStage):
    async def dedup(stream: faust.Stream) -> None:
        async for events in stream.take_events(DEDUP_BATCH, within=0.1):
            pending = [await _place(event, topics, stage) for event in events]
            await asyncio.gather(*(p for p in pending if p is not None))
            # Table writes go to their changelogs through faust's send buffer, not through `pending`: flush
            # them too, or a crash after the ack would restore a state that lacks this batch's articles.
            await app.producer.flush()
            observe_since("canonical", (event.message.timestamp for event in events))
            LIVE_EVENTS.set(sum(stage.live_events(p) for p in stage.partitions))

    return dedup


async def _place(event: faust.EventT, topics: Topics, stage: DedupStage) -> Awaitable | None:
    """Place one extracted article; what to wait for before the batch is acknowledged (None: nothing)."""
    set_current_event(event)  # table writes go to the changelog partition of the event's partition
    try:
        article = read_message(ExtractedArticle, event.value)
    except (ValidationError, ValueError, TypeError) as exc:
        return await topics.send_dead_letter(event, exc, "dedup.parse")
    try:
        placement = stage.place(event.message.partition, article)
    except PlacementFailed as exc:
        log.exception("dedup failed")
        return await topics.send_dead_letter(event, exc.__cause__ or exc, "dedup.assign")
    decision = "skipped_duplicate" if placement.redelivered else \
        "new_event" if placement.event is not None and placement.event.version == 1 else "joined"
    DEDUP_DECISIONS.labels(decision=decision).inc()
    if placement.retired:
        DEDUP_DECISIONS.labels(decision="lone_article_moved").inc(len(placement.retired))
    # the grown event first, then the tombstones of the events it absorbed
    sends = [] if placement.event is None else [await topics.publish_canonical(placement.event)]
    sends += [await topics.publish_retired(event_id) for event_id in placement.retired]
    return asyncio.gather(*sends) if sends else None


class CrashOnlyWorker(Worker):
    """A faust Worker that ends at once on SIGTERM/SIGINT, exactly as after a crash: the batches in flight
    stay unacknowledged and the next worker redoes them (the dedup state makes that a no-op).

    faust's graceful stop ends by cancelling the agents mid-batch, which `crash_only` turns into an exit
    anyway (unwinding would acknowledge the whole batch); exiting at once says so plainly and is quicker.
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


Analyzed = list[tuple[faust.EventT, ExtractedArticle | BaseException]]


async def _analyze(analyzer, parsed: Sequence[tuple[faust.EventT, RawArticle]]) -> Analyzed:
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
    outcomes: Analyzed = []
    for event, article in parsed:
        try:
            outcomes.append((event, await asyncio.to_thread(analyzer.analyze, article)))
        except Exception as exc:
            outcomes.append((event, exc))
    return outcomes
