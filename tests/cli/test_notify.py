"""orderctl notify: the JSON contract, exit codes, quiet hours, and what a dry run leaves behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.loopback import LoopbackServer, Reply

ORDER = "8208460785972844"
NOTICE_KEYS = {"order_id", "kind", "threshold", "date", "title", "body", "channels"}


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")
    os.chmod(home / "config.toml", 0o600)


@pytest.fixture
def book(cli):
    result = cli(
        "add", ORDER, "--title", "USB hub", "--shipped", "2026-11-02",
        "--protection-ends", "2026-12-03",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def test_dry_run_json_contract_and_nothing_written(cli, home, book):
    write_config(home, '[notify]\nurls = ["json://127.0.0.1:9/hook?+X-Key=S3CRETKEY"]\n')
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    result = cli("notify", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) == {"notices", "held", "already_sent"}
    assert data["already_sent"] == 0 and data["held"] == []
    assert data["notices"], "the book has deadlines inside 7 days"
    for notice in data["notices"]:
        assert set(notice) == NOTICE_KEYS  # no "sent" in a dry run
        assert notice["channels"] == ["json://127.0.0.1:9/****"]
        assert notice["order_id"] == ORDER
    assert "S3CRETKEY" not in result.stdout + result.stderr
    after = sorted(p.relative_to(home) for p in home.rglob("*"))
    state = [p for p in after if p.parts[0] != "cache"]  # the derived-values cache may appear
    assert state == [p for p in before if p.parts[0] != "cache"]
    assert not (home / "notify-ledger.json").exists() and not (home / "logs").exists()


def test_dry_run_without_channels_still_lists_notices(cli, book):
    result = cli("notify", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert all(n["channels"] == [] for n in result.json()["notices"])
    human = cli("notify", "--dry-run")
    assert human.exit_code == 0
    assert f"{ORDER}" in human.stdout and "(no channels)" in human.stdout
    assert "Dry run: nothing was sent or recorded." in human.stderr


def test_no_channels_is_a_config_error(cli, book):
    result = cli("notify")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "notify.urls is not set" in result.stderr


@pytest.mark.parametrize(
    "config",
    [
        '[notify]\nurls = ["nosuchscheme://user:S3CRETPW@host/x"]\n',
        '[notify]\nurls = ["S3CRETPW"]\n',
        '[notify]\nurls = ["json://h/x"]\nquiet_hours = "late"\n',
        '[notify]\nurls = ["json://h/x"]\nthresholds = [7, "two"]\n',
    ],
)
def test_bad_config_exits_4_without_echoing_secrets(cli, home, book, config):
    write_config(home, config)
    result = cli("notify", "--json")
    assert result.exit_code == 4
    assert json.loads(result.stdout)["error"]["code"] == 4
    assert "S3CRETPW" not in result.stdout + result.stderr
    assert "Error: " in result.stderr


def test_mail_without_a_configured_mailbox_is_a_usage_error(cli, book):
    result = cli("notify", "--mail", "--dry-run")
    assert result.exit_code == 2
    assert "--mail needs a mailbox: set mail.url in config.toml" in result.stderr
    assert result.stdout == ""


def test_mail_imports_the_configured_mailbox_before_notifying(cli, home, book, tmp_path):
    from tests.helpers.mail import write_mbox

    mbox = write_mbox(tmp_path / "orders.mbox")
    write_config(home, f'[mail]\nurl = "{mbox}"\n')
    before = json.loads(cli("list", "--json").stdout)
    result = cli("notify", "--mail", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert "notices" in json.loads(result.stdout)
    after = json.loads(cli("list", "--json").stdout)
    assert len(after) > len(before)


def test_a_failing_mail_import_warns_and_still_notifies(cli, home, book, tmp_path):
    write_config(home, f'[mail]\nurl = "{tmp_path / "missing.mbox"}"\n')
    result = cli("notify", "--mail", "--dry-run", "--json")
    assert result.exit_code == 0
    assert "--mail: " in result.stderr
    assert "notifying from the stored orders" in result.stderr
    assert json.loads(result.stdout)["notices"]


def test_quiet_hours_hold_notices_except_deadlines_due_today(cli, home, book, monkeypatch):
    """23:30 in Berlin is quiet: only today's deadline goes out; the rest follow in the morning."""
    with LoopbackServer(lambda hit: Reply(json={})) as server:
        host = server.url.removeprefix("http://")
        write_config(
            home,
            f'tz = "Europe/Berlin"\n[notify]\nurls = ["json://{host}/hook"]\n'
            'quiet_hours = "22:00-07:00"\n',
        )
        monkeypatch.setenv("ORDERCTL_NOW", "2026-11-28T22:30:00Z")
        due_today = [e for e in cli("due", "--json").json() if e["days_left"] == 0]
        night = cli("notify", "--json")
        assert night.exit_code == 0, night.stderr
        data = night.json()
        assert data["held"], "notices not due today wait for the morning"
        assert {(n["kind"], n["date"]) for n in data["notices"]} == {
            (e["kind"], e["date"]) for e in due_today
        }
        assert len(server.hits) == (1 if due_today else 0)

        monkeypatch.setenv("ORDERCTL_NOW", "2026-11-29T06:30:00Z")  # 07:30 in Berlin
        morning = cli("notify", "--json")
        assert morning.exit_code == 0, morning.stderr
        sent = {(n["kind"], n["date"]) for n in morning.json()["notices"]}
        held = {(n["kind"], n["date"]) for n in data["held"]}
        # Every held deadline goes out (at the threshold it is in by now); anything else
        # is one that was missed overnight.
        assert held <= sent
        assert all(
            n["threshold"] == -1
            for n in morning.json()["notices"]
            if (n["kind"], n["date"]) not in held
        )
        assert morning.json()["held"] == []


def test_run_log_and_schedule_status(cli, home, book):
    with LoopbackServer(lambda hit: Reply(json={})) as server:
        host = server.url.removeprefix("http://")
        write_config(home, f'[notify]\nurls = ["json://{host}/hook"]\n')
        assert cli("schedule", "status", "--json").json()["last_run"] is None
        assert cli("notify").exit_code == 0
        status = cli("schedule", "status", "--json")
        assert status.exit_code == 0
        data = status.json()
        assert data["last_run"] == "2026-11-28T12:00:00Z"
        assert data["last_result"] == "ok"
        assert "sent" in data["last_summary"]
        assert json.loads(json.dumps(data))["log"].endswith(os.path.join("logs", "notify.log"))


def _documented(heading: str) -> set[str]:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
    section = doc.split(f"## `{heading}", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"^keys: (.+)$", section, re.M)
    assert match, heading
    return {k.strip() for k in match.group(1).split(",")}


def test_documented_json_keys(cli, home, book, monkeypatch):
    with LoopbackServer(lambda hit: Reply(json={})) as server:
        write_config(home, f'[notify]\nurls = ["json://{server.url[7:]}/hook"]\n')
        result = cli("notify", "--json")
        assert result.exit_code == 0, result.stderr
        assert _documented("orderctl notify --json") == set(result.json())
        notice = result.json()["notices"][0]
        assert NOTICE_KEYS | {"sent"} == set(notice)
    monkeypatch.setenv("ORDERCTL_SCHEDULER", "cron")
    install = cli("schedule", "install", "--dry-run", "--json")
    assert _documented("orderctl schedule install --json") == set(install.json())
    status = cli("schedule", "status", "--json")
    assert _documented("orderctl schedule status --json") == set(status.json())
