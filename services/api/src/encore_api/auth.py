"""Bearer keys: ENCORE_API_KEY for the endpoints that change something, and the optional
ENCORE_READ_KEY for those that read (predictions, records, data sets)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

bearer = HTTPBearer(auto_error=False, description="ENCORE_API_KEY")


def require_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """401 unless the request carries `Authorization: Bearer <ENCORE_API_KEY>`.

    Without a configured key the API listens on loopback only (see `encore serve`), and
    these endpoints are open to whoever can reach it there.
    """
    expected = request.app.state.encore.settings.api_key
    if not expected:
        return
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong API key: send Authorization: Bearer <ENCORE_API_KEY>",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_read_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """With ENCORE_READ_KEY set, 401 unless the request carries it (or ENCORE_API_KEY)."""
    if not may_read(request, credentials):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing or wrong read key: send Authorization: Bearer <ENCORE_READ_KEY>",
            headers={"WWW-Authenticate": "Bearer"},
        )


def may_read(request: Request, credentials: HTTPAuthorizationCredentials | None) -> bool:
    """True without ENCORE_READ_KEY, or when the request carries it (or ENCORE_API_KEY)."""
    settings = request.app.state.encore.settings
    if not settings.read_key:
        return True
    given = (credentials.credentials if credentials else "").encode()
    keys = [key.encode() for key in (settings.read_key, settings.api_key) if key]
    return any(secrets.compare_digest(given, key) for key in keys)


Authorized = Depends(require_key)
Readable = Depends(require_read_key)
