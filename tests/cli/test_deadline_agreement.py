"""show, due and dispute agree on every day: a walk over AliExpress orders.

Each scenario is replayed day by day from the day before shipping to well
after completion; on each day the order holds only what was known that day
(delivery and confirmation appear on their dates). The services behind
``show``, ``due`` and ``dispute`` run against a real store with the clock
pinned to that day, and must agree:

- ``due`` lists exactly ``show``'s deadlines (those it shows at all);
- ``dispute`` refuses only when every dispute deadline ``show`` lists has
  passed, and never while one is still ahead;
- whenever ``show`` advises opening a dispute by a date still ahead, the
  dispute goes through.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from orderctl.domain.deadlines import DISPUTE_KINDS, visible_in_due_days
from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import Dispute
from orderctl.errors import GuardrailRefused
from orderctl.services.context import AppContext
from orderctl.services.disputes.opening import plan_dispute
from orderctl.services.disputes.plan import DisputeRequest
from orderctl.services.orders.due import due_entries
from orderctl.services.orders.view import show_order

SHIPPED = date(2026, 10, 25)
ID = "3065355286098390"

# name -> (delivered after N days, confirmed after N days, protection end recorded as N days
#          after shipping on day R, extras: guaranteed delivery after N days, dispute opened
#          after N days)
SCENARIOS = {
    "never delivered": (None, None, None, {}),
    "fast delivery (the issue's case)": (5, None, None, {}),
    "delivered then confirmed": (20, 25, None, {}),
    "countdown recorded, delivered later": (30, None, (45, 2), {}),
    "countdown recorded, never delivered": (None, None, (30, 1), {}),
    "countdown recorded, delivered and confirmed": (12, 16, (50, 3), {}),
    "guaranteed delivery date, never delivered": (None, None, (40, 1), {"expected": 15}),
    "delivered, then disputed": (10, None, None, {"disputed": 12}),
}


def order_on(day: date, delivered, confirmed, recorded, extras=None) -> Order:
    order = Order(
        ID,
        "Linen shirt",
        platform="aliexpress",
        ordered_at=SHIPPED - timedelta(days=2),
        state=OrderState.ORDERED,
    )
    if day >= SHIPPED:
        order.shipped_at = SHIPPED
        order.state = OrderState.SHIPPED
    if recorded is not None and day >= SHIPPED + timedelta(days=recorded[1]):
        order.protection_ends_at = SHIPPED + timedelta(days=recorded[0])
        order.protection_ends_recorded_on = SHIPPED + timedelta(days=recorded[1])
    if delivered is not None and day >= SHIPPED + timedelta(days=delivered):
        order.delivered_at = SHIPPED + timedelta(days=delivered)
        order.state = OrderState.DELIVERED
    if confirmed is not None and day >= SHIPPED + timedelta(days=confirmed):
        order.completed_at = SHIPPED + timedelta(days=confirmed)
        order.state = OrderState.CONFIRMED
    extras = extras or {}
    if "expected" in extras and day >= SHIPPED:
        order.expected_delivery_by = SHIPPED + timedelta(days=extras["expected"])
    if "disputed" in extras and day >= SHIPPED + timedelta(days=extras["disputed"]):
        opened = SHIPPED + timedelta(days=extras["disputed"])
        order.state = OrderState.DISPUTED
        order.dispute = Dispute(status="opened", opened_at=f"{opened}T10:00:00+08:00")
    return order


def context(day: date) -> AppContext:
    return AppContext.from_env({**os.environ, "ORDERCTL_NOW": f"{day.isoformat()}T12:00:00+08:00"})


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_show_due_and_dispute_agree_every_day(name):
    """Every AliExpress rule comes up in at least one scenario (checked at the end)."""
    delivered, confirmed, recorded, extras = SCENARIOS[name]
    seen: set[str] = set()
    reason = "not_received" if delivered is None else "quality"
    refused_days = []
    for offset in range(-1, 68):
        day = SHIPPED + timedelta(days=offset)
        ctx = context(day)
        assert ctx.today == day
        with ctx.store.transaction(ctx.now) as txn:
            txn.put(order_on(day, delivered, confirmed, recorded, extras))
        shown = show_order(ctx, ID).to_dict()
        deadlines = [(d["kind"], d["date"], d["days_left"]) for d in shown["deadlines"]]
        seen.update(d[0] for d in deadlines)
        due = [
            (e["kind"], e["date"], e["days_left"])
            for e in due_entries(ctx)
            if e["order_id"] == ID and not e["task"]
        ]
        assert due == [d for d in deadlines if visible_in_due_days(d[2], None)], day
        try:
            plan_dispute(ctx, DisputeRequest(ID, reason=reason))
            refused = False
        except GuardrailRefused as exc:
            refused = True
            assert exc.exit_code == 6
        ahead = [d for d in deadlines if d[0] in DISPUTE_KINDS and d[2] >= 0]
        if refused:
            refused_days.append(day)
            assert not ahead, (day, deadlines)
            closes = shown["dispute_window"]["closes"]
            assert closes is not None and closes < day.isoformat()
            assert not shown["dispute_window"]["closes_estimated"]
        if ahead:
            assert not refused, (day, ahead)
    if "expected" in extras:
        assert "delivery_guaranteed_by" in seen
    if "disputed" in extras:
        assert "escalate_by" in seen
    if confirmed is not None:
        assert {"dispute_closes", "feedback_closes"} <= seen
        # refused from the day after completion + 15 days, and every day after
        first = SHIPPED + timedelta(days=confirmed + 16)
        assert refused_days == [d for d in refused_days if d >= first]
        assert refused_days[0] == first


@pytest.mark.parametrize("day", ["2026-11-02", "2026-11-04"])
def test_the_issues_fast_delivery_case_end_to_end(cli, monkeypatch, day):
    # shipped 10-25, delivered 10-30: `show` says "dispute before 11-04"; `dispute` used to
    # refuse until 11-05 (exit 6). Now a delivered parcel can be disputed at once.
    monkeypatch.setenv("ORDERCTL_NOW", f"{day}T12:00:00+08:00")
    args = ["add", ID, "--title", "Linen shirt", "--shipped", "2026-10-25"]
    assert cli(*args, "--delivered", "2026-10-30").exit_code == 0
    shown = cli("show", ID, "--json").json()
    ends = next(d for d in shown["deadlines"] if d["kind"] == "protection_ends")
    assert ends["date"] == "2026-11-04" and ends["days_left"] >= 0 and ends["estimated"]
    result = cli("dispute", ID, "--yes", "--reason", "quality", "--json")
    assert result.exit_code == 0, result.stderr
    assert "not open" not in result.stderr and "sources disagree" not in result.stderr


def test_the_walk_covers_every_aliexpress_rule():
    from orderctl.domain.policies import parse_policies
    from orderctl.services.context import load_policy_document

    kinds = {
        r.kind for r in parse_policies(load_policy_document()).platform("aliexpress").deadlines
    }
    covered = {
        "extend_protection",
        "dispute_by",
        "protection_ends",
        "dispute_closes",
        "feedback_closes",
        "escalate_by",
        "delivery_guaranteed_by",
    }
    assert kinds == covered  # a new rule needs a scenario above
