"""``track``: refresh parcels from a tracking provider and merge what it said into the orders.

Three phases, each public so tests and the benchmark can time them apart:

1. :func:`plan_refresh` reads the order book without the lock, picks the
   orders (named ones always; otherwise active, stale ones with a number),
   resolves the provider and remembers which numbers it already registered.
   Unknown ids fail here (exit 3) before any network call.
2. :func:`fetch` calls the refresh engine once for every number, outside any
   lock: a slow provider must never block another orderctl writing the store.
3. :func:`save` opens ONE transaction, re-reads each order (it may have
   changed meanwhile), merges events (never dropping stored ones), advances
   the lifecycle, stores registrations and any back-off, and writes once.

Only each order's *primary* number is sent: it is the one the provider was
given and knows, and it returns the other numbers (17TRACK ``local_number``,
Cainiao ``realMailNo``) as aliases inside the same record. Sending aliases
too would spend quota registering them and fetch the same timeline twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from orderctl.clock import iso
from orderctl.domain.carriers import normalize_number
from orderctl.domain.lifecycle import advance
from orderctl.domain.models import Order, OrderState
from orderctl.domain.tracking import (
    ShipmentStatus,
    TrackingEvent,
    TrackResult,
    delivered_date,
    is_stuck,
    latest_event,
    merge_events,
    parse_instant,
    status_from_events,
)
from orderctl.errors import InvalidInput, NotFound, OrderctlError, ProviderError
from orderctl.providers.settings import ProviderSettings, resolve_provider
from orderctl.services.context import AppContext

if TYPE_CHECKING:
    from orderctl.providers.engine import RefreshOutcome
    from orderctl.store.repository import Transaction

DEFAULT_STALE_HOURS = 6.0
DEFAULT_STUCK_DAYS = 10
FINISHED = frozenset({OrderState.CONFIRMED, OrderState.DISPUTED, OrderState.CLOSED})
PROVIDER_LABELS = {"17track": "17TRACK", "aftership": "AfterShip", "cainiao": "Cainiao"}
NO_NUMBER = "no tracking number; add one with `orderctl edit {id} --tracking NUMBER`"


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
            f"{len(failed)} of {len(self.orders)} order(s) could not be refreshed"
            + (f"; the other {saved} were saved" if saved else ""),
            details=[f"{o.order_id}: {o.error}" for o in failed],
            hint="Run `orderctl track ORDER_ID` again later for the failed ones.",
        )


# -- phase 1: plan ---------------------------------------------------------------------------


def _stuck_days(config: dict[str, Any]) -> int:
    tracking = config.get("tracking") if isinstance(config, dict) else None
    raw = tracking.get("stuck_days") if isinstance(tracking, dict) else None
    if raw is None:
        return DEFAULT_STUCK_DAYS
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise InvalidInput(f"config tracking.stuck_days must be a whole number ≥ 1, got {raw!r}")
    return raw


def primary_number(order: Order) -> str | None:
    """The number providers know this parcel by (normalised), or None."""
    for number in order.all_tracking_numbers():
        normalised = normalize_number(number)
        if normalised:
            return normalised
    return None


def _fresh(order: Order, now: datetime, stale_hours: float) -> bool:
    if not order.tracked_at:
        return False
    try:
        tracked = parse_instant(order.tracked_at)
    except ValueError:
        return False
    return now - tracked < timedelta(hours=stale_hours)


def _next_allowed(state: dict[str, Any]) -> datetime | None:
    raw = state.get("next_allowed_at")
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError:
        return None


def plan_refresh(
    ctx: AppContext,
    order_ids: Sequence[str] = (),
    *,
    all_orders: bool = False,
    provider: str | None = None,
    stale_hours: float = DEFAULT_STALE_HOURS,
    replay: bool = False,
) -> TrackPlan:
    """Choose orders and provider from one lock-free read; raise NotFound for unknown ids.

    Named orders are refreshed whatever their state or freshness. With
    ``all_orders`` (or no ids) every order with a number is a candidate except
    finished ones (confirmed, disputed, closed) and those refreshed within
    ``stale_hours``. ``replay`` routes the real 17TRACK adapter to the demo's
    recorded responses.
    """
    if stale_hours < 0:
        raise InvalidInput("--stale: must be 0 or more hours")
    snapshot = ctx.store.snapshot()
    orders = {o.order_id: o for o in snapshot.orders()}
    named = list(dict.fromkeys(i.strip() for i in order_ids if i.strip()))
    unknown = [i for i in named if i not in orders]
    if unknown:
        raise NotFound(
            f"No order {', '.join(repr(i) for i in unknown)} in the order book; nothing was "
            "refreshed",
            hint="Run `orderctl list`.",
        )
    targets: list[Target] = []
    errors: list[OrderTrack] = []
    skipped = {"finished": 0, "fresh": 0, "no_number": 0}
    for order_id in named:
        order = orders[order_id]
        number = primary_number(order)
        if number is None:
            errors.append(
                OrderTrack(
                    order_id,
                    order.title,
                    None,
                    None,
                    order.shipment_status,
                    order.shipment_status,
                    error=NO_NUMBER.format(id=order_id),
                    state=order.state.value,
                    previous_state=order.state.value,
                )
            )
        else:
            targets.append(Target(order_id, number))
    if all_orders or not named:
        chosen = set(named)
        for order in orders.values():
            if order.order_id in chosen:
                continue
            number = primary_number(order)
            if number is None:
                skipped["no_number"] += 1
            elif order.state in FINISHED:
                skipped["finished"] += 1
            elif _fresh(order, ctx.now, stale_hours):
                skipped["fresh"] += 1
            else:
                targets.append(Target(order.order_id, number))
    transport = None
    if replay:
        from orderctl.providers import replay as recorded

        settings = recorded.demo_settings()
        transport = recorded.replay_transport(recorded.demo_recordings_dir())
    else:
        settings = resolve_provider(
            provider, ctx.env, ctx.config, numbers_hint=[t.number for t in targets]
        )
    state = snapshot.providers.get(settings.name, {})
    registered = {str(n).upper() for n in state.get("registered", []) if n}
    return TrackPlan(
        settings=settings,
        targets=targets,
        errors=errors,
        skipped=skipped,
        registered=registered,
        next_allowed_at=_next_allowed(state),
        stuck_days=_stuck_days(ctx.config),
        transport=transport,
    )


def check_backoff(plan: TrackPlan, now: datetime) -> None:
    """Refuse (exit 5) while the provider's last Retry-After has not run out."""
    if plan.targets and plan.next_allowed_at is not None and now < plan.next_allowed_at:
        raise ProviderError(
            f"{plan.label} asked orderctl to slow down; it is skipped until "
            f"{iso(plan.next_allowed_at)}. Nothing was refreshed",
            hint="Run `orderctl track` again after that time (cron will catch up by itself).",
        )


