"""The documents a new user reads agree with the code they describe."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from encore.cli import build_parser
from encore.settings import Settings
from encore_api.errors import field_path

ROOT = Path(__file__).resolve().parents[1]
GUIDES = [ROOT / "README.md", ROOT / "services" / "trainer" / "README.md"]
GUIDES += [ROOT / "services" / "api" / "README.md", ROOT / "docs" / "reliability.md"]
RELIABILITY = ROOT / "docs" / "reliability.md"


def _shell_lines(path: Path) -> list[str]:
    """The command lines of a document's ```sh blocks, without their comments."""
    blocks = re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    lines = [
        line.split("  #")[0].split(" # ")[0].strip()
        for block in blocks
        for line in block.splitlines()
    ]
    return [line for line in lines if line and not line.startswith("#")]


def _encore_lines(path: Path) -> list[str]:
    return [line for line in _shell_lines(path) if re.match(r"(\.venv/bin/)?encore ", line)]


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_encore_command_shown_in_a_shell_block_parses(path: Path) -> None:
    """Commands one can paste: one to a line (the trainer README joined them with `|`, a pipe
    in a shell), each accepted by the parser once its optional [parts] are filled in."""
    parser = build_parser()
    for line in _encore_lines(path):
        assert " | " not in line, f"{path.name}: commands joined with a pipe: {line}"
        words = shlex.split(line.replace("[", "").replace("]", ""))[1:]
        try:
            parser.parse_args(words)
        except SystemExit:
            pytest.fail(f"{path.name}: `{line}` is not a valid command")


def test_field_paths_in_the_reliability_guide_are_written_as_the_api_writes_them() -> None:
    text = RELIABILITY.read_text(encoding="utf-8")
    assert not re.search(r"rows\.\d+\.", text), "the API writes rows[3].bd, not rows.3.bd"
    assert f"`{field_path(('body', 'rows', 3, 'song_length'))}`" in text


def test_the_reliability_guide_states_the_real_row_limit() -> None:
    """It read as if ENCORE_MAX_ROWS were 100,000; the default is 10,000."""
    text = RELIABILITY.read_text(encoding="utf-8")
    stated = re.findall(r"ENCORE_MAX_ROWS` \(default ([\d,]+)", text)
    assert stated and set(stated) == {f"{Settings.model_fields['max_rows'].default:,}"}


def test_the_readme_names_the_install_script_and_the_two_shared_folders() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/bootstrap" in text
    assert "`../shared/`" in text and "not the repository's own `shared/`" in text
