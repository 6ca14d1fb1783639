"""`encore demo`: generated data, the API on loopback, training through it, 20 predictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from encore.cli import main


def test_the_demo_trains_through_the_api_and_predicts_twenty_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "POST /train -> 202" in out
    states = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert states[-3] == "succeeded", states  # then the version line and the oracle line
    assert any(state.startswith("running: training") for state in states), states
    # Every state line says something: never "running: None" (a stage not yet set).
    assert "None" not in out
    table = [line.split() for line in out.splitlines() if line[:4].strip().isdigit()]
    assert len(table) == 20
    assert all(
        0 <= float(row[1]) <= 1 and row[2] == str(int(float(row[1]) >= 0.5)) for row in table
    )
    summary = next(line for line in out.splitlines() if line.startswith("accuracy"))
    accuracy = float(summary.split()[1].rstrip(","))
    labels_right = sum(row[2] == row[3] for row in table) / 20
    assert accuracy == pytest.approx(labels_right, abs=0.005)
    # The first impression: the model within 0.03 AUC of the best possible on the same rows.
    gap = next(line for line in out.splitlines() if "best possible on the same validation" in line)
    assert 0 <= float(gap.split("the model is ")[1].split()[0]) <= 0.03, gap
    assert "the API has stopped" in out
    assert len(list((tmp_path / "artifacts" / "models").iterdir())) == 1
