"""TLS, OAuth 2.0 (XOAUTH2) and the keyring against a real Dovecot on loopback.

The test makes its own certificate authority and server certificate; Dovecot
serves STARTTLS on its IMAP port and implicit TLS on a second port, and the
client trusts only that CA (``--ca-file`` / ``mail.ca_file``). For XOAUTH2,
Dovecot's own oauth2 passdb asks a token introspection endpoint the test
serves on loopback. Nothing of IMAP, TLS or the token check is mocked.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import pytest

from tests.helpers.dovecot import (
    PASSWORD,
    USER,
    TokenIntrospection,
    dovecot_binary,
    make_certificate,
    start_dovecot,
)
from tests.helpers.mail import corpus_files

pytestmark = pytest.mark.skipif(
    dovecot_binary() is None and not os.environ.get("CI"),
    reason="Dovecot is not installed here (apt-get install dovecot-imapd; .ci/run installs it)",
)

GOOD_TOKEN = "ya29.good-oauth2-token-sentinel-5d1e"
BAD_TOKEN = "ya29.rejected-oauth2-token-sentinel-c07a"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory):
    """A second CA the server's certificate was not signed by."""
    return make_certificate(tmp_path_factory.mktemp("other"), name="someone else's CA")


@pytest.fixture(scope="module")
def introspection():
    endpoint = TokenIntrospection({GOOD_TOKEN})
    yield endpoint
    endpoint.close()


@pytest.fixture(scope="module")
def server(certificate, introspection):
    dovecot = start_dovecot(tls=certificate, oauth2_url=introspection.url)
    dovecot.append([p.read_bytes() for p in corpus_files()])
    yield dovecot
    dovecot.stop()


@pytest.fixture(autouse=True)
def zone(monkeypatch):
    monkeypatch.setenv("ORDERCTL_TZ", "Europe/Berlin")


def _logins(server, method: str) -> list[str]:
    return [
        line
        for line in server.log().splitlines()
        if f"Login: user=<{USER}>, method={method}," in line
    ]


def _no_secret(result, home: Path, secret: str) -> None:
    assert secret not in result.stdout
    assert secret not in result.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def _config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)
    (home / "config.toml").chmod(0o600)


# -- TLS -------------------------------------------------------------------------------------


