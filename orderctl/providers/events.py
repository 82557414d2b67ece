"""Shared event building for every adapter: times, zones, words, and never losing a parcel.

An adapter turns each raw provider event into a :class:`RawEvent` (what the
provider said, nothing guessed), then :func:`build_events` settles the times
for the whole parcel at once — given offsets first, then offsets inferred from
the parcel's other events in the same country, the event's country or the
carrier's home country (see :mod:`orderctl.providers.timezones`) — and builds
the domain events. One unusable event is skipped with a warning naming the
number and the event; it never costs the parcel its other events.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from orderctl.domain.tracking import ShipmentStatus, TrackingEvent, utc_iso
from orderctl.providers.base import short
from orderctl.providers.timezones import offset_between, zone_for_country

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_OFFSET = re.compile(r"^(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
# "[Shatian Town] Departed from sorting center" / "【深圳市】已揽收"
_BRACKETED = re.compile(r"^\s*[\[【(（]\s*([^\]】)）]{1,60}?)\s*[\]】)）]\s*[-–:：,]?\s*(.+)$")
# "Arrived at sort facility, Shenzhen" (a short, capitalised place after the last comma)
_TRAILING = re.compile(
    r"^(.{6,}?)\s*[,，]\s*"
    r"((?:[A-Z][A-Za-z.'-]*|[A-Z]{2,})(?:[ -](?:[A-Z][A-Za-z.'-]*|[A-Z]{2,})){0,3}"
    r"|[\u4e00-\u9fff]{1,10}[市省区县镇])\s*$"
)
# Trailing words that are not places ("Delivered, Front Door", "Returned, Sender").
_NOT_PLACES = frozenset(
    [
        "front",
        "back",
        "door",
        "porch",
        "mailbox",
        "parcel",
        "locker",
        "sender",
        "recipient",
        "customer",
        "reception",
        "left",
        "signed",
        "by",
        "neighbour",
        "neighbor",
        "garage",
        "office",
        "receptionist",
        "safe",
        "place",
        "today",
        "tomorrow",
        "pending",
        "please",
        "attempt",
        "attempted",
        "arriving",
        "late",
        "delayed",
        "expected",
        "available",
        "notice",
        "held",
        "customs",
        "clearance",
        "delivery",
        "delivered",
        "ready",
        "pickup",
        "returned",
        "returning",
        "signature",
        "required",
        "scheduled",
        "rescheduled",
        "processing",
        "processed",
        "shipment",
        "package",
        "item",
    ]
)


@dataclass
class RawEvent:
    """One provider event as given: a local time (naive or with offset) and/or a UTC instant."""

    local: datetime | None
    utc: datetime | None
    date_only: bool
    country: str | None
    status: ShipmentStatus | None
    description: str
    description_std: str | None = None
    location: str | None = None
    detail: str | None = None
    home: str | None = None  # the reporting carrier's home country, when known


def text(value: Any) -> str | None:
    """A provider string field, stripped; anything else (or blank) is None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    flat = " ".join(value.split())
    return flat or None


def parse_offset(value: Any) -> timezone | None:
    """``+08:00``, ``-0500``, ``GMT+8``, ``UTC-3``, ``Z`` → a fixed offset; else None."""
    raw = text(value)
    if raw is None:
        return None
    if raw.upper() in ("Z", "UTC", "GMT"):
        return UTC
    match = _OFFSET.match(raw)
    if not match:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    if minutes > 14 * 60:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return timezone(timedelta(minutes=sign * minutes))


def parse_time_text(value: Any) -> tuple[datetime, bool] | None:
    """A provider time string → (datetime, date_only); naive when no offset was written.

    Accepts ISO 8601 (``T`` or space) and a bare date; None when unusable.
    """
    raw = text(value)
    if raw is None or len(raw) > 40:
        return None
    if _DATE_ONLY.fullmatch(raw):
        try:
            return datetime.fromisoformat(raw), True
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        offset = parsed.utcoffset()
        if offset is None or abs(offset) > timedelta(hours=14):
            return None
    return parsed, False


def split_location(description: str, location: str | None) -> tuple[str, str | None]:
    """Move a bracketed or comma-trailing place out of the text into ``location``.

    Only when the provider gave no location of its own; the text is kept whole
    when what follows the comma does not look like a place name.
    """
    if location:
        return description, location
    match = _BRACKETED.match(description)
    if match:
        return match.group(2).strip(), match.group(1).strip()
    match = _TRAILING.match(description)
    if match:
        place = match.group(2).strip()
        if not any(word in _NOT_PLACES for word in place.casefold().replace("-", " ").split()):
            return match.group(1).strip(), place
    return description, None


