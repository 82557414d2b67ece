"""Estimated delivery dates as platforms print them: ``Dec 3-12``, ``Dec 28 - Jan 4``.

Pure: the year, when the text has none, is taken from ``reference`` (the
order date, else today): the first such date not more than half a year
before it. Built on :func:`orderctl.domain.field_parsers.parse_date` for each end.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_DAY_RANGE = re.compile(r"([A-Za-z]+\.?)\s*(\d{1,2})\s*-\s*(\d{1,2})(?:\s*,?\s*(\d{4}))?")
_SEPARATORS = ("..", " to ", " - ", " until ")
_HALF_YEAR = timedelta(days=183)


def _with_year(text: str, reference: date) -> date:
    from orderctl.domain.field_parsers import parse_date

    text = text.strip()
    try:
        return parse_date(text)
    except ValueError:
        pass
    candidate = parse_date(f"{text}, {reference.year}")
    if candidate < reference - _HALF_YEAR:
        candidate = candidate.replace(year=candidate.year + 1)
    return candidate


def parse_expected(text: str, reference: date) -> tuple[date | None, date]:
    """``(expected_delivery_from, expected_delivery_by)``; ValueError on bad input."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty estimated delivery")
    s = " ".join(text.strip().replace("\u2013", "-").replace("\u2014", "-").split())
    if m := _DAY_RANGE.fullmatch(s):
        year = f", {m[4]}" if m[4] else ""
        start = _with_year(f"{m[1]} {m[2]}{year}", reference)
        end = _with_year(f"{m[1]} {m[3]}{year}", start)
        return _ordered(start, end, text)
    for sep in _SEPARATORS:
        if sep in s:
            left, right = s.split(sep, 1)
            start = _with_year(left, reference)
            right = right.strip()
            end = start.replace(day=int(right)) if right.isdigit() else _with_year(right, start)
            return _ordered(start, end, text)
    return None, _with_year(s, reference)


def _ordered(start: date, end: date, text: str) -> tuple[date, date]:
    if end < start:
        raise ValueError(f"{text!r}: the range ends before it starts")
    return start, end
