"""Prometheus metrics of every service (prometheus-client's default registry, one per process).

ingest and the sink serve them at GET /metrics on their HTTP port; the processor on its own port
(`NEWSFUSE_PROCESSOR_METRICS_PORT`). The list, with what each means, is in the README (Metrics).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest, start_http_server

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

ARTICLES_ACCEPTED = Counter(
    "newsfuse_articles_accepted", "Articles ingest published on the raw topic.", ["source"])
ARTICLES_REJECTED = Counter(
    "newsfuse_articles_rejected",
    "Articles ingest refused, by reason (field:error type; an article counts once per reason it has). "
    "rejected_with_batch: valid, but in a request refused for another item; broker_unavailable: 503.",
    ["reason"])
INGEST_REQUESTS = Counter("newsfuse_ingest_requests", "POST /v1/articles requests by HTTP status.", ["status"])
STAGE_SECONDS = Histogram(
    "newsfuse_stage_seconds",
    "Seconds a message spends in one stage: raw = request received -> on the raw topic (ingest); extracted = "
    "on raw -> extracted output sent; canonical = on extracted -> canonical event sent (dedup); stored = on the "
    "canonical topic -> committed in the database (sink). Measured from the input record's broker timestamp.",
    ["stage"], buckets=LATENCY_BUCKETS)
CONSUMER_LAG = Gauge(
    "newsfuse_consumer_lag",
    "Records not yet fetched per partition: the high watermark of the consumer's last fetch response minus its "
    "position. Not from ListOffsets(latest), which the embedded Tansu broker answers too low after a "
    "multi-record batch (its newest batch's first offset + 1); fetch responses carry the true high watermark.",
    ["group", "topic", "partition"])
DEAD_LETTERS = Counter("newsfuse_dead_letters", "Messages sent to <topic>.dlq, by source topic and stage.",
                       ["topic", "stage"])
DEDUP_DECISIONS = Counter(
    "newsfuse_dedup_decisions",
    "What dedup did with an article: joined an event, started a new_event, or skipped_duplicate (already placed: "
    "a redelivery or an article sent again); lone_article_moved counts lone-article events moved into a grown "
    "event.", ["decision"])
LIVE_EVENTS = Gauge("newsfuse_dedup_live_events", "Events in the live dedup index (joinable by new articles).")
MODEL_SECONDS = Histogram(
    "newsfuse_extract_model_seconds", "Analysis time per article (NER, dates, embedding...), batch time / batch size.",
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0))
EVENTS_STORED = Counter("newsfuse_sink_event_versions_stored",
                        "Canonical event versions the sink wrote (versions it already had are not counted).")


def observe_since(stage: str, broker_timestamps_s: Iterable[float | None]) -> None:
    """One STAGE_SECONDS observation per input record, from its broker timestamp (seconds) to now."""
    now = time.time()
    histogram = STAGE_SECONDS.labels(stage=stage)
    for ts in broker_timestamps_s:
        if ts:
            histogram.observe(max(0.0, now - ts))


def metrics_payload() -> tuple[bytes, str]:
    """The exposition text and its content type, for a /metrics route."""
    return generate_latest(), CONTENT_TYPE_LATEST


def serve_metrics(host: str, port: int) -> None:
    """/metrics on its own port (a daemon thread). A port in use costs the metrics, not the service."""
    if not port:
        return
    try:
        start_http_server(port, addr=host)
        log.info("metrics served", extra={"url": f"http://{host}:{port}/metrics"})
    except OSError as exc:
        log.warning(f"metrics not served: cannot bind {host}:{port} ({exc})")
