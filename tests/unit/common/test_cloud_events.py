"""CloudEvents headers: what the spec's Kafka binding requires, and dead letters that keep the original's."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudevents.core.bindings.kafka import KafkaMessage, from_binary
from cloudevents.core.formats.json import JSONFormat

from services.common.cloud_events import dataschema_uri, message_headers
from services.common.dlq import dead_letter, original_headers
from services.common.settings import CANONICAL_TOPIC, RAW_TOPIC


def test_binary_mode_headers_of_a_canonical_event():
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    headers = dict(message_headers(CANONICAL_TOPIC, event_id="ev-1.v3", subject="ev-1", source="/newsfuse/processor",
                                   schema_base_url="http://sink:8081/", time=when))
    assert headers == {
        "ce_specversion": b"1.0", "ce_id": b"ev-1.v3", "ce_source": b"/newsfuse/processor",
        "ce_type": b"newsfuse.event.updated.v1", "ce_subject": b"ev-1", "ce_time": b"2024-01-02T03:04:05Z",
        "content-type": b"application/json",
        "ce_dataschema": b"http://sink:8081/schemas/news.events.canonical.v1.json",
    }
    event = from_binary(KafkaMessage(headers=headers, key=b"ev-1", value=b'{"event_id": "ev-1"}'), JSONFormat())
    assert (event.get_id(), event.get_time(), event.get_data()) == ("ev-1.v3", when, {"event_id": "ev-1"})


def test_a_dead_letter_is_its_own_event_and_keeps_the_originals_headers_for_replay():
    original = message_headers(RAW_TOPIC, event_id="a1", subject="a1", source="/newsfuse/ingest",
                               schema_base_url="http://s") + [("trace", b"t1")]
    letter = dead_letter(topic=RAW_TOPIC, partition=2, offset=41, key=b"a1", value=b"{", error=ValueError("bad"),
                         stage="extract.parse", original_headers=original)
    headers = dict(letter.headers)
    assert len(headers) == len(letter.headers), "no header name twice"
    assert headers["ce_type"] == b"newsfuse.deadletter.v1" and headers["ce_id"] == b"news.articles.raw.v1/2/41"
    assert headers["content-type"] == b"application/octet-stream" and "ce_dataschema" not in headers
    assert headers["dlq.original.ce_type"] == b"newsfuse.article.accepted.v1" and headers["trace"] == b"t1"
    assert original_headers(letter.headers) == original  # a replay sends the record as it was


def test_dataschema_uri_is_stable_per_topic():
    assert dataschema_uri("http://h:1/", RAW_TOPIC) == dataschema_uri("http://h:1", RAW_TOPIC) \
        == "http://h:1/schemas/news.articles.raw.v1.json"
