"""scripts/audit_latest.py: the audit used where only PyPI's per-project feed answers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_latest.py"
# name -> (latest release, its known vulnerabilities), as the per-project feed gives them.
FEED = {"fastapi": ("0.165.0", []), "rq": ("3.0.0", ["PYSEC-2099-1"]), "numpy": ("2.5.5", [])}


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_latest", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def finding(pin: tuple[str, str]) -> object:
        latest, vulnerabilities = FEED[pin[0]]
        return module.Finding(pin[0], pin[1], latest, vulnerabilities)

    monkeypatch.setattr(module, "_finding", finding)
    return module


def _run(audit: ModuleType, tmp_path: Path, pins: str, monkeypatch: pytest.MonkeyPatch) -> int:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(pins)
    monkeypatch.setattr(sys, "argv", ["audit_latest.py", str(requirements)])
    status: int = audit.main()
    return status


def test_a_vulnerable_latest_release_fails_the_audit(
    audit: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(audit, tmp_path, "fastapi==0.165.0\nrq==3.0.0\n", monkeypatch) == 1
    out = capsys.readouterr()
    assert "rq 3.0.0: PYSEC-2099-1" in out.err
    assert "2 of 2 pins" in out.out and "1 with known vulnerabilities" in out.out


def test_older_pins_are_named_as_not_audited(
    audit: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(audit, tmp_path, "fastapi==0.165.0\nnumpy==2.4.6\n", monkeypatch) == 0
    out = capsys.readouterr().out
    assert "1 of 2 pins" in out and "0 with known vulnerabilities" in out
    assert "Not audited: numpy 2.4.6 (latest 2.5.5)" in out
