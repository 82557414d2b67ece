"""One scenario per platform: undelivered, delivered, confirmed, auto-completed, disputed,
each with and without the platform's estimated delivery date.

Today is 2026-11-28. Ordered 11-01, shipped 11-03, delivered 11-20, latest
estimated delivery 11-25, confirmed 11-24, dispute opened 11-26. The
auto-completed order shipped 10-01, was delivered 10-20 and its recorded
protection end (11-20) has passed (estimated delivery 10-22). Every order
either has deadlines or says in ``missing`` what they need.
"""

from __future__ import annotations

from datetime import date

import pytest

from orderctl.domain.deadlines import schedule
from orderctl.domain.models import Order, OrderState
from orderctl.domain.policies import parse_policies
from orderctl.domain.records import Dispute
from orderctl.services.context import load_policy_document

POLICIES = parse_policies(load_policy_document())
TODAY = date(2026, 11, 28)
S = OrderState

SITUATIONS = {
    "undelivered": {"state": S.SHIPPED, "shipped_at": date(2026, 11, 3)},
    "delivered": {
        "state": S.DELIVERED,
        "shipped_at": date(2026, 11, 3),
        "delivered_at": date(2026, 11, 20),
    },
    "confirmed": {
        "state": S.CONFIRMED,
        "shipped_at": date(2026, 11, 3),
        "delivered_at": date(2026, 11, 20),
        "completed_at": date(2026, 11, 24),
    },
    "auto-completed": {
        "state": S.DELIVERED,
        "shipped_at": date(2026, 10, 1),
        "delivered_at": date(2026, 10, 20),
        "protection_ends_at": date(2026, 11, 20),
        "protection_ends_recorded_on": date(2026, 10, 25),
    },
    "disputed": {
        "state": S.DISPUTED,
        "shipped_at": date(2026, 11, 3),
        "delivered_at": date(2026, 11, 20),
        "dispute": Dispute(status="opened", opened_at="2026-11-26T10:00:00Z", channel="paypal"),
    },
}

UNDELIVERED_AE = [
    ("extend_protection", "2026-11-28"),
    ("dispute_by", "2026-12-01"),
    ("protection_ends", "2026-12-03"),
]
AE_AUTO = [
    ("protection_ends", "2026-11-20"),
    ("dispute_closes", "2026-12-05"),
    ("feedback_closes", "2026-12-05"),
]
RECORDED = ("protection_ends", "2026-11-20")

# (platform, situation) -> (deadlines without an estimated delivery date, with one,
#                           missing without one)
EXPECTED = {
    ("aliexpress", "undelivered"): (
        UNDELIVERED_AE,
        [("delivery_guaranteed_by", "2026-11-25"), *UNDELIVERED_AE],
        [],
    ),
    ("aliexpress", "delivered"): (
        [("protection_ends", "2026-11-25"), ("dispute_closes", "2026-12-10")],
        None,
        [],
    ),
    ("aliexpress", "confirmed"): (
        [("dispute_closes", "2026-12-09"), ("feedback_closes", "2026-12-09")],
        None,
        [],
    ),
    ("aliexpress", "auto-completed"): (AE_AUTO, None, []),
    ("aliexpress", "disputed"): ([("escalate_by", "2026-12-03")], None, []),
    ("ebay", "undelivered"): (
        [("feedback_closes", "2026-12-31")],
        [("claim_closes", "2026-12-25"), ("feedback_closes", "2026-12-31")],
        ["delivered_at or expected_delivery_by"],
    ),
    ("ebay", "delivered"): (
        [("claim_closes", "2026-12-20"), ("feedback_closes", "2026-12-31")],
        None,
        [],
    ),
    ("ebay", "confirmed"): (
        [("claim_closes", "2026-12-20"), ("feedback_closes", "2026-12-31")],
        None,
        [],
    ),
    ("ebay", "auto-completed"): (
        [("claim_closes", "2026-11-19"), RECORDED, ("feedback_closes", "2026-12-31")],
        None,
        [],
    ),
    ("ebay", "disputed"): (
        [("seller_response_ends", "2026-12-01"), ("escalate_by", "2026-12-25")],
        None,
        [],
    ),
    ("amazon", "undelivered"): (
        [],
        [("claim_opens", "2026-11-28"), ("claim_closes", "2027-02-23")],
        ["expected_delivery_by"],
    ),
    ("amazon", "delivered"): (
        [("claim_closes", "2027-02-18")],
        [("claim_closes", "2027-02-23")],
        [],
    ),
    ("amazon", "confirmed"): (
        [("claim_closes", "2027-02-18")],
        [("claim_closes", "2027-02-23")],
        [],
    ),
    ("amazon", "auto-completed"): (
        [RECORDED, ("claim_closes", "2027-01-18")],
        [RECORDED, ("claim_closes", "2027-01-20")],
        [],
    ),
    ("amazon", "disputed"): ([], None, []),
    ("temu", "undelivered"): ([("return_closes", "2027-01-30")], None, []),
    ("temu", "delivered"): ([("return_closes", "2027-01-30")], None, []),
    ("temu", "confirmed"): ([("return_closes", "2027-01-30")], None, []),
    ("temu", "auto-completed"): ([RECORDED, ("return_closes", "2027-01-30")], None, []),
    ("temu", "disputed"): ([], None, []),
    ("etsy", "undelivered"): (
        [],
        [
            ("claim_opens", "2026-11-26"),
            ("claim_closes", "2027-03-05"),
            ("feedback_closes", "2027-03-05"),
        ],
        ["expected_delivery_by"],
    ),
    ("etsy", "delivered"): (
        [("claim_closes", "2027-02-28"), ("feedback_closes", "2027-02-28")],
        None,
        [],
    ),
    ("etsy", "confirmed"): (
        [("claim_closes", "2027-02-28"), ("feedback_closes", "2027-02-28")],
        None,
        [],
    ),
    ("etsy", "auto-completed"): (
        [RECORDED, ("claim_closes", "2027-01-28"), ("feedback_closes", "2027-01-28")],
        None,
        [],
    ),
    ("etsy", "disputed"): ([], None, []),
    ("wish", "undelivered"): ([], [("claim_closes", "2026-12-25")], ["expected_delivery_by"]),
    ("wish", "delivered"): ([("claim_closes", "2026-12-20")], None, []),
    ("wish", "confirmed"): ([("claim_closes", "2026-12-20")], None, []),
    ("wish", "auto-completed"): ([("claim_closes", "2026-11-19"), RECORDED], None, []),
    ("wish", "disputed"): ([], None, []),
    ("shein", "undelivered"): ([], None, ["delivered_at"]),
    ("shein", "delivered"): ([("return_closes", "2026-12-20")], None, []),
    ("shein", "confirmed"): ([("return_closes", "2026-12-20")], None, []),
    ("shein", "auto-completed"): ([("return_closes", "2026-11-19"), RECORDED], None, []),
    ("shein", "disputed"): ([], None, []),
    ("paypal", "undelivered"): ([("paypal_dispute_closes", "2027-04-30")], None, []),
    ("paypal", "delivered"): ([("paypal_dispute_closes", "2027-04-30")], None, []),
    ("paypal", "confirmed"): ([("paypal_dispute_closes", "2027-04-30")], None, []),
    ("paypal", "auto-completed"): ([RECORDED, ("paypal_dispute_closes", "2027-04-30")], None, []),
    ("paypal", "disputed"): ([("paypal_escalate_by", "2026-12-16")], None, []),
}


