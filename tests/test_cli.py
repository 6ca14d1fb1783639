import pytest

from encore.cli import build_parser, main, subcommands

COMMANDS = [module.__name__.rsplit(".", 1)[-1] for module in subcommands()]


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