# -- phase 2: network ------------------------------------------------------------------------


def fetch(
    plan: TrackPlan,
    *,
    transport: Any = None,
    on_progress: Callable[[int, int], None] | None = None,
    **engine_options: Any,
) -> RefreshOutcome:
    """One engine run for every planned number (no lock held)."""
    from orderctl.providers.engine import RefreshOutcome, refresh

    if not plan.targets:
        return RefreshOutcome(provider=plan.settings.name)
    return refresh(
        plan.numbers,
        plan.settings,
        registered=plan.registered,
        transport=transport if transport is not None else plan.transport,
        on_progress=on_progress,
        **engine_options,
    )


# -- phase 3: save ---------------------------------------------------------------------------


def _stored_events(details: dict[str, Any]) -> tuple[list[TrackingEvent], list[Any]]:
    """Parsed stored events, plus any record that no longer parses (kept, never dropped)."""
    parsed: list[TrackingEvent] = []
    unreadable: list[Any] = []
    for raw in details.get("events") or []:
        try:
            parsed.append(TrackingEvent.from_dict(raw))
        except (KeyError, TypeError, ValueError, AttributeError):
            unreadable.append(raw)
    return parsed, unreadable


def _local_date(event: TrackingEvent) -> date:
    return datetime.fromisoformat(event.time.replace("Z", "+00:00")).date()


