"""Publish accepted articles on news.articles.raw.v1 (kafka-python), acknowledged by the broker (acks=all)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kafka import KafkaProducer

from schemas import RawArticle
from services.common.kafka import make_producer
from services.common.settings import RAW_TOPIC, Settings

log = logging.getLogger(__name__)


class ArticlePublisher:
    def __init__(self, settings: Settings, producer: KafkaProducer | None = None) -> None:
        self.producer = producer or make_producer(settings)

    def publish(self, articles: Sequence[RawArticle], timeout: float = 30.0) -> None:
        """Send and wait until the broker has every article: return means accepted, raise means not."""
        futures = [
            self.producer.send(RAW_TOPIC, key=a.article_id.encode(), value=a.model_dump_json().encode())
            for a in articles
        ]
        self.producer.flush(timeout=timeout)
        for future in futures:
            future.get(timeout=timeout)  # raises the broker's error, if any

    def close(self) -> None:
        self.producer.close(timeout=10)
