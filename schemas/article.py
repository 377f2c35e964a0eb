"""What scrapers send (`Article`) and what ingest publishes on news.articles.raw.v1 (`RawArticle`)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from schemas.text import plain_text

# C0/C1 control characters other than tab and newlines: never legitimate in article text,
# and a sign of binary garbage or an encoding error upstream.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
EARLIEST_PUBLICATION = datetime(1900, 1, 1, tzinfo=UTC)
MAX_CLOCK_SKEW = timedelta(days=2)


def _reject_control_chars(value: str | None) -> str | None:
    if value is not None and _CONTROL_CHARS.search(value):
        raise ValueError("contains control characters")
    return value


class Article(BaseModel):
    """One news article as a scraper sends it: a headline (required) and, usually, a body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, json_schema_extra={"version": 1})

    url: str | None = Field(None, max_length=2048, description="Canonical article URL (http/https).")
    outlet: str | None = Field(None, max_length=200, description="Publisher, e.g. 'nytimes.com'.")
    title: str = Field(min_length=1, max_length=1000, description="Headline; markup (tags, entities) is turned into plain text.")
    text: str | None = Field(
        None, max_length=200_000,
        description="Body text; markup is turned into plain text. Absent, empty or markup-only for a headline-only "
                    "item (RSS items, wire alerts): the headline is then all there is to analyse.",
    )
    published_at: datetime | None = Field(None, description="Publication time; naive times are UTC.")
    language: str | None = Field(None, description="ISO 639-1 code if the scraper knows it.")
    authors: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+", value, re.IGNORECASE):
            raise ValueError("must be an absolute http(s) URL")
        return value

    @field_validator("title", "text", "outlet")
    @classmethod
    def _clean_text(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Markup (tags, entities) becomes the plain text a reader sees; scripts and styles disappear."""
        if not value:
            return None if info.field_name == "text" else value
        cleaned = plain_text(unicodedata.normalize("NFC", value))
        if not cleaned:
            if info.field_name == "text":
                return None  # a headline-only item
            raise ValueError("nothing left after removing markup")
        return _reject_control_chars(cleaned)

    @field_validator("authors")
    @classmethod
    def _clean_authors(cls, value: list[str]) -> list[str]:
        for author in value:
            _reject_control_chars(author)
            if len(author) > 200:
                raise ValueError("author names are at most 200 characters")
        return [a.strip() for a in value if a.strip()]

    @field_validator("language")
    @classmethod
    def _iso_language(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        value = value.strip().lower().split("-")[0].split("_")[0]
        if not _LANGUAGE.match(value):
            raise ValueError("must be an ISO 639-1 code such as 'en'")
        return value

    @field_validator("published_at")
    @classmethod
    def _plausible_date(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if value < EARLIEST_PUBLICATION:
            raise ValueError("is before 1900")
        if value > datetime.now(UTC) + MAX_CLOCK_SKEW:
            raise ValueError("is in the future")
        return value


class RawArticle(Article):
    """An accepted article, as published on news.articles.raw.v1 (key: article_id)."""

    model_config = ConfigDict(json_schema_extra={"version": 1})

    article_id: str = Field(description="Stable hash of the normalized URL (or outlet+title+text).")
    ingested_at: datetime
    ingest_source: str = Field("http", description="'http', 'file', 'feed' or 'eval'.")

    @field_validator("title", "text", "outlet")
    @classmethod
    def _clean_text(cls, value: str | None) -> str | None:  # type: ignore[override]
        # Cleaned once, by whoever made the message: cleaning again would drop text that decoded
        # entities spell like markup ("&lt;b&gt;" -> "<b>").
        return value

    @field_validator("published_at")
    @classmethod
    def _plausible_date(cls, value: datetime | None) -> datetime | None:
        # Already validated at ingest; replays of old topics must not fail on clock drift.
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
