"""Issue 13, item 5: tables fit the terminal, and a pipe gets plain lines.

On a terminal (faked here: stdout reports a TTY of COLUMNS columns) the
columns marked droppable go, in the documented order, until no word has to
be split; ids stay whole. Off a terminal tables are plain aligned text with
no padding after the last column.
"""

from __future__ import annotations

import sys

import pytest

from orderctl.cli import output

SHIRT = "3065355286098390"
HUB = "8208460785972844"
TITLE = "Men's linen shirt, relaxed fit, long sleeves, beige, size L (chest 112 cm)"


@pytest.fixture
def book(cli):
    for order_id, title, extra in (
        (SHIRT, TITLE, ["--tracking", "LP00999888777666"]),
        (HUB, "USB-C hub 7-in-1 with HDMI 4K and 100 W power delivery", ["--store", "Hubs"]),
    ):
        result = cli("add", order_id, "--title", title, "--shipped", "2026-11-20", *extra)
        assert result.exit_code == 0, result.stderr


@pytest.fixture
def terminal(monkeypatch):
    """stdout is a terminal of the given width (Rich reads COLUMNS)."""

    def set_width(columns: int) -> None:
        monkeypatch.setenv("COLUMNS", str(columns))
        monkeypatch.setattr(output, "is_tty", lambda stream: stream is sys.stdout)

    return set_width


def words(text: str) -> set[str]:
    return set(text.split())


def split_words(narrow: str, wide: set[str]) -> set[str]:
    """Words of the narrow output that are not whole words of the wide one.

    URLs are the one exception: a link longer than the column folds (documented).
    """
    urls = [w for w in wide if "://" in w]
    return {w for w in words(narrow) - wide if not any(w in url for url in urls)}


@pytest.mark.parametrize("args", [["list"], ["show", SHIRT], ["due"], ["due", "--verbose"]])
def test_piped_output_has_no_padding_or_trailing_spaces(cli, book, args):
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line == line.rstrip() for line in lines), lines
    # One line per row: nothing is wrapped to a guessed width.
    assert any(SHIRT in line and TITLE in line for line in lines) or args[0] == "show"


def test_piped_list_is_aligned_columns(cli, book):
    lines = cli("list").stdout.splitlines()
    assert lines[0].split() == ["Order", "Title", "State", "Parcel", "Next", "deadline"]
    start = lines[0].index("State")
    assert all(line[start:].startswith("shipped") for line in lines[1:])
    assert lines[1].startswith(f"{SHIRT}  ")


@pytest.mark.parametrize("columns", [60, 79, 120])
def test_list_on_a_terminal_keeps_every_word_whole(cli, book, terminal, columns):
    wide = words(cli("list").stdout)
    terminal(columns)
    result = cli("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines)
    assert not split_words(result.stdout, wide)
    assert SHIRT in result.stdout and HUB in result.stdout
    header = lines[0].split()
    if columns == 60:  # Parcel goes first, then State if still needed (README: "Output")
        assert "Parcel" not in header
    if columns == 120:
        assert "Parcel" in header and "State" in header


@pytest.mark.parametrize("columns", [60, 120])
def test_show_and_due_on_a_narrow_terminal(cli, book, terminal, columns):
    wide = {args: words(cli(*args).stdout) for args in (("show", SHIRT), ("due", "--verbose"))}
    terminal(columns)
    for args, reference in wide.items():
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert all(len(line) <= columns for line in result.stdout.splitlines())
        assert not split_words(result.stdout, reference), args


def test_fit_columns_drops_in_order_and_only_when_needed():
    table = output.table()
    table.add_column("Order", no_wrap=True)
    table.add_column("Title", overflow="fold")
    table.add_column("B", drop=2)
    table.add_column("A", drop=1)
    table.add_row(SHIRT, "short words only", "bbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaa")
    assert output.fit_columns(table, 120) == []
    assert output.fit_columns(table, 50) == ["A"]
    assert output.fit_columns(table, 30) == ["B"]
    assert [str(c.header) for c in table.columns] == ["Order", "Title"]


def test_plain_table_aligns_multi_line_cells_and_right_justified_columns():
    table = output.table(title="T")
    table.add_column("Order")
    table.add_column("New", justify="right")
    table.add_row(f"{SHIRT}\nlinen shirt", "12")
    table.add_row("1", "3")
    assert output.plain_table(table).splitlines() == [
        "T",
        "Order             New",
        f"{SHIRT}   12",
        "linen shirt",
        "1                   3",
    ]
