"""Shipment tracking model: statuses, events, per-parcel results and merge rules.

Pure code: no I/O and no clock (callers pass ``now``). Providers parse their
payloads into these types at their boundary, so everything above the provider
layer sees one vocabulary whichever service answered.

Timestamps: ``time`` is the carrier's local time (what the buyer reads on the
carrier's site), with its offset whenever one is known; ``time_utc`` is
``YYYY-MM-DDTHH:MM:SSZ`` so it sorts and compares as a plain string and as an
instant, or None when the instant cannot be known (a local time with no zone
given and none that could be inferred). ``time_zone`` says where the offset in
``time`` came from: ``given`` by the provider, ``inferred`` by orderctl (other
events of the parcel in the same country, the event's country or the carrier's
home country), or ``unknown`` (``time`` is naive, ``time_utc`` is None). A
provider that gives a date without a time of day yields ``time`` = the date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

TIME_ZONE_SOURCES = ("given", "inferred", "unknown")


class ShipmentStatus(StrEnum):
    """The normalised 9-value status model every provider maps onto."""

    NOT_FOUND = "not_found"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    FAILED_ATTEMPT = "failed_attempt"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    EXPIRED = "expired"


_SPACES = re.compile(r"\s+")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware UTC datetime; naive input is read as UTC.

    Raises ValueError on anything unparseable, so adapters can reject a payload.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_iso(moment: datetime) -> str:
    """The canonical ``time_utc`` form: seconds precision, trailing ``Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _norm(text: str | None) -> str:
    """Case- and whitespace-insensitive form used for duplicate detection."""
    return _SPACES.sub(" ", text or "").strip().casefold()


def parse_local(text: str) -> datetime:
    """A provider local time (ISO 8601, offset optional, or a bare date); naive stays naive.

    Raises ValueError on anything unparseable.
    """
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))


