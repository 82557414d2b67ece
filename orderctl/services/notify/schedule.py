"""``orderctl schedule``: run ``orderctl notify`` by itself, and see how the last run went.

Linux with systemd gets a user timer (``~/.config/systemd/user/orderctl-notify.{service,timer}``,
``Persistent=true`` so a run missed while asleep happens on wake-up); other
Unix systems get one crontab line marked ``# orderctl-notify``. macOS (a
launchd agent) and Windows (Task Scheduler) get the exact commands to run,
as they cannot be exercised here. Installing is idempotent: the files are
rewritten and the crontab line replaced, never added twice. The job runs the
absolute path of the current orderctl with the current ``ORDERCTL_HOME``.

Every ``notify`` run appends a one-line summary to ``logs/notify.log`` under
the home (rotated at :data:`LOG_MAX_BYTES`, :data:`LOG_KEEP` old files);
``status`` reads its last line.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from orderctl.clock import iso
from orderctl.errors import InvalidInput, OperationFailed
from orderctl.fsutil import atomic_write_text
from orderctl.paths import Paths

UNIT = "orderctl-notify"
CRON_MARK = "# orderctl-notify"
LAUNCHD_LABEL = "org.orderctl.notify"
LOG_MAX_BYTES = 256 * 1024
LOG_KEEP = 3
PLATFORMS = ("systemd", "cron", "launchd", "windows")
MINUTE_STEPS = (5, 10, 15, 20, 30)
HOUR_STEPS = (1, 2, 3, 4, 6, 8, 12, 24)


@dataclass(frozen=True)
class Every:
    minutes: int

    @property
    def text(self) -> str:
        if self.minutes % 1440 == 0:
            return "1d"
        if self.minutes % 60 == 0:
            return f"{self.minutes // 60}h"
        return f"{self.minutes}m"


def parse_every(text: str) -> Every:
    match = re.fullmatch(r"\s*(\d+)\s*([mhd])\s*", text or "")
    hint = "Use 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h or 1d."
    if match is None:
        raise InvalidInput(f"--every: {text!r} is not an interval", hint=hint)
    value, unit = int(match.group(1)), match.group(2)
    minutes = value * {"m": 1, "h": 60, "d": 1440}[unit]
    if not (
        (minutes < 60 and minutes in MINUTE_STEPS)
        or (minutes % 60 == 0 and minutes // 60 in HOUR_STEPS)
    ):
        raise InvalidInput(
            f"--every: {text!r} does not divide the day evenly for every scheduler", hint=hint
        )
    return Every(minutes)


def detect_platform(env: dict[str, str] | None = None) -> str:
    """systemd (Linux with a running systemd), cron, launchd (macOS) or windows."""
    env = dict(os.environ if env is None else env)
    forced = env.get("ORDERCTL_SCHEDULER", "").strip().lower()
    if forced:
        if forced not in PLATFORMS:
            raise InvalidInput(
                f"ORDERCTL_SCHEDULER={forced!r} is not one of {', '.join(PLATFORMS)}"
            )
        return forced
    if sys.platform == "darwin":
        return "launchd"
    if os.name == "nt":
        return "windows"
    if Path("/run/systemd/system").is_dir() and shutil.which("systemctl"):
        return "systemd"
    return "cron"


def current_program(argv0: str | None = None) -> list[str]:
    """The absolute command that runs this orderctl (its script, else this Python -m orderctl)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    path = Path(argv0)
    if path.name.startswith("orderctl") and path.is_file():
        return [str(path.resolve())]
    found = shutil.which("orderctl")
    if path.name.startswith("orderctl") and found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "orderctl"]


@dataclass
class Plan:
    platform: str
    every: Every
    files: list[tuple[Path, str]] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    cron_line: str | None = None
    shown: list[str] | None = None  # commands as the buyer types them (launchd, Windows)
    applied: bool = False
    note: str | None = None

    def to_dict(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "every": self.every.text,
            "files": [{"path": str(p), "content": c} for p, c in self.files],
            "crontab_line": self.cron_line,
            "commands": self.shown or [shlex.join(c) for c in self.commands],
            "applied": self.applied,
            "dry_run": dry_run,
            "note": self.note,
        }


