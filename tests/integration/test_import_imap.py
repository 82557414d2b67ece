"""`orderctl import imap://…` against a real Dovecot server on loopback.

Checks read-only behaviour (flags unchanged), incremental runs, a changed
UIDVALIDITY, a connection dropped in the middle of a fetch (through a small
TCP relay that cuts it once), a wrong password and a refusing server.
No part of the IMAP protocol is mocked.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from pathlib import Path

import pytest

from tests.helpers.dovecot import PASSWORD, USER, dovecot_binary, start_dovecot
from tests.helpers.mail import corpus_files

pytestmark = pytest.mark.skipif(
    dovecot_binary() is None and not os.environ.get("CI"),
    reason="Dovecot is not installed here (apt-get install dovecot-imapd; .ci/run installs it)",
)


@pytest.fixture
def server():
    dovecot = start_dovecot()
    yield dovecot
    dovecot.stop()


@pytest.fixture
def corpus() -> list[bytes]:
    return [p.read_bytes() for p in corpus_files()]


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", PASSWORD)
    monkeypatch.setenv("ORDERCTL_TZ", "Europe/Berlin")


def _no_secret(result, home: Path) -> None:
    assert PASSWORD not in result.stdout
    assert PASSWORD not in result.stderr
    for path in home.rglob("*"):
        if path.is_file() and path.name != "config.toml":  # where the user put it
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_import_over_imap_is_read_only_and_incremental(cli, home, server, corpus):
    server.append(corpus[:20])
    server.append(corpus[20:], flags="(\\Seen \\Flagged)")
    before = server.flags()
    first = cli("import", server.url, "--insecure", "--json", "--since", "2026-10-01")
    assert first.exit_code == 0, first.stderr
    report = first.json()
    assert report["format"] == "imap"
    # Server-side SEARCH narrowed the mailbox: the private message was never fetched.
    assert 0 < report["messages_seen"] < len(corpus)
    assert "<not-an-order-en@corpus.orderctl.test>" not in str(report)
    assert report["messages_matched"] == len(corpus) - 2  # newsletter and the private message
    assert "8208460785972844" in report["added"]
    assert "INSECURE" in first.stderr
    assert server.flags() == before  # EXAMINE + BODY.PEEK: nothing changed
    _no_secret(first, home)

    again = cli("import", server.url, "--insecure", "--json", "--since", "2026-10-01")
    assert again.exit_code == 0
    assert again.json()["messages_seen"] == 0  # incremental: only UIDs above the last one

    new = (
        b"From: AliExpress <transaction@notice.aliexpress.com>\r\n"
        b"Subject: Order 5019241171106742: order shipped\r\n"
        b"Date: Wed, 25 Nov 2026 10:00:00 +0800\r\nMessage-ID: <late@test>\r\n\r\n"
        b"Your order 5019241171106742 has been shipped. Tracking number: RB123456785CN\r\n"
    )
    server.append([new])
    third = cli("import", server.url, "--insecure", "--json", "--since", "2026-10-01", "--update")
    assert third.exit_code == 0, third.stderr
    assert third.json()["messages_seen"] == 1
    shown = cli("show", "5019241171106742", "--json").json()
    assert shown["state"] == "delivered"  # the late "shipped" does not move it backwards
    assert shown["tracking_number"] == "RB123456785CN"
    assert server.flags() != {}
    _no_secret(third, home)


def test_changed_uidvalidity_rescans(cli, server, corpus):
    admin = server.admin()
    admin.create("Orders")
    admin.logout()
    server.append(corpus[:5], folder="Orders")
    url = server.url.replace("/INBOX", "/Orders")
    first = cli("import", url, "--insecure", "--json", "--since", "2026-10-01")
    assert first.exit_code == 0, first.stderr
    seen = first.json()["messages_seen"]
    assert seen > 0
    assert (
        cli("import", url, "--insecure", "--json", "--since", "2026-10-01").json()["messages_seen"]
        == 0
    )
    server.recreate("Orders", corpus[:5])
    rescan = cli("import", url, "--insecure", "--json", "--since", "2026-10-01")
    assert rescan.exit_code == 0
    assert rescan.json()["messages_seen"] == seen
    assert "UIDVALIDITY changed" in rescan.stderr
    assert rescan.json()["added"] == []  # the same messages: nothing new in the book


class _CuttingRelay:
    """Relays 127.0.0.1:port to the server; cuts the first connection that fetches a body."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut = False
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_server: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_server and not self.cut and b"BODY[] {" in data:
                    self.cut = True
                    dst.sendall(data[: data.index(b"BODY[] {") + 20])
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.listener.close()


def test_dropped_connection_mid_fetch_reconnects_and_finishes(cli, server, corpus):
    server.append(corpus)
    relay = _CuttingRelay(server.port)
    try:
        url = f"imap://{USER}@127.0.0.1:{relay.port}/INBOX"
        result = cli("import", url, "--insecure", "--json", "--since", "2026-10-01")
    finally:
        relay.close()
    assert relay.cut
    assert relay.connections >= 2
    assert result.exit_code == 0, result.stderr
    assert "reconnected" in result.stderr
    assert result.json()["messages_matched"] == len(corpus) - 2


