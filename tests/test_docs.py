"""The README and docs are part of the contract: keep them honest."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from orderctl.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_screen_commands() -> list[str]:
    head = README.split("---", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_readme_first_screen_has_exactly_two_commands():
    commands = _first_screen_commands()
    assert len(commands) == 2
    assert commands[0].endswith("orderctl demo")
    assert "pip install" in commands[0]
    assert "[test]" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install_demo, install_test = _first_screen_commands()
    assert install_test.split("&& ", 2)[-1] in ci  # the install-and-test part
    assert "pip install . && (cd" in ci and "orderctl demo" in ci
    assert install_demo.endswith("pip install . && orderctl demo")
    assert "ruff check" in ci and "ruff format --check" in ci


def test_every_exit_code_is_documented():
    table = README.split("## Exit codes", 1)[1].split("##", 1)[0]
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", table, re.M), code


def test_every_command_is_in_the_readme():
    from typer.main import get_command

    from orderctl.cli.app import app

    group = get_command(app)
    for name in group.commands:
        assert f"orderctl {name}" in README, name


LAYERS = {"typer": "cli", "rich": "cli", "tinydb": "store", "httpx": "providers"}
LAYERS["imapclient"] = "mailbox"


def test_layering():
    """Only cli imports typer/rich, only store imports tinydb, only providers imports httpx."""
    problems = []
    for path in (ROOT / "orderctl").rglob("*.py"):
        rel = path.relative_to(ROOT / "orderctl")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "click":
                    problems.append(f"{rel}: imports click")
                owner = LAYERS.get(top)
                if owner and rel.parts[0] != owner:
                    problems.append(f"{rel}: imports {top} (only orderctl/{owner} may)")
                if (
                    rel.parts[0] == "domain"
                    and name.startswith("orderctl.")
                    and not (name.startswith(("orderctl.domain", "orderctl.errors")))
                ):
                    problems.append(f"{rel}: domain imports {name}")
    assert problems == []
