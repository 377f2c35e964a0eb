"""RSS 2.0 / Atom feeds (feedparser): items as Article payloads, and feed URLs polled with conditional GET.

An item maps to: title, content (else summary) as text, link as url, published (else updated) as
published_at, the item's <source> title, else the feed's title, else the feed's host as outlet. Markup is
left to the Article model's cleaner, like every other input.
"""

from __future__ import annotations

import calendar
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx

from services.common.ids import outlet_from_url
from services.ingest.files import IngestSummary, ingest_records
from services.ingest.publisher import ArticlePublisher
from services.ingest.readers import FileRecord

USER_AGENT = "newsfuse-feed-reader/0.1"


def is_feed_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def feed_records(document: bytes, origin: str, headers: Mapping[str, str] | None = None) -> list[FileRecord]:
    """One record per feed item (origin `ORIGIN#N`), or one error record when this is not a feed."""
    parsed = feedparser.parse(document, response_headers=dict(headers or {}))
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom items"
        return [FileRecord(origin, None, f"not an RSS/Atom feed ({problem})")]
    feed_outlet = parsed.feed.get("title") or outlet_from_url(parsed.feed.get("link") or _url_of(origin))
    return [FileRecord(f"{origin}#{n}", _payload(entry, feed_outlet, parsed.feed.get("language")))
            for n, entry in enumerate(parsed.entries, start=1)]


def _url_of(origin: str) -> str | None:
    return origin if is_feed_url(origin) else None


def _payload(entry: Any, feed_outlet: str | None, language: str | None) -> dict[str, Any]:
    contents = [c.get("value") for c in entry.get("content") or [] if c.get("value")]
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return {
        "url": entry.get("link"),
        "outlet": (entry.get("source") or {}).get("title") or feed_outlet,
        "title": entry.get("title"),
        "text": max(contents, key=len) if contents else entry.get("summary"),
        "published_at": datetime.fromtimestamp(calendar.timegm(when), UTC).isoformat() if when else None,
        "language": entry.get("language") or language,
        "authors": [a["name"] for a in entry.get("authors") or [] if a.get("name")],
    }


@dataclass
class _Validators:
    """What the server last said about a feed, sent back so an unchanged feed costs a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class FeedFollower:
    """Polls feed URLs and publishes the items it has not published before (by article id)."""

    urls: Sequence[str]
    publisher: ArticlePublisher
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30, follow_redirects=True))
    validators: dict[str, _Validators] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)

    def poll(self) -> IngestSummary:
        summary = IngestSummary()
        for url in self.urls:
            records = self._fetch(url)
            ingest_records(records, self.publisher, summary, source="feed", already_published=self.published)
        return summary

    def _fetch(self, url: str) -> list[FileRecord]:
        """The feed's items; none when it has not changed (304); one error record when it cannot be read."""
        validators = self.validators.setdefault(url, _Validators())
        try:
            response = self.client.get(url, headers=validators.request_headers())
        except httpx.HTTPError as exc:
            return [FileRecord(url, None, f"cannot fetch: {type(exc).__name__}: {exc}")]
        if response.status_code == 304:
            return []
        if response.status_code != 200:
            return [FileRecord(url, None, f"cannot fetch: HTTP {response.status_code}")]
        validators.etag = response.headers.get("etag")
        validators.last_modified = response.headers.get("last-modified")
        return feed_records(response.content, url, response.headers)


def follow(follower: FeedFollower, interval: float, stop: threading.Event, max_polls: int | None = None,
           on_poll: Callable[[int, IngestSummary], None] | None = None) -> IngestSummary:
    """Poll every `interval` seconds until `stop` is set or `max_polls` polls are done; returns the total."""
    total = IngestSummary()
    polls = 0
    while not stop.is_set() and (max_polls is None or polls < max_polls):
        summary = follower.poll()
        polls += 1
        total.merge(summary)
        if on_poll:
            on_poll(polls, summary)
        if max_polls is not None and polls >= max_polls:
            break
        stop.wait(interval)
    return total
