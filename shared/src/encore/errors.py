"""Errors a user can act on. The CLI prints them as one line, never as a traceback."""

from __future__ import annotations


class EncoreError(Exception):
    """Base for every error whose message is meant for the user."""
