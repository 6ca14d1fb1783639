"""Dependencies routes ask for by type."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from encore_api.state import AppState


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.encore
    return state


State = Annotated[AppState, Depends(_state)]