def _carrier_slug(name: str) -> str:
    """A provider's carrier name as this package's slug when it knows one."""
    from orderctl.domain.carriers.registry import carrier_display_name, known_slugs

    folded = name.strip().casefold()
    for slug in known_slugs():
        display = carrier_display_name(slug)
        if slug == folded or (display and display.casefold() == folded):
            return slug
    return folded


def _new_status(
    result: TrackResult, merged: list[TrackingEvent], previous: str | None
) -> tuple[str, str | None]:
    """The parcel's status after this refresh, and its provider sub-status.

    A pending answer ("no information yet") never erases a known status. A
    provider whose newest event is older than the stored timeline's newest
    (a second provider, or one that lost history) does not get the last word
    either: the newest event's status wins.
    """
    if result.pending:
        known = previous or status_from_events(merged)
        return (known or ShipmentStatus.NOT_FOUND.value), (None if known else result.detail)
    newest, fresh_newest = latest_event(merged), latest_event(result.events)
    if newest is None or (fresh_newest is not None and fresh_newest.key == newest.key):
        return result.status.value, result.detail
    status = status_from_events(merged, default=result.status)
    return (status or result.status).value, None


def _merge_into(
    txn: Transaction,
    order: Order,
    result: TrackResult,
    now: datetime,
    stuck_days: int,
) -> OrderTrack:
    previous_status, previous_state = order.shipment_status, order.state
    details = txn.details(order.order_id)
    stored, unreadable = _stored_events(details)
    merged = merge_events(stored, result.events)
    stored_keys = {e.key for e in stored}
    new_events = sum(e.key not in stored_keys for e in merged)
    if new_events or len(merged) != len(stored) or merged != stored:
        details["events"] = [e.to_dict() for e in merged] + unreadable
        txn.set_details(order.order_id, details)

    status, detail = _new_status(result, merged, previous_status)
    order.shipment_status = status
    if detail is not None or not result.pending:
        order.shipment_detail = detail
    newest = latest_event(merged)
    order.last_event_at = newest.time_utc if newest else order.last_event_at
    previous_tracked = order.tracked_at
    order.tracked_at = iso(now)

    known = set(order.all_tracking_numbers())
    added = [a for a in result.aliases if a not in known]
    if added:
        if not order.tracking_numbers and order.tracking_number:
            order.tracking_numbers = [order.tracking_number]
        order.tracking_numbers = [*order.tracking_numbers, *added]
    if not order.carrier and result.carrier:
        order.carrier = _carrier_slug(result.carrier)

    if merged:
        if order.shipped_at is None:
            order.shipped_at = _local_date(merged[0])
        advance(order, OrderState.SHIPPED)
    if status == ShipmentStatus.DELIVERED.value:
        delivered = result.delivered_at or delivered_date(merged) or now.date()
        if order.delivered_at is None:  # a date the buyer entered wins
            order.delivered_at = delivered
        advance(order, OrderState.DELIVERED)
    txn.put(order)

    stuck = is_stuck(merged, now, stuck_days)
    was_stuck = False
    if previous_tracked:
        try:
            was_stuck = is_stuck(stored, parse_instant(previous_tracked), stuck_days)
        except ValueError:
            was_stuck = False
    return OrderTrack(
        order_id=order.order_id,
        title=order.title,
        tracking_number=order.tracking_number,
        provider=result.provider,
        status=status,
        previous_status=previous_status,
        new_events=new_events,
        pending=result.pending and not merged,
        stuck=stuck,
        newly_stuck=stuck and not was_stuck,
        days_since_event=None if newest is None else (now - newest.instant).days,
        state=order.state.value,
        previous_state=previous_state.value,
        delivered_at=order.delivered_at,
        last_event_at=order.last_event_at,
        latest_event=newest,
        aliases_added=added,
    )


def _failed(order: Order, number: str, provider: str, reason: str) -> OrderTrack:
    return OrderTrack(
        order_id=order.order_id,
        title=order.title,
        tracking_number=order.tracking_number or number,
        provider=provider,
        status=order.shipment_status,
        previous_status=order.shipment_status,
        error=reason,
        state=order.state.value,
        previous_state=order.state.value,
        last_event_at=order.last_event_at,
    )


