"""Issue 9, case 4: terminal escape injection.

A title, a seller note or a provider's event text carrying ESC sequences must
never reach the terminal raw: OSC 8 can disguise a link, ``ESC[2J`` clears the
screen, OSC 0 retitles the window. Every string passes one sanitiser
(``orderctl.cli.safe_text.visible``): ESC shows as ``␛``, BEL as ``␇``.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import replace

from orderctl.cli import output
from orderctl.cli.safe_text import json_visible, visible
from orderctl.services.context import AppContext
from tests.cli.test_dispute import ORDER, seed_failed_order
from tests.cli.test_track import NUM_A, event, record, stand_in  # noqa: F401 (fixture)

OSC8 = "\x1b]8;;https://evil.example/\x1b\\orderctl.dev\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J"
OSC0 = "\x1b]0;pwned\x07"
AE = "8208460785972844"


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text, text
        assert "\x9b" not in text and "\u202e" not in text, text


def test_the_sanitiser_shows_every_control_character():
    assert visible(f"a{CLEAR}b") == "a␛[2Jb"
    assert visible(OSC0) == "␛]0;pwned␇"
    assert visible("x\x9b2Jy") == "x<U+009B>2Jy"  # C1 CSI
    assert visible("abc\u202etxt.exe") == "abc<U+202E>txt.exe"  # bidi override
    assert visible("\x00\x08\r\x7f") == "␀␈␍␡"
    assert visible("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert visible("plain") == "plain"
    assert json_visible('"a\x9bb\u2066"') == '"a\\u009bb\\u2066"'


def test_title_with_osc0_osc8_and_clear_screen_in_list_show_due(cli):
    title = f"Hub {OSC0}{CLEAR}{OSC8}"
    assert cli("add", AE, "--title", title, "--shipped", "2026-11-20").exit_code == 0
    for args in (["list"], ["show", AE], ["due"], ["due", "--verbose"]):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert_clean(result.stdout, result.stderr)
        assert "Hub ␛]0;pwned␇␛[2J␛]8;;https://evil.example/␛\\orderctl.dev" in result.stdout
    # JSON keeps the data (escaped the JSON way), so scripts still see the real title.
    assert cli("list", "--json").json()[0]["title"] == title


def test_seller_note_in_show_and_contact_draft(cli, tmp_path):
    seed_failed_order(cli, tmp_path)
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        order.title = f"Linen shirt {OSC0}"
        checks = list(order.inspection.checks)
        checks[1] = replace(checks[1], note=f"Chest 100 cm {CLEAR}\nSleeves short {OSC8}")
        order.inspection = replace(order.inspection, checks=tuple(checks))
        txn.put(order)
    assert cli("note", ORDER, f"Refund? {CLEAR}{OSC8}", "--from", "seller").exit_code == 0
    show = cli("show", ORDER)
    assert show.exit_code == 0, show.stderr
    assert_clean(show.stdout, show.stderr)
    assert "seller: Refund? ␛[2J␛]8;;https://evil.example/" in show.stdout
    contact = cli("contact", ORDER)
    assert contact.exit_code == 0, contact.stderr
    assert_clean(contact.stdout, contact.stderr)
    assert "Chest 100 cm ␛[2J" in contact.stdout
    assert "Linen shirt ␛]0;pwned␇" in contact.stdout


def test_provider_event_text_in_track_and_show(cli, stand_in):  # noqa: F811
    assert (
        cli("add", AE, "--title", "Hub", "--shipped", "2026-11-02", "--tracking", NUM_A).exit_code
        == 0
    )
    hostile = event(
        "2026-11-25T14:32:00+01:00",
        "2026-11-25T13:32:00Z",
        f"Delivered {CLEAR}{OSC0}{OSC8}",
        f"Utrecht {CLEAR}",
        "Delivered_Other",
    )
    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [hostile])
    track = cli("track")
    assert track.exit_code == 0, track.stderr
    assert_clean(track.stdout, track.stderr)
    assert "Delivered ␛[2J␛]0;pwned␇" in track.stdout
    show = cli("show", AE)
    assert_clean(show.stdout, show.stderr)
    assert "Utrecht ␛[2J" in show.stdout
    assert f"Delivered {CLEAR}" in cli("show", AE, "--json").json()["events"][-1]["description"]


def test_error_messages_are_sanitised(cli):
    result = cli("show", f"nope{CLEAR}")
    assert result.exit_code == 3
    assert_clean(result.stderr)
    assert "nope" in result.stderr


def test_the_error_sink_shows_controls(capsys):
    output.error(f"raw {CLEAR}", f"hint {OSC0}", [f"detail {OSC8}"])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "Error: raw ␛[2J",
        "  detail ␛]8;;https://evil.example/␛\\orderctl.dev␛]8;;␛\\",
        "Hint: hint ␛]0;pwned␇",
    ]


def test_on_a_terminal_only_rich_style_codes_are_written(monkeypatch):
    """The Rich path (colour on a TTY): the console sanitises every segment it renders."""
    from rich.console import Console

    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    buffer = io.StringIO()
    console_class = output._safe_console_class()
    console: Console = console_class(
        file=buffer, force_terminal=True, color_system="standard", width=60
    )
    table = output.table()
    table.add_column("Order", no_wrap=True)
    table.add_column("Title", style="bold")
    table.add_row(AE, f"Hub {OSC0}{CLEAR}{OSC8}")
    console.print(table)
    console.print(f"raw {CLEAR}", markup=False)  # even a plain string printed directly
    written = buffer.getvalue()
    escapes = re.findall(r"\x1b[^m]*m?", written)
    assert escapes and all(re.fullmatch(r"\x1b\[[0-9;]*m", e) for e in escapes), escapes
    assert "␛[2J" in written and "␛]0;pwned␇" in written


def test_json_on_a_terminal_escapes_c1_and_bidi(cli, monkeypatch):
    monkeypatch.setattr(output, "is_tty", lambda stream: stream is sys.stdout)
    result = cli("add", "1", "--title", "a\x9bb\u202ec", "--json")
    assert result.exit_code == 0
    assert "\x9b" not in result.stdout and "\u202e" not in result.stdout
    assert result.json()["title"] == "a\x9bb\u202ec"


def test_json_error_object_is_documented(cli):
    from tests.helpers.errors import json_error
    from tests.test_json_docs import documented

    result = cli("show", "404", "--json")
    assert result.exit_code == 3
    assert documented("--json` errors (any command)") == {"error"}
    assert json_error(result) == {
        "code": 3,
        "message": "No order '404' in the order book",
        "hint": "Run `orderctl list`.",
    }
