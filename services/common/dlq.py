"""Dead letters: a message a stage cannot process goes to <topic>.dlq with the reason in its headers."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.cloud_events import dead_letter_headers, is_cloudevents_header
from services.common.metrics import DEAD_LETTERS
from services.common.settings import dlq_topic

MAX_ERROR_CHARS = 2000
ORIGINAL_PREFIX = "dlq.original."  # the original record's CloudEvents headers, restored by a replay
ARTICLE_ID_HEADER = "article_id"  # on records not keyed by their article id (the extracted topic's key is its shard)


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]


def dead_letter(
    *, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
    error: BaseException, stage: str, original_headers: list[tuple[str, bytes]] | None = None,
) -> DeadLetter:
    """The original bytes and headers, plus headers naming where it came from and why it failed.

    The letter is a CloudEvent of its own (type newsfuse.deadletter.v1); the original's CloudEvents headers
    are kept under `dlq.original.`."""
    kept = [(ORIGINAL_PREFIX + k if is_cloudevents_header(k) else k, v) for k, v in original_headers or []]
    # the subject is the article: the key, but an extracted record is keyed by its dedup shard
    subject = dict(original_headers or []).get(ARTICLE_ID_HEADER, key)
    letter_event = dead_letter_headers(event_id=f"{topic}/{partition}/{offset}", source=f"/newsfuse/{stage}",
                                       subject=subject.decode("utf-8", "replace") if subject else None)
    DEAD_LETTERS.labels(topic=topic, stage=stage).inc()
    headers = kept + letter_event + [
        ("dlq.source.topic", topic.encode()),
        ("dlq.source.partition", str(partition).encode()),
        ("dlq.source.offset", str(offset).encode()),
        ("dlq.stage", stage.encode()),
        ("dlq.error.class", type(error).__name__.encode()),
        ("dlq.error.message", str(error)[:MAX_ERROR_CHARS].encode("utf-8", "replace")),
    ]
    return DeadLetter(topic=dlq_topic(topic), key=key, value=value or b"", headers=headers)


def original_headers(headers: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The headers the record had before it became a dead letter."""
    return [(k.removeprefix(ORIGINAL_PREFIX), v) for k, v in headers
            if k.startswith(ORIGINAL_PREFIX) or not (k.startswith("dlq.") or is_cloudevents_header(k))]


def article_id_of(record) -> str | None:
    """The id of the article a (dead-lettered) record carries: its header, else its key."""
    header = dict(record.headers or []).get(ARTICLE_ID_HEADER)
    if header is not None:
        return header.decode()
    return record.key.decode() if record.key else None


def describe(record) -> dict:
    """A dead-letter record as a JSON-able dict (for `newsfuse dlq list`)."""
    headers = dict(record.headers or [])
    text = lambda name: headers.get(name, b"").decode("utf-8", "replace")  # noqa: E731
    return {
        "dlq_offset": record.offset,
        "source_topic": text("dlq.source.topic"), "source_partition": text("dlq.source.partition"),
        "source_offset": text("dlq.source.offset"), "stage": text("dlq.stage"),
        "error_class": text("dlq.error.class"), "error": text("dlq.error.message"),
        "key": record.key.decode("utf-8", "replace") if record.key else None, "article_id": article_id_of(record),
        "bytes": len(record.value or b""),
    }
