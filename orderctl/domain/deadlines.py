"""Deadlines that protect the buyer's money, computed from policy rules.

Pure: takes an order, its platform's policy and today's date. Each rule in
the policy data says which date a window counts from (its anchor), how many
days, for which order states, and under which condition; this module knows
how to find the anchor dates and evaluate the conditions.

AliExpress's protection end is read off the order page's countdown when the
buyer gives it (``--protection-ends``); otherwise it is estimated as
shipment + the policy's protection days, shortened to a few days after a
tracked delivery, as the platform does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from orderctl.domain.models import Order
from orderctl.domain.policies import DeadlineRule, PlatformPolicy, Policies

OVERDUE_VISIBLE_DAYS = 14
ACTIVE_STATES = frozenset({"ordered", "shipped", "delivered", "inspected"})
GENERIC_PROTECTION_ADVICE = (
    "Buyer protection ends (date you recorded): inspect and confirm, or claim before this date."
)


@dataclass(slots=True)
class Deadline:
    """One dated window with what to do about it."""

    kind: str
    date: date
    days_left: int
    advice: str
    source: str | None = None
    confidence: str | None = None
    estimated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "days_left": self.days_left,
            "advice": self.advice,
            "source": self.source,
            "confidence": self.confidence,
            "estimated": self.estimated,
        }


def _iso_date(value: Any) -> date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def protection_end(order: Order, policy: PlatformPolicy) -> tuple[date | None, bool]:
    """The protection end date and whether it is an estimate (not read off the platform)."""
    if order.protection_ends_at:
        return order.protection_ends_at, False
    days = policy.days("protection_days")
    if days is None or order.shipped_at is None:
        return None, True
    end = order.shipped_at + timedelta(days=days)
    after_delivery = policy.days("protection_after_delivered_days")
    if order.delivered_at and after_delivery is not None:
        end = min(end, order.delivered_at + timedelta(days=after_delivery))
    return end, True


def completion_date(order: Order, policy: PlatformPolicy, today: date) -> date | None:
    """When the order completed: confirmed, or implicitly when its protection ran out."""
    return _completed(order, protection_end(order, policy)[0], today)


def _completed(order: Order, protection_ends: date | None, today: date) -> date | None:
    if order.completed_at:
        return order.completed_at
    if order.state.value in ACTIVE_STATES and protection_ends is not None:
        return protection_ends if protection_ends < today else None
    return None


def _dispute_open(order: Order) -> bool:
    return bool(order.dispute) and order.dispute.get("status") not in ("resolved", "closed")


def _delivered(order: Order) -> bool:
    return order.delivered_at is not None or order.shipment_status == "delivered"


def _condition(name: str | None, order: Order) -> bool:
    if name is None:
        return True
    if name == "not_delivered":
        return not _delivered(order)
    if name == "not_received_or_failed":
        failed = bool(order.inspection) and order.inspection.get("verdict") == "fail"
        return not _delivered(order) or failed
    if name == "feedback_pending":
        return not (order.feedback and order.feedback.get("posted_at"))
    if name == "dispute_open":
        return _dispute_open(order)
    raise ValueError(f"unknown condition {name}")


def _anchors(
    order: Order, policy: PlatformPolicy, today: date
) -> dict[str, tuple[date | None, bool]]:
    """Every date a window can count from, with whether it is an estimate (once per order)."""
    end, end_estimated = protection_end(order, policy)
    completed = _completed(order, end, today)
    return {
        "ordered": (order.ordered_at, False),
        "shipped": (order.shipped_at, False),
        "delivered": (order.delivered_at, False),
        "protection_ends": (end, end_estimated),
        "completed": (completed, order.completed_at is None),
        "dispute_opened": (_iso_date((order.dispute or {}).get("opened_at")), False),
    }


def _apply(
    rule: DeadlineRule,
    order: Order,
    state: str,
    policy: PlatformPolicy,
    today: date,
    anchors: dict[str, tuple[date | None, bool]],
) -> Deadline | None:
    if state not in rule.states or not _condition(rule.when, order):
        return None
    start, estimated = anchors[rule.anchor]
    if start is None:
        return None
    value = policy.values.get(rule.value) if rule.value else None
    when = start + timedelta(days=rule.sign * value.value) if value else start
    source = value.source if value else None
    confidence = value.confidence if value else None
    if rule.anchor == "protection_ends" and not estimated:
        source, confidence = "order page countdown (recorded by you)", "user"
    return Deadline(
        kind=rule.kind,
        date=when,
        days_left=(when - today).days,
        advice=rule.advice,
        source=source,
        confidence=confidence,
        estimated=estimated,
    )


def order_deadlines(order: Order, policies: Policies, today: date) -> list[Deadline]:
    """Every deadline that applies to the order now, soonest first (past ones included)."""
    policy = policies.platform(order.platform)
    state = order.state.value
    rules = policy.rule_pairs
    payment = policies.payments.get((order.payment_method or "").lower())
    if payment:
        rules = rules + payment.rule_pairs
    anchors = _anchors(order, policy, today)
    if order.completed_at is None and anchors["completed"][0] is not None:
        # Protection ran out, so the order completed on its own: the reminders that led up
        # to that date are moot; the end itself stays visible (as passed) with what follows.
        rules = tuple(
            (r, p) for r, p in rules if r.anchor != "protection_ends" or r.kind == "protection_ends"
        )
    found = [d for r, p in rules if (d := _apply(r, order, state, p, today, anchors))]
    if (
        order.protection_ends_at
        and state in ACTIVE_STATES
        and not any(r.kind == "protection_ends" for r, _ in rules)
    ):
        found.append(
            Deadline(
                kind="protection_ends",
                date=order.protection_ends_at,
                days_left=(order.protection_ends_at - today).days,
                advice=GENERIC_PROTECTION_ADVICE,
                source="recorded by you",
                confidence="user",
            )
        )
    found.sort(key=lambda d: (d.date, d.kind))
    return found


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The soonest deadline that has not passed yet."""
    return next((d for d in deadlines if d.days_left >= 0), None)


def visible_in_due_days(days_left: int, within: int | None) -> bool:
    """``due`` shows upcoming deadlines (up to ``within`` days) and recently missed ones."""
    if days_left < -OVERDUE_VISIBLE_DAYS:
        return False
    return within is None or days_left <= within
