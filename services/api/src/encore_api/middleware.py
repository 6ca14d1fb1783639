"""Plain ASGI middleware (cheaper per request than Starlette's BaseHTTPMiddleware):
request metrics, the request body size limit, and the records deadline."""

from __future__ import annotations

import json
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from encore.db.deadline import deadline_in
from encore_api.telemetry import Telemetry


class RecordsDeadline:
    """All of a request's work on the records database ends within `seconds` together, so a
    stalled server makes it a prompt 503 rather than a held request."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with deadline_in(self.seconds):
            await self.app(scope, receive, send)


class Metered:
    """Counts every HTTP request by route template, method and status, and times it."""

    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            seconds = time.perf_counter() - started
            self.telemetry.observe(route, scope["method"], status, seconds)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over `max_bytes`, by its Content-Length or as it streams in; uploads
    (PUT under `upload_prefix`) are streamed to disk and limited by their route instead."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_prefix: str = "/datasets/") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_prefix = upload_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._is_upload(scope):
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge
            return message

        async def noting(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, noting)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    def _is_upload(self, scope: Scope) -> bool:
        return scope["method"] == "PUT" and str(scope["path"]).startswith(self.upload_prefix)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"message": f"request body larger than {self.max_bytes:,} bytes", "detail": None}
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0
