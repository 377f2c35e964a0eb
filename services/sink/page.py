"""The live events page: `GET /` and its files (shipped in the package, no build step, no CDN), the change
stream it listens to (`GET /v1/stream`, Server-Sent Events), and the per-day counts of its timeline.

The stream polls the store for changes after a sequence number (see store.py: sequence order is commit
order), so any sink replica serves every replica's writes, and a reconnecting page resumes where it stopped
(the SSE `id` is the sequence number). `event: event` carries an event's new version, `event: deleted` the
id of an event that no longer exists (its one article moved into another event, which arrives as a
version). The page reads with `fetch`, not EventSource, so it can send the read
token as a header.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel

from services.common.http import require_bearer
from services.common.settings import Settings
from services.sink.basemap import CELL_DEGREES, inhabited_cells
from services.sink.filters import event_filter
from services.sink.store import DB_ERRORS, EventFilter, EventStore

PAGE_FILES = {"app.js": "text/javascript", "app.css": "text/css"}
POLL_SECONDS = 0.5        # how stale a page may be; each open page reads the index this often when idle
HEARTBEAT_SECONDS = 15.0  # a comment line keeps proxies from closing an idle stream
CHANGES_PER_READ = 200


class DayCount(BaseModel):
    date: date
    events: int


class WorldCells(BaseModel):
    cell_degrees: int
    cells: list[tuple[int, int]]


def page_router(settings: Settings, store: EventStore) -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        # The page holds no data (it fetches it with the token), so it is served to everyone.
        return HTMLResponse(_page_file("index.html"), headers={"Cache-Control": "no-cache"})

    @router.get("/page/world-cells.json", response_model=WorldCells, include_in_schema=False)
    def world_cells() -> WorldCells:  # before /page/{name}, which would take the name
        return WorldCells(cell_degrees=CELL_DEGREES, cells=list(inhabited_cells()))

    @router.get("/page/{name}", include_in_schema=False)
    def page_file(name: str) -> Response:
        if name not in PAGE_FILES:
            raise HTTPException(404, f"no page file {name}")
        return Response(_page_file(name), media_type=PAGE_FILES[name], headers={"Cache-Control": "no-cache"})

    @router.get("/v1/timeline", response_model=list[DayCount])
    def timeline(request: Request, where: EventFilter = Depends(event_filter)) -> list[DayCount]:
        """How many matching events happened on each day (by event date; undated events left out)."""
        require_bearer(request, settings.read_token)
        return [DayCount(date=day, events=n) for day, n in store.events_per_day(**where.model_dump())]

    @router.get("/v1/stream")
    async def stream(
        request: Request,
        where: EventFilter = Depends(event_filter),
        after: int | None = Query(None, ge=0, description="Send changes after this one (X-Last-Change of a "
                                                          "/v1/events read); default: from now on."),
        last_event_id: str | None = Header(None, description="Set by a reconnecting client; wins over after."),
    ) -> StreamingResponse:
        """Server-Sent Events: `event: event`, `id: <change number>`, `data: <CanonicalEvent JSON>`, one per
        stored version of an event matching the filters, in the order they were stored; `event: deleted`,
        `data: {"event_id": ...}` for every event deleted (its article moved into another event)."""
        require_bearer(request, settings.read_token)
        start = _resume_point(last_event_id, after)
        if start is None:
            start = await asyncio.to_thread(store.last_change_seq)
        return StreamingResponse(_changes(request, store, start, where.model_dump()), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return router


def _page_file(name: str) -> bytes:
    return files("services.sink").joinpath("static", name).read_bytes()


def _resume_point(last_event_id: str | None, after: int | None) -> int | None:
    if last_event_id is not None:
        if not last_event_id.isdigit():
            raise HTTPException(400, "Last-Event-ID must be a change number from this stream")
        return int(last_event_id)
    return after


async def _changes(request: Request, store: EventStore, seq: int, criteria: dict[str, Any]) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"  # sent at once, so the client knows the stream is open
    quiet = 0.0
    while not await request.is_disconnected():
        try:
            changes = await asyncio.to_thread(store.changes_after, seq, CHANGES_PER_READ, **criteria)
        except DB_ERRORS:
            yield "event: unavailable\ndata: database unavailable\n\n"
            return  # the client reconnects from the last id it got
        for change in changes:
            seq = change.seq
            if change.event is None:  # merged into another event: the page drops it
                yield f"id: {change.seq}\nevent: deleted\ndata: {json.dumps({'event_id': change.deleted})}\n\n"
            else:
                yield f"id: {change.seq}\nevent: event\ndata: {change.event.model_dump_json()}\n\n"
        if len(changes) == CHANGES_PER_READ:
            continue  # more are waiting
        if changes:
            quiet = 0.0
        elif quiet >= HEARTBEAT_SECONDS:
            quiet = 0.0
            yield ": still here\n\n"
        await asyncio.sleep(POLL_SECONDS)
        quiet += POLL_SECONDS