def _fmt(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _given(raw: RawEvent) -> datetime | None:
    """The event's local time with an offset the provider itself gave (or implied), else None."""
    if raw.local is not None and raw.local.tzinfo is not None:
        return raw.local
    if raw.utc is not None and raw.local is not None and not raw.date_only:
        offset = offset_between(raw.local, raw.utc)
        if offset is not None:
            return raw.utc.astimezone(timezone(offset))
    return None


def _times(
    raw: RawEvent,
    siblings: dict[str, list[tuple[datetime, timedelta]]],
    home: str | None,
) -> tuple[str, str | None, str]:
    """(time, time_utc, time_zone) for one event, given the parcel's known offsets."""
    given = _given(raw)
    if given is not None:
        return _fmt(given), utc_iso(given), "given"
    if raw.local is None:
        if raw.utc is None:
            raise ValueError("no time")
        return _fmt(raw.utc.astimezone(UTC)).replace("+00:00", "Z"), utc_iso(raw.utc), "given"
    local = raw.local
    if raw.date_only:
        return local.date().isoformat(), None, "unknown"
    if raw.utc is not None:  # implied offset was absurd: the instant still stands
        return _fmt(raw.utc.astimezone(UTC)).replace("+00:00", "Z"), utc_iso(raw.utc), "given"
    known = siblings.get(raw.country or "")
    if known:
        _, offset = min(known, key=lambda pair: abs(pair[0] - local.replace(tzinfo=None)))
        moment = local.replace(tzinfo=timezone(offset))
        return _fmt(moment), utc_iso(moment), "inferred"
    for country in (raw.country, raw.home or home):
        zone = zone_for_country(country, local)
        if zone is not None:
            moment = local.replace(tzinfo=zone)
            moment = moment.astimezone(timezone(moment.utcoffset() or timedelta(0)))
            return _fmt(moment), utc_iso(moment), "inferred"
    return _fmt(local), None, "unknown"


def build_events(
    number: str,
    provider: str,
    raws: Iterable[tuple[str, RawEvent]],
    home_country: str | None,
    warn: Callable[[str], None],
) -> list[TrackingEvent]:
    """Domain events for one parcel; an event that cannot be built is skipped with a warning.

    ``raws`` pairs each event with a short label for that warning.
    """
    raws = list(raws)
    siblings: dict[str, list[tuple[datetime, timedelta]]] = {}
    for _, raw in raws:
        given = _given(raw)
        if given is not None and raw.country and given.utcoffset() is not None:
            siblings.setdefault(raw.country, []).append(
                (given.replace(tzinfo=None), given.utcoffset())  # type: ignore[arg-type]
            )
    events: list[TrackingEvent] = []
    for label, raw in raws:
        try:
            time, time_utc, zone = _times(raw, siblings, home_country)
            description, location = split_location(raw.description, raw.location)
            events.append(
                TrackingEvent(
                    time=time,
                    time_utc=time_utc,
                    status=raw.status,
                    description=description,
                    location=location,
                    provider=provider,
                    detail=raw.detail,
                    time_zone=zone,
                    description_std=raw.description_std,
                )
            )
        except (ValueError, TypeError, OverflowError, AttributeError) as exc:
            warn(skipped(number, label, exc))
    return events


#: What parsing one malformed provider event can raise; it costs that event, never the parcel.
EVENT_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


def skipped(number: str, label: str, exc: BaseException) -> str:
    """The warning for an event left out: the number, which event, and why."""
    return f"{number}: skipped {label}: {short(exc, 80)}"


def parse_raw_events(
    number: str,
    rows: Any,
    parse: Callable[[dict[str, Any]], RawEvent],
    describe: Callable[[dict[str, Any]], Any],
    warn: Callable[[str], None],
    start: int = 0,
) -> list[tuple[str, RawEvent]]:
    """Each provider row parsed by ``parse``, labelled for warnings; a row that is not an
    object or fails to parse is skipped with a warning, and the others are kept."""
    raws: list[tuple[str, RawEvent]] = []
    for index, row in enumerate(rows if isinstance(rows, list) else [], start):
        label = event_label(index, describe(row) if isinstance(row, dict) else None)
        try:
            if not isinstance(row, dict):
                raise TypeError("not an object")
            raws.append((label, parse(row)))
        except EVENT_ERRORS as exc:
            warn(skipped(number, label, exc))
    return raws


def event_label(index: int, description: Any) -> str:
    """How a warning names an event: its position and the start of its text."""
    words = text(description)
    return f"event {index + 1}" + (f" ({short(words, 40)!r})" if words else "")


def as_date(value: Any) -> date | None:
    raw = text(value)
    if raw and _DATE_ONLY.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None
