"""The embedded-mode environment (tests/commands/test_commands_jobs.py) for every CLI test."""

from tests.commands.test_commands_jobs import embedded_env  # noqa: F401
