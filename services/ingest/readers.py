"""Read articles from files: .txt, .json, .jsonl/.ndjson, news-please JSON output, RSS 2.0 / Atom feeds.

Files are lenient (fields the Article model does not know are dropped and reported); the HTTP API is strict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from schemas import Article

FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUFFIXES = {".txt", ".json", ".jsonl", ".ndjson"} | FEED_SUFFIXES
ARTICLE_FIELDS = set(Article.model_fields)
# "Updated December 31st, 2021 at 10:07 IST", "As of: December 31, 2021 1:13 a.m.", "Updated: December 30, ..."
_DATELINE = re.compile(r"^(updated|published|as of|posted|last updated)\b[:\s]*(?P<when>.+)$", re.IGNORECASE)


@dataclass
class FileRecord:
    """One candidate article read from a file or feed, before validation."""

    origin: str                       # "path", "path:line", or "path#item" / "url#item" for feeds
    payload: dict[str, Any] | None
    error: str | None = None
    ignored_fields: list[str] = field(default_factory=list)


def iter_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


def read_file(path: Path) -> Iterator[FileRecord]:
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield FileRecord(str(path), None, f"cannot read: {exc.strerror}")
        return
    if suffix == ".txt":
        yield _from_txt(path, raw)
    elif suffix == ".json":
        yield from _from_json_document(path, raw)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _from_json_lines(path, raw)
    elif suffix in FEED_SUFFIXES:
        from services.ingest.feeds import feed_records  # feedparser: only needed for feeds

        yield from feed_records(raw, str(path))
    else:
        yield FileRecord(str(path), None, f"unsupported file type {suffix!r} (use {', '.join(sorted(SUFFIXES))})")


def _from_txt(path: Path, raw: bytes) -> FileRecord:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FileRecord(str(path), None, f"not UTF-8 (byte {exc.start})")
    lines = [line.strip() for line in text.splitlines()]
    published, body_lines = None, []
    for line in lines:
        match = _DATELINE.match(line)
        if match and len(line) < 80:
            published = published or _parse_dateline(match.group("when"))
            continue
        body_lines.append(line)
    non_empty = [line for line in body_lines if line]
    if not non_empty:
        return FileRecord(str(path), None, "empty file")
    title = non_empty[0]
    body = "\n".join(body_lines).strip()
    after_title = body[body.index(title) + len(title):].strip() or None  # None: a headline-only file
    return FileRecord(str(path), {"title": title, "text": after_title, "published_at": published})


def _parse_dateline(when: str) -> str | None:
    import dateparser  # heavy import, only needed for .txt datelines

    when = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", when).replace(" at ", " ")
    # dateparser reads IST as +02:00 (Israel); news sites using it mean India.
    when = re.sub(r"\bIST\b", "+0530", when)
    parsed = dateparser.parse(when, settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC"})
    return parsed.isoformat() if parsed else None


def _from_json_document(path: Path, raw: bytes) -> Iterator[FileRecord]:
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        yield FileRecord(str(path), None, f"invalid JSON: {exc}")
        return
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items):
        yield _from_object(f"{path}[{index}]" if isinstance(document, list) else str(path), item)


def _from_json_lines(path: Path, raw: bytes) -> Iterator[FileRecord]:
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield FileRecord(f"{path}:{number}", None, f"invalid JSON: {exc}")
            continue
        yield _from_object(f"{path}:{number}", item)


def _from_object(origin: str, item: Any) -> FileRecord:
    if not isinstance(item, dict):
        return FileRecord(origin, None, f"expected a JSON object, got {type(item).__name__}")
    if is_news_please(item):
        item = from_news_please(item)
    ignored = sorted(set(item) - ARTICLE_FIELDS)
    payload = {k: v for k, v in item.items() if k in ARTICLE_FIELDS}
    return FileRecord(origin, payload, ignored_fields=ignored)


def is_news_please(item: dict[str, Any]) -> bool:
    return "maintext" in item or ("source_domain" in item and "title" in item and "text" not in item)


def from_news_please(item: dict[str, Any]) -> dict[str, Any]:
    """Map news-please's JSON output (title, maintext, date_publish, source_domain, url, language, authors)."""
    text = item.get("maintext") or item.get("description")  # neither: a headline-only item
    published = item.get("date_publish")
    if isinstance(published, str) and re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", published):
        published = published.replace(" ", "T")  # news-please writes local 'YYYY-MM-DD HH:MM:SS'
    return {
        "url": item.get("url"),
        "outlet": item.get("source_domain"),
        "title": item.get("title"),
        "text": text,
        "published_at": published,
        "language": item.get("language"),
        "authors": item.get("authors") or [],
    }
