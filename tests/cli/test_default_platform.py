"""`default_platform` in config.toml: the platform of orders added without --platform."""

from __future__ import annotations

import os
from pathlib import Path


def _platform(cli, order_id: str) -> str:
    return cli("show", order_id, "--json").json()["platform"]


def test_without_a_setting_orders_are_aliexpress(cli):
    assert cli("add", "8208460785972844", "--title", "Hub").exit_code == 0
    assert _platform(cli, "8208460785972844") == "aliexpress"


def test_the_configured_platform_is_used_and_the_flag_still_wins(cli):
    assert cli("config", "set", "default_platform", "ebay").exit_code == 0
    assert cli("add", "12-34567-89012", "--title", "Lamp").exit_code == 0
    assert _platform(cli, "12-34567-89012") == "ebay"
    flagged = cli("add", "8208460785972844", "--title", "Hub", "--platform", "aliexpress")
    assert flagged.exit_code == 0
    assert _platform(cli, "8208460785972844") == "aliexpress"


def test_a_hand_edited_unknown_platform_is_a_usage_error_naming_the_setting(cli, home: Path):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('default_platform = "mars"\n')
    os.chmod(home / "config.toml", 0o600)
    result = cli("add", "8208460785972844", "--title", "Hub")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "default_platform" in result.stderr and "orderctl config set" in result.stderr
    assert not (home / "orders.json").exists()
