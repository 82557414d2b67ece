"""The derived-data cache never serves a stale or unvalidated answer."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers.errors import json_error

AE_ID = "8208460785972844"


def setup_book(cli) -> None:
    assert cli("add", AE_ID, "--title", "Hub", "--shipped", "2026-11-02").exit_code == 0


def test_list_is_cached_and_follows_every_write(cli, home: Path):
    setup_book(cli)
    first = cli("list", "--json").json()
    assert (home / "cache" / "list.json").exists()
    assert cli("list", "--json").json() == first
    cli("edit", AE_ID, "--title", "Hub v2")
    assert cli("list", "--json").json()[0]["title"] == "Hub v2"


def test_a_hand_edit_is_seen_and_a_hand_break_is_refused(cli, home: Path):
    setup_book(cli)
    cli("list", "--json")
    db = home / "orders.json"
    raw = json.loads(db.read_text())
    raw["orders"]["1"]["title"] = "Edited by hand"
    db.write_text(json.dumps(raw))
    assert cli("list", "--json").json()[0]["title"] == "Edited by hand"
    assert cli("show", AE_ID, "--json").json()["title"] == "Edited by hand"
    db.write_text(db.read_text()[:-5])  # truncated
    for args in (["list", "--json"], ["show", AE_ID, "--json"]):
        result = cli(*args)
        assert result.exit_code == 7, args
        assert json_error(result)["message"].startswith(f"The order store {db} cannot be used")


def test_days_left_follow_the_clock_and_config(cli, home: Path, monkeypatch):
    setup_book(cli)
    before = cli("list", "--json").json()[0]["next_deadline"]
    monkeypatch.setenv("ORDERCTL_NOW", "2026-11-29T12:00:00Z")
    after = cli("list", "--json").json()[0]["next_deadline"]
    assert after["days_left"] == before["days_left"] - 1
    config = home / "config.toml"
    config.write_text("[policies.aliexpress]\nprotection_days = 90\n")
    os.chmod(config, 0o600)
    longer = cli("list", "--json").json()[0]["next_deadline"]
    assert longer["date"] > after["date"]


def test_a_broken_cache_is_ignored(cli, home: Path):
    setup_book(cli)
    expected = cli("list", "--json").json()
    (home / "cache" / "list.json").write_text("{not json")
    assert cli("list", "--json").json() == expected
    (home / "cache" / "list.json").write_text('{"key": "x", "value": []}')
    assert cli("list", "--json").json() == expected
