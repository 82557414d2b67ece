"""Confirm receipt: the one step that releases the buyer's money, behind guardrails.

Confirming completes the order: the platform pays the seller and only a
short refund window remains (AliExpress: 15 days from completion). So the
order must have been inspected and have passed; ``--force`` overrides only
those two checks, and the warnings say what the buyer gives up. An order
already confirmed, disputed or closed is never confirmed again.

The service never prompts: :func:`plan_confirmation` returns what confirming
would mean (for the CLI to show and ask about), :func:`confirm_receipt` does
it in one store transaction.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from orderctl.clock import iso
from orderctl.domain.deadlines import Deadline
from orderctl.domain.lifecycle import transition
from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import HistoryEntry
from orderctl.errors import GuardrailRefused
from orderctl.services.context import AppContext

# Deadlines that say how long a claim stays possible once the order completed.
CLAIM_KINDS = ("dispute_closes", "claim_closes", "return_closes", "paypal_dispute_closes")
FINAL_STATES = {
    OrderState.CONFIRMED: "is already confirmed",
    OrderState.DISPUTED: "has a dispute open; confirming now would release the payment to the "
    "seller",
    OrderState.CLOSED: "is closed",
}


@dataclass
class ConfirmPlan:
    """What confirming means for one order, before anything changes."""

    order: Order
    platform_name: str
    warnings: list[str] = field(default_factory=list)
    remaining: list[Deadline] = field(default_factory=list)  # claim windows left afterwards

    @property
    def forced(self) -> bool:
        return bool(self.warnings)


@dataclass
class ConfirmResult:
    """The confirmed order with its new deadlines and how to press the button on the platform."""

    order: Order
    deadlines: list[Deadline]
    confirm_steps: list[str]
    order_page: str | None
    warnings: list[str]
    forced: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order.order_id,
            "state": self.order.state.value,
            "completed_at": self.order.completed_at.isoformat()
            if self.order.completed_at
            else None,
            "confirmed_at": self.order.confirmed_at,
            "forced": self.forced,
            "warnings": list(self.warnings),
            "deadlines": [d.to_dict() for d in self.deadlines],
            "confirm_steps": list(self.confirm_steps),
            "order_page": self.order_page,
        }


def _window_text(remaining: list[Deadline]) -> str:
    if not remaining:
        return "no refund window is known for this platform after completion"
    first = remaining[0]
    return f"only the refund window after completion is left (until {first.date.isoformat()})"


def _guard(order: Order, remaining: list[Deadline], *, force: bool) -> list[str]:
    """Raise GuardrailRefused for an order that must not be confirmed; return --force warnings."""
    reason = FINAL_STATES.get(order.state)
    if reason:
        raise GuardrailRefused(
            f"Order {order.order_id} {reason}; it cannot be confirmed",
            hint=f"See `orderctl show {order.order_id}`.",
        )
    given_up = f"your payment is released to the seller and {_window_text(remaining)}"
    inspection = order.inspection
    if not inspection:
        if not force:
            raise GuardrailRefused(
                f"Order {order.order_id} has not been inspected; confirming releases your "
                "payment to the seller",
                hint=f"Inspect it first: `orderctl inspect {order.order_id}` "
                "(or add --force to confirm anyway).",
            )
        return [f"Confirming without an inspection: {given_up}."]
    if inspection.verdict != "pass":
        failed = ", ".join(inspection.failed or []) or "a check"
        if not force:
            raise GuardrailRefused(
                f"Order {order.order_id} failed its inspection ({failed}); confirming releases "
                "your payment to the seller",
                hint=f"Contact the seller (`orderctl contact {order.order_id}`) and open a "
                f"dispute (`orderctl dispute {order.order_id}`), or add --force if the problem "
                "is settled.",
            )
        return [f"Confirming although the inspection failed ({failed}): {given_up}."]
    return []


def _remaining(order: Order, ctx: AppContext) -> list[Deadline]:
    """The claim windows the order would have if it were confirmed today."""
    future = copy.deepcopy(order)
    future.state = OrderState.CONFIRMED
    future.completed_at = ctx.today
    deadlines = ctx.schedule(future).deadlines
    return [d for d in deadlines if d.kind in CLAIM_KINDS and d.days_left >= 0]


def plan_confirmation(ctx: AppContext, order_id: str, *, force: bool = False) -> ConfirmPlan:
    """Check the guardrails and say what confirming would mean; changes nothing."""
    order = ctx.store.get(order_id)
    remaining = _remaining(order, ctx)
    warnings = _guard(order, remaining, force=force)
    # The lifecycle's own refusal (e.g. a parcel not delivered yet) comes before any prompt.
    transition(copy.deepcopy(order), OrderState.CONFIRMED)
    name = ctx.policies.platform(order.platform).name
    return ConfirmPlan(order=order, platform_name=name, warnings=warnings, remaining=remaining)


def confirm_receipt(ctx: AppContext, order_id: str, *, force: bool = False) -> ConfirmResult:
    """Confirm in one transaction: state, completion date, history; return the new deadlines."""
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        warnings = _guard(order, _remaining(order, ctx), force=force)
        transition(order, OrderState.CONFIRMED)
        order.completed_at = ctx.today
        order.confirmed_at = iso(ctx.now)
        order.history.append(
            HistoryEntry(at=iso(ctx.now), event="confirmed", forced=bool(warnings))
        )
        txn.put(order)
    policy = ctx.policies.platform(order.platform)
    return ConfirmResult(
        order=order,
        deadlines=[d for d in ctx.schedule(order).deadlines if d.days_left >= 0],
        confirm_steps=list(policy.confirm_steps),
        order_page=policy.order_page(order.order_id),
        warnings=warnings,
        forced=bool(warnings),
    )
