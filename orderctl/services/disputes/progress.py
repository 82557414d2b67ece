"""Record how a dispute goes (``orderctl dispute-progress``), up to its outcome.

Each step is appended to ``order.dispute.progress``; the status only moves
forward (see :data:`orderctl.domain.dispute.STATUS_RANK`), and the
``resolved`` step records the outcome and refund and closes the order. All
checks that need the order happen inside the one transaction that writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from orderctl.clock import iso
from orderctl.domain import dispute as dispute_rules
from orderctl.domain.lifecycle import transition
from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import Dispute, DisputeStep, merged_keys
from orderctl.errors import GuardrailRefused, InvalidInput
from orderctl.services.context import AppContext
from orderctl.services.disputes.conversation import parse_at
from orderctl.services.disputes.parsing import money_text, parse_money


@dataclass
class ProgressResult:
    order: Order
    entry: DisputeStep
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order.order_id,
            "state": self.order.state.value,
            "step": self.entry.to_dict(),
            "dispute": self.order.dispute.to_dict() if self.order.dispute else {},
        }


def record_progress(
    ctx: AppContext,
    order_id: str,
    step: str,
    *,
    outcome: str | None = None,
    amount: str | None = None,
    note: str | None = None,
    at: str | None = None,
) -> ProgressResult:
    """Append a step to the dispute; ``resolved`` sets the outcome and closes the order."""
    step, outcome = _check_step(step, outcome, amount)
    moment = parse_at(at, ctx.now)
    text = (note or "").strip() or None
    warnings: list[str] = []
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        dispute = _open_dispute(order)
        value = _step_amount(order, dispute, step, outcome, amount, warnings)
        entry = DisputeStep(
            step=step, at=iso(moment), note=text, amount=money_text(value), outcome=outcome or None
        )
        order.dispute = _with_step(dispute, entry, value)
        if step == "resolved":
            transition(order, OrderState.CLOSED)
        txn.put(order)
    return ProgressResult(order, entry, warnings)


def _check_step(step: str, outcome: str | None, amount: str | None) -> tuple[str, str | None]:
    """The step and outcome, normalised and checked against each other (no order needed)."""
    step = step.strip().lower().replace("-", "_")
    if step not in dispute_rules.PROGRESS_STEPS:
        raise InvalidInput(
            f"STEP: {step!r} is not a dispute step",
            hint="Steps: " + ", ".join(dispute_rules.PROGRESS_STEPS) + " (opened is recorded by "
            "`orderctl dispute`).",
        )
    if outcome is not None:
        outcome = outcome.strip().lower().replace("-", "_")
        if outcome not in dispute_rules.OUTCOMES:
            raise InvalidInput(
                f"--outcome: {outcome!r} is not an outcome",
                hint="Outcomes: " + ", ".join(dispute_rules.OUTCOMES),
            )
        if step != "resolved":
            raise InvalidInput("--outcome only goes with the resolved step")
    if step == "resolved" and outcome is None:
        raise InvalidInput(
            "The resolved step needs --outcome",
            hint="Outcomes: " + ", ".join(dispute_rules.OUTCOMES),
        )
    if outcome == "rejected" and amount is not None:
        raise InvalidInput("--amount does not go with --outcome rejected (nothing was refunded)")
    return step, outcome


def _open_dispute(order: Order) -> Dispute:
    """The order's dispute, refused unless it is open."""
    dispute = order.dispute
    if dispute is not None and dispute.status == "resolved":
        raise GuardrailRefused(
            f"The dispute on order {order.order_id} is already resolved "
            f"({dispute.outcome}); nothing was recorded"
        )
    if order.state is not OrderState.DISPUTED or dispute is None:
        raise GuardrailRefused(
            f"Order {order.order_id} has no open dispute (state {order.state.value})",
            hint=f"Open one with `orderctl dispute {order.order_id}`.",
        )
    return dispute


def _step_amount(
    order: Order,
    dispute: Dispute,
    step: str,
    outcome: str | None,
    amount: str | None,
    warnings: list[str],
) -> Decimal | None:
    """The money of this step: ``--amount``, or the claim for a plain refund; warns on less."""
    value = parse_money(amount, order.currency)
    if value is not None and value <= 0:
        raise InvalidInput(f"--amount: must be more than 0 (got {value})")
    if outcome == "partially_refunded" and value is None:
        raise InvalidInput("--outcome partially_refunded needs --amount (what you got back)")
    if outcome == "refunded" and value is None:
        claimed = dispute.amount
        value = Decimal(claimed) if claimed else order.price
    claimed = dispute.amount
    if outcome and value is not None and claimed and value < Decimal(str(claimed)):
        warnings.append(f"{value} is less than the {claimed} claimed.")
    if step == "seller_responded" and value is not None:
        warnings.append(
            "Check the seller's proposal before accepting it: accepting any proposal "
            "closes the dispute."
        )
    return value


def _with_step(dispute: Dispute, entry: DisputeStep, value: Decimal | None) -> Dispute:
    """The dispute with ``entry`` appended; the status only moves forward."""
    step = entry.step
    rank = dispute_rules.STATUS_RANK
    status = str(dispute.status or "opened")
    if rank[step] >= rank.get(status, 0):
        status = step
    keys = dispute.keys and merged_keys(dispute.keys, ("progress", "status"))
    dispute = replace(dispute, progress=(*dispute.progress, entry), status=status, keys=keys)
    if step == "resolved":
        added = ("outcome", "refund_amount", "resolved_at")
        keys = dispute.keys and merged_keys(dispute.keys, added)
        dispute = replace(
            dispute,
            outcome=entry.outcome,
            refund_amount=money_text(value),
            resolved_at=entry.at,
            keys=keys,
        )
    return dispute
