"""Tracking domain: events, merge, status helpers, TrackResult."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from orderctl.domain.tracking import (
    ShipmentStatus,
    TrackingEvent,
    TrackResult,
    delivered_date,
    is_stuck,
    latest_event,
    merge_events,
    status_from_events,
)


def ev(local: str, desc: str = "scan", status=ShipmentStatus.IN_TRANSIT, loc=None, **kw):
    utc = datetime.fromisoformat(local).astimezone(UTC).isoformat()
    return TrackingEvent(local, utc, status, desc, loc, kw.pop("provider", "17track"), **kw)


def test_status_values_are_the_documented_nine():
    assert [s.value for s in ShipmentStatus] == [
        "not_found",
        "info_received",
        "in_transit",
        "out_for_delivery",
        "available_for_pickup",
        "failed_attempt",
        "delivered",
        "exception",
        "expired",
    ]


def test_time_utc_is_canonical_z_form():
    e = TrackingEvent("2026-10-26T14:32:00+01:00", "2026-10-26T13:32:00+00:00", None, "x")
    assert e.time_utc == "2026-10-26T13:32:00Z"
    assert e.instant == datetime(2026, 10, 26, 13, 32, tzinfo=UTC)


def test_event_rejects_garbage_time():
    with pytest.raises(ValueError):
        TrackingEvent("yesterday", "2026-10-26T13:32:00Z", None, "x")
    with pytest.raises(ValueError):
        TrackingEvent("2026-10-26T14:32:00+01:00", "soon", None, "x")


def test_event_dict_round_trip():
    e = ev(
        "2026-10-26T14:32:00+01:00",
        "Delivered",
        ShipmentStatus.DELIVERED,
        "Utrecht",
        detail="Delivered_Other",
    )
    assert TrackingEvent.from_dict(e.to_dict()) == e
    assert e.to_dict()["status"] == "delivered"


def test_key_ignores_case_whitespace_and_provider():
    a = ev("2026-10-26T14:32:00+01:00", "Delivered  at door", loc="Utrecht")
    b = ev("2026-10-26T13:32:00+00:00", "delivered at door ", loc=" utrecht", provider="cainiao")
    assert a.key == b.key
    assert merge_events([a], [b]) in ([a], [b])


def test_merge_keeps_stored_adds_fresh_sorted():
    old = ev("2026-10-20T10:00:00+08:00", "old")
    new = ev("2026-10-22T10:00:00+02:00", "new")
    mid = ev("2026-10-21T10:00:00+00:00", "mid")
    assert merge_events([new, old], [mid]) == [old, mid, new]
    assert merge_events([old], []) == [old]  # provider returned fewer: nothing lost


def test_merge_prefers_richer_duplicate():
    bare = ev("2026-10-20T10:00:00+08:00", "scan", status=None)
    rich = ev("2026-10-20T10:00:00+08:00", "scan", detail="InTransit_Arrival")
    assert merge_events([bare], [rich]) == [rich]
    assert merge_events([rich], [bare]) == [rich]


def test_status_helpers():
    events = [
        ev("2026-10-20T10:00:00+08:00", "a", ShipmentStatus.IN_TRANSIT),
        ev("2026-10-26T14:32:00+01:00", "b", ShipmentStatus.DELIVERED),
        ev("2026-10-26T15:00:00+01:00", "c", None),
    ]
    assert status_from_events(events) is ShipmentStatus.DELIVERED
    assert status_from_events([], ShipmentStatus.NOT_FOUND) is ShipmentStatus.NOT_FOUND
    assert latest_event(events).description == "c"
    assert delivered_date(events) == date(2026, 10, 26)


def test_delivered_date_uses_carrier_local_date():
    late = ev("2026-10-26T23:30:00-05:00", "Delivered", ShipmentStatus.DELIVERED)
    assert late.time_utc == "2026-10-27T04:30:00Z"
    assert delivered_date([late]) == date(2026, 10, 26)


def test_is_stuck():
    now = datetime(2026, 11, 28, tzinfo=UTC)
    moving = [ev("2026-11-20T10:00:00+01:00")]
    assert is_stuck(moving, now, days=7)
    assert not is_stuck(moving, now, days=10)
    done = [*moving, ev("2026-11-21T10:00:00+01:00", "d", ShipmentStatus.DELIVERED)]
    assert not is_stuck(done, now, days=1)
    assert not is_stuck([], now, days=1)


def test_track_result_derives_delivered_at_and_round_trips():
    events = [ev("2026-10-26T14:32:00+01:00", "Delivered", ShipmentStatus.DELIVERED)]
    r = TrackResult(
        "LP1", "17track", ShipmentStatus.DELIVERED, events=events, aliases=["RR1NL", "RR1NL", "LP1"]
    )
    assert r.delivered_at == date(2026, 10, 26)
    assert r.aliases == ["RR1NL"]
    assert TrackResult.from_dict(r.to_dict()) == r
