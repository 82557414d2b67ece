"""Deadline rules from policy data, with a pinned 'today'."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from orderctl.domain.deadlines import order_deadlines, protection_end
from orderctl.domain.models import Order, OrderState
from orderctl.domain.policies import parse_policies
from orderctl.domain.records import Dispute, Feedback
from orderctl.errors import InvalidInput
from orderctl.services.context import load_policy_document

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def policies():
    return parse_policies(load_policy_document())


def kinds(order, policies, today=TODAY):
    return [
        (d.kind, d.date.isoformat(), d.days_left) for d in order_deadlines(order, policies, today)
    ]


def test_confirmed_order_has_dispute_and_feedback_windows(policies):
    order = Order(
        "1",
        "x",
        state=OrderState.CONFIRMED,
        shipped_at=date(2026, 11, 1),
        completed_at=date(2026, 11, 20),
    )
    # feedback: sources say 30, 15 or 7(+45) days; the shortest current value is used
    assert kinds(order, policies) == [
        ("dispute_closes", "2026-12-05", 7),
        ("feedback_closes", "2026-12-05", 7),
    ]


def test_posted_feedback_ends_the_feedback_reminder(policies):
    order = Order(
        "1",
        "x",
        state=OrderState.CONFIRMED,
        completed_at=date(2026, 11, 20),
        feedback=Feedback(posted_at="2026-11-21T10:00:00Z"),
    )
    assert [k for k, _, _ in kinds(order, policies)] == ["dispute_closes"]


def test_protection_that_ran_out_completes_the_order_implicitly(policies):
    order = Order(
        "1",
        "x",
        state=OrderState.SHIPPED,
        shipped_at=date(2026, 9, 1),
        protection_ends_at=date(2026, 11, 20),
    )
    assert ("dispute_closes", "2026-12-05", 7) in kinds(order, policies)


def test_explicit_protection_end_wins_and_is_not_an_estimate(policies):
    order = Order(
        "1",
        "x",
        state=OrderState.SHIPPED,
        shipped_at=date(2026, 11, 1),
        protection_ends_at=date(2026, 12, 1),
    )
    end, estimated = protection_end(order, policies.platform("aliexpress"))
    assert (end, estimated) == (date(2026, 12, 1), False)
    ends = [d for d in order_deadlines(order, policies, TODAY) if d.kind == "protection_ends"]
    assert ends[0].confidence == "user"


def test_dispute_escalation_deadline(policies):
    order = Order(
        "1",
        "x",
        state=OrderState.DISPUTED,
        dispute=Dispute(status="opened", opened_at="2026-11-25T09:00:00Z"),
    )
    assert kinds(order, policies) == [("escalate_by", "2026-12-02", 4)]  # 7 calendar days
    order.dispute = replace(order.dispute, status="resolved")
    assert kinds(order, policies) == []


def test_closed_orders_have_no_deadlines_but_feedback(policies):
    order = Order("1", "x", state=OrderState.CLOSED, shipped_at=date(2026, 11, 1))
    assert kinds(order, policies) == []


def test_config_overrides_a_value_with_its_source(policies):
    custom = parse_policies(load_policy_document(), {"aliexpress": {"protection_days": 90}})
    value = custom.platform("aliexpress").values["protection_days"]
    assert (value.value, value.source, value.confidence) == (90, "config.toml", "user")
    order = Order("1", "x", state=OrderState.SHIPPED, shipped_at=date(2026, 11, 1))
    ends = [d for d in order_deadlines(order, custom, TODAY) if d.kind == "protection_ends"]
    assert ends[0].date == date(2027, 1, 30)


@pytest.mark.parametrize(
    "overrides",
    [{"mars": {"x": 1}}, {"aliexpress": {"protection_days": "ninety"}}, ["x"]],
)
def test_bad_overrides_are_refused(overrides):
    with pytest.raises(InvalidInput):
        parse_policies(load_policy_document(), overrides)


def test_every_policy_value_has_source_and_confidence():
    doc = load_policy_document()
    for section in ("platforms", "payments"):
        for key, platform in doc[section].items():
            for name, value in platform.get("values", {}).items():
                assert value.get("source"), (key, name)
                assert value.get("confidence") in {
                    "OFF",
                    "OFF-old",
                    "OFF-copy",
                    "3P",
                    "CONFLICT",
                    "assumed",
                }, (key, name)


def test_reminders_before_an_expired_protection_are_dropped(policies):
    # estimated from the typical 30 days, not the 60-day maximum
    order = Order("1", "x", state=OrderState.SHIPPED, shipped_at=date(2026, 10, 22))
    assert kinds(order, policies) == [
        ("protection_ends", "2026-11-21", -7),
        ("dispute_closes", "2026-12-06", 8),
    ]


@pytest.mark.parametrize(
    "patch",
    [
        {"values": {"x": {"value": 3, "unit": "weeks"}}},
        {"values": {"x": {"value": 3, "typical_days": "3"}}},
        {"zone": {"source": "no name"}},
        {"feedback_form": {"scale": "thumbs"}},
    ],
)
def test_bad_policy_shapes_are_refused(patch):
    doc = load_policy_document()
    doc["platforms"]["other"] = {**doc["platforms"]["other"], **patch}
    with pytest.raises(InvalidInput):
        parse_policies(doc)


def test_conflicting_values_keep_every_source(policies):
    value = policies.platform("aliexpress").values["dispute_opens_after_days"]
    assert value.value == 11 and value.checked == "2026-11-28"
    assert [(a.value, a.confidence) for a in value.alternatives] == [
        (10, "3P"),
        (6, "OFF-old"),
        (5, "OFF-old"),
    ]
    protection = policies.platform("aliexpress").values["protection_days"]
    assert (protection.early, protection.value, protection.max_days) == (30, 60, 120)
    assert policies.platform("ebay").values["escalation_days"].unit == "business_days"
