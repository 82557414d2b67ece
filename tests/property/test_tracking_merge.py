"""merge_events is a set union on event keys: idempotent, order-independent, lossless."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from orderctl.domain.tracking import ShipmentStatus, TrackingEvent, merge_events


@st.composite
def events(draw) -> TrackingEvent:
    # A small pool of instants/texts so duplicates (and near-duplicates) are common.
    minute = draw(st.integers(0, 20))
    instant = datetime(2026, 10, 1, tzinfo=UTC) + timedelta(minutes=minute)
    offset = timezone(timedelta(hours=draw(st.sampled_from([-5, 0, 1, 2, 8]))))
    return TrackingEvent(
        time=instant.astimezone(offset).isoformat(),
        time_utc=instant.isoformat(),
        status=draw(st.none() | st.sampled_from(list(ShipmentStatus))),
        description=draw(st.sampled_from(["Arrived", "arrived ", "Departed", "Délivré", ""])),
        location=draw(st.none() | st.sampled_from(["Utrecht", "UTRECHT", "Shenzhen"])),
        provider=draw(st.sampled_from(["17track", "cainiao"])),
        detail=draw(st.none() | st.sampled_from(["InTransit_Arrival", "LH_ARRIVE"])),
    )


lists = st.lists(events(), max_size=12)


@settings(max_examples=60, deadline=None)
@given(lists, lists)
def test_idempotent(a, b):
    once = merge_events(a, b)
    assert merge_events(once, b) == once
    assert merge_events(once, once) == once
    assert merge_events(once, []) == once


@settings(max_examples=60, deadline=None)
@given(lists, lists, st.randoms())
def test_order_independent(a, b, rnd):
    shuffled = a + b
    rnd.shuffle(shuffled)
    assert merge_events(a, b) == merge_events(b, a) == merge_events(shuffled, [])


@settings(max_examples=60, deadline=None)
@given(lists, lists, lists)
def test_associative(a, b, c):
    assert merge_events(merge_events(a, b), c) == merge_events(a, merge_events(b, c))


@settings(max_examples=60, deadline=None)
@given(lists, lists)
def test_never_loses_an_event_and_has_no_duplicates(a, b):
    merged = merge_events(a, b)
    keys = [e.key for e in merged]
    assert len(keys) == len(set(keys))
    assert {e.key for e in a} | {e.key for e in b} == set(keys)
    assert [e.time_utc for e in merged] == sorted(e.time_utc for e in merged)
