"""Notice rules: thresholds, quiet hours (across midnight and DST), order events, masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import ConversationNote, Dispute
from orderctl.services.notify.notices import (
    crossed_threshold,
    notice_from_deadline,
    parcel_notices,
    refund_notice,
    seller_reply_notice,
)
from orderctl.services.notify.run import in_quiet_hours
from orderctl.services.notify.settings import (
    NotifyConfigError,
    load_settings,
    mask_url,
    parse_quiet_hours,
    scrub,
)

TODAY = date(2026, 11, 28)
SETTINGS = load_settings({})
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(30, None), (8, None), (7, 7), (5, 7), (3, 7), (2, 2), (1, 2), (0, 0), (-1, -1), (-14, -1)],
)
def test_default_thresholds(days_left, expected):
    assert crossed_threshold(days_left, (7, 2, 0)) == expected


@given(st.integers(-30, 60), st.lists(st.integers(0, 30), min_size=1, max_size=5))
def test_threshold_is_never_below_the_days_left(days_left, thresholds):
    t = tuple(sorted(set(thresholds), reverse=True))
    found = crossed_threshold(days_left, t)
    if days_left < 0:
        assert found == -1
    elif found is None:
        assert days_left > max(t)
    else:
        assert found >= days_left and found in t


def test_a_task_dated_today_is_one_notice_per_order_not_one_a_day():
    """`due` dates tasks (record the protection end, missing dates) today on every run."""
    monday = {"order_id": "1", "kind": "record_protection_end", "date": "2026-11-28",
              "days_left": 0, "task": True}  # fmt: skip
    tuesday = dict(monday, date="2026-11-29")
    first, second = notice_from_deadline(monday, SETTINGS), notice_from_deadline(tuesday, SETTINGS)
    assert first.key == second.key
    assert first.title.startswith("To do: ")
    assert not first.due_today  # a to-do waits for quiet hours to end
    deadline = dict(monday, kind="dispute_by", task=False)
    assert (
        notice_from_deadline(deadline, SETTINGS).key
        != notice_from_deadline(dict(deadline, date="2026-11-29"), SETTINGS).key
    )


def test_thresholds_per_kind_with_a_default():
    settings = load_settings({"notify": {"thresholds": {"default": [3], "dispute_by": [10, 1]}}})
    entry = {"order_id": "1", "kind": "dispute_by", "date": "2026-12-06", "days_left": 8}
    assert notice_from_deadline(entry, settings).threshold == 10
    other = dict(entry, kind="protection_ends")
    assert notice_from_deadline(other, settings) is None
    assert notice_from_deadline(dict(other, days_left=3), settings).threshold == 3


def test_deadline_adapter_words_and_key():
    entry = {
        "order_id": "42",
        "title": "Lamp",
        "kind": "escalate_by",
        "date": "2026-11-28",
        "days_left": 0,
        "estimated": True,
        "advice": "Escalate now.",
    }
    notice = notice_from_deadline(entry, SETTINGS, "https://example.com/o/42")
    assert notice.title == "Today: Dispute step due: Escalate by, order 42"
    assert notice.body == "Lamp\nDate: 2026-11-28 (estimated from policy data)\nEscalate now."
    assert notice.key == "42|escalate_by|0|2026-11-28"
    assert notice.due_today
    assert "[https://example.com/o/42](https://example.com/o/42)" in notice.markdown()
    missed = notice_from_deadline(dict(entry, days_left=-2, kind="protection_ends"), SETTINGS)
    assert missed.title == "Missed: Protection ends (2026-11-28), order 42"
    assert missed.threshold == -1 and not missed.due_today


# -- quiet hours: across midnight and DST, in the buyer's zone ---------------------------------

NIGHT = (time(22, 0), time(7, 0))


@pytest.mark.parametrize(
    ("utc", "quiet"),
    [
        ("2026-11-28T20:59:00", False),  # 21:59 CET
        ("2026-11-28T21:00:00", True),  # 22:00 CET
        ("2026-11-28T23:30:00", True),  # 00:30 CET, after midnight
        ("2026-11-29T05:59:00", True),  # 06:59 CET
        ("2026-11-29T06:00:00", False),  # 07:00 CET
        # DST starts 2026-03-29 (02:00 CET → 03:00 CEST): the same UTC hour reads differently.
        ("2026-03-28T05:30:00", True),  # 06:30 CET
        ("2026-03-29T05:30:00", False),  # 07:30 CEST
        # DST ends 2026-10-25 (03:00 CEST → 02:00 CET).
        ("2026-10-24T20:30:00", True),  # 22:30 CEST
        ("2026-10-25T20:30:00", False),  # 21:30 CET
    ],
)
def test_quiet_hours_across_midnight_and_dst(utc, quiet):
    moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert in_quiet_hours(moment, BERLIN, NIGHT) is quiet


def test_quiet_hours_within_one_day_and_off():
    lunch = (time(12, 0), time(13, 0))
    noon_ny = datetime(2026, 11, 28, 17, 30, tzinfo=UTC)  # 12:30 EST
    assert in_quiet_hours(noon_ny, NEW_YORK, lunch)
    assert not in_quiet_hours(noon_ny, BERLIN, lunch)  # 18:30 in Berlin
    assert not in_quiet_hours(noon_ny, NEW_YORK, None)


@pytest.mark.parametrize("bad", ["22-07", "25:00-07:00", "22:00", 2200, "22:00-07:60"])
def test_bad_quiet_hours_is_a_config_error(bad):
    with pytest.raises(NotifyConfigError) as info:
        parse_quiet_hours(bad)
    assert info.value.exit_code == 4


@pytest.mark.parametrize(
    "section",
    [
        {"urls": "not a url"},
        {"urls": [1]},
        {"thresholds": [7, -1]},
        {"thresholds": []},
        {"thresholds": {"dispute_by": "soon"}},
        {"digest": "yes"},
        {"stuck_days": 0},
        {"refund_days": True},
    ],
)
def test_bad_settings_are_config_errors(section):
    with pytest.raises(NotifyConfigError):
        load_settings({"notify": section})


# -- order events -----------------------------------------------------------------------------


def order(**fields) -> Order:
    base = {"order_id": "7", "title": "Shirt", "state": OrderState.SHIPPED}
    return Order(**(base | fields))


def test_parcel_status_once_per_status_and_stuck_after_n_days():
    moving = order(shipment_status="in_transit", last_event_at="2026-11-25T08:00:00Z")
    (shipped,) = parcel_notices(moving, SETTINGS, TODAY)
    assert (shipped.kind, shipped.threshold) == ("parcel_shipped", 0)
    assert shipped.key == "7|parcel_shipped|0|"  # a new scan in the same status is no news
    stuck = order(shipment_status="in_transit", last_event_at="2026-11-20T08:00:00Z")
    kinds = [(n.kind, n.threshold, n.date) for n in parcel_notices(stuck, SETTINGS, TODAY)]
    assert kinds == [("parcel_shipped", 0, "2026-11-20")]  # 8 days: `track` says 10 (default)
    eager = load_settings({"tracking": {"stuck_days": 7}})
    kinds = [(n.kind, n.threshold, n.date) for n in parcel_notices(stuck, eager, TODAY)]
    assert kinds == [("parcel_shipped", 0, "2026-11-20"), ("parcel_stuck", 7, "2026-11-20")]
    delivered = order(shipment_status="delivered", last_event_at="2026-11-27T10:00:00Z")
    assert [n.kind for n in parcel_notices(delivered, SETTINGS, TODAY)] == ["parcel_delivered"]
    returning = order(shipment_status="exception", last_event_at="2026-11-20T10:00:00Z")
    assert [n.kind for n in parcel_notices(returning, SETTINGS, TODAY)] == ["parcel_exception"]
    old = order(shipment_status="delivered", last_event_at="2026-10-01T10:00:00Z")
    assert parcel_notices(old, SETTINGS, TODAY) == []  # history, not news
    long_stuck = order(shipment_status="in_transit", last_event_at="2026-10-01T10:00:00Z")
    slow = load_settings({"notify": {"stuck_days": 30}})
    assert [n.kind for n in parcel_notices(long_stuck, slow, TODAY)] == ["parcel_stuck"]
    closed = order(shipment_status="delivered", state=OrderState.CLOSED)
    assert parcel_notices(closed, SETTINGS, TODAY) == []


def test_seller_reply_date_passed():
    asked = ConversationNote(at="2026-11-20T09:00:00Z", sender="me", kind="contact_sent", text="hi")
    notice = seller_reply_notice(order(notes=[asked]), 5, TODAY)
    assert (notice.kind, notice.date) == ("seller_reply_overdue", "2026-11-25")
    answer = ConversationNote(at="2026-11-22T09:00:00Z", sender="seller", kind="message", text="ok")
    assert seller_reply_notice(order(notes=[asked, answer]), 5, TODAY) is None
    assert seller_reply_notice(order(notes=[asked]), 10, TODAY) is None  # not passed yet
    assert seller_reply_notice(order(notes=[]), 5, TODAY) is None


def test_refund_not_seen_after_a_won_dispute():
    won = Dispute(
        status="resolved",
        outcome="refunded",
        resolved_at="2026-11-10T10:00:00Z",
        refund_amount="12.00",
    )
    notice = refund_notice(order(dispute=won, currency="USD"), SETTINGS, TODAY)
    assert (notice.kind, notice.threshold, notice.date) == ("refund_missing", 14, "2026-11-24")
    assert "12.00 USD" in notice.body
    assert refund_notice(order(dispute=replace(won, outcome="rejected")), SETTINGS, TODAY) is None
    recent = replace(won, resolved_at="2026-11-20T10:00:00Z")
    assert refund_notice(order(dispute=recent), SETTINGS, TODAY) is None


# -- secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mailtos://me:Pa55word@smtp.example.com?to=a@b.c", "mailtos://me:****@smtp.example.com"),
        ("ntfys://ntfy.sh/secret-topic", "ntfys://ntfy.sh/****"),
        ("tgram://123456:ABCDEFsecret/987", "tgram://123456:****/****"),
        ("pover://userkeyXYZ@tokenABC", "pover://****@tokenABC"),
        ("json://host:8080/hook?+X-Api-Key=k3y", "json://host:8080/****"),
        ("dbus://", "dbus://"),
    ],
)
def test_mask_url(url, shown):
    assert mask_url(url) == shown


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=6, max_size=30))
def test_scrub_removes_passwords_and_keys(secret):
    url = f"json://127.0.0.1:8080/hook?+X-Api-Key={secret}"
    text = f"failed to send to {url}: server said {secret}"
    assert secret not in scrub(text, url)
    mail = f"mailto://user:{secret}@127.0.0.1:25"
    assert secret not in scrub(f"login {secret} refused at {mail}", mail)


def test_stuck_means_the_same_for_track_and_notify_unless_notify_says_otherwise():
    assert load_settings({}).stuck_days == 10
    assert load_settings({"tracking": {"stuck_days": 6}}).stuck_days == 6
    both = {"tracking": {"stuck_days": 6}, "notify": {"stuck_days": 3}}
    assert load_settings(both).stuck_days == 3
