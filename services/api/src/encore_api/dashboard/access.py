"""Who may read the pages: everyone, unless ENCORE_READ_KEY is set. Then a page without the
key is a 401 page that asks for it, and the page's script fetches it again with the key the
user typed (a browser cannot add a bearer header to a link it follows)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from encore_api.auth import bearer, may_read


class Locked(Exception):
    """The page needs the read key (or the API key) and the request did not bring it."""


def require_reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    if not may_read(request, credentials):
        raise Locked


Reader = Depends(require_reader)


def data_url(path: Path) -> str:
    """A PNG inside the page itself, so it shows wherever the page does (with a read key
    too, which an <img> request could not bring)."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
