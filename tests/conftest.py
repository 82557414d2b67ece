"""Isolate every test: a temp ORDERCTL_HOME, no colour, fixed width, no credentials.

Nothing a test does can touch the real user's data, a real provider, or the
terminal's settings; the clock is pinned where a test asks for it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderctl.cli.app import app

PINNED_NOW = "2026-11-28T12:00:00Z"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    for key in list(os.environ):
        if key.startswith("ORDERCTL_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ORDERCTL_HOME", str(home))
    monkeypatch.setenv("ORDERCTL_NOW", PINNED_NOW)
    # The buyer's zone is pinned too (the system zone differs between machines). Asia/Shanghai
    # is AliExpress's own zone, so its deadlines need no time-zone rounding unless a test
    # sets another ORDERCTL_TZ (see tests/unit/test_deadline_zones.py).
    monkeypatch.setenv("ORDERCTL_TZ", "Asia/Shanghai")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    yield home


@pytest.fixture
def home(isolated_env: Path) -> Path:
    return isolated_env


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        return json.loads(self.stdout)


class Cli:
    """Runs the real Typer app in-process with stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        result = self.runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def data_dir() -> Path:
    return DATA
