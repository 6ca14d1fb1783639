"""The DATABASE_URL and REDIS_URL forms Encore takes, and one clear line for any other.

Platforms and tutorials give `postgresql://user@host/db` or `postgres://...`; SQLAlchemy 2.1
maps the bare scheme to psycopg 3, which Encore does not install, so both are taken to mean
the installed driver, psycopg2.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from encore.errors import EncoreError

POSTGRES_DRIVER = "postgresql+psycopg2"
_POSTGRES_SCHEMES = ("postgres", "postgresql", POSTGRES_DRIVER)
_SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
DATABASE_FORMS = (
    "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (postgres:// and "
    "postgresql+psycopg2:// too) or sqlite:///PATH"
)
REDIS_FORMS = "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], rediss://... or unix://PATH[?db=DB]"


def database_url(url: str, setting: str = "DATABASE_URL") -> str:
    """`url` with the installed PostgreSQL driver named; EncoreError naming `setting` for a
    database, driver or form Encore does not support."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        raise EncoreError(f"{setting} is not a database URL ({_hidden(url)}); use {DATABASE_FORMS}")
    scheme = scheme.lower()
    if scheme in _SQLITE_SCHEMES:
        return url
    if scheme not in _POSTGRES_SCHEMES:
        raise EncoreError(
            f"{setting}: {scheme}:// is not supported (Encore has the psycopg2 driver for "
            f"PostgreSQL, and SQLite); use {DATABASE_FORMS}"
        )
    parts = urlsplit(f"{POSTGRES_DRIVER}://{rest}")
    _check_host_and_port(parts, setting, DATABASE_FORMS, url)
    return f"{POSTGRES_DRIVER}://{rest}"


def redis_url(url: str, setting: str = "REDIS_URL") -> str:
    """`url` as given when redis-py can use it; else EncoreError naming `setting`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "unix":
        if not parts.path:
            raise EncoreError(f"{setting} names no socket ({_hidden(url)}); use {REDIS_FORMS}")
        return url
    if scheme not in ("redis", "rediss"):
        raise EncoreError(f"{setting} is not a Redis URL ({_hidden(url)}); use {REDIS_FORMS}")
    _check_host_and_port(parts, setting, REDIS_FORMS, url)
    database = parts.path.strip("/")
    if database and not database.isdigit():
        raise EncoreError(
            f"{setting}: the database number must be an integer, got {database!r}; "
            f"use {REDIS_FORMS}"
        )
    return url


def _check_host_and_port(parts: SplitResult, setting: str, forms: str, url: str) -> None:
    if not parts.hostname:
        raise EncoreError(f"{setting} names no host ({_hidden(url)}); use {forms}")
    try:
        _ = parts.port  # reading it parses it
    except ValueError:
        raise EncoreError(f"{setting} has an invalid port ({_hidden(url)}); use {forms}") from None


def _hidden(url: str) -> str:
    """The URL with any password replaced, for messages."""
    parts = urlsplit(url) if "://" in url else None
    if parts is None or parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)
