"""/docs and /redoc with their files served here (from fastapi-offline's copies of Swagger UI
and ReDoc), so the documentation works without reaching a CDN; and the favicon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Response
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).with_name("static")
ASSETS_URL = "/docs-assets"
OAUTH_REDIRECT = "/docs/oauth2-redirect"
# ReDoc's sidebar shows its maker's logo from their CDN; ours shows the favicon instead.
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


def install_docs(app: FastAPI) -> None:
    """Call on an app made with docs_url=None and redoc_url=None."""
    router = APIRouter(include_in_schema=False)
    title = app.title

    @router.get(f"{ASSETS_URL}/redoc.standalone.js")
    def redoc_script() -> Response:
        return Response(_redoc_script(), media_type="text/javascript")

    @router.get("/docs")
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{title}: API docs",
            oauth2_redirect_url=OAUTH_REDIRECT,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
            # No badge from the public validator: nothing leaves this origin.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @router.get(OAUTH_REDIRECT)
    def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get("/redoc")
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title=f"{title}: ReDoc",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url="/favicon.ico",
            with_google_fonts=False,
        )

    @router.get("/favicon.ico")
    def favicon() -> FileResponse:
        return FileResponse(ASSETS / "favicon.png", media_type="image/png")

    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")


@cache
def _redoc_script() -> bytes:
    return (ASSETS / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO, b"/favicon.ico")
