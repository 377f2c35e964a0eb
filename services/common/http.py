"""Small pieces the HTTP services share."""

from __future__ import annotations

import hmac

from fastapi import FastAPI, HTTPException, Request, Response
from pydantic import SecretStr

from services.common.metrics import metrics_payload
from services.common.settings import secret_value


def add_metrics_route(app: FastAPI) -> None:
    """GET /metrics: this process's Prometheus metrics (unauthenticated, as scrapers expect)."""

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        body, content_type = metrics_payload()
        return Response(body, media_type=content_type)


def require_bearer(request: Request, configured: SecretStr | str | None) -> None:
    """401 unless the request carries `Authorization: Bearer <token>` (no-op when no token is configured)."""
    token = secret_value(configured)
    if not token:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.encode(), token.encode()):
        raise HTTPException(status_code=401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
