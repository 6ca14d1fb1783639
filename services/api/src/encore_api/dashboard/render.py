"""Templates: one Jinja2 environment, HTML responses, and the pages for errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from encore import __version__
from encore_api.dashboard.views import FILTERS

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(FILTERS)


def render(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    """A page of the dashboard; every page knows whether changes need the key."""
    state = request.app.state.encore
    facts = {
        "needs_key": bool(state.settings.api_key),
        "encore_version": __version__,
        "serving": state.predictor.version,
        "path": request.url.path,
    }
    html = ENV.get_template(template).render(facts | context)
    return HTMLResponse(html, status_code=http_status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", http_status=status, status_code=status, message=message)
