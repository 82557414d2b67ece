"""Which orders a ``track`` run refreshes, and which number it sends for each.

The skip rules (finished orders, fresh ones, orders without a number) are
the part of ``track`` a buyer reasons about ("why was my parcel not
refreshed?"), so they live in one place, apart from the provider and store
plumbing, and work on plain orders so they need no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from orderctl.domain.carriers import normalize_number
from orderctl.domain.models import Order, OrderState
from orderctl.domain.tracking import parse_instant
from orderctl.services.tracking.types import OrderTrack, Target

DEFAULT_STALE_HOURS = 6.0
FINISHED = frozenset({OrderState.CONFIRMED, OrderState.DISPUTED, OrderState.CLOSED})
NO_NUMBER = "no tracking number; add one with `orderctl edit {id} --tracking NUMBER`"


def primary_number(order: Order) -> str | None:
    """The number providers know this parcel by (normalised), or None."""
    for number in order.all_tracking_numbers():
        normalised = normalize_number(number)
        if normalised:
            return normalised
    return None


def is_fresh(order: Order, now: datetime, stale_hours: float) -> bool:
    """Refreshed less than ``stale_hours`` ago (an unreadable timestamp counts as stale)."""
    if not order.tracked_at:
        return False
    try:
        tracked = parse_instant(order.tracked_at)
    except ValueError:
        return False
    return now - tracked < timedelta(hours=stale_hours)


def select_targets(
    orders: Mapping[str, Order],
    named: Sequence[str],
    *,
    all_orders: bool,
    now: datetime,
    stale_hours: float,
) -> tuple[list[Target], list[OrderTrack], dict[str, int]]:
    """The targets, the named orders that cannot be refreshed, and skip counts by reason.

    ``named`` must already be known ids. Named orders come first, whatever
    their state or freshness; with ``all_orders`` (or no ids) every other
    order with a number follows unless it is finished or fresh.
    """
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
            elif is_fresh(order, now, stale_hours):
                skipped["fresh"] += 1
            else:
                targets.append(Target(order.order_id, number))
    return targets, errors, skipped
