"""Draft the first message to the seller (``orderctl contact``), optionally logging it as sent.

Contacting the seller comes before a dispute and is often all it takes, so
it is its own use case: it reads the same facts as the dispute
(:mod:`orderctl.services.disputes.facts`) but writes nothing unless the buyer
says the message was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from orderctl.clock import iso
from orderctl.domain import dispute as dispute_rules
from orderctl.domain.models import OrderState
from orderctl.domain.records import ConversationNote
from orderctl.services.context import AppContext
from orderctl.services.disputes.conversation import insert_note
from orderctl.services.disputes.facts import (
    check_labels,
    dispute_window,
    findings,
    pick_reason,
    reply_by,
)
from orderctl.services.disputes.parsing import claim_amount, money_text, parse_reason, parse_remedy
from orderctl.services.tracking.merge import readable_events


@dataclass
class ContactDraft:
    order_id: str
    reason: str | None
    remedy: str
    amount: Decimal | None
    currency: str | None
    reply_by: str
    message: str
    evidence: list[str]
    logged: bool
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "reason": self.reason,
            "remedy": self.remedy,
            "amount": money_text(self.amount),
            "currency": self.currency,
            "reply_by": self.reply_by,
            "message": self.message,
            "evidence": list(self.evidence),
            "logged": self.logged,
        }


def buyer_name(ctx: AppContext) -> str | None:
    """The buyer's name from config.toml (``name``), used to sign drafts; None when unset."""
    name = ctx.config.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else None


def draft_contact(
    ctx: AppContext,
    order_id: str,
    *,
    reason: str | None = None,
    remedy: str | None = None,
    amount: str | None = None,
    sent: bool = False,
) -> ContactDraft:
    """Draft the message to the seller; with ``sent`` log it as a ``contact_sent`` note.

    Without ``sent`` nothing is written: the draft is recomputed on every run
    from the order as it is, so there is no stale copy to keep in step.
    """
    order = ctx.store.get(order_id)
    policy = ctx.policies.platform(order.platform)
    reason, _ = pick_reason(order, policy, ctx, parse_reason(reason))
    remedy = parse_remedy(remedy) or "refund"
    claim = claim_amount(remedy, amount, order)
    labels = check_labels(ctx, order.inspection.checklist if order.inspection else None)
    failed, _ = findings(order, labels, lambda e: str(e.name or "file"))
    evidence = list(dict.fromkeys(name for f in failed for name in f.evidence))
    window = dispute_window(order, ctx)
    reply_date = reply_by(order, ctx, policy)
    warnings = []
    problem = window.problem(ctx.today) or window.warning(ctx.today)
    if problem and order.state is not OrderState.DISPUTED:
        warnings.append(problem)
    if reason is None and not failed:
        warnings.append(
            "Nothing failed and the parcel is not overdue: say what is wrong in the message, "
            "or inspect the order first (`orderctl inspect`)."
        )
    message = dispute_rules.contact_message(
        order,
        reason=reason,
        remedy=remedy,
        amount=claim,
        reply_by=reply_date,
        findings=failed,
        evidence=evidence,
        events=readable_events(ctx.store, order_id),
        platform_name=policy.name,
        name=buyer_name(ctx),
    )
    if dispute_rules.NAME_PLACEHOLDER in message.splitlines()[-1]:
        warnings.append(
            f"The draft is signed {dispute_rules.NAME_PLACEHOLDER}: replace it with your name "
            'before sending, or set it once with `orderctl config set name "Your Name"`.'
        )
    if sent:
        note = ConversationNote(at=iso(ctx.now), sender="me", text=message, kind="contact_sent")
        with ctx.store.transaction(ctx.now) as txn:
            current = txn.get(order_id)
            current.notes = insert_note(current.notes, note)
            txn.put(current)
    return ContactDraft(
        order_id=order.order_id,
        reason=reason,
        remedy=remedy,
        amount=claim,
        currency=order.currency,
        reply_by=reply_date.isoformat(),
        message=message,
        evidence=evidence,
        logged=sent,
        warnings=warnings,
    )


__all__ = ["ContactDraft", "draft_contact"]
