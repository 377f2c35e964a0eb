"""Read API over the sink's store: GET /v1/events (newest first; since, entity) and GET /v1/events/{id}."""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import FastAPI, HTTPException, Query, Request

from schemas import CanonicalEvent
from services.common.http import require_bearer
from services.common.settings import Settings
from services.sink.store import EventStore


def create_app(settings: Settings, store: EventStore) -> FastAPI:
    app = FastAPI(title="newsfuse events", version="1")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/events", response_model=list[CanonicalEvent])
    def list_events(
        request: Request,
        since: datetime | None = Query(None, description="Only events updated at or after this time."),
        entity: str | None = Query(None, max_length=300, description="Actor or place name."),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[CanonicalEvent]:
        require_bearer(request, settings.read_token)
        if since is not None:
            since = (since if since.tzinfo else since.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        return store.list_events(since=since, entity=entity, limit=limit)

    @app.get("/v1/events/{event_id}", response_model=CanonicalEvent)
    def get_event(request: Request, event_id: str) -> CanonicalEvent:
        require_bearer(request, settings.read_token)
        event = store.get_event(event_id)
        if event is None:
            raise HTTPException(404, f"no event {event_id}")
        return event

    return app
