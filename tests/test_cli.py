import argparse
import json
import subprocess
import sys
from typing import Any

import pytest

from encore.cli import build_parser, main, subcommands

# A command's module is its name with "_" for "-" (recommend-eval: recommend_eval).
COMMANDS = [module.__name__.rsplit(".", 1)[-1].replace("_", "-") for module in subcommands()]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_explains_itself_with_help(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: encore {command}")
    assert len(out.splitlines()) > 3


def test_top_level_help_lists_every_subcommand():
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text


def test_an_unknown_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["frobnicate"])
    assert stop.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_an_operating_system_error_is_one_line_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["inspect", "--data", str(blocker / "inside")])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("encore inspect: error:")


# What `encore --help` imported at start-up (5 to 6 s): none of it is needed to build the
# parser or to report a usage error.
HEAVY = ("torch", "pandas", "sklearn", "scipy", "matplotlib", "sqlalchemy", "fastapi", "uvicorn")
QUICK_CALLS = [
    ["--help"],
    *[[command, "--help"] for command in COMMANDS],
    ["jobs", "submit", "--help"],
    ["train"],  # a usage error: --data is required
    ["jobs", "submit", "nonsense", "--dataset", "x"],
]


def test_help_and_usage_errors_import_nothing_heavy():
    """Lazy imports: help and usage errors answer at once (figures: docs/benchmarks.md).

    One fresh interpreter runs them all in turn and notes what each left imported: the
    first call that imported something heavy is the one named."""
    code = (
        "import json, sys\n"
        "from encore.cli import main\n"
        "found = {}\n"
        f"for argv in {QUICK_CALLS!r}:\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"    found[' '.join(argv)] = sorted(n for n in {HEAVY!r} if n in sys.modules)\n"
        "print(json.dumps(found), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    imported = json.loads(done.stderr.strip().splitlines()[-1])
    assert len(imported) == len(QUICK_CALLS)
    assert {argv: names for argv, names in imported.items() if names} == {}


def test_train_help_lists_every_setting_with_its_values_and_default(capsys):
    from encore.model.config import PARAMS

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = capsys.readouterr().out
    for param in PARAMS:
        assert f"  {param.name}  " in out or f"  {param.name} " in out, param.name
    assert "learning_rate            a number >= 0 (0: auto, " in out
    assert "(default 0; seed 0.01)" in out


def test_an_unknown_setting_names_the_real_key(capsys):
    """Progress lines print `lr`; `--set lr=...` answered only "unknown key 'lr'"."""
    assert main(["train", "--data", "nowhere", "--set", "lr=abc"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown key 'lr'; did you mean 'learning_rate'?" in err


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, str, Any, Any]]:
    """(command path, option string, metavar, help) of every option of every subcommand."""
    found: list[tuple[str, str, Any, Any]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [(f"{name} {path}".strip(), *rest) for path, *rest in _options(sub)]
        else:
            found += [("", option, action.metavar, action.help) for option in action.option_strings]
    return found


@pytest.mark.parametrize("option", ["--artifacts", "--data", "--model", "--json", "--set"])
def test_an_option_shared_by_commands_is_set_up_once(option):
    """Each command repeated its own argparse set-up, and the copies drifted apart
    (--artifacts ARTIFACTS here, --artifacts DIR there; two wordings of --data)."""
    variants = {
        (metavar, help_text)
        for _, name, metavar, help_text in _options(build_parser())
        if name == option and not (option == "--model" and help_text.startswith("score:"))
    }
    if option == "--json":  # what it prints differs by command; its form does not
        variants = {(metavar, "") for metavar, _ in variants}
    assert len(variants) == 1, variants
