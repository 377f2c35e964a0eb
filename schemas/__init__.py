"""pydantic models: the single source of truth for every topic's messages."""

from schemas.article import Article, RawArticle
from schemas.canonical import (
    ActorSummary,
    CanonicalEvent,
    CorroboratedFigure,
    CorroboratedQuote,
    MatchReasons,
    PlaceSummary,
    Source,
)
from schemas.extracted import (
    Actor,
    ArticleEvent,
    ArticleFeatures,
    EventDate,
    EventType,
    ExtractedArticle,
    Figure,
    MentionedEvent,
    Place,
    Quote,
)
from schemas.versioning import read_message, schema_version

__all__ = [
    "Actor", "ActorSummary", "Article", "ArticleEvent", "ArticleFeatures", "CanonicalEvent",
    "CorroboratedFigure", "CorroboratedQuote", "EventDate", "EventType", "ExtractedArticle", "Figure",
    "MatchReasons", "MentionedEvent", "Place", "PlaceSummary", "Quote", "RawArticle", "Source",
    "read_message", "schema_version",
]
