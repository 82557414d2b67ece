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

This module is the orchestration; the rules live beside it, one job each:
:mod:`~orderctl.services.tracking.targets` (which orders, which number),
:mod:`~orderctl.services.tracking.merge` (applying an answer to an order),
:mod:`~orderctl.services.tracking.provider_state` (registrations and back-off) and
:mod:`~orderctl.services.tracking.types` (the values passed around, re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from orderctl.clock import iso
from orderctl.domain.models import Order
from orderctl.errors import InvalidInput, NotFound, ProviderError
from orderctl.providers.settings import resolve_provider
from orderctl.services.context import AppContext
from orderctl.services.tracking.merge import merge_into
from orderctl.services.tracking.provider_state import (
    effective_backoff,
    next_allowed,
    registered_numbers,
    update_provider_state,
)
from orderctl.services.tracking.stuck import stuck_days
from orderctl.services.tracking.targets import (
    DEFAULT_STALE_HOURS,
    FINISHED,
    NO_NUMBER,
    primary_number,
    select_targets,
)
from orderctl.services.tracking.types import (
    PROVIDER_LABELS,
    OrderTrack,
    Target,
    TrackPlan,
    TrackReport,
)

if TYPE_CHECKING:
    from orderctl.providers.engine import RefreshOutcome

__all__ = [
    "DEFAULT_STALE_HOURS",
    "FINISHED",
    "NO_NUMBER",
    "PROVIDER_LABELS",
    "OrderTrack",
    "Target",
    "TrackPlan",
    "TrackReport",
    "check_backoff",
    "fetch",
    "plan_refresh",
    "primary_number",
    "refresh_tracking",
    "save",
]

# -- phase 1: plan ---------------------------------------------------------------------------


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
    targets, errors, skipped = select_targets(
        orders, named, all_orders=all_orders, now=ctx.now, stale_hours=stale_hours
    )
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
    return TrackPlan(
        settings=settings,
        targets=targets,
        errors=errors,
        skipped=skipped,
        registered=registered_numbers(state),
        next_allowed_at=next_allowed(state),
        stuck_days=stuck_days(ctx.config),
        transport=transport,
    )


def check_backoff(plan: TrackPlan, now: datetime) -> None:
    """Refuse (exit 5) while the provider's last Retry-After (at most 24 h) has not run out."""
    until = effective_backoff(plan.next_allowed_at, now)
    if plan.targets and until is not None:
        raise ProviderError(
            f"{plan.label} asked orderctl to slow down; it is skipped until "
            f"{iso(until)}. Nothing was refreshed",
            hint="Run `orderctl track` again after that time (cron will catch up by itself), "
            "or `orderctl track --ignore-backoff` to ask now.",
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


def _safe_reason(plan: TrackPlan, reason: str) -> str:
    """A failure reason with the provider key masked (the engine already did; belt and braces)."""
    from orderctl.providers.redact import redact

    return redact(reason, [plan.settings.token])


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


def save(
    ctx: AppContext, plan: TrackPlan, outcome: RefreshOutcome, *, clear_backoff: bool = False
) -> TrackReport:
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
                reports[target.order_id] = _failed(
                    order, target.number, name, _safe_reason(plan, reason)
                )
                continue
            reports[target.order_id] = merge_into(txn, order, result, ctx.now, plan.stuck_days)
        update_provider_state(
            txn, plan.settings.name, outcome, ctx.now, clear_backoff=clear_backoff
        )
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
    ignore_backoff: bool = False,
    **engine_options: Any,
) -> TrackReport:
    """Plan, fetch (no lock), save (one write); see the module docstring.

    Raises NotFound/InvalidInput/CredentialsError before any network call, and
    ProviderError while the provider's back-off runs. Provider trouble during
    the run does not raise: it is in ``report.fatal`` / per-order ``error``
    after whatever succeeded has been saved. ``on_plan`` lets the caller set
    up progress display once the number of parcels is known. ``ignore_backoff``
    asks the provider now and clears any stored back-off.
    """
    plan = plan_refresh(
        ctx,
        list(order_ids),
        all_orders=all_orders,
        provider=provider,
        stale_hours=stale_hours,
        replay=replay,
    )
    if not ignore_backoff:
        check_backoff(plan, ctx.now)
    if on_plan is not None:
        on_plan(plan)
    outcome = fetch(plan, transport=transport, on_progress=on_progress, **engine_options)
    if not plan.targets:
        if ignore_backoff and plan.next_allowed_at is not None:
            with ctx.store.transaction(ctx.now) as txn:
                update_provider_state(txn, plan.settings.name, outcome, ctx.now, clear_backoff=True)
        return TrackReport(
            provider=plan.settings.name,
            label=plan.label,
            orders=list(plan.errors),
            skipped=dict(plan.skipped),
            stuck_days=plan.stuck_days,
            warning=plan.settings.warning,
        )
    return save(ctx, plan, outcome, clear_backoff=ignore_backoff)