def test_wrong_password_is_exit_4_and_never_shown(cli, home, server, monkeypatch):
    wrong = "wrong-password-sentinel-91b2"
    monkeypatch.setenv("ORDERCTL_IMAP_PASSWORD", wrong)
    result = cli("import", server.url, "--insecure", "--json")
    assert result.exit_code == 4
    assert json.loads(result.stdout)["error"]["code"] == 4
    assert "refused the login" in result.stderr
    assert wrong not in result.stderr + result.stdout
    assert (
        not (home / "orders.json").exists()
        or wrong.encode() not in (home / "orders.json").read_bytes()
    )


def test_missing_password_is_exit_4(cli, server, monkeypatch):
    monkeypatch.delenv("ORDERCTL_IMAP_PASSWORD")
    result = cli("import", server.url, "--insecure")
    assert result.exit_code == 4
    assert "ORDERCTL_IMAP_PASSWORD" in result.stderr


def test_password_in_the_url_is_refused(cli):
    result = cli("import", f"imaps://{USER}:{PASSWORD}@127.0.0.1/INBOX")
    assert result.exit_code == 2
    assert PASSWORD not in result.stderr + result.stdout


def test_refusing_server_is_exit_5(cli, server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    result = cli("import", f"imap://{USER}@127.0.0.1:{closed}/INBOX", "--insecure")
    assert result.exit_code == 5
    assert result.stdout == ""
    missing = cli("import", server.url.replace("INBOX", "NoSuchFolder"), "--insecure")
    assert missing.exit_code == 5
    assert "NoSuchFolder" in missing.stderr


def test_plain_imap_without_insecure_is_refused(cli, server):
    result = cli("import", server.url)
    assert result.exit_code == 5
    assert "STARTTLS" in result.stderr
    assert "--insecure" in result.stderr


def test_password_and_url_from_the_config_file(cli, home, server, corpus, monkeypatch):
    monkeypatch.delenv("ORDERCTL_IMAP_PASSWORD")
    server.append(corpus[:4])
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    config.write_text(f'[mail]\nurl = "{server.url}"\npassword = "{PASSWORD}"\nsince_days = 60\n')
    config.chmod(0o600)
    result = cli("import", "--insecure", "--json")  # the URL from mail.url
    assert result.exit_code == 0, result.stderr
    assert result.json()["format"] == "imap"
    assert result.json()["messages_seen"] > 0
    _no_secret(result, home)


class _CutEveryBody(_CuttingRelay):
    """Cuts every connection as soon as a message body starts to arrive."""

    def _pipe(self, src, dst, from_server):
        self.cut = False
        super()._pipe(src, dst, from_server)


def test_connection_lost_for_good_is_exit_5_and_writes_nothing(cli, home, server, corpus):
    server.append(corpus[:6])
    relay = _CutEveryBody(server.port)
    try:
        url = f"imap://{USER}@127.0.0.1:{relay.port}/INBOX"
        result = cli("import", url, "--insecure", "--json", "--since", "2026-10-01")
    finally:
        relay.close()
    assert result.exit_code == 5
    assert json.loads(result.stdout)["error"]["code"] == 5
    assert "connection lost" in result.stderr
    assert not (home / "orders.json").exists()  # no orders and no IMAP state written


def test_a_silent_server_times_out_with_exit_5():
    from orderctl.errors import ProviderError
    from orderctl.services.context import AppContext
    from orderctl.services.mail.importer import MailImportOptions, import_mail

    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never greets
    port = silent.getsockname()[1]
    try:
        ctx = AppContext.from_env()
        options = MailImportOptions(insecure=True, timeout=0.5)
        with pytest.raises(ProviderError) as info:
            import_mail(ctx, [f"imap://{USER}@127.0.0.1:{port}/INBOX"], options)
        assert int(info.value.exit_code) == 5
    finally:
        silent.close()


def test_a_platform_filtered_run_keeps_its_own_high_water_mark(cli, server, corpus):
    server.append(corpus)
    narrow = cli(
        "import", server.url, "--insecure", "--json", "--platform", "ebay", "--since", "2026-10-01"
    )
    assert narrow.exit_code == 0, narrow.stderr
    assert {m["platform"] for m in narrow.json()["messages"]} == {"ebay"}
    full = cli("import", server.url, "--insecure", "--json", "--since", "2026-10-01")
    assert full.json()["messages_matched"] == len(corpus) - 2  # not hidden by the narrow run


def test_debug_logging_shows_neither_password_nor_bodies(cli, server, corpus, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    server.append(corpus[:8])
    result = cli("import", server.url, "--insecure", "--json", "--since", "2026-10-01")
    assert result.exit_code == 0, result.stderr
    assert PASSWORD not in caplog.text
    assert "Thank" not in caplog.text and "Tracking number" not in caplog.text


def test_a_token_for_a_server_without_xoauth2_says_so(cli, server, monkeypatch):
    token = "oauth2-token-sentinel-for-a-password-server"
    monkeypatch.setenv("ORDERCTL_IMAP_OAUTH2_TOKEN", token)
    result = cli("import", server.url, "--insecure")
    assert result.exit_code == 4
    assert "does not offer OAuth 2.0 (XOAUTH2) login" in result.stderr
    assert token not in result.stderr + result.stdout
