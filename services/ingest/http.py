"""Ingest HTTP API: POST /v1/articles (one article or a list) -> 202 with ids; 4xx and nothing published."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

import orjson
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from services.common.http import add_metrics_route, require_bearer
from services.common.metrics import ARTICLES_ACCEPTED, ARTICLES_REJECTED, INGEST_REQUESTS, STAGE_SECONDS
from services.common.settings import Settings
from services.ingest.domain import Rejection, validate_batch
from services.ingest.publisher import ArticlePublisher

log = logging.getLogger(__name__)


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"body larger than {limit} bytes")
    return bytes(body)


def create_app(settings: Settings, publisher_factory: Callable[[], ArticlePublisher] | None = None) -> FastAPI:
    state: dict[str, ArticlePublisher] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        if "p" in state:
            state["p"].close()

    app = FastAPI(title="newsfuse ingest", version="1", lifespan=lifespan)

    def publisher() -> ArticlePublisher:
        # Connect lazily so the API starts (and answers /healthz) while the broker is still coming up.
        if "p" not in state:
            state["p"] = (publisher_factory or (lambda: ArticlePublisher(settings)))()
        return state["p"]

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    add_metrics_route(app)

    @app.middleware("http")
    async def count_article_requests(request: Request, call_next):
        response = await call_next(request)
        if request.url.path == "/v1/articles":
            INGEST_REQUESTS.labels(status=str(response.status_code)).inc()
        return response

    @app.post("/v1/articles", status_code=202)
    async def post_articles(request: Request) -> JSONResponse:
        received = time.monotonic()
        require_bearer(request, settings.ingest_token)
        body = await _read_limited(request, settings.ingest_max_body_bytes)
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise HTTPException(400, f"malformed JSON: {exc}") from None
        items = document if isinstance(document, list) else [document]
        if not items:
            raise HTTPException(422, "empty list: send at least one article")
        if len(items) > settings.ingest_max_batch:
            raise HTTPException(413, f"at most {settings.ingest_max_batch} articles per request")
        accepted, rejected = validate_batch(items, source="http")
        if rejected:
            _count_rejected(rejected, valid=len(accepted))
            detail = [{"index": r.index, **e.as_dict()} for r in rejected for e in r.errors]
            return JSONResponse({"detail": detail}, status_code=422)
        try:
            await run_in_threadpool(publisher().publish, accepted)
        except Exception as exc:  # broker down or refusing: the client must retry, nothing was accepted
            log.warning("publish failed", extra={"error": type(exc).__name__, "articles": len(accepted)})
            ARTICLES_REJECTED.labels(reason="broker_unavailable").inc(len(accepted))
            raise HTTPException(503, "broker unavailable, retry later") from None
        ARTICLES_ACCEPTED.labels(source="http").inc(len(accepted))
        STAGE_SECONDS.labels(stage="raw").observe(time.monotonic() - received)
        log.info("accepted articles", extra={"count": len(accepted)})
        return JSONResponse({"accepted": len(accepted), "ids": [a.article_id for a in accepted]}, status_code=202)

    return app


def _count_rejected(rejected: list[Rejection], valid: int) -> None:
    for rejection in rejected:
        for code in rejection.reason_codes():
            ARTICLES_REJECTED.labels(reason=code).inc()
    if valid:  # nothing of a refused request is published
        ARTICLES_REJECTED.labels(reason="rejected_with_batch").inc(valid)