def _systemd_quote(word: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./:@+=-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _user_config(env: dict[str, str], user_home: Path) -> Path:
    xdg = env.get("XDG_CONFIG_HOME", "").strip()
    return Path(xdg) if xdg else user_home / ".config"


def plan_install(
    platform: str,
    every: Every,
    program: list[str],
    paths: Paths,
    *,
    env: dict[str, str] | None = None,
    user_home: Path | None = None,
) -> Plan:
    """Exactly what ``install`` writes and runs on ``platform`` (nothing is touched)."""
    env = dict(os.environ if env is None else env)
    user_home = Path.home() if user_home is None else user_home
    argv = [*program, "notify"]
    plan = Plan(platform=platform, every=every)
    writers = {
        "systemd": _systemd,
        "cron": _cron,
        "launchd": _launchd,
        "windows": _windows,
    }
    writer = writers.get(platform)
    if writer is None:
        raise InvalidInput(f"Unknown scheduler {platform!r}")
    writer(plan, argv, str(paths.home), env, user_home)
    return plan


T = TypeVar("T")


def _by_interval(
    every: Every, minutes: Callable[[int], T], daily: T, hours: Callable[[int], T]
) -> T:
    """A scheduler's wording for ``every``: a step in minutes, once a day, or a step in hours."""
    if every.minutes < 60:
        return minutes(every.minutes)
    if every.minutes == 1440:
        return daily
    return hours(every.minutes // 60)


def _systemd(plan: Plan, argv: list[str], home: str, env: dict[str, str], user_home: Path) -> None:
    """A user service and timer, enabled with systemctl."""
    every = plan.every
    folder = _user_config(env, user_home) / "systemd" / "user"
    service = (
        "[Unit]\n"
        "Description=orderctl notify: deadlines and parcel news\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"Environment={_systemd_quote('ORDERCTL_HOME=' + home)}\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in argv)}\n"
    )
    calendar = _by_interval(
        every, lambda m: f"*:0/{m}", "*-*-* 00:00:00", lambda h: f"*-*-* 00/{h}:00:00"
    )
    timer = (
        "[Unit]\n"
        f"Description=Run orderctl notify every {every.text}\n\n"
        "[Timer]\n"
        f"OnCalendar={calendar}\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    plan.files = [(folder / f"{UNIT}.service", service), (folder / f"{UNIT}.timer", timer)]
    plan.commands = [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"],
    ]
    plan.note = "To run while you are logged out: loginctl enable-linger $USER"


def _cron(plan: Plan, argv: list[str], home: str, env: dict[str, str], user_home: Path) -> None:
    """One crontab line, marked so ``remove`` finds it."""
    every = plan.every
    when = _by_interval(every, lambda m: f"*/{m} * * * *", "0 0 * * *", lambda h: f"0 */{h} * * *")
    command = f"ORDERCTL_HOME={shlex.quote(home)} {shlex.join(argv)} >/dev/null 2>&1"
    plan.cron_line = f"{when} {command.replace('%', chr(92) + '%')} {CRON_MARK}"


def _launchd(plan: Plan, argv: list[str], home: str, env: dict[str, str], user_home: Path) -> None:
    """A LaunchAgent plist; the commands are shown, not run."""
    every = plan.every
    agent = user_home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    args = "".join(f"\n        <string>{_xml(a)}</string>" for a in argv)
    plist = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"    <key>Label</key>\n    <string>{LAUNCHD_LABEL}</string>\n"
        f"    <key>ProgramArguments</key>\n    <array>{args}\n    </array>\n"
        "    <key>EnvironmentVariables</key>\n    <dict>\n"
        f"        <key>ORDERCTL_HOME</key>\n        <string>{_xml(home)}</string>\n"
        "    </dict>\n"
        f"    <key>StartInterval</key>\n    <integer>{every.minutes * 60}</integer>\n"
        "</dict>\n</plist>\n"
    )
    plan.files = [(agent, plist)]
    plan.shown = [
        f"launchctl bootout gui/$(id -u)/{LAUNCHD_LABEL}",
        f"launchctl bootstrap gui/$(id -u) {shlex.quote(str(agent))}",
    ]
    plan.note = "Save the file and run the commands yourself (not run on this platform)."