@dataclass(frozen=True)
class TrackingEvent:
    """One carrier scan. ``detail`` keeps the provider's own sub-status code.

    ``description`` is the provider's specific wording; ``description_std`` its
    standard (generic) wording when that differs.
    """

    time: str
    time_utc: str | None
    status: ShipmentStatus | None
    description: str
    location: str | None = None
    provider: str = ""
    detail: str | None = None
    time_zone: str = "given"
    description_std: str | None = None

    def __post_init__(self) -> None:
        # Canonicalise so equal instants compare equal as strings, and reject
        # garbage early (adapters skip such an event with a warning).
        local = parse_local(self.time)
        if self.time_utc is not None:
            object.__setattr__(self, "time_utc", utc_iso(parse_instant(self.time_utc)))
        if self.time_zone not in TIME_ZONE_SOURCES:
            raise ValueError(f"time_zone must be one of {TIME_ZONE_SOURCES}")
        if self.time_utc is None and self.time_zone != "unknown":
            object.__setattr__(self, "time_zone", "unknown")
        if self.time_zone == "unknown" and local.tzinfo is not None and self.time_utc is None:
            raise ValueError("a time with an offset has a known UTC instant")
        if self.status is not None and not isinstance(self.status, ShipmentStatus):
            object.__setattr__(self, "status", ShipmentStatus(self.status))
        if not isinstance(self.description, str):
            raise ValueError("event description must be a string")
        if self.description_std is not None and (
            not isinstance(self.description_std, str)
            or _norm(self.description_std) in ("", _norm(self.description))
        ):
            object.__setattr__(self, "description_std", None)

    @property
    def sort_time(self) -> str:
        """``time_utc``, or for an unknown zone the naive local time read as UTC (ordering only)."""
        if self.time_utc is not None:
            return self.time_utc
        return utc_iso(parse_local(self.time).replace(tzinfo=UTC))

    @property
    def instant(self) -> datetime:
        """The UTC instant (approximate — local read as UTC — when the zone is unknown)."""
        return parse_instant(self.sort_time)

    @property
    def local_date(self) -> date:
        """The calendar date at the place of the scan (the buyer-facing date)."""
        return parse_local(self.time).date()

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity for dedupe: same instant, description and location is one event."""
        when = self.time_utc if self.time_utc is not None else "local " + self.time
        return (when, _norm(self.description), _norm(self.location))

    def _rank(self) -> tuple[Any, ...]:
        """Total order among duplicates: the richer record wins, then a stable tie-break."""
        richness = sum(
            x is not None for x in (self.status, self.location, self.detail, self.description_std)
        )
        return (
            richness,
            self.time,
            self.status or "",
            self.description,
            self.location or "",
            self.provider,
            self.detail or "",
            self.time_zone,
            self.description_std or "",
        )

    def redacted(self, scrub: Callable[[str], str]) -> TrackingEvent:
        """The same event with every provider text passed through ``scrub``."""
        return replace(
            self,
            description=scrub(self.description),
            description_std=None if self.description_std is None else scrub(self.description_std),
            location=None if self.location is None else scrub(self.location),
            detail=None if self.detail is None else scrub(self.detail),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "time_utc": self.time_utc,
            "time_zone": self.time_zone,
            "status": None if self.status is None else self.status.value,
            "description": self.description,
            "description_std": self.description_std,
            "location": self.location,
            "provider": self.provider,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackingEvent:
        """Inverse of :meth:`to_dict`; raises KeyError/ValueError on bad shapes.

        Records stored before ``time_zone`` existed always carried an offset: "given".
        """
        status = data.get("status")
        utc = data.get("time_utc")
        zone = data.get("time_zone") or ("given" if utc else "unknown")
        return cls(
            time=str(data["time"]),
            time_utc=None if utc in (None, "") else str(utc),
            status=None if status in (None, "") else ShipmentStatus(status),
            description=str(data.get("description") or ""),
            location=data.get("location") or None,
            provider=str(data.get("provider") or ""),
            detail=data.get("detail") or None,
            time_zone=str(zone),
            description_std=data.get("description_std") or None,
        )


def _sort_key(event: TrackingEvent) -> tuple[Any, ...]:
    return (event.sort_time, event.key, event._rank())


def merge_events(
    stored: Iterable[TrackingEvent], fresh: Iterable[TrackingEvent]
) -> list[TrackingEvent]:
    """Union of both lists without duplicates, oldest first.

    The result depends only on the *set* of events given (commutative,
    associative, idempotent), so re-fetching or fetching from a second provider
    never reorders or drops history: every stored event's key survives. When
    two records share a key, the one with more fields filled wins, with a fixed
    tie-break, so the choice does not depend on argument order.
    """
    best: dict[tuple[str, str, str], TrackingEvent] = {}
    for event in [*stored, *fresh]:
        current = best.get(event.key)
        if current is None or event._rank() > current._rank():
            best[event.key] = event
    return sorted(best.values(), key=_sort_key)


def latest_event(events: Iterable[TrackingEvent]) -> TrackingEvent | None:
    """The most recent event (by UTC instant), or None."""
    ordered = sorted(events, key=_sort_key)
    return ordered[-1] if ordered else None


def status_from_events(
    events: Iterable[TrackingEvent], default: ShipmentStatus | None = None
) -> ShipmentStatus | None:
    """Status of the newest event that carries one; ``default`` when none does.

    Used when a provider gives no overall status (Cainiao) or when events from
    several providers were merged.
    """
    for event in reversed(sorted(events, key=_sort_key)):
        if event.status is not None:
            return event.status
    return default


def delivered_date(events: Iterable[TrackingEvent]) -> date | None:
    """Carrier-local calendar date of the latest delivered event (the buyer's date)."""
    delivered = [e for e in events if e.status is ShipmentStatus.DELIVERED]
    last = latest_event(delivered)
    if last is None:
        return None
    return last.local_date


def is_stuck(events: Iterable[TrackingEvent], now: datetime, days: int) -> bool:
    """True when an undelivered parcel has had no new scan for ``days`` days.

    No events at all is "pending", not stuck: the service reports that apart.
    """
    events = list(events)
    last = latest_event(events)
    if last is None or status_from_events(events) is ShipmentStatus.DELIVERED:
        return False
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now - last.instant >= timedelta(days=days)


@dataclass
class TrackResult:
    """What one provider said about one parcel in one refresh."""

    number: str
    provider: str
    status: ShipmentStatus
    detail: str | None = None
    events: list[TrackingEvent] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    carrier: str | None = None
    delivered_at: date | None = None
    pending: bool = False
    carrier_code: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.events = merge_events([], self.events)
        self.aliases = [a for a in dict.fromkeys(self.aliases) if a and a != self.number]
        if self.delivered_at is None and self.status is ShipmentStatus.DELIVERED:
            self.delivered_at = delivered_date(self.events)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "provider": self.provider,
            "status": self.status.value,
            "detail": self.detail,
            "events": [e.to_dict() for e in self.events],
            "aliases": list(self.aliases),
            "carrier": self.carrier,
            "delivered_at": None if self.delivered_at is None else self.delivered_at.isoformat(),
            "pending": self.pending,
            "carrier_code": self.carrier_code,
            "warnings": list(self.warnings),
        }

    def redacted(self, scrub: Callable[[str], str]) -> TrackResult:
        """A copy whose provider texts (events, carrier, warnings) passed ``scrub``."""
        return replace(
            self,
            detail=None if self.detail is None else scrub(self.detail),
            events=[e.redacted(scrub) for e in self.events],
            carrier=None if self.carrier is None else scrub(self.carrier),
            warnings=[scrub(w) for w in self.warnings],
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackResult:
        delivered = data.get("delivered_at")
        return cls(
            number=str(data["number"]),
            provider=str(data["provider"]),
            status=ShipmentStatus(data["status"]),
            detail=data.get("detail"),
            events=[TrackingEvent.from_dict(e) for e in data.get("events") or []],
            aliases=[str(a) for a in data.get("aliases") or []],
            carrier=data.get("carrier"),
            delivered_at=None if not delivered else date.fromisoformat(delivered),
            pending=bool(data.get("pending", False)),
            carrier_code=data.get("carrier_code"),
            warnings=[str(w) for w in data.get("warnings") or []],
        )
