"""What the contact draft, the dispute plan and the bundle all read off an order.

The message to the seller, the dispute checks and the report must agree on
the reason, the failed checks (with readable titles), the dispute window and
the reply-by date, so each of those is derived here once. The rules
themselves live in :mod:`orderctl.domain.dispute`; this module adds the
parts that need the context (checklist files, today's date, policies).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from orderctl.domain import dispute as dispute_rules
from orderctl.domain.models import Order
from orderctl.domain.policies import PlatformPolicy
from orderctl.domain.records import EvidenceRef
from orderctl.services.context import AppContext
from orderctl.services.evidence_files import inspection_checks


def check_labels(ctx: AppContext, checklist: str | None) -> dict[str, str]:
    """Readable check titles from the inspection's checklist (ids when it cannot be loaded)."""
    if not checklist:
        return {}
    from orderctl.errors import OrderctlError
    from orderctl.services.inspection.checklists import load_checklists

    try:
        found = load_checklists(ctx.paths.checklists_dir).get(checklist)
    except OrderctlError:
        return {}
    return {c.id: c.label for c in found.checks} if found else {}


def check_label(labels: dict[str, str], check_id: str) -> str:
    return labels.get(check_id) or check_id.replace("_", " ").capitalize()


def findings(
    order: Order, labels: dict[str, str], names: Callable[[EvidenceRef], str]
) -> tuple[list[dispute_rules.Finding], list[dispute_rules.Finding]]:
    """Failed checks and reservations (passed with a remark), with evidence named by ``names``."""
    checks = inspection_checks(order)
    failed = [
        dispute_rules.Finding(
            str(c.id),
            check_label(labels, str(c.id)),
            "fail",
            str(c.note or ""),
            tuple(names(e) for e in c.evidence),
        )
        for c in checks
        if c.result == "fail"
    ]
    by_id = {str(c.id): c for c in checks}
    reservations = []
    for check_id, note in order.inspection.reserved() if order.inspection else ():
        check = by_id.get(check_id)
        note = note or (check.note if check else None) or ""
        if note:
            reservations.append(
                dispute_rules.Finding(check_id, check_label(labels, check_id), "pass", str(note))
            )
    return failed, reservations


def reply_by(order: Order, ctx: AppContext, policy: PlatformPolicy) -> date:
    """See :func:`orderctl.domain.dispute.reply_by_date` (dates from the deadline engine)."""
    return dispute_rules.reply_by_date(
        ctx.schedule(order), response_days=policy.days("seller_response_days")
    )


def dispute_window(order: Order, ctx: AppContext) -> dispute_rules.DisputeWindow:
    """The dispute window, as the deadline engine computes it."""
    return ctx.schedule(order).window


def pick_reason(
    order: Order, policy: PlatformPolicy, ctx: AppContext, given: str | None
) -> tuple[str | None, str]:
    """The reason to use and why: given, the open dispute's, or the domain's default."""
    if given:
        return given, "given with --reason"
    if order.dispute and order.dispute.reason:
        return str(order.dispute.reason), "the open dispute's reason"
    choice = dispute_rules.default_reason(order, ctx.schedule(order))
    return choice.reason, choice.why


__all__ = ["check_label", "check_labels", "dispute_window", "findings", "pick_reason", "reply_by"]
