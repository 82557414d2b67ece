"""Is this order delivered, and on which day: the one answer every rule reads.

Deadlines, the dispute guard, inspection and feedback all ask this question; they
used to answer it four ways (a date field here, a tracking status there, the last
event in list order elsewhere) and could disagree about the same parcel.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from orderctl.domain.models import Order
from orderctl.domain.tracking import TrackingEvent, delivered_date

DELIVERED = "delivered"


def is_delivered(order: Order) -> bool:
    """Delivered when a delivery date is recorded (by the buyer, mail or tracking) or the
    parcel's tracking status says so."""
    return order.delivered_at is not None or order.shipment_status == DELIVERED


def delivery_date(order: Order, events: Iterable[TrackingEvent] = ()) -> date | None:
    """The recorded delivery date (a date the buyer entered wins), else the carrier-local
    date of the latest "delivered" scan among ``events``, else ``None``."""
    if order.delivered_at is not None:
        return order.delivered_at
    return delivered_date(events)
