"""orderctl schedule: golden --dry-run output per platform, idempotent crontab round trip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from orderctl.paths import Paths
from orderctl.services.notify import schedule as service

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "schedule"


def normalise(text: str, home: Path, user_home: Path) -> str:
    return (
        text.replace(str(home), "{ORDERCTL_HOME}")
        .replace(str(user_home), "{HOME}")
        .replace(str(Path(sys.executable).absolute()), "{PYTHON}")
    )


@pytest.mark.parametrize("platform", ["systemd", "cron", "launchd", "windows"])
@pytest.mark.parametrize("every", ["6h", "30m"])
def test_install_dry_run_is_golden_per_platform(cli, home, tmp_path, monkeypatch, platform, every):
    user_home = tmp_path / "user"
    monkeypatch.setenv("HOME", str(user_home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("ORDERCTL_SCHEDULER", platform)
    result = cli("schedule", "install", "--every", every, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Dry run: nothing was written or run." in result.stderr
    got = normalise(result.stdout, home, user_home)
    golden = GOLDEN / f"{platform}-{every}.txt"
    if os.environ.get("UPDATE_SCHEDULE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
    assert not user_home.exists()  # a dry run writes nothing


def test_install_uses_the_absolute_program_and_current_home(cli, home, monkeypatch):
    monkeypatch.setenv("ORDERCTL_SCHEDULER", "cron")
    result = cli("schedule", "install", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    line = result.json()["crontab_line"]
    assert f"ORDERCTL_HOME={home}" in line
    assert str(Path(sys.executable).absolute()) in line
    assert line.endswith("# orderctl-notify")


def test_systemd_install_writes_units(tmp_path):
    paths = Paths(tmp_path / "orders home")
    plan = service.plan_install(
        "systemd",
        service.parse_every("2h"),
        ["/opt/orderctl/bin/orderctl"],
        paths,
        env={"XDG_CONFIG_HOME": str(tmp_path / "cfg")},
        user_home=tmp_path,
    )
    (unit, unit_text), (timer, timer_text) = plan.files
    assert timer.name == "orderctl-notify.timer"
    assert unit == tmp_path / "cfg" / "systemd" / "user" / "orderctl-notify.service"
    assert f'Environment="ORDERCTL_HOME={tmp_path}/orders home"' in unit_text
    assert "ExecStart=/opt/orderctl/bin/orderctl notify" in unit_text
    assert "OnCalendar=*-*-* 00/2:00:00" in timer_text and "Persistent=true" in timer_text


@pytest.mark.parametrize("bad", ["7h", "0m", "45m", "2d", "often", "90m"])
def test_bad_intervals_are_usage_errors(cli, bad):
    result = cli("schedule", "install", "--every", bad, "--dry-run")
    assert result.exit_code == 2
    assert "--every" in result.stderr


def test_unknown_action(cli):
    result = cli("schedule", "start")
    assert result.exit_code == 2
    assert "install, status, remove" in result.stderr


@pytest.fixture
def temp_crontab_user():
    """A throw-away user whose crontab the test may change (yours is never touched)."""
    if not shutil.which("crontab"):
        pytest.skip("crontab is not installed (apt-get install cron)")
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("a temporary user crontab needs root and useradd; not touching yours")
    name = f"oc{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    try:
        yield ["crontab", "-u", name]
    finally:
        subprocess.run(["crontab", "-u", name, "-r"], capture_output=True, check=False)
        subprocess.run(["userdel", name], capture_output=True, check=False)


def test_real_crontab_round_trip_is_idempotent(tmp_path, temp_crontab_user):
    crontab = temp_crontab_user
    other = "15 3 * * * /usr/bin/true # the buyer's own job"
    subprocess.run([*crontab, "-"], input=other + "\n", text=True, check=True)
    paths = Paths(tmp_path / "home")
    program = ["/opt/orderctl/bin/orderctl"]
    assert service.installed("cron", crontab=crontab) is False
    for every in ("6h", "6h", "30m"):  # installing again replaces, never adds
        plan = service.plan_install("cron", service.parse_every(every), program, paths)
        service.apply_install(plan, crontab=crontab)
    lines = service.read_crontab(crontab).splitlines()
    marked = [line for line in lines if line.endswith("# orderctl-notify")]
    assert marked == [
        f"*/30 * * * * ORDERCTL_HOME={paths.home} /opt/orderctl/bin/orderctl notify "
        ">/dev/null 2>&1 # orderctl-notify"
    ]
    assert other in lines
    assert service.installed("cron", crontab=crontab) is True
    dry = service.remove("cron", crontab=crontab, dry_run=True)
    assert dry["removed"] == marked and not dry["applied"]
    assert service.installed("cron", crontab=crontab) is True
    done = service.remove("cron", crontab=crontab)
    assert done["applied"]
    assert service.read_crontab(crontab).splitlines() == [other]
    assert service.remove("cron", crontab=crontab)["removed"] == []


def test_run_log_rotates(tmp_path):
    from datetime import UTC, datetime

    paths = Paths(tmp_path)
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    for i in range(4000):
        service.log_run(paths, now, "ok", f"run {i} " + "x" * 100)
    log = service.log_path(paths)
    assert log.stat().st_size < service.LOG_MAX_BYTES + 200
    assert log.with_name("notify.log.1").exists()
    assert not log.with_name(f"notify.log.{service.LOG_KEEP + 1}").exists()
    assert service.last_run(paths) == {
        "last_run": "2026-11-28T12:00:00Z",
        "last_result": "ok",
        "last_summary": "run 3999 " + "x" * 100,
    }


def test_systemd_remove_dry_run_lists_the_units_and_touches_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ORDERCTL_SCHEDULER", "systemd")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    units = tmp_path / "cfg" / "systemd" / "user"
    units.mkdir(parents=True)
    for name in ("orderctl-notify.service", "orderctl-notify.timer"):
        (units / name).write_text("[Unit]\n", encoding="utf-8")
    status = cli("schedule", "status", "--json")
    assert status.json()["installed"] is True and status.json()["platform"] == "systemd"
    result = cli("schedule", "remove", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert sorted(data["removed"]) == sorted(str(p) for p in units.iterdir())
    assert data["commands"][0] == "systemctl --user disable --now orderctl-notify.timer"
    assert data["applied"] is False and len(list(units.iterdir())) == 2


def test_unwritable_log_does_not_fail_the_run(tmp_path):
    from datetime import UTC, datetime

    blocker = tmp_path / "home"
    blocker.mkdir()
    (blocker / "logs").write_text("not a folder", encoding="utf-8")
    assert service.log_run(Paths(blocker), datetime(2026, 11, 28, tzinfo=UTC), "ok", "x") is False
