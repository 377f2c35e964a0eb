"""Poison messages on the processor's topics go to <topic>.dlq with the reason; the stream goes on."""

from __future__ import annotations

import subprocess
import sys

from schemas import ExtractedArticle
from services.common.broker import terminate
from services.common.dlq import article_id_of
from services.common.kafka import make_producer
from services.common.processes import service_env
from services.common.settings import EXTRACTED_TOPIC, RAW_TOPIC, dlq_topic
from services.ingest.domain import validate_batch
from services.ingest.publisher import ArticlePublisher
from tests.integration.kafka_utils import read_topic


def test_poison_messages_are_dead_lettered_and_good_ones_processed(settings):
    processor = subprocess.Popen([sys.executable, "-m", "services", "serve", "processor"],
                                 env=service_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        producer = make_producer(settings)
        producer.send(RAW_TOPIC, key=b"p1", value=b"\xff\xfe not json", headers=[("trace", b"abc")])
        producer.send(RAW_TOPIC, key=b"p2", value=b'{"title": "missing everything else"}')
        producer.send(EXTRACTED_TOPIC, key=b"p3", value=b"[]")
        too_large = b'{"title": "T", "text": "' + b"x" * 600_000 + b'"}'  # over the schema's 200k text limit
        producer.send(RAW_TOPIC, key=b"p4", value=too_large)
        producer.flush()
        accepted, _ = validate_batch([{"title": "Quake hits Chile", "text": "A strong quake hit Chile on Monday.",
                                       "url": "https://example.com/q"}], source="test")
        ArticlePublisher(settings, producer).publish(accepted)

        extracted = read_topic(settings, EXTRACTED_TOPIC, until=lambda r: len(r) >= 2, timeout=90)
        good = [r for r in extracted if article_id_of(r) == accepted[0].article_id]
        assert len(good) == 1 and ExtractedArticle.model_validate_json(good[0].value).title == "Quake hits Chile"

        raw_letters = read_topic(settings, dlq_topic(RAW_TOPIC), until=lambda r: len(r) >= 3, timeout=30)
        assert sorted(r.key for r in raw_letters) == [b"p1", b"p2", b"p4"]
        assert next(r for r in raw_letters if r.key == b"p4").value == too_large
        first = next(r for r in raw_letters if r.key == b"p1")
        headers = dict(first.headers)
        assert first.value == b"\xff\xfe not json"
        assert headers["trace"] == b"abc"  # original headers kept
        assert headers["dlq.source.topic"] == RAW_TOPIC.encode() and headers["dlq.source.partition"].isdigit()
        assert headers["dlq.stage"] == b"extract.parse" and headers["dlq.error.class"] == b"ValidationError"

        extracted_letters = read_topic(settings, dlq_topic(EXTRACTED_TOPIC), until=lambda r: len(r) >= 1, timeout=30)
        assert [r.key for r in extracted_letters] == [b"p3"]
        assert processor.poll() is None, "the processor must keep running"
    finally:
        assert terminate(processor, timeout=30) is not None
