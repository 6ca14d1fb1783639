import os
import shutil
import time
from datetime import timedelta

import pytest

from encore.artifacts import clean_partial, list_versions, resolve_model
from encore.artifacts import writer as writer_module
from encore.errors import EncoreError


def _crash(*args, **kwargs):
    raise RuntimeError("simulated crash")


def test_a_crash_mid_write_leaves_nothing_behind(trained, tmp_path, monkeypatch):
    monkeypatch.setattr(writer_module, "curves_png", _crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        trained.write(tmp_path)
    assert list_versions(tmp_path) == []
    assert list((tmp_path / "models").iterdir()) == []


def test_a_killed_run_leaves_only_a_temporary_folder_that_is_ignored(
    trained, tmp_path, monkeypatch
):
    # A killed process runs no cleanup: the partial folder stays, without a manifest.
    monkeypatch.setattr(writer_module, "_manifest", _crash)
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)
    with pytest.raises(RuntimeError):
        trained.write(tmp_path)
    monkeypatch.undo()
    (partial,) = (tmp_path / "models").iterdir()
    assert partial.name.startswith(".tmp-")
    assert (partial / "weights.pt").is_file()
    assert list_versions(tmp_path) == []
    with pytest.raises(EncoreError, match="no model versions"):
        resolve_model("latest", tmp_path)
    assert clean_partial(tmp_path) == [partial]
    assert not partial.exists()


def test_temporary_folders_older_than_a_day_are_cleaned_by_the_next_write(trained, tmp_path):
    models = tmp_path / "models"
    stale, fresh = models / ".tmp-stale", models / ".tmp-fresh"
    stale.mkdir(parents=True)
    fresh.mkdir()
    two_days_ago = time.time() - 2 * 86_400
    os.utime(stale, (two_days_ago, two_days_ago))
    version = trained.write(tmp_path)
    assert sorted(p.name for p in models.iterdir()) == sorted([".tmp-fresh", version.name])
    assert clean_partial(tmp_path, older_than=timedelta(days=1)) == []
    assert [v.path for v in list_versions(tmp_path)] == [version]
