"""`orderctl config`: get, set, unset, list, path, edit against the settings schema."""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from orderctl.services.settings import BY_KEY, SCHEMA, validate_document

SECRET = "sentinel-token-7d1c"
ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_set_writes_the_file_0600_and_get_reads_it_back(cli, home: Path):
    result = cli("config", "set", "name", "Jane Doe")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Set name = Jane Doe" in result.stderr
    path = home / "config.toml"
    assert _mode(path) == 0o600
    assert tomllib.loads(path.read_text())["name"] == "Jane Doe"
    got = cli("config", "get", "name")
    assert (got.exit_code, got.stdout) == (0, "Jane Doe\n")


def test_set_keeps_other_keys_including_unknown_ones(cli, home: Path):
    home.mkdir(parents=True)
    path = home / "config.toml"
    path.write_text('my_own = "kept"\n[policies.aliexpress]\nprotection_days = 90\n')
    os.chmod(path, 0o600)
    assert cli("config", "set", "tracking.17track.token", SECRET).exit_code == 0
    doc = tomllib.loads(path.read_text())
    assert doc == {
        "my_own": "kept",
        "policies": {"aliexpress": {"protection_days": 90}},
        "tracking": {"17track": {"token": SECRET}},
    }


def test_secret_is_masked_in_set_get_and_list(cli):
    result = cli("config", "set", "tracking.17track.token", SECRET)
    assert SECRET not in result.stdout + result.stderr
    assert "***" in result.stderr
    got = cli("config", "get", "tracking.17track.token")
    assert got.stdout == "***\n"
    listed = cli("config", "list")
    assert SECRET not in listed.stdout
    row = next(r for r in cli("config", "list", "--json").json() if r["key"].endswith("token"))
    assert row["value"] == "***" and row["secret"] is True and row["set"] is True
    assert cli("config", "get", "tracking.17track.token", "--reveal").stdout == SECRET + "\n"


def test_secret_list_items_are_masked(cli):
    url = "tgram://bottoken/ChatID"
    assert cli("config", "set", "notify.urls", url, "mailto://a@b").exit_code == 0
    listed = cli("config", "list", "--json").json()
    row = next(r for r in listed if r["key"] == "notify.urls")
    assert row["value"] == ["***", "***"]
    assert url not in cli("config", "list").stdout


def test_set_reads_a_secret_from_stdin(cli, home: Path):
    result = cli("config", "set", "mail.password", "-", input=SECRET + "\n")
    assert result.exit_code == 0, result.stderr
    assert tomllib.loads((home / "config.toml").read_text())["mail"]["password"] == SECRET


def test_unknown_key_suggests_the_closest(cli, home: Path):
    result = cli("config", "set", "trackng.17track.token", SECRET)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Unknown setting 'trackng.17track.token'" in result.stderr
    assert "Did you mean tracking.17track.token?" in result.stderr
    assert SECRET not in result.stderr
    assert not (home / "config.toml").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("tz", "Mars/Base", "not an IANA time zone"),
        ("notify.stuck_days", "soon", "not a whole number"),
        ("notify.digest", "maybe", "not true or false"),
        ("notify.quiet_hours", "22-7", "not a range like 22:00-07:00"),
        ("tracking.provider", "fedex", "not one of 17track, aftership, cainiao"),
        ("default_platform", "ebay-ish", "not a known platform"),
        ("mail.url", "http://x", "not an imap:// or imaps:// URL"),
        ("policies.aliexpress.protection_days", "-1", "must not be negative"),
    ],
)
def test_bad_values_exit_2_and_write_nothing(cli, home: Path, key, value, message):
    result = cli("config", "set", key, "--", value)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert not (home / "config.toml").exists()


def test_bad_secret_value_is_not_echoed(cli):
    result = cli("config", "set", "mail.password", "")
    assert result.exit_code == 2
    assert "Bad value for mail.password" in result.stderr


