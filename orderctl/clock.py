"""The one place that reads the wall clock, so tests and demos can pin it.

``ORDERCTL_NOW`` (an ISO 8601 datetime or date) fixes "now" for every
command; without it the real UTC time is used. Domain code never calls this:
services pass ``now`` down explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput


def now(env: Mapping[str, str] | None = None) -> datetime:
    """Current time as an aware UTC datetime, honouring ``ORDERCTL_NOW``."""
    env = os.environ if env is None else env
    pinned = env.get("ORDERCTL_NOW", "").strip()
    if not pinned:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"ORDERCTL_NOW={pinned!r} is not an ISO 8601 date or datetime",
            hint="Use e.g. ORDERCTL_NOW=2026-11-28T12:00:00Z, or unset it.",
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def today(env: Mapping[str, str] | None = None, config: Mapping[str, Any] | None = None) -> date:
    """The buyer's calendar date: "now" in the buyer's time zone (see :func:`buyer_zone`).

    ``ORDERCTL_NOW`` with an offset is an instant like any other: it is
    converted to the buyer's zone, so ``2026-11-28T07:00:00+08:00`` is
    2026-11-28 for a buyer in Asia/Shanghai and 2026-11-27 in Los Angeles.
    """
    return local_date(now(env), buyer_zone(env, config))


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The calendar date of ``moment`` in ``zone``."""
    return moment.astimezone(zone).date()


def zone_by_name(name: str, source: str = "policy data") -> tzinfo:
    """An IANA zone by name (raises InvalidInput naming ``source`` when unknown)."""
    return _zone(name, source)


def iso(moment: datetime) -> str:
    """ISO 8601 with seconds precision and a ``Z`` for UTC."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def buyer_zone(
    env: Mapping[str, str] | None = None, config: Mapping[str, Any] | None = None
) -> tzinfo:
    """The buyer's time zone: ``ORDERCTL_TZ`` > ``tz`` in config.toml > the system zone.

    Deadlines are calendar days in the buyer's own zone, so "today" must not be
    the UTC date (at 07:00 in UTC+8 the UTC date is still yesterday). The
    system zone comes from ``TZ`` or ``/etc/localtime`` as an IANA name, so
    DST changes are followed; failing that, the current fixed local offset.
    """
    env = os.environ if env is None else env
    for source, raw in (
        ("ORDERCTL_TZ", env.get("ORDERCTL_TZ")),
        ("tz in config.toml", (config or {}).get("tz")),
    ):
        if isinstance(raw, str) and raw.strip():
            return _zone(raw.strip(), source)
    system = _system_zone_name(env)
    if system:
        try:
            return _zone(system, "TZ")
        except InvalidInput:
            pass
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC


def _zone(name: str, source: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.upper() in ("UTC", "Z", "ETC/UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{source}: unknown time zone {name!r}",
            hint="Use an IANA name such as Europe/Berlin, America/Los_Angeles or Asia/Shanghai.",
        ) from None


def _system_zone_name(env: Mapping[str, str]) -> str | None:
    tz = (env.get("TZ") or "").strip().lstrip(":")
    if tz and "/" in tz and not tz.startswith("/"):
        return tz
    try:
        target = Path("/etc/localtime").resolve()
    except OSError:
        return None
    parts = target.parts
    if "zoneinfo" in parts:
        name = "/".join(parts[parts.index("zoneinfo") + 1 :])
        return name or None
    return None
