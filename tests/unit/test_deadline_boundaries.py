"""Every rule of every platform pinned on the day before, the day of and the day after.

Dates are worked out by hand from the policy data (not by the engine), so a
changed comparison, anchor or unit shows up here. Base dates: ordered Thu
2026-10-01, shipped Mon 2026-10-05, delivered Tue 2026-10-20, latest estimated
delivery Sun 2026-10-25, completed Fri 2026-10-30, dispute opened Mon 2026-11-02.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from orderctl.domain.deadlines import add_business_days, schedule
from orderctl.domain.models import Order, OrderState
from orderctl.domain.policies import parse_policies
from orderctl.domain.records import ConversationNote, Dispute
from orderctl.services.context import load_policy_document

POLICIES = parse_policies(load_policy_document())
S = OrderState
ORDERED = date(2026, 10, 1)
SHIPPED = date(2026, 10, 5)
DELIVERED = date(2026, 10, 20)
EXPECTED = date(2026, 10, 25)
COMPLETED = date(2026, 10, 30)
OPENED = "2026-11-02T09:00:00Z"


def make(platform: str, state: OrderState, **fields) -> Order:
    order = Order("o1", "thing", platform=platform, state=state, ordered_at=ORDERED)
    for key, value in fields.items():
        setattr(order, key, value)
    return order


TRANSIT = {"shipped_at": SHIPPED}
ARRIVED = {"shipped_at": SHIPPED, "delivered_at": DELIVERED}
DISPUTE = {"dispute": Dispute(status="opened", opened_at=OPENED)}
CONTACT = [
    ConversationNote(at="2026-11-02T10:00:00Z", sender="me", kind="contact_sent", text="x"),
    ConversationNote(at="2026-11-03T10:00:00Z", sender="me", kind="contact_sent", text="y"),
]

CASES = [
    # AliExpress: protection estimated from the typical 30 days after shipping (11-04)
    ("aliexpress", S.SHIPPED, TRANSIT, "extend_protection", date(2026, 10, 30), True),
    ("aliexpress", S.SHIPPED, TRANSIT, "dispute_by", date(2026, 11, 2), True),
    ("aliexpress", S.SHIPPED, TRANSIT, "protection_ends", date(2026, 11, 4), True),
    # ... or read off the countdown
    (
        "aliexpress",
        S.SHIPPED,
        {**TRANSIT, "protection_ends_at": date(2026, 12, 10)},
        "extend_protection",
        date(2026, 12, 5),
        False,
    ),
    (
        "aliexpress",
        S.SHIPPED,
        {**TRANSIT, "protection_ends_at": date(2026, 12, 10)},
        "dispute_by",
        date(2026, 12, 8),
        False,
    ),
    (
        "aliexpress",
        S.SHIPPED,
        {**TRANSIT, "protection_ends_at": date(2026, 12, 10)},
        "protection_ends",
        date(2026, 12, 10),
        False,
    ),
    # shortened to 5 days after a tracked delivery
    ("aliexpress", S.DELIVERED, ARRIVED, "protection_ends", date(2026, 10, 25), True),
    (
        "aliexpress",
        S.CONFIRMED,
        {**ARRIVED, "completed_at": COMPLETED},
        "dispute_closes",
        date(2026, 11, 14),
        False,
    ),
    (
        "aliexpress",
        S.CONFIRMED,
        {**ARRIVED, "completed_at": COMPLETED},
        "feedback_closes",
        date(2026, 11, 14),
        False,
    ),
    ("aliexpress", S.DISPUTED, {**ARRIVED, **DISPUTE}, "escalate_by", date(2026, 11, 9), False),
    (
        "aliexpress",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED, "protection_ends_at": date(2026, 12, 10)},
        "delivery_guaranteed_by",
        EXPECTED,
        False,
    ),
    # eBay: 30 days from delivery, or from the latest estimated delivery date
    ("ebay", S.DELIVERED, ARRIVED, "claim_closes", date(2026, 11, 19), False),
    (
        "ebay",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED},
        "claim_closes",
        date(2026, 11, 24),
        False,
    ),
    ("ebay", S.DELIVERED, ARRIVED, "feedback_closes", date(2026, 11, 30), False),
    # business days: opened Monday 11-02 -> Thursday 11-05; 21 business days -> Tue 12-01
    ("ebay", S.DISPUTED, {**ARRIVED, **DISPUTE}, "seller_response_ends", date(2026, 11, 5), False),
    ("ebay", S.DISPUTED, {**ARRIVED, **DISPUTE}, "escalate_by", date(2026, 12, 1), False),
    # Amazon: from the maximum estimated delivery date
    (
        "amazon",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED},
        "claim_opens",
        date(2026, 10, 28),
        False,
    ),
    (
        "amazon",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED},
        "claim_closes",
        date(2027, 1, 23),
        False,
    ),
    (
        "amazon",
        S.DELIVERED,
        {**ARRIVED, "expected_delivery_by": EXPECTED},
        "claim_closes",
        date(2027, 1, 23),
        False,
    ),
    # without the estimate, the delivery date stands in, marked estimated
    ("amazon", S.DELIVERED, ARRIVED, "claim_closes", date(2027, 1, 18), True),
    # 48 hours after the first message sent to the seller (contact --sent)
    (
        "amazon",
        S.DELIVERED,
        {**ARRIVED, "notes": CONTACT},
        "seller_wait_ends",
        date(2026, 11, 4),
        False,
    ),
    (
        "etsy",
        S.DELIVERED,
        {**ARRIVED, "notes": CONTACT},
        "seller_wait_ends",
        date(2026, 11, 4),
        False,
    ),
    ("temu", S.SHIPPED, TRANSIT, "return_closes", date(2026, 12, 30), False),
    (
        "etsy",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED},
        "claim_opens",
        date(2026, 10, 26),
        False,
    ),
    ("etsy", S.DELIVERED, ARRIVED, "claim_closes", date(2027, 1, 28), False),
    (
        "etsy",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED},
        "claim_closes",
        date(2027, 2, 2),
        False,
    ),
    ("etsy", S.DELIVERED, ARRIVED, "feedback_closes", date(2027, 1, 28), False),
    (
        "wish",
        S.SHIPPED,
        {**TRANSIT, "expected_delivery_by": EXPECTED},
        "claim_closes",
        date(2026, 11, 24),
        False,
    ),
    ("wish", S.DELIVERED, ARRIVED, "claim_closes", date(2026, 11, 19), False),
    ("shein", S.DELIVERED, ARRIVED, "return_closes", date(2026, 11, 19), False),
    # PayPal-paid: 180 days from payment; 20 days to escalate a PayPal dispute
    (
        "other",
        S.SHIPPED,
        {**TRANSIT, "payment_method": "paypal"},
        "paypal_dispute_closes",
        date(2027, 3, 30),
        False,
    ),
    (
        "other",
        S.DISPUTED,
        {**ARRIVED, **DISPUTE, "payment_method": "paypal"},
        "paypal_escalate_by",
        date(2026, 11, 22),
        False,
    ),
]


@pytest.mark.parametrize(
    ("platform", "state", "fields", "kind", "expected", "estimated"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{c[4]}" for c in CASES],
)
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["day-before", "day-of", "day-after"])
def test_every_rule_boundary(platform, state, fields, kind, expected, estimated, offset):
    order = make(platform, state, **fields)
    today = expected + timedelta(days=offset)
    found = [d for d in schedule(order, POLICIES, today).deadlines if d.kind == kind]
    assert len(found) == 1, [d.kind for d in schedule(order, POLICIES, today).deadlines]
    deadline = found[0]
    assert deadline.date == expected
    assert deadline.days_left == -offset
    assert deadline.estimated is estimated
    assert deadline.source and deadline.confidence
    assert deadline.basis


def test_every_policy_rule_is_pinned_above():
    pinned = {(c[0], c[3]) for c in CASES}
    for key, policy in POLICIES.platforms.items():
        for rule in policy.deadlines:
            assert (key, rule.kind) in pinned, (key, rule.kind)
    for rule in POLICIES.payments["paypal"].deadlines:
        assert ("other", rule.kind) in pinned


def test_business_days_skip_weekends():
    friday = date(2026, 10, 30)
    assert add_business_days(friday, 1) == date(2026, 11, 2)
    assert add_business_days(friday, 3) == date(2026, 11, 4)
    assert add_business_days(date(2026, 10, 31), 1) == date(2026, 11, 2)  # from a Saturday
    assert add_business_days(friday, 0) == friday


def test_paypal_escalation_only_for_a_paypal_dispute():
    # an AliExpress dispute on a PayPal-paid order is not a PayPal dispute
    order = make("aliexpress", S.DISPUTED, **ARRIVED, **DISPUTE, payment_method="paypal")
    kinds = [d.kind for d in schedule(order, POLICIES, date(2026, 11, 3)).deadlines]
    assert "paypal_escalate_by" not in kinds and "escalate_by" in kinds
    order.dispute = replace(order.dispute, channel="paypal")
    kinds = [d.kind for d in schedule(order, POLICIES, date(2026, 11, 3)).deadlines]
    assert "paypal_escalate_by" in kinds


@pytest.mark.parametrize(
    ("today", "refused"),
    [(date(2026, 11, 13), False), (date(2026, 11, 14), False), (date(2026, 11, 15), True)],
)
def test_dispute_refused_only_after_the_last_day(today, refused):
    order = make("aliexpress", S.CONFIRMED, **ARRIVED, completed_at=COMPLETED)
    window = schedule(order, POLICIES, today).window
    assert window.closes == date(2026, 11, 14)
    assert (window.problem(today) is not None) is refused


@pytest.mark.parametrize(
    ("days", "warned_by"),
    [
        (4, {5, 6, 10, 11}),
        (5, {6, 10, 11}),
        (6, {10, 11}),
        (9, {10, 11}),
        (10, {11}),
        (11, set()),
    ],
)
def test_dispute_opening_sources_warn_until_the_last_one(days, warned_by):
    order = make("aliexpress", S.SHIPPED, **TRANSIT)
    today = SHIPPED + timedelta(days=days)
    window = schedule(order, POLICIES, today).window
    assert window.problem(today) is None  # never refused for being early
    warning = window.warning(today)
    if not warned_by:
        assert warning is None
        return
    for n in (5, 6, 10, 11):
        day = (SHIPPED + timedelta(days=n)).isoformat()
        assert (f"{n} days after shipping ({day})" in warning) is (n in warned_by)


def test_a_delivered_order_can_be_disputed_at_once():
    # the case: shipped 10-25, delivered 10-30; show said "before 11-04"
    order = make(
        "aliexpress", S.DELIVERED, shipped_at=date(2026, 10, 25), delivered_at=date(2026, 10, 30)
    )
    for day in range(30, 36):
        today = date(2026, 10, 1) + timedelta(days=day)
        plan = schedule(order, POLICIES, today)
        assert plan.window.warning(today) is None and plan.window.problem(today) is None
        assert plan.first("protection_ends").date == date(2026, 11, 4)


@pytest.mark.parametrize(
    ("today", "refused"),
    [(date(2026, 11, 14), False), (date(2026, 11, 15), False), (date(2026, 11, 16), True)],
)
def test_dispute_refused_after_the_buyers_last_overlapping_day(today, refused):
    # A buyer east of the platform (Auckland, UTC+13 vs China, UTC+8): the platform's
    # last day (14 Nov) ends at 05:00 on the buyer's 15 Nov, so 15 Nov is still allowed.
    from zoneinfo import ZoneInfo

    from orderctl.domain.calendar import Zones

    zones = Zones(
        buyer=ZoneInfo("Pacific/Auckland"), platforms={"aliexpress": ZoneInfo("Asia/Shanghai")}
    )
    order = make("aliexpress", S.CONFIRMED, **ARRIVED, completed_at=COMPLETED)
    window = schedule(order, POLICIES, today, zones).window
    assert (window.closes, window.refuse_after) == (date(2026, 11, 14), date(2026, 11, 15))
    assert (window.problem(today) is not None) is refused
