"""`encore serve`: the HTTP API under uvicorn (and, in embedded mode, the job worker)."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import logging
import socket
from typing import Any

from encore.commands.options import add_command
from encore.errors import EncoreError

LOOPBACK = "127.0.0.1"
log = logging.getLogger("encore_api.serve")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "serve",
        "run the HTTP API (docs at /docs)",
        "Serve predictions, training control and the model registry over HTTP. With "
        "REDIS_URL and DATABASE_URL set, jobs go to RQ workers; without them, they run in a "
        "background thread here with SQLite records. Without ENCORE_API_KEY the API "
        "listens on 127.0.0.1 only. Logs go to stderr: text on a terminal, else one JSON "
        "object a line.",
        run,
    )
    parser.add_argument("--host", help="address to listen on (default 0.0.0.0 with a key)")
    parser.add_argument("--port", type=int, default=8000, help="port (8000)")
    parser.add_argument("--log-level", default="info", help="uvicorn log level (info)")


def run(args: argparse.Namespace) -> int:
    from encore.logs import configure_logging, uvicorn_log_config
    from encore.settings import get_settings

    settings = get_settings()
    settings.uses_rq()  # a half-configured queue fails here, before anything starts
    host = choose_host(args.host, has_key=bool(settings.api_key))
    check_port_free(host, args.port)
    configure_logging()
    if not settings.api_key:
        log.warning("encore serve: no ENCORE_API_KEY set, so listening on %s only", LOOPBACK)
    mode = "RQ workers" if settings.uses_rq() else "embedded worker, SQLite records"
    url = f"http://{host}:{args.port}"
    log.info("encore serve: %s (docs at /docs; jobs: %s)", url, mode, extra={"url": url})
    import uvicorn

    uvicorn.run(
        "encore_api.app:app_from_env",
        factory=True,
        host=host,
        port=args.port,
        log_level=args.log_level,
        log_config=uvicorn_log_config(),
        workers=1,
    )
    return 0


def check_port_free(host: str, port: int) -> None:
    """One line naming the port when something already listens there (uvicorn would print
    a traceback-like error and exit 3)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise EncoreError(
                    f"port {port} on {host} is already in use: stop what listens there, "
                    "or choose another with --port"
                ) from None
            raise EncoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def choose_host(requested: str | None, has_key: bool) -> str:
    """Without an API key, only loopback: anyone who can reach the API could train or activate."""
    if has_key:
        return requested or "0.0.0.0"
    if requested is not None and not _is_loopback(requested):
        raise EncoreError(
            f"refusing to listen on {requested} without ENCORE_API_KEY: set a key, "
            f"or listen on {LOOPBACK}"
        )
    return requested or LOOPBACK


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
