"""The one output sink: results to stdout, everything else to stderr.

stdout carries only the result (a table for people, or exactly one JSON
document with ``--json``); warnings, hints, progress and "saved to" lines go
to stderr. Consoles are created per call so test runners that swap the
streams see the output. Rich is imported lazily to keep start-up fast.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

from orderctl.cli.safe_text import is_safe, json_visible, visible
from orderctl.domain.wording import plural as plural

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

_SAFE_CONSOLE: Any = None
_state = {"json_printed": False}


def _safe_console_class() -> Any:
    """A Rich Console that shows control characters in everything it renders.

    Every segment Rich produces passes :func:`visible` (style codes are added
    later, when the buffer is written, so colours still work): a renderable
    built anywhere cannot send an ESC byte from user or provider data.
    """
    global _SAFE_CONSOLE
    if _SAFE_CONSOLE is None:
        from rich.console import Console
        from rich.segment import Segment

        class SafeConsole(Console):
            def render(self, renderable: Any, options: Any = None) -> Any:
                for segment in super().render(renderable, options):
                    if segment.control or not segment.text:
                        yield segment
                    else:
                        text = visible(segment.text)
                        yield (
                            segment
                            if text is segment.text
                            else Segment(text, segment.style, segment.control)
                        )

        _SAFE_CONSOLE = SafeConsole
    return _SAFE_CONSOLE


def is_tty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (False for closed or fake streams)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    terminal = is_tty(stream)
    width = None if terminal else int(os.environ.get("COLUMNS", "0") or 0) or 100
    # Off a terminal lines are not wrapped to a guessed width (nothing to fit, nothing to pad).
    return _safe_console_class()(file=stream, width=width, highlight=False, soft_wrap=not terminal)


def out() -> Console:
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)


def table(**options: Any) -> Table:
    """A borderless Rich table whose string cells are shown literally.

    Titles, notes and store names are user or provider data: a ``[/red]`` in a
    title must print as text, not be parsed as Rich markup (or crash it).
    """
    from rich.table import Table
    from rich.text import Text

    class LiteralTable(Table):
        """Literal, sanitised cells; ``drop=N`` marks a column that may go on a narrow terminal."""

        def add_column(self, *args: Any, drop: int | None = None, **kwargs: Any) -> None:
            super().add_column(*args, **kwargs)
            self.columns[-1].drop = drop  # type: ignore[attr-defined]

        def add_row(self, *cells: Any, **kwargs: Any) -> None:
            super().add_row(
                *(
                    Text(visible(c))
                    if isinstance(c, str)
                    else (_safe_text(c) if isinstance(c, Text) else c)
                    for c in cells
                ),
                **kwargs,
            )

    options.setdefault("box", None)
    options.setdefault("pad_edge", False)
    return LiteralTable(**options)


def _safe_text(text: Any) -> Any:
    from rich.text import Text

    if is_safe(text.plain):
        return text
    return Text(visible(text.plain), style=text.style)


def _cell_lines(cell: Any) -> list[str]:
    plain_text = cell.plain if hasattr(cell, "plain") else str(cell)
    return visible(plain_text).split("\n")


def _column_min_width(column: Any) -> int:
    """The narrowest the column can be without splitting a word (or any line of a no_wrap cell)."""
    from rich.cells import cell_len

    widest = 0
    for cell in [column.header, *column._cells]:
        for line in _cell_lines(cell):
            parts = [line] if column.no_wrap else line.split()
            widest = max([widest, *(cell_len(p) for p in parts)])
    if column.min_width:
        widest = max(widest, column.min_width)
    return widest


def fit_columns(table: Any, width: int) -> list[str]:
    """Drop columns marked ``drop=N`` (lowest N first) until no word must be split.

    Returns the headers of the dropped columns. Columns without ``drop`` always stay.
    """
    dropped: list[str] = []

    def needed() -> int:
        return sum(_column_min_width(c) for c in table.columns) + 2 * (len(table.columns) - 1)

    candidates = sorted(
        (c for c in table.columns if getattr(c, "drop", None) is not None),
        key=lambda c: c.drop,
    )
    for column in candidates:
        if needed() <= width:
            break
        table.columns.remove(column)
        dropped.append(str(column.header))
    return dropped


def plain_table(table: Any) -> str:
    """A table as plain aligned text: two spaces between columns, no trailing spaces.

    Used when stdout is not a terminal: no colour, no wrapping to a guessed
    width, no padding after the last column, one line per row (a multi-line
    cell continues on the next lines, aligned).
    """
    from rich.cells import cell_len

    columns = list(table.columns)
    rows: list[list[list[str]]] = []
    if table.show_header:
        rows.append([[str(c.header)] for c in columns])
    count = max((len(c._cells) for c in columns), default=0)
    for index in range(count):
        rows.append(
            [_cell_lines(c._cells[index]) if index < len(c._cells) else [""] for c in columns]
        )
    widths = [
        max((cell_len(line) for row in rows for line in row[i]), default=0)
        for i in range(len(columns))
    ]
    out_lines: list[str] = []
    if table.title:
        out_lines.append(visible(str(table.title)))
    for row in rows:
        height = max(len(cell) for cell in row)
        for n in range(height):
            parts = []
            for i, cell in enumerate(row):
                text = cell[n] if n < len(cell) else ""
                pad = " " * (widths[i] - cell_len(text))
                parts.append(pad + text if columns[i].justify == "right" else text + pad)
            out_lines.append("  ".join(parts).rstrip())
    return "\n".join(out_lines)


def print_table(table: Any, *, stderr: bool = False) -> None:
    """Print a table: fitted to the terminal, or plain aligned text when not a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    if not is_tty(stream):
        stream.write(plain_table(table) + "\n")
        stream.flush()
        return
    console = _console(stderr)
    fit_columns(table, console.width)
    console.print(table)


