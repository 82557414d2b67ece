"""Apply one provider answer (a :class:`TrackResult`) to one order and its details.

This is where a refresh changes the buyer's data: the stored timeline is
merged (never dropping an event, nor a record that no longer parses), the
status is chosen, new alias numbers and the carrier are recorded, and the
lifecycle advances to shipped or delivered. It is kept apart from the
orchestration so these rules can be read, and changed, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from orderctl.clock import iso
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
from orderctl.services.tracking.types import OrderTrack

if TYPE_CHECKING:
    from orderctl.store.repository import OrderStore, Transaction


def stored_events(details: dict[str, Any]) -> tuple[list[TrackingEvent], list[Any]]:
    """Parsed stored events, plus any record that no longer parses (kept, never dropped)."""
    parsed: list[TrackingEvent] = []
    unreadable: list[Any] = []
    for raw in details.get("events") or []:
        try:
            parsed.append(TrackingEvent.from_dict(raw))
        except (KeyError, TypeError, ValueError, AttributeError):
            unreadable.append(raw)
    return parsed, unreadable


def readable_events(store: OrderStore, order_id: str) -> list[TrackingEvent]:
    """The order's stored tracking events that this release can read.

    An event that no longer parses is left out here (and kept in the store).
    """
    return stored_events(store.details(order_id))[0]


def _local_date(event: TrackingEvent) -> date:
    return event.local_date


def _carrier_slug(name: str) -> str:
    """A provider's carrier name as this package's slug when it knows one."""
    from orderctl.domain.carriers.registry import carrier_display_name, known_slugs

    folded = name.strip().casefold()
    for slug in known_slugs():
        display = carrier_display_name(slug)
        if slug == folded or (display and display.casefold() == folded):
            return slug
    return folded


def _detected_carrier(order: Order) -> str | None:
    from orderctl.domain.carriers import detect_carrier

    if not order.tracking_number:
        return None
    best = detect_carrier(order.tracking_number).best
    return best.carrier if best else None


def _adopt_carrier(order: Order, result: TrackResult) -> str | None:
    """Let the tracking provider name the carrier, unless the buyer named it; return the source.

    The carrier detected offline from the number's format is a guess: the
    provider's own carrier name replaces it. A carrier the buyer gave (one that
    differs from the offline guess) is kept. ``carrier_source`` (kept on the
    order, in ``show --json``) says who named it: the provider (``17track``,
    ``aftership``, ``cainiao``), ``detected`` or ``user``. It is trusted only
    while the carrier is still the one it was recorded for (an edit resets it).
    """
    source = order.carrier_source
    if order.carrier_source_for != order.carrier:
        source = None
    if order.carrier and source is None:
        source = "detected" if order.carrier == _detected_carrier(order) else "user"
    if result.carrier and source != "user":
        order.carrier = _carrier_slug(result.carrier)
        source = result.provider
    if not order.carrier:
        return None
    order.carrier_source = source
    order.carrier_source_for = order.carrier
    return source


def new_status(
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


def _store_events(
    txn: Transaction, order_id: str, result: TrackResult
) -> tuple[list[TrackingEvent], list[TrackingEvent], int]:
    """Merge the answer's events into the stored ones: (stored, merged, how many are new).

    Written only when something changed; events this release cannot read stay, after the rest.
    """
    details = txn.details(order_id)
    stored, unreadable = stored_events(details)
    merged = merge_events(stored, result.events)
    stored_keys = {e.key for e in stored}
    new_events = sum(e.key not in stored_keys for e in merged)
    if new_events or len(merged) != len(stored) or merged != stored:
        details["events"] = [e.to_dict() for e in merged] + unreadable
        txn.set_details(order_id, details)
    return stored, merged, new_events


def _add_aliases(order: Order, aliases: Sequence[str]) -> list[str]:
    """Remember every other number the parcel is known by; return the new ones."""
    known = set(order.all_tracking_numbers())
    added = [a for a in aliases if a not in known]
    if added:
        if not order.tracking_numbers and order.tracking_number:
            order.tracking_numbers = [order.tracking_number]
        order.tracking_numbers = [*order.tracking_numbers, *added]
    return added


def _advance(
    order: Order, merged: list[TrackingEvent], status: str, result: TrackResult, now: datetime
) -> None:
    """Shipped once there are scans, delivered on a delivery scan; never backwards."""
    if merged:
        if order.shipped_at is None:
            order.shipped_at = _local_date(merged[0])
        advance(order, OrderState.SHIPPED)
    if status == ShipmentStatus.DELIVERED.value:
        delivered = result.delivered_at or delivered_date(merged) or now.date()
        if order.delivered_at is None:  # a date the buyer entered wins
            order.delivered_at = delivered
        advance(order, OrderState.DELIVERED)


def _was_stuck(stored: list[TrackingEvent], previous_tracked: str | None, days: int) -> bool:
    """Whether the parcel already counted as stuck at the previous refresh."""
    if not previous_tracked:
        return False
    try:
        return is_stuck(stored, parse_instant(previous_tracked), days)
    except ValueError:
        return False


def merge_into(
    txn: Transaction,
    order: Order,
    result: TrackResult,
    now: datetime,
    stuck_days: int,
) -> OrderTrack:
    """Merge ``result`` into ``order`` and its stored events inside ``txn``; report the change."""
    previous_status, previous_state = order.shipment_status, order.state
    stored, merged, new_events = _store_events(txn, order.order_id, result)
    status, detail = new_status(result, merged, previous_status)
    order.shipment_status = status
    if detail is not None or not result.pending:
        order.shipment_detail = detail
    newest = latest_event(merged)
    order.last_event_at = newest.sort_time if newest else order.last_event_at
    previous_tracked = order.tracked_at
    order.tracked_at = iso(now)

    added = _add_aliases(order, result.aliases)
    carrier_source = _adopt_carrier(order, result)
    _advance(order, merged, status, result, now)
    txn.put(order)

    stuck = is_stuck(merged, now, stuck_days)
    was_stuck = _was_stuck(stored, previous_tracked, stuck_days)
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
        warnings=list(result.warnings),
        carrier=order.carrier,
        carrier_source=carrier_source,
    )
