"""Where the IMAP login comes from: OAuth 2.0 token sources, password sources, the keyring.

These run before any connection is made, so no server is needed; the logins
themselves are tested against Dovecot in tests/integration/test_import_imap*.py.
"""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path

import pytest

from orderctl.errors import CredentialsError
from orderctl.services.context import AppContext
from orderctl.services.mail.credentials import imap_login
from tests.helpers.memory_keyring import MemoryKeyring

KEY = "buyer@127.0.0.1:1/INBOX"
URL = "imaps://buyer@127.0.0.1:1/INBOX"  # port 1: nothing listens, never reached on failure
TOKEN = "token-sentinel-from-helper-8c2b"


def _config(home: Path, **mail: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    lines = ["[mail]"] + [f"{k} = {json.dumps(v)}" for k, v in mail.items()]
    (home / "config.toml").write_text("\n".join(lines) + "\n")
    (home / "config.toml").chmod(0o600)


def _helper(tmp_path: Path, body: str) -> str:
    script = tmp_path / "helper.py"
    script.write_text("import sys\n" + body)
    return shlex.join([sys.executable, str(script)])


@pytest.fixture
def memory_keyring():
    import keyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# -- OAuth 2.0 token sources -----------------------------------------------------------------


def test_the_token_command_runs_without_a_shell(home, tmp_path):
    marker = tmp_path / "argv.json"
    command = _helper(
        tmp_path,
        f"import json\nopen({str(marker)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
        f"print({TOKEN!r})\n",
    )
    _config(home, oauth2_token_command=command + " '$HOME' ';' 'x|y'")
    login = imap_login(AppContext.from_env(), KEY)
    assert (login.method, login.secret, login.source) == (
        "xoauth2",
        TOKEN,
        "mail.oauth2_token_command",
    )
    assert json.loads(marker.read_text()) == ["$HOME", ";", "x|y"]  # nothing expanded
    assert TOKEN not in repr(login)


def test_the_environment_token_wins_and_the_command_is_not_run(home, tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    _config(home, oauth2_token_command=_helper(tmp_path, f"open({str(marker)!r}, 'w')\n"))
    monkeypatch.setenv("ORDERCTL_IMAP_OAUTH2_TOKEN", " env-token \n")
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", "a-password")
    login = imap_login(AppContext.from_env(), KEY)
    assert (login.method, login.secret) == ("xoauth2", "env-token")
    assert not marker.exists()


def test_a_failing_token_command_is_exit_4_and_its_output_is_not_shown(cli, home, tmp_path):
    _config(
        home,
        oauth2_token_command=_helper(
            tmp_path, f"print({TOKEN!r})\nsys.stderr.write({TOKEN!r})\nsys.exit(3)\n"
        ),
    )
    result = cli("import", URL)
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "failed (exit status 3)" in result.stderr
    assert TOKEN not in result.stderr
    as_json = cli("import", URL, "--json")
    assert as_json.exit_code == 4
    assert json.loads(as_json.stdout)["error"]["code"] == 4
    assert TOKEN not in as_json.stdout + as_json.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("pass\n", "did not print one access token"),
        ("print('two words')\n", "did not print one access token"),
    ],
)
def test_a_token_command_without_one_token_is_exit_4(cli, home, tmp_path, body, message):
    _config(home, oauth2_token_command=_helper(tmp_path, body))
    result = cli("import", URL)
    assert result.exit_code == 4
    assert message in result.stderr
    assert "two words" not in result.stderr


def test_a_missing_token_command_is_exit_4(cli, home, tmp_path):
    _config(home, oauth2_token_command=str(tmp_path / "no-such-helper") + " --token")
    result = cli("import", URL)
    assert result.exit_code == 4
    assert "no-such-helper not found" in result.stderr


def test_an_unparsable_token_command_is_a_usage_error(cli, home):
    _config(home, oauth2_token_command="helper 'unclosed")
    result = cli("import", URL)
    assert result.exit_code == 2
    assert "without a shell" in result.stderr


def test_a_token_command_that_hangs_times_out(home, tmp_path):
    _config(home, oauth2_token_command=_helper(tmp_path, "import time\ntime.sleep(30)\n"))
    started = time.monotonic()
    with pytest.raises(CredentialsError) as info:
        imap_login(AppContext.from_env(), KEY, token_timeout=0.5)
    assert time.monotonic() - started < 10
    assert int(info.value.exit_code) == 4
    assert "no token within 0.5 s" in str(info.value)


def test_the_token_command_is_a_config_setting_shown_in_full(cli, home):
    result = cli("config", "set", "mail.oauth2_token_command", "oauth2-helper --token")
    assert result.exit_code == 0, result.stderr
    shown = cli("config", "get", "mail.oauth2_token_command")
    assert shown.exit_code == 0
    assert "oauth2-helper --token" in shown.stdout  # a command, not a secret: not masked
    assert cli("config", "set", "mail.ca_file", "/etc/ssl/my-ca.pem").exit_code == 0


# -- passwords and the keyring ---------------------------------------------------------------


def test_env_and_config_passwords_come_before_the_keyring(home, monkeypatch, memory_keyring):
    memory_keyring.set_password("orderctl", KEY, "from-keyring")
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", "from-env")
    _config(home, password="from-config")
    assert imap_login(AppContext.from_env(), KEY).secret == "from-env"
    monkeypatch.delenv("ORDERCTL_IMAP_PASSWORD")
    assert imap_login(AppContext.from_env(), KEY).secret == "from-config"
    assert memory_keyring.asked == []  # never consulted while another source has it
    (home / "config.toml").unlink()
    login = imap_login(AppContext.from_env(), KEY)
    assert (login.method, login.secret, login.source) == (
        "password",
        "from-keyring",
        "the OS keyring",
    )
    assert memory_keyring.asked == [("orderctl", KEY)]


def test_an_empty_keyring_says_what_to_store(cli, memory_keyring):
    result = cli("import", URL)
    assert result.exit_code == 4
    assert f"the OS keyring has no password for {KEY}" in result.stderr
    assert f"keyring set orderctl {KEY}" in result.stderr


def test_keyring_not_installed_is_a_clear_message(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    result = cli("import", URL)
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "keyring is not installed" in result.stderr
    assert "pip install 'orderctl[keyring]'" in result.stderr


def test_an_unusable_keyring_is_a_clear_message(cli, memory_keyring, monkeypatch):
    from keyring.errors import KeyringLocked

    def locked(service, username):
        raise KeyringLocked("locked")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    result = cli("import", URL)
    assert result.exit_code == 4
    assert "the OS keyring could not be read (KeyringLocked)" in result.stderr


def test_the_imap_source_never_shows_its_secret():
    from datetime import date

    from orderctl.mailbox.imap import ImapSource, parse_imap_url

    source = ImapSource(target=parse_imap_url(URL), password=TOKEN, since=date(2026, 1, 1))
    assert TOKEN not in repr(source)
