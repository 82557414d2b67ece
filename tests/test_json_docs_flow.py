"""docs/json.md against the real output of the later commands, on the demo's order book.

The demo runs the whole flow (import, track from recorded answers, inspect, confirm,
note, contact, dispute, verify) once; the JSON of each command is then checked against the
keys docs/json.md promises.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_json_docs import documented

HUB, SHIRT = "8208460785972844", "3065355286098390"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from orderctl.cli.app import app

    home = tmp_path_factory.mktemp("demo") / "home"
    saved = {k: os.environ.pop(k, None) for k in ("ORDERCTL_HOME", "ORDERCTL_NOW")}
    try:
        result = CliRunner().invoke(app, ["demo", "--home", str(home)])
    finally:
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value
    assert result.exit_code == 0, result.stderr
    return home


@pytest.fixture
def on_demo(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ORDERCTL_HOME", str(demo_home))
    monkeypatch.setenv("ORDERCTL_NOW", "2026-11-27T10:00:00Z")
    return demo_home


def keys_of(cli, *args: str) -> set[str]:
    result = cli(*args)
    assert result.exit_code in (0, 1), result.stderr
    data = result.json()
    return set(data[0] if isinstance(data, list) else data)


@pytest.mark.parametrize(
    ("heading", "args"),
    [
        ("orderctl feedback ORDER_ID --json", ["feedback", HUB, "--json"]),
        ("orderctl contact ORDER_ID --json", ["contact", SHIRT, "--json"]),
        ("orderctl verify BUNDLE --json", ["verify", "--order", SHIRT, "--json"]),
        ("orderctl checklists --json", ["checklists", "--json"]),
        ("orderctl checklists NAME --json", ["checklists", "clothing", "--json"]),
    ],
)
def test_documented_keys_after_the_demo(cli, on_demo, heading, args):
    assert documented(heading) <= keys_of(cli, *args)


def test_show_carries_every_later_section(cli, on_demo):
    hub = cli("show", HUB, "--json").json()
    shirt = cli("show", SHIRT, "--json").json()
    assert documented("orderctl inspect ORDER_ID --json") <= set(hub["inspection"])
    assert documented("orderctl feedback ORDER_ID --json") <= set(hub["feedback"])
    assert hub["events"] and set(hub["events"][0]) >= {
        "time",
        "time_utc",
        "status",
        "description",
        "location",
        "provider",
    }
    assert "RR473124829NL" in hub["tracking_numbers"]
    assert shirt["state"] == "disputed"
    assert {"reason", "remedy", "amount", "opened_at", "status", "progress"} <= set(
        shirt["dispute"]
    )
    assert [n["sender"] for n in shirt["notes"]][:2] == ["me", "seller"]


def test_dispute_progress_keys(cli, on_demo):
    result = cli("dispute-progress", SHIRT, "seller_responded", "--note", "Offered 5 USD", "--json")
    assert result.exit_code == 0, result.stderr
    assert documented("orderctl dispute-progress ORDER_ID STEP --json") <= set(result.json())
