"""Small pieces the HTTP services share."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request
from pydantic import SecretStr

from services.common.settings import secret_value


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
