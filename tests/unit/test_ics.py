"""ICS writer: parse our own output back (unfold, unescape) and check every field."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from orderctl.domain.ics import deadlines_to_ics, escape_text, event_uid, fold_line

NOW = datetime(2026, 3, 1, 9, 30, 0, tzinfo=timezone(timedelta(hours=2)))

ENTRIES = [
    {
        "order_id": "8208460785972844",
        "title": "Electric kettle, 6L; steel \\ glass",
        "kind": "protection_ends",
        "date": date(2026, 4, 25),
        "days_left": 55,
        "advice": "Open a dispute before this day if the parcel has not arrived.\nKeep photos.",
    },
    {
        "order_id": "3065355286098390",
        "title": "Чайник электрический со свистком и очень длинным названием " * 2,
        "kind": "confirm_by",
        "date": "2026-12-31",
        "days_left": 305,
        "advice": None,
    },
]


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def events(lines: list[str]) -> list[dict[str, str]]:
    """VEVENT properties by name (the VALARM's DESCRIPTION is stored as ALARM)."""
    found: list[dict[str, str]] = []
    in_alarm = False
    for line in lines:
        if line == "BEGIN:VEVENT":
            found.append({})
        elif line == "BEGIN:VALARM":
            in_alarm = True
        elif line == "END:VALARM":
            in_alarm = False
        elif found and not line.startswith(("END:", "BEGIN:")):
            name, _, value = line.partition(":")
            key = f"ALARM-{name}" if in_alarm else name
            found[-1][key] = value
    return found


def test_structure_line_endings_and_lengths() -> None:
    text = deadlines_to_ics(ENTRIES, now=NOW)
    assert "\n" not in text.replace("\r\n", "")
    for physical in text.split("\r\n")[:-1]:
        assert len(physical.encode("utf-8")) <= 75
    lines = unfold(text)
    assert lines[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//orderctl//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:orderctl deadlines",
    ]
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert lines.count("BEGIN:VALARM") == lines.count("END:VALARM") == 2


def test_event_fields() -> None:
    first, second = events(unfold(deadlines_to_ics(ENTRIES, now=NOW)))
    assert first["UID"] == event_uid("8208460785972844", "protection_ends")
    assert first["DTSTAMP"] == "20260301T073000Z"  # 09:30 at +02:00 in UTC
    assert first["DTSTART;VALUE=DATE"] == "20260425"
    assert first["DTEND;VALUE=DATE"] == "20260426"
    assert unescape(first["SUMMARY"]) == (
        "Protection ends: Electric kettle, 6L; steel \\ glass (order 8208460785972844)"
    )
    assert first["SUMMARY"] == (
        "Protection ends: Electric kettle\\, 6L\\; steel \\\\ glass (order 8208460785972844)"
    )
    assert unescape(first["DESCRIPTION"]) == (
        "Open a dispute before this day if the parcel has not arrived.\nKeep photos.\n"
        "Order 8208460785972844, deadline 2026-04-25."
    )
    assert first["ALARM-ACTION"] == "DISPLAY"
    assert first["ALARM-TRIGGER"] == "-P1D"
    assert first["ALARM-DESCRIPTION"] == first["SUMMARY"]
    assert first["CATEGORIES"] == "protection_ends"

    assert second["DTSTART;VALUE=DATE"] == "20261231"
    assert second["DTEND;VALUE=DATE"] == "20270101"  # across the year end
    assert unescape(second["SUMMARY"]).startswith("Confirm by: Чайник электрический")
    assert unescape(second["DESCRIPTION"]) == "Order 3065355286098390, deadline 2026-12-31."


def test_uid_is_stable_and_distinct() -> None:
    assert event_uid("1", "a") == event_uid("1", "a")
    assert event_uid("1", "a") != event_uid("1", "b")
    assert event_uid("1a", "b") != event_uid("1", "ab")
    assert re.fullmatch(r"[0-9a-f]{32}@orderctl", event_uid("x", "y"))
    again = events(unfold(deadlines_to_ics(ENTRIES, now=NOW + timedelta(days=3))))
    assert [e["UID"] for e in again] == [
        e["UID"] for e in events(unfold(deadlines_to_ics(ENTRIES, now=NOW)))
    ]


def test_naive_now_is_taken_as_utc() -> None:
    text = deadlines_to_ics(ENTRIES[:1], now=datetime(2026, 3, 1, 9, 30))
    assert "DTSTAMP:20260301T093000Z\r\n" in text


def test_empty_calendar_and_custom_prodid() -> None:
    text = deadlines_to_ics([], now=NOW, prodid="-//Example, Inc.//orderctl 1.0//EN")
    assert unfold(text) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Example\\, Inc.//orderctl 1.0//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:orderctl deadlines",
        "END:VCALENDAR",
    ]


def test_bad_entries_raise_value_error() -> None:
    with pytest.raises(ValueError, match="needs order_id, kind and date"):
        deadlines_to_ics([{"order_id": "1", "kind": "x"}], now=NOW)
    with pytest.raises(ValueError):
        deadlines_to_ics([{"order_id": "1", "kind": "x", "date": "soon"}], now=NOW)


def test_escape_text() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("tab\tok\x07bell\x7f") == "tab\tokbell"


@pytest.mark.parametrize(
    "line",
    [
        "X" * 75,
        "X" * 76,
        "SUMMARY:" + "é" * 100,
        "SUMMARY:" + "电" * 60,
        "SUMMARY:" + "🙂" * 40,
        "A" * 74 + "电" + "B" * 10,
    ],
)
def test_fold_line(line: str) -> None:
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert physical[0] + "".join(p[1:] for p in physical[1:]) == line
    if len(line.encode("utf-8")) <= 75:
        assert folded == line
