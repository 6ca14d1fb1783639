"""The API tests' app fixtures, and the CLI tests' embedded environment, for the security tests."""

from tests.api.conftest import data_root, make_client, make_settings, versions  # noqa: F401
from tests.commands.test_commands_jobs import embedded_env  # noqa: F401
