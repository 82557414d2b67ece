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

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


def _console(stderr: bool) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "0") or 0) or 100
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


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
        def add_row(self, *cells: Any, **kwargs: Any) -> None:
            super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **kwargs)

    options.setdefault("box", None)
    options.setdefault("pad_edge", False)
    return LiteralTable(**options)


def print_json(data: Any) -> None:
    """Exactly one JSON document on stdout: indented for a person, compact for a pipe.

    Compact output uses the C encoder (``indent`` forces the pure-Python one, which
    is several times slower on a 10,000-order list); the GitHub CLI does the same.
    """
    if sys.stdout.isatty():
        text = json.dumps(data, indent=2, ensure_ascii=False)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def say(message: str, *, style: str | None = None) -> None:
    """A line of talk on stderr (user text is never parsed as markup).

    Off a terminal there is no colour to apply, so plain writes skip importing Rich.
    """
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
    say(f"Error: {message}", style="bold red")
    for line in details or []:
        say(f"  {line}")
    if hint:
        say(f"Hint: {hint}", style="cyan")


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
