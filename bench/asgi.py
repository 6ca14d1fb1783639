"""Calling an ASGI app directly (no network): the server's time for a request."""

from __future__ import annotations

import time
from typing import Any


async def timed_post(app: Any, path: str, body: bytes) -> float:
    """Milliseconds from the body arriving to the last byte of a 200 answer."""
    started = time.perf_counter()
    status, answer = await post(app, path, body)
    assert status == 200, answer[:500]
    return (time.perf_counter() - started) * 1000


async def post(app: Any, path: str, body: bytes) -> tuple[int, bytes]:
    """POST a JSON body to the app; its status and answer."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(sent[0]["status"]), b"".join(m.get("body", b"") for m in sent[1:])
