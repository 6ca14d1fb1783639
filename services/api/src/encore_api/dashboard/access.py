"""Who may read the pages: everyone, unless ENCORE_READ_KEY is set. Then a page without the
key is a 401 page that asks for it, and the page's script fetches it again with the key the
user typed (a browser cannot add a bearer header to a link it follows)."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False)


class Locked(Exception):
    """The page needs the read key (or the API key) and the request did not bring it."""


def require_reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    settings = request.app.state.encore.settings
    if not settings.read_key:
        return
    given = (credentials.credentials if credentials else "").encode()
    keys = [key.encode() for key in (settings.read_key, settings.api_key) if key]
    if not any(secrets.compare_digest(given, key) for key in keys):
        raise Locked


Reader = Depends(require_reader)


def data_url(path: Path) -> str:
    """A PNG inside the page itself, so it shows wherever the page does (with a read key
    too, which an <img> request could not bring)."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
