"""Issue 13, item 8: one placeholder style in help (ORDER_ID), summaries that are not cut."""

from __future__ import annotations

import re

import pytest

from orderctl.cli.commands import COMMANDS


def test_root_help_lists_whole_summaries(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--help")
    assert result.exit_code == 0
    commands = result.stdout.split("Commands:", 1)[1]
    assert "..." not in commands and "…" not in commands
    assert "--lock-timeout SECONDS" in result.stdout
    # A wrapped summary ends its sentence on the next line, aligned with the text.
    assert re.search(r"\n  show +Show one order: .*\n +inspection, feedback, dispute\.\n", commands)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_placeholders_are_upper_case_words(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert not re.search(r"<[a-z ]+>|\{[a-z_]+\}|:\s*<", text), text
    usage = text.splitlines()[0]
    for word in usage.split()[3:]:
        assert re.fullmatch(r"\[?[A-Z_]+(\.\.\.)?\]?(\.\.\.)?", word), (command, usage)


def test_order_id_is_the_placeholder_everywhere(cli):
    for command in ("show", "edit", "rm", "inspect", "confirm", "contact", "dispute"):
        usage = cli(command, "--help").stdout.splitlines()[0]
        assert usage == f"Usage: orderctl {command} [OPTIONS] ORDER_ID", usage
    assert cli("track", "--help").stdout.startswith("Usage: orderctl track [OPTIONS] [ORDER_ID]...")
    assert "--within DAYS" in cli("due", "--help").stdout


def test_usage_errors_name_the_placeholder_and_give_json(cli):
    result = cli("show")
    assert result.exit_code == 2
    assert "Error: Missing argument 'ORDER_ID'." in result.stderr
    with_json = cli("show", "--json")
    assert with_json.exit_code == 2
    assert with_json.json() == {
        "error": {
            "code": 2,
            "message": "Missing argument 'ORDER_ID'.",
            "hint": "See `orderctl show --help`.",
        }
    }
