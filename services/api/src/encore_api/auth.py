"""Bearer-key protection for the endpoints that change something."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="ENCORE_API_KEY")


def require_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
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


Authorized = Depends(require_key)
