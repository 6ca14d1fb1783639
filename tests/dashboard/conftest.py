"""The API tests' app fixtures, for the dashboard's tests."""

from tests.api.conftest import (  # noqa: F401
    data_root,
    make_client,
    make_settings,
    valid_rows,
    versions,
)
