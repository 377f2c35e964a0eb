"""Read API over the sink's store: GET /v1/events (newest first; filtered; paged), GET /v1/events/{id}, and
the live events page (services/sink/page.py).

Pages keep the body a plain list of events (as before) and say the rest in standard headers: `X-Total-Count`
(events the filters match), `X-Last-Change` (the store's newest change when the page was read: a live stream
from there misses nothing) and, when more follow, `Link: <...&cursor=...>; rel="next"`.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse

from schemas import CanonicalEvent
from schemas.export import EXPORTS, OUT_DIR
from services.common.http import add_metrics_route, require_bearer
from services.common.settings import Settings
from services.sink.filters import event_filter
from services.sink.page import page_router
from services.sink.store import EventCursor, EventFilter, EventStore


def create_app(settings: Settings, store: EventStore) -> FastAPI:
    app = FastAPI(title="newsfuse events", version="1")
    app.include_router(page_router(settings, store))

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    add_metrics_route(app)

    @app.get("/schemas/{name}")
    def json_schema(name: str) -> FileResponse:
        """The JSON Schema of a topic's values: the target of the records' CloudEvents `dataschema`. Public,
        like any schema a client needs before it can read."""
        if name not in EXPORTS:
            raise HTTPException(404, f"no schema {name}; known: {', '.join(sorted(EXPORTS))}")
        return FileResponse(OUT_DIR / name, media_type="application/schema+json")

    @app.get("/v1/events", response_model=list[CanonicalEvent])
    def list_events(
        request: Request,
        response: Response,
        where: EventFilter = Depends(event_filter),
        limit: int = Query(100, ge=1, le=1000, description="Events per page."),
        cursor: str | None = Query(None, max_length=500, description="From the previous page's `next` link."),
    ) -> list[CanonicalEvent]:
        require_bearer(request, settings.read_token)
        try:
            after = EventCursor.decode(cursor) if cursor else None
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        last_change = store.last_change_seq()  # before the read: whatever commits later is after it
        page = store.page_events(limit, after, **where.model_dump())
        response.headers["X-Total-Count"] = str(page.total)
        response.headers["X-Last-Change"] = str(last_change)
        if page.next_cursor is not None:
            next_url = request.url.include_query_params(cursor=page.next_cursor.encode())
            response.headers["Link"] = f'<{next_url}>; rel="next"'
        return page.events

    @app.get("/v1/events/{event_id}", response_model=CanonicalEvent)
    def get_event(request: Request, event_id: str) -> CanonicalEvent:
        require_bearer(request, settings.read_token)
        event = store.get_event(event_id)
        if event is None:
            raise HTTPException(404, f"no event {event_id}")
        return event

    return app
