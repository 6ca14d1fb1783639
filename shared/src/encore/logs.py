"""Log lines for the long-running processes (`encore serve`, `encore worker`).

On a terminal, readable text; otherwise (a container, a file, a log collector) one JSON object
per line, with the fields a line carries beside its message (``job_id``, ``version``, ...).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

# The attributes every LogRecord has; anything else on a record came in through `extra`
# (but for uvicorn's coloured copy of its message).
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {
    "message", "asctime", "taskName", "color_message",
}  # fmt: skip
# Libraries whose INFO lines are noise at every start.
_QUIET = ("alembic",)


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", ...extra fields, "error"?}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


def formatter_for(stream: TextIO) -> logging.Formatter:
    return TextFormatter() if _is_terminal(stream) else JsonFormatter()


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is when a line is written (not when it was made)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


def configure_logging(level: int = logging.INFO) -> None:
    """Send every logger's lines to stderr through one handler of ours (called again, it
    replaces the earlier one; handlers others installed stay)."""
    handler = _Stderr()
    handler.setFormatter(formatter_for(sys.stderr))
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _Stderr)] + [handler]
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def uvicorn_log_config(stream: TextIO | None = None) -> dict[str, Any]:
    """uvicorn's logging (`log_config`), through the same formatter as everything else."""
    target = stream or sys.stderr
    formatter = "encore.logs.TextFormatter" if _is_terminal(target) else "encore.logs.JsonFormatter"
    handler = {"class": "logging.StreamHandler", "formatter": "encore", "stream": target}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"encore": {"()": formatter}},
        "handlers": {"encore": handler},
        "root": {"handlers": ["encore"], "level": "INFO"},
        "loggers": {
            "uvicorn": {"level": "INFO"},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"level": "INFO"},
            **{name: {"level": "WARNING"} for name in _QUIET},
        },
    }


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
