"""CloudEvents headers (Kafka protocol binding, binary mode) for every record newsfuse produces.

The value stays the plain JSON message; the event's attributes travel as `ce_*` headers and `content-type`,
so a consumer that knows nothing of CloudEvents reads the same records as before. `ce_id` is stable for a
given message (article id, event id + version, dead letter's source offset): a record sent again after a
crash or a replay is, as the spec lets consumers assume, the same event.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cloudevents.core.bindings.kafka import to_binary
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, RAW_TOPIC

EVENT_TYPES = {
    RAW_TOPIC: "newsfuse.article.accepted.v1",
    EXTRACTED_TOPIC: "newsfuse.article.extracted.v1",
    CANONICAL_TOPIC: "newsfuse.event.updated.v1",
}
DEAD_LETTER_TYPE = "newsfuse.deadletter.v1"
JSON_CONTENT_TYPE = "application/json"
_FORMAT = JSONFormat()

Headers = list[tuple[str, bytes]]


def dataschema_uri(base_url: str, topic: str) -> str:
    """Where the JSON Schema of a topic's values is served (by the sink: GET /schemas/<topic>.json)."""
    return f"{base_url.rstrip('/')}/schemas/{topic}.json"


def message_headers(topic: str, *, event_id: str, subject: str, source: str, schema_base_url: str,
                    time: datetime | None = None) -> Headers:
    """Headers of a message on one of the topics in EVENT_TYPES, its value JSON of that topic's schema."""
    return _headers({
        "id": event_id, "source": source, "type": EVENT_TYPES[topic], "subject": subject,
        "time": time or datetime.now(UTC), "datacontenttype": JSON_CONTENT_TYPE,
        "dataschema": dataschema_uri(schema_base_url, topic),
    })


def dead_letter_headers(*, event_id: str, subject: str | None, source: str) -> Headers:
    """A dead letter's value is the original bytes, whatever they are: no schema, octet-stream."""
    attributes = {"id": event_id, "source": source, "type": DEAD_LETTER_TYPE,
                  "time": datetime.now(UTC), "datacontenttype": "application/octet-stream"}
    return _headers(attributes | ({"subject": subject} if subject else {}))


def is_cloudevents_header(name: str) -> bool:
    return name.startswith("ce_") or name == "content-type"


def _headers(attributes: dict) -> Headers:
    return list(to_binary(CloudEvent(attributes), _FORMAT).headers.items())
