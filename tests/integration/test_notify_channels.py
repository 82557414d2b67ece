"""orderctl notify against real channels on loopback: SMTP (aiosmtpd) and HTTP (json://, ntfy://).

Checks the send-once ledger end to end: a notice arrives once, a second run
sends nothing, a new threshold sends one more, and a failing channel is
retried on the next run while the channels that worked are not sent again.
Secrets in channel URLs (SMTP password, API keys) never reach stdout,
stderr, the ledger or the run log.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from tests.helpers.loopback import LoopbackServer, Reply
from tests.helpers.smtp import SmtpServer

pytest.importorskip("aiosmtpd")

ORDER = "8208460785972844"
SMTP_PASSWORD = "S3NTINEL-smtp-pw-7731"
API_KEY = "S3NTINEL-api-key-0912"
NTFY_TOKEN = "tk_S3NTINELntfytoken55"
SENTINELS = (SMTP_PASSWORD, API_KEY, NTFY_TOKEN)


def write_config(home: Path, urls: list[str], extra: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(f"[notify]\nurls = {json.dumps(urls)}\n{extra}", encoding="utf-8")
    os.chmod(path, 0o600)


def no_secrets(home: Path, *texts: str) -> None:
    files = [p for p in home.rglob("*") if p.is_file() and p.name != "config.toml"]
    blobs = [*texts, *(p.read_text(encoding="utf-8", errors="replace") for p in files)]
    for secret in SENTINELS:
        for blob in blobs:
            assert secret not in blob


@pytest.fixture
def book(cli):
    # Protection ends 2026-12-03: 5 days after the pinned 2026-11-28, inside the 7-day threshold.
    result = cli(
        "add", ORDER, "--title", "USB hub", "--shipped", "2026-11-02",
        "--protection-ends", "2026-12-03",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def expected(cli) -> set[tuple[str, str, int]]:
    """(kind, date, threshold) of each deadline `orderctl due` lists inside 7 days or missed."""
    due = cli("due", "--json")
    assert due.exit_code == 0, due.stderr
    out = set()
    for e in due.json():
        days = e["days_left"]
        if days <= 7:
            threshold = -1 if days < 0 else min(t for t in (7, 2, 0) if t >= days)
            out.add((e["kind"], e["date"], threshold))
    return out


def triples(notices) -> set[tuple[str, str, int]]:
    return {(n["kind"], n["date"], n["threshold"]) for n in notices}


def test_smtp_notice_arrives_once_and_a_new_threshold_sends_one(cli, home, book, monkeypatch):
    with SmtpServer(SMTP_PASSWORD) as smtp:
        write_config(home, [smtp.url])
        first = cli("notify", "--json")
        assert first.exit_code == 0, first.stderr
        data = first.json()
        # due and notify share one answer: every deadline due lists inside 7 days is a notice.
        assert triples(data["notices"]) == expected(cli)
        assert ("protection_ends", "2026-12-03", 7) in triples(data["notices"])
        assert ("dispute_by", "2026-12-01", 7) in triples(data["notices"])
        assert len(smtp.messages) == 1  # one digest
        message = smtp.messages[0]
        count = len(data["notices"])
        assert message["Subject"] == f"orderctl: {count} things need your attention"
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"Dispute step due: Dispute by in 3 days, order {ORDER}" in text
        assert f"Protection ends in 5 days, order {ORDER}" in text
        assert f"https://www.aliexpress.com/p/order/detail.html?orderId={ORDER}" in text
        html = message.get_body(preferencelist=("html",)).get_content()
        assert f'href="https://www.aliexpress.com/p/order/detail.html?orderId={ORDER}"' in html
        assert all(list(n["sent"].values()) == ["ok"] for n in data["notices"])
        assert data["already_sent"] == 0 and data["held"] == []

        again = cli("notify", "--json")
        assert again.exit_code == 0, again.stderr
        assert again.json() == {"notices": [], "held": [], "already_sent": count}
        assert len(smtp.messages) == 1

        # Two days later dispute_by is 1 day away: it enters the 2-day threshold.
        monkeypatch.setenv("ORDERCTL_NOW", "2026-11-30T12:00:00Z")
        later = cli("notify", "--json")
        assert later.exit_code == 0, later.stderr
        new = triples(later.json()["notices"])
        assert new == expected(cli) - triples(data["notices"])
        assert ("dispute_by", "2026-12-01", 2) in new
        assert len(smtp.messages) == 2  # one more message, not one per deadline
        assert (
            "Dispute step due: Dispute by in 1 day"
            in smtp.messages[1].get_body(preferencelist=("plain",)).get_content()
        )
        assert cli("notify", "--json").json()["notices"] == []
        assert len(smtp.messages) == 2
        no_secrets(home, first.stdout, first.stderr, again.stderr, later.stdout, later.stderr)


def test_each_sends_one_message_per_notice(cli, home, book):
    with SmtpServer(SMTP_PASSWORD) as smtp:
        write_config(home, [smtp.url])
        result = cli("notify", "--each", "--json")
        assert result.exit_code == 0, result.stderr
        notices = result.json()["notices"]
        assert len(smtp.messages) == len(notices) >= 2
        assert sorted(m["Subject"] for m in smtp.messages) == sorted(n["title"] for n in notices)
        assert f"Protection ends in 5 days, order {ORDER}" in [n["title"] for n in notices]


def _hook_app(fail: dict[str, int]):
    """/ok answers 200; /broken answers 500 while fail['broken'] > 0."""

    def app(hit):
        if hit.path.endswith("/broken") and fail["broken"] > 0:
            fail["broken"] -= 1
            return Reply(status=500, json={"error": "down"})
        return Reply(json={"ok": True})

    return app


def test_failing_channel_is_retried_next_run_while_others_are_not_resent(cli, home, book):
    fail = {"broken": 1}
    with LoopbackServer(_hook_app(fail)) as server:
        host = server.url.removeprefix("http://")
        good = f"json://{host}/ok?+X-Api-Key={API_KEY}"
        broken = f"json://{host}/broken?+X-Api-Key={API_KEY}"
        ntfy = f"ntfy://{host}/orders?token={NTFY_TOKEN}"
        write_config(home, [good, broken, ntfy])

        first = cli("notify", "--json")
        assert first.exit_code == 5
        notices = first.json()["notices"]
        assert len(notices) >= 2
        results = notices[0]["sent"]
        assert list(results.values()).count("ok") == 2
        failed = [r for r in results.values() if r != "ok"]
        assert len(failed) == 1 and failed[0].startswith("failed: ")
        assert "Error: Some notices could not be sent" in first.stderr
        good_hits = [h for h in server.hits if h.path == "/ok"]
        assert len(good_hits) == 1
        assert good_hits[0].headers["x-api-key"] == API_KEY  # the key reached the receiver only
        body = good_hits[0].json()
        assert body["title"] == f"orderctl: {len(notices)} things need your attention"
        ntfy_hits = [h for h in server.hits if "orders" in h.path or h.path == "/"]
        assert len(ntfy_hits) == 1

        second = cli("notify", "--json")
        assert second.exit_code == 0, second.stderr
        again = second.json()["notices"]
        assert len(again) == len(notices)
        broken_name = next(name for name, result in results.items() if result != "ok")
        assert all(n["channels"] == [broken_name] for n in again)  # only the failed channel
        assert all(n["sent"] == {broken_name: "ok"} for n in again)
        assert len([h for h in server.hits if h.path == "/ok"]) == 1  # not sent twice
        assert len([h for h in server.hits if h.path == "/broken"]) == 2

        third = cli("notify", "--json")
        assert third.json() == {"notices": [], "held": [], "already_sent": len(notices)}
        no_secrets(home, first.stdout, first.stderr, second.stdout, third.stdout)


def test_timeout_and_refused_channels_fail_alone(cli, home, book):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused_port = sock.getsockname()[1]  # closed when the block ends: nothing listens
    with LoopbackServer(lambda hit: Reply(json={}, delay=3.0 if "slow" in hit.path else 0)) as srv:
        host = srv.url.removeprefix("http://")
        urls = [
            f"json://{host}/fine?+X-Api-Key={API_KEY}",
            f"json://{host}/slow?rto=1&cto=1&+X-Api-Key={API_KEY}",
            f"json://127.0.0.1:{refused_port}/nobody?cto=1&+X-Api-Key={API_KEY}",
        ]
        write_config(home, urls)
        result = cli("notify", "--json")
        assert result.exit_code == 5
        sent = result.json()["notices"][0]["sent"]
        assert sorted(v == "ok" for v in sent.values()) == [False, False, True]
        no_secrets(home, result.stdout, result.stderr)
        status = cli("schedule", "status", "--json")
        assert status.exit_code == 0
        assert status.json()["last_result"] == "failed"


def test_test_flag_reports_per_channel(cli, home):
    with LoopbackServer(lambda hit: Reply(status=500 if "bad" in hit.path else 200, json={})) as s:
        host = s.url.removeprefix("http://")
        write_config(home, [f"json://{host}/good?+X-Api-Key={API_KEY}", f"json://{host}/bad"])
        result = cli("notify", "--test", "--json")
        assert result.exit_code == 5
        rows = result.json()["test"]
        assert [r["result"] == "ok" for r in rows] == [True, False]
        assert s.hits[0].json()["title"] == "orderctl test message"
        no_secrets(home, result.stdout, result.stderr)


def test_smtp_wrong_password_fails_without_showing_it(cli, home, book):
    with SmtpServer("the-right-one") as smtp:
        write_config(home, [smtp.url.replace("the-right-one", SMTP_PASSWORD)])
        result = cli("notify")
        assert result.exit_code == 5
        assert smtp.messages == []
        assert "Error: Some notices could not be sent" in result.stderr
        no_secrets(home, result.stdout, result.stderr)


def test_two_runs_at_once_send_each_notice_once(cli, home, book):
    """The ledger lock spans read → send → record: a second run waits, then finds it sent."""
    import subprocess
    import sys

    with LoopbackServer(lambda hit: Reply(json={}, delay=0.5)) as server:
        host = server.url.removeprefix("http://")
        write_config(home, [f"json://{host}/hook?+X-Api-Key={API_KEY}"])
        env = {**os.environ, "ORDERCTL_HOME": str(home)}
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "orderctl", "notify", "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=60) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert len(server.hits) == 1
        results = sorted((json.loads(out) for out, _ in outputs), key=lambda d: d["already_sent"])
        assert results[0]["already_sent"] == 0 and results[0]["notices"]
        assert results[1]["notices"] == [] and results[1]["already_sent"] == len(
            results[0]["notices"]
        )
        no_secrets(home, *(out + err for out, err in outputs))


def test_each_send_is_recorded_before_the_next_so_a_crash_repeats_at_most_one(cli, home, book):
    """A run dies while sending to the second channel: the first is already in the ledger."""
    from orderctl.services.context import AppContext
    from orderctl.services.notify.run import run_notify

    write_config(home, ["json://127.0.0.1:9/first", "json://127.0.0.1:9/second"])
    sent: list[str] = []

    def crashing(channel, title, body):
        if channel.url.endswith("second"):
            raise KeyboardInterrupt  # the process is killed mid-run
        sent.append(channel.url)
        return "ok"

    with pytest.raises(KeyboardInterrupt):
        run_notify(AppContext.from_env(), sender=crashing)
    assert sent == ["json://127.0.0.1:9/first"]

    def recording(channel, title, body):
        sent.append(channel.url)
        return "ok"

    report = run_notify(AppContext.from_env(), sender=recording)
    assert sent == ["json://127.0.0.1:9/first", "json://127.0.0.1:9/second"]
    assert all(list(n.sent) == ["json://127.0.0.1:9/****#2"] for n in report.notices)


def test_track_refreshes_first_and_a_stuck_parcel_becomes_a_notice(cli, monkeypatch):
    """--track runs the tracking refresh (a loopback 17TRACK) before the notices are built."""
    from tests.helpers.loopback import SeventeenTrackStandIn

    token = "S3NTINEL-17track-token"
    with LoopbackServer(SeventeenTrackStandIn(token)) as server:
        monkeypatch.setenv("ORDERCTL_17TRACK_URL", server.url + "/track/v2.2")
        monkeypatch.setenv("ORDERCTL_17TRACK_TOKEN", token)
        monkeypatch.setenv("ORDERCTL_TRACKING_PROVIDER", "17track")
        added = cli("add", ORDER, "--title", "Lamp", "--tracking", "LP00123456789012")
        assert added.exit_code == 0, added.stderr
        before = cli("notify", "--dry-run", "--json").json()["notices"]
        assert not [n for n in before if n["kind"].startswith("parcel_")]
        result = cli("notify", "--track", "--dry-run", "--json")
        assert result.exit_code == 0, result.stderr
        assert any(h.path.endswith("/gettrackinfo") for h in server.hits)
        stuck = [n for n in result.json()["notices"] if n["kind"] == "parcel_stuck"]
        # The stand-in's only scan is 2026-11-02: 26 days before the pinned 2026-11-28.
        assert [(n["threshold"], n["date"]) for n in stuck] == [(10, "2026-11-02")]
        assert stuck[0]["title"] == f"Parcel stuck for 26 days, order {ORDER}"
        assert token not in result.stdout + result.stderr
