"""Event times, zones and words at the provider boundary (issue 12 §1-§3)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from orderctl.domain.tracking import ShipmentStatus, TrackingEvent, TrackResult, merge_events
from orderctl.providers.aftership import parse_tracking
from orderctl.providers.cainiao import parse_module
from orderctl.providers.events import parse_offset, split_location
from orderctl.providers.seventeen_track import parse_track_info
from orderctl.providers.timezones import country_code, zone_for_country


def seventeen(events, country="CN", status="InTransit"):
    return parse_track_info(
        "RB123456785CN",
        {
            "number": "RB123456785CN",
            "carrier": 3011,
            "track_info": {
                "latest_status": {"status": status},
                "tracking": {
                    "providers": [
                        {
                            "provider": {"key": 3011, "name": "X", "country": country},
                            "events": events,
                        }
                    ]
                },
            },
        },
    )


def only(result: TrackResult) -> TrackingEvent:
    (event,) = result.events
    return event


# -- 17TRACK ----------------------------------------------------------------------------------


def test_time_raw_with_null_timezone_is_never_read_as_utc():
    event = only(
        seventeen(
            [
                {
                    "time_raw": {"date": "2026-11-25", "time": "14:23:00", "timezone": None},
                    "description": "Entregue",
                    "address": {"country": "BR"},
                }
            ]
        )
    )
    assert (event.time, event.time_utc, event.time_zone) == (
        "2026-11-25T14:23:00-03:00",
        "2026-11-25T17:23:00Z",
        "inferred",
    )


def test_time_raw_next_to_an_exact_utc_instant_gives_the_offset():
    event = only(
        seventeen(
            [
                {
                    "time_utc": "2026-11-25T17:23:00Z",
                    "time_raw": {"date": "2026-11-25", "time": "14:23:00", "timezone": None},
                    "description": "Entregue",
                }
            ]
        )
    )
    assert (event.time, event.time_zone) == ("2026-11-25T14:23:00-03:00", "given")


def test_us_local_time_without_zone_or_siblings_stays_naive_with_null_utc():
    event = only(
        seventeen(
            [
                {
                    "time_raw": {"date": "2026-11-25", "time": "08:00:00"},
                    "description": "Out for delivery",
                    "address": {"country": "US"},
                }
            ],
            country="US",
        )
    )
    assert (event.time, event.time_utc, event.time_zone) == (
        "2026-11-25T08:00:00",
        None,
        "unknown",
    )


def test_a_date_without_time_of_day_is_kept_as_a_date_and_counts_for_delivery():
    result = seventeen(
        [
            {
                "time_raw": {"date": "2026-11-20", "time": None},
                "description": "Delivered",
                "sub_status": "Delivered_Other",
            }
        ],
        status="Delivered",
    )
    event = only(result)
    assert (event.time, event.time_utc, event.time_zone) == ("2026-11-20", None, "unknown")
    assert result.delivered_at == date(2026, 11, 20)
    assert result.warnings == []


def test_carrier_home_country_is_used_when_the_event_has_none():
    event = only(
        seventeen(
            [{"time_raw": {"date": "2026-11-10", "time": "21:40:00"}, "description": "Departed"}]
        )
    )
    assert (event.time, event.time_zone) == ("2026-11-10T21:40:00+08:00", "inferred")


# -- AfterShip --------------------------------------------------------------------------------


def aftership(checkpoints, slug="usps"):
    return parse_tracking(
        "X1",
        {"tracking_number": "X1", "slug": slug, "tag": "InTransit", "checkpoints": checkpoints},
    )


def test_nearest_sibling_in_the_same_country_gives_the_offset_across_dst():
    result = aftership(
        [
            {
                "checkpoint_time": "2026-10-30T10:00:00-04:00",
                "message": "A",
                "country_region": "USA",
            },
            {
                "checkpoint_time": "2026-11-03T10:00:00-05:00",
                "message": "B",
                "country_region": "USA",
            },
            {"checkpoint_time": "2026-11-03T18:00:00", "message": "C", "country_region": "USA"},
        ]
    )
    c = next(e for e in result.events if e.description == "C")
    assert (c.time, c.time_zone) == ("2026-11-03T18:00:00-05:00", "inferred")


def test_message_and_standard_wording_both_kept():
    result = aftership(
        [
            {
                "checkpoint_time": "2026-11-03T18:00:00+01:00",
                "message": "Bezorgd bij buren",
                "subtag_message": "Delivered",
            }
        ]
    )
    event = only(result)
    assert (event.description, event.description_std) == ("Bezorgd bij buren", "Delivered")


# -- Cainiao ----------------------------------------------------------------------------------


def cainiao(rows):
    return parse_module("LP1", {"mailNo": "LP1", "detailList": rows})


def test_timestr_against_epoch_gives_beijing_even_when_timezone_says_gmt0():
    millis = int(datetime(2026, 11, 20, 10, 30, tzinfo=UTC).timestamp() * 1000)
    event = only(
        cainiao(
            [
                {
                    "time": millis,
                    "timeStr": "2026-11-20 18:30:00",
                    "timeZone": "GMT+0",
                    "desc": "到达海关监管仓等待清关",
                    "standerdDesc": "Carrier update",
                }
            ]
        )
    )
    assert (event.time, event.time_utc, event.time_zone) == (
        "2026-11-20T18:30:00+08:00",
        "2026-11-20T10:30:00Z",
        "given",
    )
    assert (event.description, event.description_std) == (
        "到达海关监管仓等待清关",
        "Carrier update",
    )


def test_timestr_without_epoch_or_zone_is_inferred_as_beijing():
    event = only(cainiao([{"timeStr": "2026-11-20 18:30:00", "desc": "包裹已出库"}]))
    assert (event.time, event.time_zone) == ("2026-11-20T18:30:00+08:00", "inferred")


def test_row_without_any_time_is_skipped_with_a_warning_naming_number_and_event():
    result = cainiao([{"desc": "no time"}, {"time": 1763629200000, "desc": "ok"}])
    assert [e.description for e in result.events] == ["ok"]
    assert result.warnings == ["LP1: skipped event 1 ('no time'): no usable time"]


# -- helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[Shatian Town] Departed from sorting center",
            ("Departed from sorting center", "Shatian Town"),
        ),
        ("【深圳市】已揽收", ("已揽收", "深圳市")),
        ("Arrived at sort facility, Shenzhen", ("Arrived at sort facility", "Shenzhen")),
        ("Delivered, Front Door", ("Delivered, Front Door", None)),
        (
            "In Transit to Next Facility, Arriving Late",
            ("In Transit to Next Facility, Arriving Late", None),
        ),
        ("到达海关监管仓，等待清关", ("到达海关监管仓，等待清关", None)),
        ("Rerouted, new reference UV123456785ES", ("Rerouted, new reference UV123456785ES", None)),
    ],
)
def test_split_location(text, expected):
    assert split_location(text, None) == expected


def test_a_provider_location_is_never_replaced():
    assert split_location("[A] b", "Utrecht") == ("[A] b", "Utrecht")


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [
        ("GMT+8", 480),
        ("UTC-3", -180),
        ("+05:30", 330),
        ("-0500", -300),
        ("Z", 0),
        ("GMT+99", None),
        ("", None),
        (None, None),
        (8, None),
    ],
)
def test_parse_offset(raw, minutes):
    zone = parse_offset(raw)
    got = None if zone is None else zone.utcoffset(None).total_seconds() / 60
    assert got == minutes


def test_countries_with_several_zones_are_not_guessed_unless_one_dominates():
    moment = datetime(2026, 1, 1, 12)
    for code in ("US", "CA", "AU", "RU"):
        assert zone_for_country(code, moment) is None
    assert str(zone_for_country("BR", moment)) == "America/Sao_Paulo"
    assert str(zone_for_country("NL", moment)) == "Europe/Amsterdam"
    assert country_code("BRA") == "BR" and country_code("Mainland China") == "CN"
    assert country_code("Atlantis") is None


def test_events_with_unknown_zone_merge_sort_and_round_trip():
    known = TrackingEvent(
        "2026-11-25T10:00:00+01:00", "2026-11-25T09:00:00Z", ShipmentStatus.IN_TRANSIT, "a"
    )
    naive = TrackingEvent(
        "2026-11-25T08:00:00", None, ShipmentStatus.IN_TRANSIT, "b", time_zone="unknown"
    )
    merged = merge_events([known], [naive, naive])
    assert [e.description for e in merged] == ["b", "a"]
    assert TrackingEvent.from_dict(naive.to_dict()) == naive
    old = {
        "time": "2026-11-25T10:00:00+01:00",
        "time_utc": "2026-11-25T09:00:00Z",
        "description": "stored by an older orderctl",
    }
    assert TrackingEvent.from_dict(old).time_zone == "given"