def test_imaps_trusting_only_the_test_ca(cli, home, server, certificate, monkeypatch):
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", PASSWORD)
    before_flags = server.flags()
    before = len(_logins(server, "PLAIN"))
    result = cli(
        "import", server.imaps_url, "--ca-file", str(certificate.ca_file), "--json",
        "--since", "2026-10-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["format"] == "imap"
    assert report["messages_matched"] == len(corpus_files()) - 2
    assert "INSECURE" not in result.stderr
    logins = _logins(server, "PLAIN")[before:]
    assert logins and all(", TLS," in line for line in logins)  # the login went over TLS
    assert server.flags() == before_flags
    _no_secret(result, home, PASSWORD)


def test_starttls_with_the_ca_from_the_config_file(cli, home, server, certificate, monkeypatch):
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", PASSWORD)
    _config(home, f'[mail]\nurl = "{server.url}"\nca_file = "{certificate.ca_file}"\n')
    before = len(_logins(server, "PLAIN"))
    result = cli("import", "--json", "--dry-run", "--since", "2026-10-01")  # no --insecure
    assert result.exit_code == 0, result.stderr
    assert result.json()["messages_matched"] == len(corpus_files()) - 2
    assert "INSECURE" not in result.stderr
    logins = _logins(server, "PLAIN")[before:]
    assert logins and all(", TLS," in line for line in logins)  # STARTTLS before LOGIN


@pytest.mark.parametrize("scheme", ["imaps", "imap"])
def test_an_untrusted_certificate_is_refused_before_the_login(
    cli, home, server, other_ca, monkeypatch, scheme
):
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", PASSWORD)
    url = server.imaps_url if scheme == "imaps" else server.url
    before = len(_logins(server, "PLAIN"))
    for extra in (["--ca-file", str(other_ca.ca_file)], []):  # another CA; the system's CAs
        result = cli("import", url, "--since", "2026-10-01", *extra)
        assert result.exit_code == 5, result.stderr
        assert result.stdout == ""
        assert "TLS certificate is not trusted" in result.stderr
        assert "--ca-file" in result.stderr
        as_json = cli("import", url, "--json", *extra)
        assert as_json.exit_code == 5
        assert json.loads(as_json.stdout)["error"]["code"] == 5
    assert len(_logins(server, "PLAIN")) == before  # the password was never sent
    assert not (home / "orders.json").exists()
    _no_secret(result, home, PASSWORD)


def test_insecure_does_not_switch_off_certificate_checks(cli, server, other_ca, monkeypatch):
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", PASSWORD)
    result = cli("import", server.url, "--insecure", "--ca-file", str(other_ca.ca_file))
    assert result.exit_code == 5
    assert "not trusted" in result.stderr


def test_a_missing_or_bad_ca_file_is_a_usage_error(cli, tmp_path, server, monkeypatch):
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", PASSWORD)
    missing = cli("import", server.imaps_url, "--ca-file", str(tmp_path / "nope.pem"))
    assert missing.exit_code == 2
    assert "--ca-file: no such file" in missing.stderr
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    bad = cli("import", server.imaps_url, "--ca-file", str(junk))
    assert bad.exit_code == 2
    assert "no PEM certificate" in bad.stderr


# -- OAuth 2.0 (XOAUTH2) ---------------------------------------------------------------------


def test_xoauth2_with_a_token_from_the_environment(
    cli, home, server, certificate, introspection, monkeypatch
):
    monkeypatch.setenv("ORDERCTL_IMAP_OAUTH2_TOKEN", GOOD_TOKEN)
    before = len(_logins(server, "XOAUTH2"))
    result = cli(
        "import", server.imaps_url, "--ca-file", str(certificate.ca_file), "--json",
        "--since", "2026-10-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "8208460785972844" in result.json()["added"]
    assert len(_logins(server, "XOAUTH2")) > before
    assert GOOD_TOKEN in introspection.asked  # Dovecot checked the very token we sent
    _no_secret(result, home, GOOD_TOKEN)


def test_xoauth2_with_a_token_command_over_starttls(
    cli, home, tmp_path, server, certificate, introspection, monkeypatch
):
    # A wrong password is set too: a configured token source wins over it.
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", "wrong-password")
    helper = tmp_path / "oauth2 helper.py"
    helper.write_text(
        "import sys\n"
        "sys.stderr.write('helper-stderr-sentinel refreshing\\n')\n"
        f"print({GOOD_TOKEN!r})\n"
    )
    command = shlex.join([sys.executable, str(helper), "--token"])
    _config(
        home,
        f"[mail]\nurl = {json.dumps(server.url)}\nca_file = {json.dumps(str(certificate.ca_file))}"
        f"\noauth2_token_command = {json.dumps(command)}\n",
    )
    before = len(_logins(server, "XOAUTH2"))
    result = cli("import", "--json", "--dry-run", "--since", "2026-10-01")
    assert result.exit_code == 0, result.stderr
    assert result.json()["messages_matched"] == len(corpus_files()) - 2
    logins = _logins(server, "XOAUTH2")[before:]
    assert logins and all(", TLS," in line for line in logins)
    assert "helper-stderr-sentinel" not in result.stderr + result.stdout
    _no_secret(result, home, GOOD_TOKEN)
    listed = cli("config", "list", "--json")
    assert listed.exit_code == 0
    assert GOOD_TOKEN not in listed.stdout


def test_a_rejected_token_is_exit_4_and_never_shown(
    cli, home, server, certificate, introspection, monkeypatch
):
    monkeypatch.setenv("ORDERCTL_IMAP_OAUTH2_TOKEN", BAD_TOKEN)
    args = ("import", server.imaps_url, "--ca-file", str(certificate.ca_file))
    result = cli(*args)
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "refused the OAuth 2.0 (XOAUTH2) login" in result.stderr
    assert BAD_TOKEN in introspection.asked
    as_json = cli(*args, "--json")
    assert as_json.exit_code == 4
    assert json.loads(as_json.stdout)["error"]["code"] == 4
    assert not (home / "orders.json").exists()
    for shown in (result, as_json):
        _no_secret(shown, home, BAD_TOKEN)


# -- the OS keyring --------------------------------------------------------------------------


@pytest.fixture
def memory_keyring():
    import keyring

    from tests.helpers.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_password_comes_from_the_keyring(cli, home, server, certificate, memory_keyring):
    key = f"{USER}@127.0.0.1:{server.tls_port}/INBOX"
    memory_keyring.set_password("orderctl", key, PASSWORD)
    result = cli(
        "import", server.imaps_url, "--ca-file", str(certificate.ca_file), "--json",
        "--dry-run", "--since", "2026-10-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.json()["messages_matched"] == len(corpus_files()) - 2
    assert memory_keyring.asked == [("orderctl", key)]
    _no_secret(result, home, PASSWORD)
