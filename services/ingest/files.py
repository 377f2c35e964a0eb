"""`newsfuse ingest PATH...`: files through the same validation and publishing code as the HTTP API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.ingest.domain import validate_batch
from services.ingest.publisher import ArticlePublisher
from services.ingest.readers import FileRecord, read_file

PUBLISH_BATCH = 500


@dataclass
class IngestSummary:
    accepted: list[str] = field(default_factory=list)           # article ids, in input order
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    ignored_fields: Counter[str] = field(default_factory=Counter)


def ingest_files(files: Sequence[Path], publisher: ArticlePublisher,
                 on_file: Callable[[Path], None] | None = None) -> IngestSummary:
    """Read, validate and publish `files` (expand folders first with readers.iter_files)."""
    summary = IngestSummary()
    pending: list[FileRecord] = []
    for path in files:
        for record in read_file(path):
            summary.ignored_fields.update(record.ignored_fields)
            if record.error:
                summary.rejected.append((record.origin, record.error))
            else:
                pending.append(record)
            if len(pending) >= PUBLISH_BATCH:
                _publish(pending, publisher, summary)
        if on_file:
            on_file(path)
    _publish(pending, publisher, summary)
    return summary


def _publish(records: list[FileRecord], publisher: ArticlePublisher, summary: IngestSummary) -> None:
    if not records:
        return
    accepted, rejected = validate_batch([r.payload for r in records], source="file")
    summary.rejected += [(records[r.index].origin, r.reason()) for r in rejected]
    publisher.publish(accepted)
    summary.accepted += [a.article_id for a in accepted]
    records.clear()