def _windows(plan: Plan, argv: list[str], home: str, env: dict[str, str], user_home: Path) -> None:
    """A schtasks command line; shown, not run."""
    every = plan.every
    cadence = _by_interval(
        every,
        lambda m: ["/SC", "MINUTE", "/MO", str(m)],
        ["/SC", "DAILY"],
        lambda h: ["/SC", "HOURLY", "/MO", str(h)],
    )
    run = f"cmd /c set ORDERCTL_HOME={home}&& {subprocess.list2cmdline(argv)}"
    task = subprocess.list2cmdline(["schtasks", "/Create", "/F", *cadence, "/TN", UNIT])
    plan.shown = [f"{task} /TR {subprocess.list2cmdline([run])}"]
    plan.note = "Run the command yourself in a terminal (not run on this platform)."


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(argv: list[str], *, stdin: str | None = None, ok_codes: tuple[int, ...] = (0,)) -> str:
    try:
        done = subprocess.run(
            argv, input=stdin, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OperationFailed(f"Could not run {shlex.join(argv)}: {exc}") from None
    if done.returncode not in ok_codes:
        raise OperationFailed(
            f"{shlex.join(argv)} failed (exit {done.returncode}): {done.stderr.strip()[:300]}"
        )
    return done.stdout


def read_crontab(crontab: list[str]) -> str:
    """The current crontab ('' when the user has none)."""
    try:
        done = subprocess.run(
            [*crontab, "-l"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        raise OperationFailed(f"Could not run crontab: {exc}") from None
    if done.returncode != 0:
        if "no crontab" in done.stderr.lower():
            return ""
        raise OperationFailed(f"crontab -l failed: {done.stderr.strip()[:300]}")
    return done.stdout


def _without_mark(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.rstrip().endswith(CRON_MARK)]


def apply_install(plan: Plan, crontab: list[str] | None = None) -> Plan:
    """Write the files and run the commands (systemd, cron); others stay commands to show."""
    if plan.platform == "systemd":
        for path, content in plan.files:
            atomic_write_text(path, content, mode=0o644)
        for argv in plan.commands:
            _run(argv)
        plan.applied = True
    elif plan.platform == "cron":
        crontab = crontab or ["crontab"]
        lines = [*_without_mark(read_crontab(crontab)), plan.cron_line or ""]
        _run([*crontab, "-"], stdin="\n".join(lines) + "\n")
        plan.applied = True
    return plan


def remove(
    platform: str,
    *,
    env: dict[str, str] | None = None,
    user_home: Path | None = None,
    crontab: list[str] | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Undo ``install``: what was (or, with ``dry_run``, would be) removed."""
    env = dict(os.environ if env is None else env)
    user_home = Path.home() if user_home is None else user_home
    removed: list[str] = []
    commands: list[list[str]] = []
    shown: list[str] = []
    applied = False
    if platform == "systemd":
        folder = _user_config(env, user_home) / "systemd" / "user"
        files = [folder / f"{UNIT}.timer", folder / f"{UNIT}.service"]
        commands = [
            ["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"],
            ["systemctl", "--user", "daemon-reload"],
        ]
        removed = [str(p) for p in files if p.exists()]
        if not dry_run:
            _run(commands[0], ok_codes=(0, 1, 5))
            for path in files:
                path.unlink(missing_ok=True)
            _run(commands[1])
            applied = True
    elif platform == "cron":
        crontab = crontab or ["crontab"]
        current = read_crontab(crontab)
        removed = [line for line in current.splitlines() if line.rstrip().endswith(CRON_MARK)]
        if removed and not dry_run:
            kept = _without_mark(current)
            _run([*crontab, "-"], stdin="\n".join(kept) + "\n" if kept else "")
            applied = True
    elif platform == "launchd":
        agent = user_home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
        shown = [
            f"launchctl bootout gui/$(id -u)/{LAUNCHD_LABEL}",
            f"rm {shlex.quote(str(agent))}",
        ]
    elif platform == "windows":
        shown = [f"schtasks /Delete /F /TN {UNIT}"]
    return {
        "platform": platform,
        "removed": removed,
        "commands": shown or [shlex.join(c) for c in commands],
        "applied": applied,
        "dry_run": dry_run,
    }


def installed(
    platform: str,
    *,
    env: dict[str, str] | None = None,
    user_home: Path | None = None,
    crontab: list[str] | None = None,
) -> bool | None:
    """Whether the job is in place (None where orderctl cannot tell: launchd, Windows)."""
    env = dict(os.environ if env is None else env)
    user_home = Path.home() if user_home is None else user_home
    if platform == "systemd":
        return (_user_config(env, user_home) / "systemd" / "user" / f"{UNIT}.timer").exists()
    if platform == "cron":
        if not shutil.which((crontab or ["crontab"])[0]):
            return False
        text = read_crontab(crontab or ["crontab"])
        return any(line.rstrip().endswith(CRON_MARK) for line in text.splitlines())
    return None


# -- the run log ------------------------------------------------------------------------------


def log_path(paths: Paths) -> Path:
    return paths.home / "logs" / "notify.log"


def log_run(paths: Paths, now: datetime, result: str, summary: str) -> bool:
    """Append one line ``<time> <result> <summary>``; rotate when the file grows too big.

    Returns False when the log cannot be written (the run itself is not failed for that).
    """
    path = log_path(paths)
    line = f"{iso(now)} {result} {' '.join(summary.split())}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size >= LOG_MAX_BYTES:
            for i in range(LOG_KEEP - 1, 0, -1):
                older = path.with_name(f"{path.name}.{i}")
                if older.exists():
                    os.replace(older, path.with_name(f"{path.name}.{i + 1}"))
            os.replace(path, path.with_name(f"{path.name}.1"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        return False
    return True


def last_run(paths: Paths) -> dict[str, str | None]:
    """The last logged run: its time, result (ok / failed) and summary; None when none yet."""
    try:
        lines = log_path(paths).read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        lines = []
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None:
        return {"last_run": None, "last_result": None, "last_summary": None}
    at, _, rest = last.partition(" ")
    result, _, summary = rest.partition(" ")
    return {"last_run": at, "last_result": result, "last_summary": summary}
