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


#: Calls that touch the file system; the domain gets text or bytes instead.
FILE_CALLS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "iterdir",
    "glob",
    "rglob",
    "open",
    "is_file",
    "is_dir",
    "exists",
    "stat",
    "lstat",
    "unlink",
    "mkdir",
    "touch",
}
#: Modules whose import means file access (``os.path`` string helpers included: use PurePath).
FILE_MODULES = ("os", "shutil", "importlib.resources", "io.open", "tempfile", "glob")


def _file_access(tree: ast.AST) -> list[str]:
    """Where a module opens, reads, writes or lists files, by AST node."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"line {node.lineno}: open(")
            elif isinstance(func, ast.Attribute) and func.attr in FILE_CALLS:
                found.append(f"line {node.lineno}: .{func.attr}(")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in FILE_CALLS
            and isinstance(node.value, ast.Name)
            and node.value.id in ("Path", "os", "io")
        ):
            # ``Path.is_file`` passed as a default argument is file access too
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name in FILE_MODULES or name.startswith(tuple(m + "." for m in FILE_MODULES)):
                found.append(f"line {node.lineno}: imports {name}")
    return sorted(set(found))


def test_domain_reads_no_files():
    """The domain is pure: loaders live in services and hand it text or bytes."""
    problems = []
    for path in sorted((ROOT / "orderctl" / "domain").rglob("*.py")):
        rel = path.relative_to(ROOT / "orderctl")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += [f"{rel}: {where}" for where in _file_access(tree)]
    assert problems == []


def test_file_access_check_sees_each_kind():
    """The check above finds every kind of access it forbids (so it cannot pass vacuously)."""
    source = (
        "import os\nimport shutil\nfrom importlib import resources\n"
        "from importlib.resources import files\nfrom os import path\n"
        "open('x')\np.read_text()\np.read_bytes()\np.write_text('')\n"
        "p.write_bytes(b'')\np.iterdir()\np.glob('*')\np.rglob('*')\n"
        "def f(check=Path.is_file): pass\n"
    )
    found = _file_access(ast.parse(source))
    assert {int(f.split(":")[0].split()[1]) for f in found} == set(range(1, 15)), found
    assert _file_access(ast.parse("from pathlib import PurePath\nPurePath('a').suffix\n")) == []
