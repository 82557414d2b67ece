"""Is the order delivered, and on which day: the one rule (domain/delivery.py) at its edges."""

from __future__ import annotations

from datetime import date

from orderctl.domain.delivery import delivery_date, is_delivered
from orderctl.domain.models import Order, OrderState
from orderctl.domain.tracking import ShipmentStatus, TrackingEvent


def order(**fields) -> Order:
    o = Order("o1", "thing", platform="aliexpress", state=OrderState.SHIPPED)
    for key, value in fields.items():
        setattr(o, key, value)
    return o


def delivered_scan(time: str, time_utc: str) -> TrackingEvent:
    return TrackingEvent(time, time_utc, ShipmentStatus.DELIVERED, "Delivered")


def test_delivered_by_a_recorded_date_or_by_the_tracking_status_alone():
    assert is_delivered(order(delivered_at=date(2026, 11, 3)))
    assert is_delivered(order(shipment_status="delivered"))
    assert not is_delivered(order(shipment_status="in_transit"))
    assert not is_delivered(order())


def test_the_recorded_date_wins_over_the_scans():
    scans = [delivered_scan("2026-11-05T10:00:00+01:00", "2026-11-05T09:00:00Z")]
    assert delivery_date(order(delivered_at=date(2026, 11, 3)), scans) == date(2026, 11, 3)
    assert delivery_date(order(), scans) == date(2026, 11, 5)
    assert delivery_date(order(), []) is None


def test_the_latest_delivered_scan_by_time_not_by_list_order():
    later = delivered_scan("2026-11-06T08:00:00+01:00", "2026-11-06T07:00:00Z")
    earlier = delivered_scan("2026-11-04T08:00:00+01:00", "2026-11-04T07:00:00Z")
    assert delivery_date(order(), [later, earlier]) == date(2026, 11, 6)
    assert delivery_date(order(), [earlier, later]) == date(2026, 11, 6)


def test_the_scan_date_is_the_carrier_local_day():
    # 23:30 in Los Angeles is already the next day in UTC: the parcel's own day counts.
    late = delivered_scan("2026-11-04T23:30:00-08:00", "2026-11-05T07:30:00Z")
    assert delivery_date(order(), [late]) == date(2026, 11, 4)
