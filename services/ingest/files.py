"""`newsfuse ingest PATH...`: files through the same validation and publishing code as the HTTP API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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
    already_published: int = 0                                   # valid, but published by an earlier poll

    def merge(self, other: IngestSummary) -> None:
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.ignored_fields.update(other.ignored_fields)
        self.already_published += other.already_published


def ingest_files(files: Sequence[Path], publisher: ArticlePublisher,
                 on_file: Callable[[Path], None] | None = None) -> IngestSummary:
    """Read, validate and publish `files` (expand folders first with readers.iter_files)."""
    summary = IngestSummary()

    def records() -> Iterable[FileRecord]:
        for path in files:
            yield from read_file(path)
            if on_file:
                on_file(path)

    ingest_records(records(), publisher, summary)
    return summary


def ingest_records(records: Iterable[FileRecord], publisher: ArticlePublisher, summary: IngestSummary,
                   source: str = "file", already_published: set[str] | None = None) -> None:
    """Validate and publish records in batches, into `summary`; `source` is RawArticle.ingest_source.
    Articles whose ids are in `already_published` are not sent again; the ids sent are added to it."""
    pending: list[FileRecord] = []
    for record in records:
        summary.ignored_fields.update(record.ignored_fields)
        if record.error:
            summary.rejected.append((record.origin, record.error))
        else:
            pending.append(record)
        if len(pending) >= PUBLISH_BATCH:
            _publish(pending, publisher, summary, source, already_published)
    _publish(pending, publisher, summary, source, already_published)


def _publish(records: list[FileRecord], publisher: ArticlePublisher, summary: IngestSummary, source: str,
             already_published: set[str] | None) -> None:
    if not records:
        return
    accepted, rejected = validate_batch([r.payload for r in records], source=source)
    summary.rejected += [(records[r.index].origin, r.reason()) for r in rejected]
    if already_published is not None:
        new = [a for a in accepted if a.article_id not in already_published]
        summary.already_published += len(accepted) - len(new)
        accepted = new
    publisher.publish(accepted)
    summary.accepted += [a.article_id for a in accepted]
    if already_published is not None:
        already_published.update(a.article_id for a in accepted)
    records.clear()
