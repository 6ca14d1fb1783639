"""`encore jobs`, `encore worker` and `encore models` in embedded mode (no Redis, SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from encore.cli import main
from encore.settings import get_settings

QUICK = ["--set", "max_epochs=2", "--set", "batch_size=256", "--set", "hidden=32,16"]


@pytest.fixture
def embedded_env(
    monkeypatch: pytest.MonkeyPatch, trained_data: Path, tmp_path: Path
) -> Iterator[Path]:
    """Settings for embedded mode: the tiny data set as `tiny`, artifacts in tmp_path."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tiny").symlink_to(trained_data)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    for name in ("DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path / "artifacts"
    get_settings.cache_clear()


def _job_id(output: str) -> str:
    return output.split()[1].rstrip(":")


def test_submit_work_list_show_and_models(
    embedded_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["jobs", "submit", "train", "--dataset", "tiny", *QUICK]) == 0
    job_id = _job_id(capsys.readouterr().out)
    assert main(["worker", "--burst"]) == 0
    assert "ran 1 job(s)" in capsys.readouterr().out

    assert main(["jobs", "list"]) == 0
    assert f"{job_id}  train  succeeded" in capsys.readouterr().out
    assert main(["jobs", "show", job_id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["params"]["params"] == {"max_epochs": 2, "batch_size": 256, "hidden": [32, 16]}
    assert [epoch["epoch"] for epoch in shown["epochs"]] == [1, 2]

    assert main(["models", "list"]) == 0
    assert capsys.readouterr().out.startswith(f"* {shown['model_version']}")
    assert (embedded_env / "encore.sqlite3").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["jobs", "submit", "train", "--dataset", "../etc"], "must be a plain name"),
        (["jobs", "submit", "train", "--dataset", "nope"], "dataset 'nope': no such folder"),
        (["jobs", "submit", "train", "--dataset", "tiny", "--set", "dropout=2"], "dropout"),
        (["jobs", "show", "nope"], "no job 'nope'"),
        (["jobs", "cancel", "nope"], "no job 'nope'"),
        (["models", "activate", "nope"], "no registered model version 'nope'"),
    ],
)
def test_bad_requests_are_one_line_errors(
    embedded_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_submit_wait_runs_the_job_and_exits_with_its_outcome(
    embedded_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Also what a user read wrong before: `jobs list` showed the last epoch's AUC where
    `models list` showed the kept epoch's; `score --wait` did not say where the submission
    went; `jobs show` printed Python reprs."""
    four_epochs = [*QUICK[:1], "max_epochs=4", *QUICK[2:]]
    assert main(["jobs", "submit", "train", "--dataset", "tiny", "--wait", *four_epochs]) == 0
    trained = capsys.readouterr().out
    assert "train  succeeded  AUC" in trained
    assert main(["jobs", "submit", "score", "--dataset", "tiny", "--wait"]) == 0
    scored = capsys.readouterr().out.splitlines()
    assert "score  succeeded  version" in scored[-2]
    submission = Path(scored[-1].removeprefix("submission: "))
    assert submission.is_file() and submission.read_text().startswith("id,target")

    assert main(["jobs", "list", "--status", "succeeded"]) == 0
    job_line = capsys.readouterr().out.splitlines()[-1]
    assert main(["models", "list"]) == 0
    auc = capsys.readouterr().out.split("AUC ")[1].split()[0]
    assert f"AUC {auc}  kept epoch" in job_line and " of 4" in job_line, job_line

    assert main(["jobs", "show", _job_id(trained)]) == 0
    shown = capsys.readouterr().out
    assert "{" not in shown and "'" not in shown and "True" not in shown, shown
    assert "params: dataset=tiny, preset=default, params=max_epochs=4" in shown


def test_a_score_job_without_an_active_version_fails_with_its_reason(
    embedded_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["jobs", "submit", "score", "--dataset", "tiny"]) == 0
    assert main(["worker", "--burst"]) == 0
    assert main(["jobs", "list", "--status", "failed"]) == 0
    assert "no active model version to score with" in capsys.readouterr().out


def test_a_job_submitted_without_wait_says_what_will_run_it(
    embedded_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It printed only "queued": in embedded mode nothing runs it until serve or worker does."""
    assert main(["jobs", "submit", "train", "--dataset", "tiny", *QUICK]) == 0
    out = capsys.readouterr().out
    assert (
        "train queued (embedded mode: a running `encore serve` or `encore worker` runs it)" in out
    )


def test_a_score_job_for_an_unknown_version_is_refused_at_once(
    embedded_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was accepted, and failed later in a worker."""
    assert main(["jobs", "submit", "score", "--dataset", "tiny", "--model", "nope"]) == 2
    assert "no registered model version 'nope'" in capsys.readouterr().err
    assert main(["jobs", "list"]) == 0
    assert capsys.readouterr().out == ""
