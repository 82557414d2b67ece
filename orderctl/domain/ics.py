"""Deadlines as an iCalendar file (RFC 5545) that any calendar app can subscribe to.

One all-day event per deadline with a display alarm the day before. The UID
is derived from order id and deadline kind only, so re-exporting after a
deadline moves updates the event in the calendar instead of duplicating it.
Pure: ``now`` (for DTSTAMP) is a parameter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

__all__ = ["deadlines_to_ics", "escape_text", "event_uid", "fold_line"]

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping; other control characters are dropped (TEXT forbids them)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.

    Continuation lines start with one space, which counts toward their 75.
    """
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += ch
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def event_uid(order_id: str, kind: str) -> str:
    """Stable across exports and runs: a hash of order id and kind (ids may hold any text)."""
    digest = hashlib.sha256(f"{order_id}\x1f{kind}".encode()).hexdigest()[:32]
    return f"{digest}@orderctl"


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return (
            date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
        )
    raise ValueError(f"deadline date {value!r} is not a date")


def _utc_stamp(now: datetime) -> str:
    """DTSTAMP in UTC; a naive ``now`` is taken as UTC already (the domain has no local zone)."""
    aware = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return aware.strftime("%Y%m%dT%H%M%SZ")


def _summary(entry: Mapping[str, Any]) -> str:
    kind = str(entry.get("kind") or "deadline").replace("_", " ").replace("-", " ")
    title = str(entry.get("title") or "").strip()
    label = kind[:1].upper() + kind[1:]
    return (
        f"{label}: {title} (order {entry['order_id']})"
        if title
        else (f"{label}: order {entry['order_id']}")
    )


def _event(entry: Mapping[str, Any], stamp: str) -> list[str]:
    if "order_id" not in entry or "kind" not in entry or "date" not in entry:
        raise ValueError("a deadline entry needs order_id, kind and date")
    order_id, kind = str(entry["order_id"]), str(entry["kind"])
    day = _as_date(entry["date"])
    summary = _summary(entry)
    description = [str(entry.get("advice") or "").strip()]
    description.append(f"Order {order_id}, deadline {day.isoformat()}.")
    return [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event_uid(order_id, kind))}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(d for d in description if d))}",
        f"CATEGORIES:{escape_text(kind)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(summary)}",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VEVENT",
    ]


def deadlines_to_ics(
    entries: Iterable[Mapping[str, Any]], *, now: datetime, prodid: str = "-//orderctl//EN"
) -> str:
    """A VCALENDAR with one all-day VEVENT per entry ``{order_id, title, kind, date, advice}``.

    ``date`` may be a ``date`` or an ISO string; ``days_left`` is ignored on
    purpose because a calendar is read on other days than it was written.
    Raises ``ValueError`` for an entry without ``order_id``, ``kind`` or a
    valid ``date``. With no entries the calendar has no events (RFC 5545
    wants at least one component, but every client accepts an empty one and
    it is the honest answer).
    """
    stamp = _utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(prodid)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:orderctl deadlines",
    ]
    for entry in entries:
        lines.extend(_event(entry, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