def build(platform: str, situation: str, expected: bool) -> Order:
    order = Order(
        "1",
        "thing",
        platform="other" if platform == "paypal" else platform,
        ordered_at=date(2026, 11, 1),
        payment_method="paypal" if platform == "paypal" else None,
    )
    for key, value in SITUATIONS[situation].items():
        setattr(order, key, value)
    if expected:
        auto = situation == "auto-completed"
        order.expected_delivery_by = date(2026, 10, 22) if auto else date(2026, 11, 25)
    return order


@pytest.mark.parametrize("with_expected", [False, True], ids=["no-edd", "edd"])
@pytest.mark.parametrize(("platform", "situation"), list(EXPECTED), ids="-".join)
def test_platform_scenario(platform, situation, with_expected):
    without, with_edd, missing = EXPECTED[(platform, situation)]
    want = (with_edd if with_edd is not None else without) if with_expected else without
    plan = schedule(build(platform, situation, with_expected), POLICIES, TODAY)
    assert [(d.kind, d.date.isoformat()) for d in plan.deadlines] == want
    assert plan.missing == ([] if with_expected and with_edd is not None else missing)
    for deadline in plan.deadlines:
        assert deadline.source and deadline.confidence and deadline.basis
    active = situation in ("undelivered", "delivered", "auto-completed", "confirmed")
    if active and not plan.deadlines:
        # silent orders say why, as their own task in `due`
        task = next(t for t in plan.tasks if t.kind == "missing_dates")
        assert task.missing == plan.missing and "orderctl edit" in task.advice


def test_estimated_protection_end_is_loud_about_it():
    order = build("aliexpress", "undelivered", False)
    plan = schedule(order, POLICIES, TODAY)
    end = plan.first("protection_ends")
    assert end.estimated and end.confidence == "OFF-old"
    assert end.basis == "shipped 2026-11-03 + 30 days (typical; up to 120)"
    assert [t.kind for t in plan.tasks] == ["record_protection_end"]
    assert "--protection-ends" in plan.tasks[0].advice


def test_delivery_after_the_recorded_end_asks_to_reread_the_countdown():
    order = build("aliexpress", "delivered", False)
    order.protection_ends_at = date(2026, 12, 20)
    order.protection_ends_recorded_on = date(2026, 11, 10)  # read before the delivery
    plan = schedule(order, POLICIES, TODAY)
    assert [t.kind for t in plan.tasks] == ["reread_countdown"]
    assert "2026-11-20" in plan.tasks[0].advice
    # until then the shortened end (delivery + 5 days) is used, marked estimated
    end = plan.first("protection_ends")
    assert (end.date, end.estimated) == (date(2026, 11, 25), True)
    order.protection_ends_recorded_on = date(2026, 11, 21)  # re-read after delivery
    plan = schedule(order, POLICIES, TODAY)
    assert plan.tasks == [] and plan.first("protection_ends").date == date(2026, 12, 20)


def test_an_order_not_shipped_yet_is_not_missing_its_ship_date():
    order = Order("1", "x", platform="aliexpress", ordered_at=date(2026, 11, 20))
    plan = schedule(order, POLICIES, TODAY)
    assert plan.deadlines == [] and plan.missing == [] and plan.tasks == []
    order.state = OrderState.SHIPPED  # shipped (e.g. imported "Awaiting delivery") but no date
    plan = schedule(order, POLICIES, TODAY)
    assert plan.missing == ["shipped_at or protection_ends_at"]
    assert [t.kind for t in plan.tasks] == ["record_protection_end", "missing_dates"]
    assert "--shipped DATE" in plan.tasks[1].advice


def test_a_guessed_completion_says_so_in_the_advice():
    order = build("aliexpress", "undelivered", False)
    order.shipped_at = date(2026, 10, 10)  # typical 30 days ended 11-09
    closes = schedule(order, POLICIES, TODAY).first("dispute_closes")
    assert (
        closes.estimated and "Estimated" in closes.advice and "--protection-ends" in closes.advice
    )
