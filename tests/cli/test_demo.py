"""Issue 13, item 7: the demo says its date, prints commands that paste, and cleans up."""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    monkeypatch.delenv("ORDERCTL_NOW")  # the demo pins its own clock
    return root


def shown_commands(stderr: str) -> list[list[str]]:
    return [
        shlex.split(line.strip()[2:])
        for line in stderr.splitlines()
        if line.strip().startswith("$ orderctl")
    ]


def test_demo_says_its_date_prints_real_paths_and_removes_its_folder(cli, temp_root):
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[1] == (
        "The demo's clock is fixed at 2026-11-27 10:00 UTC, so its deadlines and "
        '"days left" read the same on any day.'
    )
    assert lines[2] == "The folder is removed at the end (--keep or --home DIR keeps it)."
    commands = shown_commands(result.stderr)
    assert commands[0][:2] == ["orderctl", "import"]
    assert Path(commands[0][2]).is_file()  # a real path, not '<demo>/orders.csv'
    for args in commands:
        for arg in args:
            assert "<demo>" not in arg
            if arg.endswith((".csv", ".toml")):
                assert Path(arg).is_file(), arg
    notes = [c for c in commands if c[1] == "note"]
    assert notes and " " in notes[0][3]  # a quoted message comes back as one argument
    assert lines[-1] == (
        "Done. The demo's folder was removed; `orderctl demo --keep` keeps it to explore."
    )
    assert list(temp_root.iterdir()) == []
    assert "Thank you,\nAlex Example\n" in result.stdout  # drafts signed: config.toml name
    assert "[YOUR NAME]" not in result.stdout + result.stderr


def test_demo_keep_leaves_the_folder_and_says_how_to_use_it(cli, temp_root):
    result = cli("demo", "--keep")
    assert result.exit_code == 0, result.stderr
    (folder,) = temp_root.iterdir()
    assert (folder / "orders.json").is_file()
    export = f"export ORDERCTL_HOME={shlex.quote(str(folder))} ORDERCTL_NOW=2026-11-27T10:00:00Z"
    assert f"To run the commands below on the demo's data yourself: {export}" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"Done. Explore the demo data with: {export[len('export ') :]} orderctl list"
    )


def test_demo_home_is_kept_and_must_be_empty(cli, temp_root, tmp_path):
    target = tmp_path / "demo-home"
    assert cli("demo", "--home", str(target)).exit_code == 0
    assert (target / "orders.json").is_file()
    again = cli("demo", "--home", str(target))
    assert again.exit_code == 2
    assert f"--home {target} is not empty" in again.stderr
    assert list(temp_root.iterdir()) == []
