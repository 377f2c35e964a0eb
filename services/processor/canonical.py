"""Build the canonical event a dashboard reads from the deduplicator's record of an event (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone

from schemas import ActorSummary, CanonicalEvent, PlaceSummary, Source
from services.processor.dedup.state import EventRecord, Member


def build_canonical_event(record: EventRecord, now: datetime | None = None) -> CanonicalEvent:
    members = record.members
    articles = [m.article for m in members]
    outlets = {a.outlet or a.article_id for a in articles}
    dates = Counter(a.event.event_date.date for a in articles if a.event.event_date.date)
    event_date, date_votes = dates.most_common(1)[0] if dates else (None, 0)
    seen = [a.published_at or a.ingested_at for a in articles if a.published_at or a.ingested_at]
    first_seen = min(seen) if seen else (now or datetime.now(timezone.utc))
    representative = _representative(members)
    return CanonicalEvent(
        event_id=record.event_id,
        version=record.version,
        title=representative.article.title,
        summary=representative.article.event.summary,
        event_date=event_date,
        date_precision="day" if event_date else "unknown",
        date_agreement=round(date_votes / len(articles), 3) if articles else 0.0,
        actors=_actor_summaries(members),
        locations=_place_summaries(members),
        languages=sorted({a.event.language for a in articles}),
        sources=[_source(m) for m in members],
        num_articles=len(articles),
        num_sources=len(outlets),
        first_seen=first_seen,
        last_updated=max(seen) if seen else first_seen,
    )


def _representative(members: Sequence[Member]) -> Member:
    # The best-connected source stands for the event; ties go to the earliest.
    return max(members, key=lambda m: m.match_score if len(members) > 1 else 1.0)


def _source(member: Member) -> Source:
    a = member.article
    return Source(
        article_id=a.article_id, outlet=a.outlet, url=a.url, title=a.title, published_at=a.published_at,
        language=a.event.language, match_score=member.match_score, reasons=member.reasons,
    )


def _actor_summaries(members: Sequence[Member]) -> list[ActorSummary]:
    mentions: Counter[str] = Counter()
    outlets: dict[str, set[str]] = {}
    first: dict[str, object] = {}
    for m in members:
        for actor in m.article.event.actors:
            mentions[actor.name] += actor.mentions
            outlets.setdefault(actor.name, set()).add(m.article.outlet or m.article.article_id)
            first.setdefault(actor.name, actor)
    return [
        ActorSummary(name=name, type=first[name].type, country=first[name].country, role=first[name].role,
                     mentions=count, num_outlets=len(outlets[name]))
        for name, count in mentions.most_common()
    ]


def _place_summaries(members: Sequence[Member]) -> list[PlaceSummary]:
    mentions: Counter[str] = Counter()
    outlets: dict[str, set[str]] = {}
    first: dict[str, object] = {}
    for m in members:
        for place in m.article.event.places:
            mentions[place.name] += place.mentions
            outlets.setdefault(place.name, set()).add(m.article.outlet or m.article.article_id)
            first.setdefault(place.name, place)
    return [
        PlaceSummary(name=name, country=first[name].country, lat=first[name].lat, lon=first[name].lon,
                     mentions=count, num_outlets=len(outlets[name]))
        for name, count in mentions.most_common()
    ]
