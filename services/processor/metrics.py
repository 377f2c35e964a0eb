"""The processor's Prometheus endpoint and its consumer-lag gauge (the other metrics are counted where they
happen: services/common/metrics.py)."""

from __future__ import annotations

import logging

import faust

from services.common.metrics import CONSUMER_LAG, serve_metrics
from services.common.settings import Settings

log = logging.getLogger(__name__)
LAG_INTERVAL_S = 5.0


def install_processor_metrics(app: faust.App, settings: Settings) -> None:
    """Serve /metrics on the configured port and refresh the lag of every assigned partition periodically."""
    serve_metrics(settings.processor_metrics_host, settings.processor_metrics_port)
    group = settings.processor_app_id

    @app.timer(LAG_INTERVAL_S)
    async def record_consumer_lag() -> None:
        consumer = app.consumer
        for tp in consumer.assignment():
            try:  # the assignment can change under us: skip a partition gone meanwhile
                highwater, position = consumer.highwater(tp), await consumer.position(tp)
            except Exception:  # noqa: BLE001 - a gauge must never stop the worker
                log.debug("lag of %s unknown", tp, exc_info=True)
                continue
            if highwater is not None and position is not None:
                CONSUMER_LAG.labels(group, tp.topic, str(tp.partition)).set(max(0, highwater - position))
