"""The event filters every read endpoint takes as query parameters (one place for their names and limits)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import Query

from services.sink.store import EventFilter


def event_filter(
    since: datetime | None = Query(None, description="Only events updated at or after this time."),
    entity: str | None = Query(None, max_length=300, description="Actor or place name."),
    text: str | None = Query(None, max_length=300, description="Words in a title or an entity name."),
    event_date_from: date | None = Query(None, description="Event date on or after this day."),
    event_date_to: date | None = Query(None, description="Event date on or before this day."),
) -> EventFilter:
    return EventFilter(since=since, entity=entity, text=text, event_date_from=event_date_from,
                       event_date_to=event_date_to)
