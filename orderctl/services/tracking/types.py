"""The values a ``track`` run passes between its phases and hands to the CLI.

They live apart from :mod:`orderctl.services.tracking.refresh` because the selection
and merge helpers build them too: keeping them in the orchestration module
would make those helpers import it back (a cycle). Import them from
:mod:`orderctl.services.tracking.refresh`, which re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from orderctl.domain.tracking import TrackingEvent
from orderctl.domain.wording import plural
from orderctl.errors import OrderctlError, ProviderError
from orderctl.providers.settings import ProviderSettings

PROVIDER_LABELS = {"17track": "17TRACK", "aftership": "AfterShip", "cainiao": "Cainiao"}


@dataclass(frozen=True)
class Target:
    """One order to refresh and the number sent for it."""

    order_id: str
    number: str


@dataclass
class OrderTrack:
    """What one refresh did to one order (the ``track --json`` element)."""

    order_id: str
    title: str
    tracking_number: str | None
    provider: str | None
    status: str | None
    previous_status: str | None
    new_events: int = 0
    error: str | None = None
    pending: bool = False
    stuck: bool = False
    newly_stuck: bool = False
    days_since_event: int | None = None
    state: str | None = None
    previous_state: str | None = None
    delivered_at: date | None = None
    last_event_at: str | None = None
    latest_event: TrackingEvent | None = None
    aliases_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    carrier: str | None = None
    carrier_source: str | None = None

    @property
    def changed(self) -> bool:
        """Worth telling the buyer: a new status, new scans, or a parcel that just got stuck.

        A parcel the provider has no information about yet is not news (it is
        counted apart), so a cron run stays quiet until the first scan.
        """
        moved = self.status != self.previous_status and not self.pending
        return self.error is None and (moved or self.new_events > 0 or self.newly_stuck)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "tracking_number": self.tracking_number,
            "provider": self.provider,
            "status": self.status,
            "previous_status": self.previous_status,
            "new_events": self.new_events,
            "error": self.error,
            "pending": self.pending,
            "changed": self.changed,
            "stuck": self.stuck,
            "days_since_event": self.days_since_event,
            "state": self.state,
            "previous_state": self.previous_state,
            "delivered_at": None if self.delivered_at is None else self.delivered_at.isoformat(),
            "last_event_at": self.last_event_at,
            "latest_event": None if self.latest_event is None else self.latest_event.to_dict(),
            "aliases_added": list(self.aliases_added),
            "warnings": list(self.warnings),
            "carrier": self.carrier,
            "carrier_source": self.carrier_source,
        }


@dataclass
class TrackPlan:
    """What a run will fetch, decided from one lock-free read."""

    settings: ProviderSettings
    targets: list[Target]
    errors: list[OrderTrack]
    skipped: dict[str, int]
    registered: set[str]
    next_allowed_at: datetime | None
    stuck_days: int
    transport: Any = None  # an httpx transport for the demo replay; None = the network

    @property
    def numbers(self) -> list[str]:
        return list(dict.fromkeys(t.number for t in self.targets))

    @property
    def label(self) -> str:
        return PROVIDER_LABELS.get(self.settings.name, self.settings.name)


@dataclass
class TrackReport:
    """Everything a run did; the CLI renders it and turns :meth:`error` into the exit code."""

    provider: str
    label: str
    orders: list[OrderTrack]
    skipped: dict[str, int]
    stuck_days: int
    fatal: OrderctlError | None = None
    requests: int = 0
    warning: str | None = None

    @property
    def failed(self) -> list[OrderTrack]:
        return [o for o in self.orders if o.error is not None]

    @property
    def changed(self) -> list[OrderTrack]:
        return [o for o in self.orders if o.changed]

    @property
    def stuck(self) -> list[OrderTrack]:
        return [o for o in self.orders if o.stuck and o.error is None]

    def error(self) -> OrderctlError | None:
        """The error the run ends with: the provider's stop, else a summary of failed orders."""
        if self.fatal is not None:
            return self.fatal
        failed = self.failed
        if not failed:
            return None
        saved = len(self.orders) - len(failed)
        return ProviderError(
            f"{len(failed)} of {plural(len(self.orders), 'order')} could not be refreshed"
            + (f"; the other {saved} were saved" if saved else ""),
            details=group_failures(failed),
            hint="Run `orderctl track ORDER_ID` again later for the failed ones.",
        )


def group_failures(failed: list[OrderTrack]) -> list[str]:
    """One line per distinct reason: ``ID: reason`` alone, ``reason (N orders: A, B, …)`` shared."""
    by_reason: dict[str, list[str]] = {}
    for o in failed:
        by_reason.setdefault(o.error or "", []).append(o.order_id)
    lines = []
    for reason, ids in by_reason.items():
        if len(ids) == 1:
            lines.append(f"{ids[0]}: {reason}")
        else:
            shown = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
            lines.append(f"{reason} ({len(ids)} orders: {shown})")
    return lines
