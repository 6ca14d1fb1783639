"""`encore datasets import|list|show|delete`: the same rules as the API, in one process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from encore.cli import main
from encore.datasets.check import check_dataset
from encore.datasets.store import DatasetStore
from encore.jobs import JobStore
from encore.settings import get_settings
from tests.datasets.archives import bad_members_csv, files_of, tar_of


def _data_dir(embedded_env: Path) -> Path:
    return embedded_env.parent / "data"


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_import_list_show_and_delete(
    embedded_env: Path, trained_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "kkbox.tar.gz"
    archive.write_bytes(tar_of(files_of(trained_data), prefix="kkbox/"))
    assert main(["datasets", "import", str(archive)]) == 0  # named after the archive
    shown = capsys.readouterr().out
    assert shown.startswith("data set kkbox: members.csv")
    assert "train.csv                  5,000" in shown  # the profile, as `encore inspect` prints it
    assert main(["datasets", "import", str(trained_data), "--name", "copy", "--json"]) == 0
    copy = _json(capsys)
    assert isinstance(copy, dict) and copy["profile"] == check_dataset(trained_data)

    assert main(["datasets", "list", "--json"]) == 0
    listed = _json(capsys)
    assert isinstance(listed, list) and [d["name"] for d in listed] == ["copy", "kkbox", "tiny"]
    assert main(["datasets", "show", "kkbox", "--json"]) == 0
    assert _json(capsys) == {**copy, "name": "kkbox", "imported_at": listed[1]["imported_at"]}

    assert main(["datasets", "delete", "copy"]) == 0
    assert capsys.readouterr().out == "data set copy deleted\n"
    left = sorted(p.name for p in _data_dir(embedded_env).iterdir())
    assert left == [".uploads", "kkbox", "tiny"]


def test_show_profiles_a_folder_put_there_by_hand_and_keeps_the_profile(
    embedded_env: Path, trained_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = files_of(trained_data)
    assert main(["datasets", "list"]) == 0  # `tiny` links to the session's data set
    listed = capsys.readouterr().out
    assert re.fullmatch(rf"tiny  {len(files)} files  [\d.]+ MB  not imported\n", listed)
    assert main(["datasets", "show", "tiny", "--json"]) == 0
    shown = _json(capsys)
    assert isinstance(shown, dict) and shown["profile"] == check_dataset(trained_data)
    assert shown["imported_at"] is None
    assert not (trained_data / ".dataset.json").exists()  # nothing written through a link

    by_hand = _data_dir(embedded_env) / "by-hand"
    by_hand.mkdir()
    for name, data in files.items():
        (by_hand / name).write_bytes(data)
    assert main(["datasets", "show", "by-hand"]) == 0
    assert "train.csv                  5,000" in capsys.readouterr().out
    assert DatasetStore(by_hand.parent).describe("by-hand")["profile"] == shown["profile"]


def test_a_bad_import_is_one_line_and_leaves_nothing(
    embedded_env: Path, trained_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members, where = bad_members_csv(trained_data)
    archive = tmp_path / "bad.tgz"
    archive.write_bytes(tar_of(files_of(trained_data, {"members.csv": members})))
    assert main(["datasets", "import", str(archive)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"encore datasets: error: {where}: 'abc'") and error.count("\n") == 1
    for argv, message in [
        (["datasets", "import", str(tmp_path / "nowhere")], "nowhere: no such file or folder"),
        (["datasets", "import", str(trained_data), "--name", "tiny"], "'tiny' exists already"),
        (["datasets", "import", str(trained_data), "--name", "../up"], "must be a plain name"),
        (["datasets", "show", "nope"], "no data set 'nope'"),
        (["datasets", "delete", "../tiny"], "must be a plain name"),
    ]:
        assert main(argv) == 2, argv
        error = capsys.readouterr().err
        assert message in error and error.count("\n") == 1, (argv, error)
    data = _data_dir(embedded_env)
    assert sorted(str(p.relative_to(data)) for p in data.rglob("*")) == [".uploads", "tiny"]


def test_delete_is_refused_while_a_job_uses_the_data_set(
    embedded_env: Path, trained_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["datasets", "import", str(trained_data), "--name", "busy"]) == 0
    capsys.readouterr()
    assert main(["jobs", "submit", "train", "--dataset", "busy"]) == 0
    job_id = capsys.readouterr().out.split()[1].rstrip(":")
    assert main(["datasets", "delete", "busy"]) == 2
    error = capsys.readouterr().err
    assert f"in use by queued or running job(s) {job_id}" in error
    JobStore(get_settings().records_url()).request_cancel(job_id)
    assert main(["datasets", "delete", "busy"]) == 0
