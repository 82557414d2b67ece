"""The one place that reads the wall clock, so tests and demos can pin it.

``ORDERCTL_NOW`` (an ISO 8601 datetime or date) fixes "now" for every
command; without it the real UTC time is used. Domain code never calls this:
services pass ``now`` down explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime

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


def today(env: Mapping[str, str] | None = None) -> date:
    """The buyer's calendar date for deadline arithmetic (UTC based, documented)."""
    return now(env).date()


def iso(moment: datetime) -> str:
    """ISO 8601 with seconds precision and a ``Z`` for UTC."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
