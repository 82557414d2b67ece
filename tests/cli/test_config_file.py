"""config.toml may hold API keys: refused when others can read it, never echoed."""

from __future__ import annotations

import os
from pathlib import Path

SECRET = "sentinel-17track-token-3f9a"


def write_config(home: Path, text: str, mode: int) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text)
    os.chmod(path, mode)
    return path


def test_group_readable_config_is_refused_without_showing_its_content(cli, home: Path):
    assert (
        cli("add", "8208460785972844", "--title", "Hub", "--shipped", "2026-11-02").exit_code == 0
    )
    write_config(home, f'[tracking.17track]\ntoken = "{SECRET}"\n', 0o644)
    result = cli("due")
    assert result.exit_code == 2
    assert "readable by other users" in result.stderr
    assert "chmod 600" in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_private_config_is_used(cli, home: Path):
    write_config(home, "[policies.aliexpress]\nprotection_days = 90\n", 0o600)
    cli("add", "8208460785972844", "--title", "Hub", "--shipped", "2026-11-02")
    ends = [e for e in cli("due", "--json").json() if e["kind"] == "protection_ends"]
    assert ends[0]["date"] == "2027-01-31"


def test_broken_config_names_the_file(cli, home: Path):
    assert (
        cli("add", "8208460785972844", "--title", "Hub", "--shipped", "2026-11-02").exit_code == 0
    )
    path = write_config(home, f'[tracking\ntoken = "{SECRET}"\n', 0o600)
    result = cli("due")
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert SECRET not in result.stderr