def test_policy_keys_are_checked_against_the_policy_data(cli):
    bad = cli("config", "set", "policies.aliexpres.protection_days", "90")
    assert bad.exit_code == 2
    assert "Did you mean 'aliexpress'?" in bad.stderr
    bad_value = cli("config", "set", "policies.aliexpress.protection_dayz", "90")
    assert bad_value.exit_code == 2
    assert "Did you mean 'protection_days'?" in bad_value.stderr
    assert cli("config", "set", "policies.aliexpress.protection_days", "90").exit_code == 0
    assert cli("config", "get", "policies.aliexpress.protection_days").stdout == "90\n"


def test_int_lists_accept_commas_and_unset_restores_the_default(cli, home: Path):
    assert cli("config", "set", "notify.thresholds", "10,3", "1").exit_code == 0
    assert cli("config", "get", "notify.thresholds", "--json").json()["value"] == [10, 3, 1]
    result = cli("config", "unset", "notify.thresholds")
    assert result.exit_code == 0 and "Removed notify.thresholds" in result.stderr
    got = cli("config", "get", "notify.thresholds", "--json").json()
    assert got["value"] == [7, 2, 0] and got["set"] is False
    # Tables left empty are removed too.
    assert "notify" not in tomllib.loads((home / "config.toml").read_text())
    again = cli("config", "unset", "notify.thresholds")
    assert again.exit_code == 0 and "nothing changed" in again.stderr


def test_get_without_value_or_default_exits_3(cli):
    result = cli("config", "get", "name")
    assert result.exit_code == 3
    assert "orderctl config set name" in result.stderr


def test_path_prints_the_config_file(cli, home: Path):
    result = cli("config", "path")
    assert (result.exit_code, result.stdout) == (0, f"{home / 'config.toml'}\n")


def test_set_refuses_a_world_readable_file_and_keeps_it(cli, home: Path):
    home.mkdir(parents=True)
    path = home / "config.toml"
    path.write_text('name = "A"\n')
    os.chmod(path, 0o644)
    result = cli("config", "set", "name", "B")
    assert result.exit_code == 2
    assert "chmod 600" in result.stderr
    assert path.read_text() == 'name = "A"\n'


def _editor(tmp_path: Path, new_text: str) -> str:
    script = tmp_path / "fake_editor.py"
    script.write_text(f"import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write({new_text!r})\n")
    return f"{sys.executable} {script}"


def test_edit_saves_a_valid_file(cli, home: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("EDITOR", _editor(tmp_path, 'name = "Jane"\ntz = "Europe/Berlin"\n'))
    monkeypatch.delenv("VISUAL", raising=False)
    result = cli("config", "edit")
    assert result.exit_code == 0, result.stderr
    path = home / "config.toml"
    assert path.read_text() == 'name = "Jane"\ntz = "Europe/Berlin"\n'
    assert _mode(path) == 0o600
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("config")) == [
        "config.toml",
        "config.toml.lock",
    ]


def test_edit_refuses_an_invalid_file_and_keeps_the_old_one(
    cli, home: Path, tmp_path: Path, monkeypatch
):
    assert cli("config", "set", "name", "Old").exit_code == 0
    before = (home / "config.toml").read_text()
    monkeypatch.setenv("EDITOR", _editor(tmp_path, 'name = "New"\ntz = "Nowhere/Land"\nnme = 1\n'))
    monkeypatch.delenv("VISUAL", raising=False)
    result = cli("config", "edit")
    assert result.exit_code == 2
    assert "2 problems" in result.stderr
    assert "tz: 'Nowhere/Land' is not an IANA time zone" in result.stderr
    assert "nme: Unknown setting 'nme'" in result.stderr and "Did you mean name?" in result.stderr
    assert (home / "config.toml").read_text() == before
    rejected = home / "config.toml.rejected"
    assert "Nowhere/Land" in rejected.read_text()
    assert _mode(rejected) == 0o600


