"""The deduplicated event: message on news.events.canonical.v1 (key: event_id, compacted)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ConfigDict, Field

from schemas.base import FrozenModel
from schemas.extracted import ActorType, DatePrecision, EventType, MentionedEvent


class _Model(FrozenModel):
    """Every message model here: unknown fields are an error, instances immutable."""


class MatchReasons(_Model):
    """Why a source was attached to its event (shown by `newsfuse events --explain`)."""

    similarity: float | None = Field(None, description="Embedding cosine to the event centroid.")
    shared_entities: list[str] = Field(default_factory=list)
    date_gap_days: float | None = None
    near_duplicate: bool = False
    conflicts: list[str] = Field(default_factory=list, description="Who/where/what/when disagreements with the "
                                                                   "event, e.g. 'participants: xi vs putin'.")
    note: str = Field("", description="'created the event' or the deciding rule.")


class Source(_Model):
    article_id: str
    outlet: str | None = None
    url: str | None = None
    title: str
    published_at: datetime | None = None
    language: str = "und"
    match_score: float = Field(ge=0, le=1, description="Probability that it reports this event.")
    reasons: MatchReasons = Field(default_factory=MatchReasons)


class ActorSummary(_Model):
    name: str
    type: ActorType = "unknown"
    country: str | None = None
    role: str = "other"
    mentions: int = Field(description="Mentions summed over sources.")
    num_outlets: int = Field(description="Distinct outlets naming this actor.")


class PlaceSummary(_Model):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    mentions: int
    num_outlets: int


class CorroboratedQuote(_Model):
    text: str
    speaker: str | None = None
    outlets: list[str] = Field(default_factory=list)
    num_outlets: int


class CorroboratedFigure(_Model):
    unit: str
    value: float
    text: str
    context: str | None = Field(None, description="What the number counts ('deployed', 'withdrawn'), if known.")
    outlets: list[str] = Field(default_factory=list)
    num_outlets: int
    disputed_values: list[float] = Field(
        default_factory=list, description="Other values outlets report for the same quantity."
    )


class CanonicalEvent(_Model):
    model_config = ConfigDict(json_schema_extra={"version": 1})

    event_id: str = Field(description="Fixed at creation; never changes as sources join.")
    version: int = Field(ge=1, description="Increases by one each time the event changes.")
    title: str = Field(description="Representative headline.")
    summary: str = ""
    event_date: date | None = None
    date_precision: DatePrecision = "unknown"
    date_agreement: float = Field(0.0, ge=0, le=1, description="Share of sources that agree on the date.")
    event_type: EventType | None = None
    type_agreement: float = Field(0.0, ge=0, le=1)
    actors: list[ActorSummary] = Field(default_factory=list)
    locations: list[PlaceSummary] = Field(default_factory=list)
    quotes: list[CorroboratedQuote] = Field(default_factory=list)
    figures: list[CorroboratedFigure] = Field(default_factory=list)
    mentioned_events: list[MentionedEvent] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    sources: list[Source]
    num_articles: int
    num_sources: int = Field(description="Distinct outlets.")
    first_seen: datetime
    last_updated: datetime
