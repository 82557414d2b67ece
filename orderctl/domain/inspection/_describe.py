"""Wording helpers shared by the template and answers parsers.

Both parsers report every problem as one ``location: problem`` line; these
helpers keep the wording of a value's type the same everywhere, whatever
TOML or JSON decoded it to (including dates and other surprises).
"""

from __future__ import annotations

import datetime as dt
import re

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def type_name(value: object) -> str:
    """A human name for a decoded value's type, with its article ("a string")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date/time"
    return f"a {type(value).__name__}"


def key_part(key: object) -> str:
    """A key as it appears in a dotted location; odd keys are quoted so they stay readable."""
    if isinstance(key, str) and _KEY_RE.match(key):
        return key
    return _quote(key if isinstance(key, str) else repr(key))


def show(value: object, limit: int = 60) -> str:
    """A value quoted for a message, shortened so one bad value cannot flood the output."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return _quote(text)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else repr(c)[1:-1] for c in escaped)
    return f'"{escaped}"'
