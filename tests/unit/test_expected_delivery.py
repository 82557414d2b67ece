"""Estimated delivery dates as platforms print them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderctl.domain.expected import parse_expected

REF = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-12", (None, date(2026, 12, 12))),
        ("Dec 12", (None, date(2026, 12, 12))),
        ("Dec 3-12", (date(2026, 12, 3), date(2026, 12, 12))),
        ("Dec 3 - 12", (date(2026, 12, 3), date(2026, 12, 12))),
        ("Dec 3\u201312", (date(2026, 12, 3), date(2026, 12, 12))),
        ("Dec 3-12, 2027", (date(2027, 12, 3), date(2027, 12, 12))),
        ("Dec 28 - Jan 4", (date(2026, 12, 28), date(2027, 1, 4))),
        ("2026-12-03..2026-12-12", (date(2026, 12, 3), date(2026, 12, 12))),
        ("Dec 3 to Dec 12", (date(2026, 12, 3), date(2026, 12, 12))),
        # no year, early in the next year: the first such date not half a year before
        ("Jan 5-9", (date(2027, 1, 5), date(2027, 1, 9))),
    ],
)
def test_forms(text, expected):
    assert parse_expected(text, REF) == expected


@pytest.mark.parametrize("text", ["", "  ", "Dec 12-3", "Foo 3-4", "2026-13-01", "soon"])
def test_refused(text):
    with pytest.raises(ValueError):
        parse_expected(text, REF)


@given(st.text(max_size=30))
def test_never_raises_anything_but_valueerror(text):
    try:
        start, end = parse_expected(text, REF)
    except ValueError:
        return
    assert isinstance(end, date) and (start is None or start <= end)
