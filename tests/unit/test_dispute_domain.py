"""Dispute rules: default reasons, the window, reply-by, amounts and the words used."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from orderctl.domain import dispute as rules
from orderctl.domain.deadlines import DisputeWindow, schedule
from orderctl.domain.models import Item, Order, OrderState
from orderctl.domain.policies import parse_policies
from orderctl.domain.records import ConversationNote, Inspection
from orderctl.domain.tracking import TrackingEvent
from orderctl.services.context import load_policy_document

POLICIES = parse_policies(load_policy_document())
AE = POLICIES.platform("aliexpress")
TODAY = date(2026, 11, 28)


def order(**overrides) -> Order:
    base = Order(
        order_id="3065355286098390",
        title="Linen shirt - beige - size L",
        store="Simple Linen Store",
        price=Decimal("18.40"),
        currency="USD",
        ordered_at=date(2026, 10, 24),
        shipped_at=date(2026, 10, 26),
        state=OrderState.SHIPPED,
        tracking_number="YT2412345678901234",
        items=[
            Item(
                title="Linen shirt",
                quantity=1,
                unit_price=Decimal("18.40"),
                currency="USD",
                attributes={"Color": "beige", "Size": "L"},
            )
        ],
    )
    for key, value in overrides.items():
        setattr(base, key, value)
    return base


def failed(*reasons: str) -> Inspection:
    return Inspection(verdict="fail", suggested_reasons=reasons)


DELIVERED = {"delivered_at": date(2026, 11, 22), "state": OrderState.DELIVERED}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # a failed inspection: its first suggested reason, whatever tracking says
        ({**DELIVERED, "inspection": failed("wrong_item", "quality")}, "wrong_item"),
        ({**DELIVERED, "inspection": failed("bogus", "damaged")}, "damaged"),
        ({**DELIVERED, "inspection": failed()}, None),
        ({**DELIVERED, "inspection": Inspection(verdict="pass")}, None),
        (DELIVERED, None),
        ({"shipment_status": "delivered"}, None),
        # not delivered: the parcel is lost or returned
        ({"shipment_status": "expired"}, "not_received"),
        ({"shipment_status": "exception"}, "not_received"),
        # not delivered: protection ends within dispute_lead_days (2), or has ended
        ({"protection_ends_at": date(2026, 11, 30)}, "not_received"),
        ({"protection_ends_at": date(2026, 11, 28)}, "not_received"),
        ({"protection_ends_at": date(2026, 11, 20)}, "not_received"),
        ({"protection_ends_at": date(2026, 12, 1)}, None),
        ({"shipment_status": "in_transit", "protection_ends_at": date(2026, 12, 20)}, None),
        # estimated protection end: shipped + the typical 30 days (reminders lean early)
        ({"shipped_at": date(2026, 10, 31)}, "not_received"),
        ({"shipped_at": date(2026, 11, 1)}, None),
    ],
)
def test_default_reason_table(overrides, expected):
    o = order(**overrides)
    choice = rules.default_reason(o, schedule(o, POLICIES, TODAY))
    assert choice.reason == expected
    assert choice.why


@pytest.mark.parametrize("reason", [r for r in rules.REASONS if r != "not_received"])
def test_every_received_reason_comes_from_the_inspection(reason):
    o = order(**DELIVERED, inspection=failed(reason))
    choice = rules.default_reason(o, schedule(o, POLICIES, TODAY))
    assert choice.reason == reason


def test_every_reason_has_a_label():
    assert set(rules.REASON_LABELS) == set(rules.REASONS)
    assert set(rules.REMEDY_LABELS) == set(rules.REMEDIES)


def window(o: Order) -> DisputeWindow:
    return schedule(o, POLICIES, TODAY).window


def test_window_opens_after_shipment_and_closes_after_completion():
    w = window(order(state=OrderState.CONFIRMED, completed_at=date(2026, 11, 20)))
    # not delivered: the earliest day any source allows (5 days after shipping)
    assert (w.opens, w.closes, w.closes_estimated) == (date(2026, 10, 31), date(2026, 12, 5), False)
    assert w.opens_latest == date(2026, 11, 6)
    assert w.problem(TODAY) is None and w.warning(TODAY) is None


def test_window_opens_at_once_once_delivered():
    w = window(order(**DELIVERED))
    assert w.opens == date(2026, 11, 22) and w.opens_sources == ()
    assert w.warning(date(2026, 11, 22)) is None


def test_window_not_open_yet_warns_naming_every_source():
    w = window(order(shipped_at=date(2026, 11, 25), protection_ends_at=date(2027, 1, 20)))
    assert w.problem(TODAY) is None
    warning = w.warning(TODAY)
    assert "sources disagree" in warning
    for day, source in (
        ("2026-11-30", "buyer_protection_process"),
        ("2026-12-01", "escrow"),
        ("2026-12-05", "ssopdot"),
        ("2026-12-06", "tigerwing"),
    ):
        assert day in warning and source in warning
    assert "2027-02-04" in warning and "estimated" in warning
    # one source says the window is open: the others are still named
    assert "2026-11-30" not in w.warning(date(2026, 11, 30))
    assert w.warning(date(2026, 12, 6)) is None


def test_window_closed_names_both_dates():
    w = window(order(state=OrderState.CONFIRMED, completed_at=date(2026, 11, 1)))
    problem = w.problem(TODAY)
    assert "closed" in problem and "2026-10-31" in problem and "2026-11-16" in problem


def test_estimated_close_never_refuses():
    w = window(order(protection_ends_at=date(2026, 11, 1)))  # protection over: completed 11-01
    assert w.closes == date(2026, 11, 16) and not w.closes_estimated
    w = window(order(shipped_at=date(2026, 9, 1)))  # estimated end long past: still no refusal
    assert w.closes_estimated and w.problem(TODAY) is None
    w = window(order(shipped_at=None))
    assert w.opens is None and w.problem(TODAY) is None


def test_other_platforms_use_their_claim_deadline():
    o = order(platform="ebay", delivered_at=date(2026, 10, 1), state=OrderState.DELIVERED)
    w = window(o)
    assert w.closes == date(2026, 10, 31) and w.opens == date(2026, 10, 1)
    assert "2026-10-31" in w.problem(TODAY)


def test_reply_by_is_the_earliest_safe_date():
    running = order(protection_ends_at=date(2026, 12, 4))
    assert rules.reply_by_date(schedule(running, POLICIES, TODAY), response_days=5) == date(
        2026, 12, 2
    )  # dispute_by: protection end - 2 days
    later = order(protection_ends_at=date(2027, 1, 4))
    assert rules.reply_by_date(schedule(later, POLICIES, TODAY), response_days=5) == date(
        2026, 12, 3
    )  # today + 5
    closing = order(state=OrderState.CONFIRMED, completed_at=date(2026, 11, 16))
    assert rules.reply_by_date(schedule(closing, POLICIES, TODAY), response_days=5) == date(
        2026, 11, 28
    )  # closes 12-01 - 3 days would be before today: today
    assert rules.reply_by_date(schedule(later, POLICIES, TODAY), response_days=None) == date(
        2026, 12, 3
    )


@pytest.mark.parametrize(
    ("remedy", "amount", "expected"),
    [
        ("refund", None, Decimal("18.40")),
        ("return-refund", None, Decimal("18.40")),
        ("refund", Decimal("10"), Decimal("10")),
        ("partial-refund", Decimal("9.20"), Decimal("9.20")),
        ("partial-refund", Decimal("18.40"), Decimal("18.40")),
    ],
)
def test_check_amount(remedy, amount, expected):
    assert rules.check_amount(remedy, amount, Decimal("18.40")) == expected


@pytest.mark.parametrize(
    ("remedy", "amount", "message"),
    [
        ("partial-refund", None, "needs --amount"),
        ("partial-refund", Decimal("0"), "more than 0"),
        ("refund", Decimal("18.41"), "more than the order price"),
    ],
)
def test_check_amount_refusals(remedy, amount, message):
    with pytest.raises(ValueError, match=message):
        rules.check_amount(remedy, amount, Decimal("18.40"))


def test_parse_moment():
    assert rules.parse_moment("2026-11-26T09:15:00+01:00") == datetime(
        2026, 11, 26, 8, 15, tzinfo=UTC
    )
    assert rules.parse_moment("2026-11-26") == datetime(2026, 11, 26, tzinfo=UTC)
    for bad in ("", "yesterday", "26/11/2026"):
        with pytest.raises(ValueError):
            rules.parse_moment(bad)


FINDINGS = [
    rules.Finding("measurements", "Measurements", "fail", "Chest 100 cm, chart 112 cm", ("a.jpg",)),
    rules.Finding("material_label", "Material label", "fail", "100% polyester", ()),
]


def test_statement_lists_every_discrepancy_and_the_request():
    o = order(**DELIVERED)
    notes = [
        ConversationNote(at="2026-11-26T09:40:00Z", sender="me", text="hi"),
        ConversationNote(sender="seller"),
    ]
    sentences = rules.statement(
        o,
        reason="not_as_described",
        remedy="partial-refund",
        amount=Decimal("9.20"),
        findings=FINDINGS,
        reservations=[rules.Finding("stitching", "Seams", "pass", "one loose thread")],
        notes=notes,
        extra_evidence=["evidence/unboxing.mp4"],
    )
    text = "\n".join(sentences)
    assert sentences[0].startswith("I ordered 1 × Linen shirt (Color: beige; Size: L)")
    assert "Simple Linen Store" in sentences[0] and "18.40 USD" in sentences[0]
    assert "delivered on 2026-11-22" in text
    assert "Measurements (check failed): Chest 100 cm, chart 112 cm. Evidence: a.jpg." in text
    assert "Material label (check failed): 100% polyester." in text
    assert "Seams (passed, with a remark): one loose thread." in text
    assert "evidence/unboxing.mp4" in text
    assert "contacted the seller on 2026-11-26" in text and "replied 1 time" in text
    assert sentences[-1] == "I request a partial refund of 9.20 USD and will keep the item."


def test_statement_for_a_parcel_that_never_came_quotes_tracking():
    events = [
        TrackingEvent.from_dict(e)
        for e in (
            {
                "time": "2026-11-10T10:00:00+01:00",
                "time_utc": "2026-11-10T09:00:00Z",
                "status": "exception",
                "description": "Returned",
            },
            # later on the local clock, earlier in fact: the newest event is the one above
            {
                "time": "2026-11-10T15:00:00+08:00",
                "time_utc": "2026-11-10T07:00:00Z",
                "status": "in_transit",
                "description": "Departed",
            },
        )
    ]
    sentences = rules.statement(
        order(shipment_status="exception"),
        reason="not_received",
        remedy="refund",
        amount=Decimal("18.40"),
        findings=[],
        events=events,
    )
    assert (
        "shipped the parcel on 2026-10-26 with tracking number YT2412345678901234" in (sentences[1])
    )
    assert "2026-11-10 reads: Returned" in sentences[2]
    assert sentences[-1] == "I request a full refund of 18.40 USD."


def test_contact_message_is_specific_and_polite():
    text = rules.contact_message(
        order(**DELIVERED),
        reason="not_as_described",
        remedy="return-refund",
        amount=Decimal("18.40"),
        reply_by=date(2026, 12, 2),
        findings=FINDINGS,
        evidence=["a.jpg", "b.mp4"],
        platform_name="AliExpress",
    )
    assert text.startswith("Hello Simple Linen Store,")
    assert "- 1 × Linen shirt (Color: beige; Size: L), 18.40 USD each" in text
    assert "- Measurements: Chest 100 cm, chart 112 cm. Evidence: a.jpg." in text
    assert "a.jpg, b.mp4" in text
    assert "return the item for a full refund of 18.40 USD" in text
    assert "Please reply by 2026-12-02" in text and "dispute on AliExpress" in text
    assert "not confirm receipt" in text


def test_seller_red_flags():
    assert len(rules.seller_red_flags("Please CONFIRM receipt first and we refund")) == 1
    assert len(rules.seller_red_flags("Cancel the dispute and I pay you by PayPal")) == 2
    assert rules.seller_red_flags("Sorry, we will send a new one tomorrow") == []