def print_json(data: Any) -> None:
    """Exactly one JSON document on stdout: indented for a person, compact for a pipe.

    Compact output uses the C encoder (``indent`` forces the pure-Python one, which
    is several times slower on a 10,000-order list); the GitHub CLI does the same.
    """
    if is_tty(sys.stdout):
        # On a terminal C1 and bidi controls are escaped too (JSON always escapes C0);
        # a pipe gets the data as it is, without paying for the scan.
        text = json_visible(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    _state["json_printed"] = True


def json_printed() -> bool:
    """Whether this run already printed its one JSON document (the error boundary asks)."""
    return _state["json_printed"]


def reset() -> None:
    """Forget what this run printed (each in-process invocation starts afresh)."""
    _state["json_printed"] = False


def data(text: str, *, end: str = "\n") -> None:
    """A data document (an export) on stdout: byte-exact into a pipe or file, made
    visible only when it would reach a terminal."""
    sys.stdout.write((visible(text) if stdout_is_terminal() else text) + end)
    sys.stdout.flush()


def indented(text: str, indent: int = 2, *, style: str = "") -> None:
    """A paragraph on stdout with every line indented, wrapped lines too (hanging indent).

    On a terminal Rich wraps it to the width; off a terminal each line is written as it
    is, indented, with no wrapping and no trailing spaces.
    """
    if not stdout_is_terminal():
        pad = " " * indent
        plain("\n".join((pad + line).rstrip() for line in text.split("\n")))
        return
    from rich.padding import Padding
    from rich.text import Text

    out().print(Padding(Text(visible(text), style=style), (0, 0, 0, indent), expand=False))


def plain(text: str = "", *, end: str = "\n") -> None:
    """Result text on stdout exactly as given, minus control characters (drafts, Markdown)."""
    sys.stdout.write(visible(text) + end)
    sys.stdout.flush()


def say(message: str, *, style: str | None = None) -> None:
    """A line of talk on stderr (user text is never parsed as markup).

    Off a terminal there is no colour to apply, so plain writes skip importing Rich.
    """
    message = visible(message)
    if not _stderr_is_tty():
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        return
    from rich.text import Text

    err().print(Text(message, style=style or ""))


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def warn(message: str) -> None:
    say(f"Warning: {message}", style="yellow")


def warnings(messages: list[str]) -> None:
    for message in messages:
        warn(message)


def error(message: str, hint: str | None = None, details: list[str] | None = None) -> None:
    """The human form of a failure, on stderr (see :func:`json_error` for stdout)."""
    say(f"Error: {message}", style="bold red")
    for line in details or []:
        say(f"  {line}")
    if hint:
        say(f"Hint: {hint}", style="cyan")


def stdout_is_terminal() -> bool:
    return is_tty(sys.stdout)


def is_interactive() -> bool:
    """Prompts and progress bars only when a person is at both ends."""
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def days_text(days_left: int) -> str:
    if days_left < 0:
        return f"{-days_left} d ago"
    if days_left == 0:
        return "today"
    return f"{days_left} d"


def json_error(code: int, message: str, hint: str | None, details: list[str] | None) -> None:
    """With --json, a failure is one JSON document on stdout: ``{"error": {...}}``."""
    body: dict[str, Any] = {"code": code, "message": message, "hint": hint}
    if details:
        body["details"] = list(details)
    print_json({"error": body})
