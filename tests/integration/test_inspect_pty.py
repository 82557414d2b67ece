"""`orderctl inspect` in a real terminal: a pseudo-terminal drives `python -m orderctl`.

CliRunner cannot show that prompts work when stdin, stdout and stderr are a
TTY (readline, Ctrl-C delivered as SIGINT by the terminal, isatty checks), so
these tests type keystrokes into a pty and read what a person would see.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from orderctl.services.context import AppContext
from orderctl.services.orders.book import add_order
from tests.helpers.images import make_jpeg

pty = pytest.importorskip("pty")
if sys.platform == "win32":  # pragma: no cover
    pytest.skip("no pseudo-terminals on Windows", allow_module_level=True)

MUG = "1234567890"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
TIMEOUT = 15.0


class Terminal:
    """A child process on a pseudo-terminal, with expect-style reading."""

    def __init__(self, *args: str, cols: int = 120, cwd: Path | None = None):
        pid, fd = pty.fork()
        if pid == 0:  # the child: stdin, stdout and stderr are the terminal
            try:
                if cwd is not None:
                    os.chdir(cwd)
                env = {**os.environ, "COLUMNS": str(cols), "LINES": "40"}
                os.execve(sys.executable, [sys.executable, "-m", "orderctl", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self._set_size(40, cols)
        self.seen = b""
        self.pos = 0  # screen text up to here was matched already

    def _set_size(self, rows: int, cols: int) -> None:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def text(self) -> str:
        return ANSI.sub(b"", self.seen).decode("utf-8", "replace")

    def expect(self, pattern: str) -> None:
        """Read until ``pattern`` appears after the previous match; fail after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while (found := self.text().find(pattern, self.pos)) < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"{pattern!r} not seen; screen:\n{self.text()[-2000:]}")
        self.pos = found + len(pattern)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.seen += chunk
        return bool(chunk)

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def answer(self, prompt: str, keys: str) -> None:
        self.expect(prompt)
        self.send(keys)

    def wait(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05):
                    pass
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"orderctl did not exit; screen:\n{self.text()[-2000:]}")


@pytest.fixture
def mug(home: Path) -> str:
    add_order(
        AppContext.from_env(),
        MUG,
        {"title": "Ceramic mug", "platform": "etsy", "delivered": "2026-11-20"},
    )
    return MUG


def pass_check(term: Terminal) -> None:
    term.answer("Answer [p]ass", "p\n")
    term.answer("Note (optional", "\n")
    term.answer("file> ", "\n")


def test_walk_with_tab_completion_in_a_real_terminal(mug, tmp_path):
    photo = make_jpeg(tmp_path / "scratch-on-lid.jpg")
    term = Terminal("inspect", mug)
    term.expect("Check 1/6: Parcel and item undamaged")
    for _ in range(4):
        pass_check(term)
    term.expect("Check 5/6")  # pass with reservation: its own choice, with a required note
    term.answer("Answer [p]ass/[w]ith reservation", "w\n")
    term.answer("What is the minor issue", "Glaze uneven near the handle\n")
    term.answer("file> ", "\n")
    term.expect("Check 6/6")
    term.answer("Answer [p]ass", "f\n")
    term.answer("> ", "Deep scratch\n")
    term.answer("> ", "\n")
    # Tab completes the file name (readline), exactly as a person would use it.
    term.answer("file> ", f"{tmp_path}/scratch-o\t")
    term.expect("scratch-on-lid.jpg")
    term.send("\n")
    term.answer("file> ", "\n")
    term.answer("[s]ave", "s\n")
    assert term.wait() == 0, term.text()[-2000:]
    screen = term.text()
    assert "Verdict: fail" in screen
    assert f"orderctl contact {mug}" in screen
    inspection = AppContext.from_env().store.get(mug).inspection
    assert inspection.failed == ("quality",)
    assert "pass with reservation" in screen  # the review table names it
    assert inspection.checks[4].result == "reservation"
    assert inspection.reservations == (inspection.checks[4].id,)
    assert inspection.checks[5].note == "Deep scratch"
    assert [e.name for e in inspection.checks[5].evidence] == [photo.name]


