"""Calendar arithmetic for deadlines: business days and the buyer's day across zones.

Pure: time zones arrive as ``tzinfo`` objects resolved by the caller (no
zone database reads here). Results are cached per date: the same few dates
repeat across thousands of orders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from orderctl.domain.policies import PolicyValue


@dataclass(frozen=True)
class Zones:
    """The buyer's zone and the platforms' zones (resolved by the caller: no I/O here)."""

    buyer: tzinfo | None = None
    platforms: Mapping[str, tzinfo] = field(default_factory=dict)


@lru_cache(maxsize=4096)
def add_business_days(start: date, days: int) -> date:
    """``start`` + ``days`` working days (Monday-Friday; holidays only make it later)."""
    step = 1 if days >= 0 else -1
    current, left = start, abs(days)
    while left:
        current += timedelta(days=step)
        if current.weekday() < 5:
            left -= 1
    return current


def shift(start: date, value: PolicyValue, sign: int = 1, days: int | None = None) -> date:
    amount = value.value if days is None else days
    if value.unit == "business_days":
        return add_business_days(start, sign * amount)
    return start + timedelta(days=sign * amount)


@lru_cache(maxsize=8192)
def safe_day(day: date, platform: tzinfo | None, buyer: tzinfo | None) -> tuple[date, str | None]:
    """The buyer's last whole calendar day inside a window ending with the platform's ``day``.

    The platform's day ends at midnight in its zone; that instant, in the
    buyer's zone, falls on some day X. The buyer's last whole day before it is
    X - 1 (never later than ``day``). Returns that day and a note when it
    differs from ``day``.
    """
    if platform is None or buyer is None:
        return day, None
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=platform).astimezone(buyer)
    safe = min(day, end.date() - timedelta(days=1))
    if safe == day:
        return day, None
    return safe, (
        f"the platform counts days in its own time zone: its day {day.isoformat()} ends at "
        f"{end.strftime('%H:%M')} on {end.date().isoformat()} your time, so the last safe day "
        f"shown is {safe.isoformat()}"
    )


@lru_cache(maxsize=8192)
def last_overlapping_day(day: date, platform: tzinfo | None, buyer: tzinfo | None) -> date:
    """The buyer's last calendar day that still overlaps the platform's ``day``."""
    if platform is None or buyer is None:
        return day
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=platform).astimezone(buyer)
    return (end - timedelta(microseconds=1)).date()