def test_edit_with_a_failing_editor_changes_nothing(cli, home: Path, monkeypatch):
    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.delenv("VISUAL", raising=False)
    result = cli("config", "edit")
    assert result.exit_code == 1
    assert "nothing changed" in result.stderr
    assert not (home / "config.toml").exists()


def test_schema_lists_every_shared_key():
    shared = {
        "name", "tz", "default_platform", "tracking.provider", "tracking.17track.token",
        "tracking.17track.url", "tracking.aftership.key", "tracking.aftership.url",
        "tracking.cainiao.url", "tracking.stuck_days", "feedback.private_words", "mail.url",
        "mail.password",
        "mail.since_days", "mail.keep_mail", "notify.urls", "notify.thresholds",
        "notify.quiet_hours", "notify.digest", "notify.stuck_days", "notify.refund_days",
        "evidence.max_file_mb", "evidence.max_megapixels",
    }  # fmt: skip
    shared |= {"mail.oauth2_token_command", "mail.ca_file"}  # added by the mail helper (XOAUTH2)
    assert set(BY_KEY) == shared
    secrets = {s.key for s in SCHEMA if s.secret}
    assert secrets == {
        "tracking.17track.token",
        "tracking.aftership.key",
        "mail.password",
        "notify.urls",
    }
    assert all(s.help for s in SCHEMA)
    # Every default passes its own check.
    assert validate_document({}) == []
    for s in SCHEMA:
        if s.default is not None:
            doc: dict = {}
            node = doc
            *parents, last = s.key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = s.default
            assert validate_document(doc) == [], s.key


def test_every_config_set_hint_names_a_working_key():
    """A hint that names a setting must name one `orderctl config set` accepts."""
    from orderctl.services.settings import lookup

    pattern = re.compile(r"config set ([A-Za-z0-9_.]+)")
    found = [
        key
        for path in (ROOT / "orderctl").rglob("*.py")
        for key in pattern.findall(path.read_text(encoding="utf-8"))
    ]
    assert "policies.aliexpress.protection_days" in found
    for key in found:
        lookup(key)  # raises InvalidInput for an unknown key


@pytest.mark.parametrize("provider", ["17track", "aftership"])
def test_the_missing_key_hint_of_track_is_a_working_command(cli, provider):
    from orderctl.errors import CredentialsError
    from orderctl.providers.settings import resolve_provider

    with pytest.raises(CredentialsError) as caught:
        resolve_provider(provider, {}, {})
    command = re.search(r"`orderctl (config set [^`]+)`", caught.value.hint).group(1)
    args = command.replace("<key>", SECRET).split()
    assert cli(*args).exit_code == 0
    settings = resolve_provider(
        provider, {}, tomllib.loads(Path(os.environ["ORDERCTL_HOME"], "config.toml").read_text())
    )
    assert settings.token == SECRET


def test_documented_json_keys_are_present(cli):
    from tests.test_json_docs import documented

    assert cli("config", "set", "name", "Jane").exit_code == 0
    keys = documented("orderctl config list --json")
    assert all(set(row) == keys for row in cli("config", "list", "--json").json())
    assert set(cli("config", "get", "name", "--json").json()) == keys


def test_list_masks_unknown_keys_and_shows_policy_overrides(cli, home: Path):
    home.mkdir(parents=True)
    path = home / "config.toml"
    path.write_text(
        f'[tracking.17trak]\ntoken = "{SECRET}"\n[policies.aliexpress]\nprotection_days = 90\n'
    )
    os.chmod(path, 0o600)
    rows = {r["key"]: r for r in cli("config", "list", "--json").json()}
    assert rows["tracking.17trak.token"]["known"] is False
    assert rows["tracking.17trak.token"]["value"] == "***"
    assert rows["policies.aliexpress.protection_days"]["value"] == 90
    assert SECRET not in cli("config", "list").stdout