def test_ctrl_c_keeps_a_draft_and_exits_130(mug):
    term = Terminal("inspect", mug)
    pass_check(term)
    term.expect("Check 2/6")
    term.expect("Answer [p]ass")
    # Like a person, press Ctrl-C a moment after the prompt appears: CPython's readline
    # loop only notices SIGINT while it waits in select(), not while it draws the prompt.
    time.sleep(0.5)
    term.send("\x03")  # Ctrl-C: the terminal turns it into SIGINT
    assert term.wait() == 130
    assert "1 of 6 checks answered, kept as a draft" in term.text()
    ctx = AppContext.from_env()
    assert ctx.store.get(mug).inspection is None
    assert list(ctx.store.details(mug)["inspection_draft"]["answers"]["checks"]) == [
        "package_condition"
    ]

    again = Terminal("inspect", mug)
    again.expect("continuing at check 2")
    again.expect("Check 2/6")
    for _ in range(5):
        pass_check(again)
    again.answer("[s]ave", "s\n")
    assert again.wait() == 0, again.text()[-2000:]
    assert AppContext.from_env().store.get(mug).inspection.verdict == "pass"


# --------------------------------------------------------------------------- narrow terminals

SHIRT = "3065355286098390"
CLOTHING_CHECKS = 10
NOTE_LINES = ("Colour is light grey instead of beige", "Label says polyester, not linen")


def walk_with_a_failure(photo: Path, cols: int) -> str:
    """The whole walk of a long-id order, one check failing with two note lines and a photo."""
    term = Terminal("inspect", SHIRT, cols=cols, cwd=photo.parent)
    term.expect("Check 1/")
    term.answer("Answer [p]ass", "f\n")
    for line in NOTE_LINES:
        term.answer("> ", line + "\n")
    term.answer("> ", "\n")
    term.answer("file> ", f"{photo.name}\n")  # relative to the working folder, as people type
    term.answer("file> ", "\n")
    for _ in range(CLOTHING_CHECKS - 1):
        term.answer("Answer [p]ass", "p\n")
        term.answer("Note (optional", "\n")
        term.answer("file> ", "\n")
    term.answer("[s]ave", "s\n")
    assert term.wait() == 0, term.text()[-3000:]
    return term.text()


def tokens(screen: str) -> set[str]:
    """Words on the screen, without rule and box-drawing runs (their length follows the width)."""
    return {t for t in screen.split() if t.strip("─━-│|") and t not in ("…",)}


@pytest.fixture
def shirt(home: Path, tmp_path: Path) -> tuple[Path, Path]:
    add_order(
        AppContext.from_env(),
        SHIRT,
        {
            "title": "Men's linen shirt, relaxed fit, long sleeves, beige, size L (chest 112 cm)",
            "platform": "aliexpress",
            "category": "clothing",
            "delivered": "2026-11-22",
        },
    )
    photo = make_jpeg(tmp_path / "label-says-polyester-close-up.jpg")
    saved = tmp_path / "home-before-the-walk"
    shutil.copytree(home, saved)
    return photo, saved


def test_nothing_is_split_mid_token_at_60_and_120_columns(shirt, home):
    """Issue 13: at 60 columns ids, words and file names stay whole (columns may go)."""
    photo, saved = shirt
    screens: dict[int, str] = {}
    for cols in (250, 120, 60):
        shutil.rmtree(home)
        shutil.copytree(saved, home)
        screens[cols] = walk_with_a_failure(photo, cols)
    reference = tokens(screens[250])  # wide enough that nothing needs wrapping at all
    for cols in (120, 60):
        screen = screens[cols]
        assert SHIRT in screen and "112" in screen
        fragments = tokens(screen) - reference
        assert not fragments, f"split at {cols} columns: {sorted(fragments)}"
        for line in screen.splitlines():
            assert len(line) <= cols, (cols, line)
    # Both note lines come back as bullet points in the review table.
    for line in NOTE_LINES:
        assert f"- {line.split()[0]}" in screens[120]
