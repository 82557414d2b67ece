"""Hints that name a setting name a command that works (`orderctl config ...`)."""

from __future__ import annotations

import os
from pathlib import Path


def _write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)
    os.chmod(home / "config.toml", 0o600)


def test_config_set_refuses_a_policy_value_that_would_overflow_dates(cli, home: Path):
    result = cli("config", "set", "policies.aliexpress.protection_days", "99999999")
    assert result.exit_code == 2
    assert "more than 3650 days" in result.stderr
    assert not (home / "config.toml").exists()


def test_a_bad_hand_written_policy_override_names_config_edit_and_unset(cli, home: Path):
    assert (
        cli("add", "8208460785972844", "--title", "Hub", "--shipped", "2026-11-20").exit_code == 0
    )
    _write_config(home, "[policies.aliexpress]\nprotection_days = 99999999\n")
    result = cli("show", "8208460785972844")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: config.toml [policies.aliexpress] protection_days")
    assert "`orderctl config edit`" in result.stderr
    assert "`orderctl config unset policies.PLATFORM.KEY`" in result.stderr


def test_missing_notify_channels_hint_is_a_working_config_command(cli):
    result = cli("notify")
    assert result.exit_code == 4
    assert "`orderctl config set notify.urls ntfys://ntfy.sh/your-topic`" in result.stderr
    follow = cli("config", "set", "notify.urls", "ntfys://ntfy.sh/your-topic")
    assert follow.exit_code == 0, follow.stderr