def _provider_state(
    txn: Transaction, plan: TrackPlan, outcome: RefreshOutcome, now: datetime
) -> None:
    """Remember registrations (quota is spent once) and any back-off the provider asked for."""
    name = plan.settings.name
    state = txn.provider_state(name)
    before = dict(state)
    registered = {str(n).upper() for n in state.get("registered", []) if n}
    registered |= outcome.registered
    if registered:
        # Only numbers still on some order are worth remembering.
        live: set[str] = set()
        for order in txn.orders():
            live.update(n for n in map(normalize_number, order.all_tracking_numbers()) if n)
        state["registered"] = sorted(registered & live)
    if outcome.retry_after is not None:
        state["next_allowed_at"] = iso(now + timedelta(seconds=outcome.retry_after))
    elif outcome.requests:
        state.pop("next_allowed_at", None)
    if state != before:
        txn.set_provider_state(name, state)


def save(ctx: AppContext, plan: TrackPlan, outcome: RefreshOutcome) -> TrackReport:
    """Merge the outcome into the store in one transaction (one index write)."""
    reports: dict[str, OrderTrack] = {}
    name = outcome.provider or plan.settings.name
    with ctx.store.transaction(ctx.now) as txn:
        for target in plan.targets:
            order = txn.find(target.order_id)
            if order is None:
                reports[target.order_id] = OrderTrack(
                    target.order_id,
                    "",
                    target.number,
                    name,
                    None,
                    None,
                    error="the order was deleted while it was being refreshed",
                )
                continue
            if primary_number(order) != target.number:
                reports[target.order_id] = _failed(
                    order,
                    target.number,
                    name,
                    "its tracking number changed during the refresh; run `orderctl track "
                    f"{order.order_id}` again",
                )
                continue
            result = outcome.results.get(target.number)
            if result is None:
                reason = outcome.failures.get(target.number) or "no answer from the provider"
                reports[target.order_id] = _failed(order, target.number, name, reason)
                continue
            reports[target.order_id] = _merge_into(txn, order, result, ctx.now, plan.stuck_days)
        _provider_state(txn, plan, outcome, ctx.now)
    ordered = [reports[t.order_id] for t in plan.targets]
    return TrackReport(
        provider=name,
        label=plan.label,
        orders=[*plan.errors, *ordered],
        skipped=dict(plan.skipped),
        stuck_days=plan.stuck_days,
        fatal=outcome.fatal,
        requests=outcome.requests,
        warning=plan.settings.warning,
    )


def refresh_tracking(
    ctx: AppContext,
    order_ids: Iterable[str] = (),
    *,
    all_orders: bool = False,
    provider: str | None = None,
    stale_hours: float = DEFAULT_STALE_HOURS,
    replay: bool = False,
    transport: Any = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_plan: Callable[[TrackPlan], None] | None = None,
    **engine_options: Any,
) -> TrackReport:
    """Plan, fetch (no lock), save (one write); see the module docstring.

    Raises NotFound/InvalidInput/CredentialsError before any network call, and
    ProviderError while the provider's back-off runs. Provider trouble during
    the run does not raise: it is in ``report.fatal`` / per-order ``error``
    after whatever succeeded has been saved. ``on_plan`` lets the caller set
    up progress display once the number of parcels is known.
    """
    plan = plan_refresh(
        ctx,
        list(order_ids),
        all_orders=all_orders,
        provider=provider,
        stale_hours=stale_hours,
        replay=replay,
    )
    check_backoff(plan, ctx.now)
    if on_plan is not None:
        on_plan(plan)
    outcome = fetch(plan, transport=transport, on_progress=on_progress, **engine_options)
    if not plan.targets:
        return TrackReport(
            provider=plan.settings.name,
            label=plan.label,
            orders=list(plan.errors),
            skipped=dict(plan.skipped),
            stuck_days=plan.stuck_days,
            warning=plan.settings.warning,
        )
    return save(ctx, plan, outcome)
