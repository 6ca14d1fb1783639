"""The dashboard: server-rendered pages under /ui, their static files, the offline docs."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from encore_api.dashboard.docs import install_docs
from encore_api.dashboard.headers import HtmlHeaders
from encore_api.dashboard.pages import router
from encore_api.dashboard.render import STATIC

__all__ = ["HtmlHeaders", "install"]


def install(app: FastAPI) -> None:
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="dashboard-static")
    app.include_router(router)
    install_docs(app)
    root = APIRouter(include_in_schema=False)

    @root.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/jobs", status_code=303)

    app.include_router(root)
