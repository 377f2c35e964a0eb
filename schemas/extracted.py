"""The event one article reports (`ArticleEvent`) and the message on news.articles.extracted.v1."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from schemas.base import FrozenModel

ActorType = Literal["person", "organization", "country", "group", "unknown"]
ActorRole = Literal["actor1", "actor2", "other"]
DatePrecision = Literal["day", "month", "unknown"]
DateSource = Literal["text", "published", "none"]
Channel = Literal["phone", "video"]


class _Model(FrozenModel):
    """Every message model here: unknown fields are an error, instances immutable."""


class Actor(_Model):
    name: str = Field(description="Canonical name: 'Mr Biden', 'US President Joe Biden' -> 'Joe Biden'.")
    type: ActorType = "unknown"
    country: str | None = Field(None, description="ISO 3166 alpha-3 when the text says it.")
    role: ActorRole = "other"
    mentions: int = 1


class Place(_Model):
    name: str
    country: str | None = Field(None, description="ISO 3166 alpha-3.")
    kind: Literal["country", "state", "region", "city", "continent"] | None = Field(
        None, description="What the gazetteer knows the place as; None for a name it does not know.")
    lat: float | None = None
    lon: float | None = None
    mentions: int = 1


class EventType(_Model):
    code: str = Field(description="CAMEO code, e.g. '041' (discuss by telephone) or root '04'.")
    root: str = Field(description="Two-digit CAMEO root code.")
    label: str
    confidence: float = Field(ge=0, le=1)


class EventDate(_Model):
    date: dt.date | None = None
    precision: DatePrecision = "unknown"
    source: DateSource = "none"
    expression: str | None = Field(None, description="The words the date was resolved from.")
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=list,
        description="Days of the week (0 = Monday) the headline and lead name for what happened, not for what is "
                    "scheduled: the one 'when' an undated article's text gives ('on Thursday').")


class Quote(_Model):
    text: str
    speaker: str | None = None


class Figure(_Model):
    value: float
    unit: str = Field(description="e.g. 'minute', 'troops', 'USD'.")
    text: str = Field(description="The phrase as written, e.g. '50-minute'.")
    context: str | None = Field(
        None, description="What the number counts, when the sentence says it: 'deployed', 'withdrawn', 'killed'..."
    )


class MentionedEvent(_Model):
    text: str
    date: dt.date | None = None
    end_date: dt.date | None = Field(None, description="Last day when the text gives a range ('9-10 January').")
    relation: Literal["scheduled", "earlier"] = "scheduled"
    place: str | None = Field(None, description="Canonical place named with it ('Geneva'), if any.")
    num_outlets: int | None = Field(None, description="Canonical events only: outlets mentioning it.")


class ArticleEvent(_Model):
    """Who did what to whom, when, where — as one article tells it."""

    actors: list[Actor] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    event_type: EventType | None = None
    event_date: EventDate = Field(default_factory=EventDate)
    quotes: list[Quote] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    mentioned_events: list[MentionedEvent] = Field(default_factory=list)
    channel: Channel | None = Field(
        None, description="How the sides talked, when the headline and lead name one way only: 'phone' (a phone "
                          "call) or 'video' (a video call or virtual summit). A phone call and a video call are "
                          "two happenings.")
    met_in_person: bool = Field(
        False, description="The lead says the sides met in person (talks in a named place, face to face) and names "
                           "no phone or video link: CAMEO 042-044 rather than 041. A call and a meeting are two "
                           "happenings.")
    talk_ordinal: int | None = Field(
        None, ge=1, description="The talk's place in a series, when the lead gives one ('their first phone call': 1, "
                                "'second conversation this month': 2).")
    summary: str = Field("", description="Lead sentence, boilerplate removed.")
    language: str = Field("und", description="ISO 639-1 (detected or given); 'und' if unknown.")


class ArticleFeatures(_Model):
    """What the deduplicator compares. Computed in the (scalable) extraction stage."""

    embedding: list[float] = Field(default_factory=list, description="L2-normalized text embedding.")
    embedding_model: str = ""
    entities: list[str] = Field(default_factory=list, description="Normalized entity keys.")
    minhash: list[int] = Field(default_factory=list, description="MinHash signature of word shingles.")


class ExtractedArticle(_Model):
    """Message on news.articles.extracted.v1 (key: the dedup shard key; header article_id)."""

    # 2: Place.kind (optional: version-1 readers ignore it); 3: ArticleEvent.channel (optional, likewise);
    # 4: ArticleEvent.met_in_person (optional, likewise); 5: ArticleEvent.talk_ordinal (optional, likewise)
    model_config = ConfigDict(json_schema_extra={"version": 5})

    article_id: str
    url: str | None = None
    outlet: str | None = None
    title: str
    published_at: datetime | None = None
    ingested_at: datetime | None = None
    event: ArticleEvent
    features: ArticleFeatures
    extractor_version: str = "1"
