"""What the buyer should do after an inspection's verdict.

Split from :mod:`orderctl.services.inspection.run` because the advice follows
buyer-protection practice (remarks into feedback; contact the seller before a
dispute; the dispute deadline) rather than the mechanics of saving, and reads
the order's deadlines, which saving never needs.
"""

from __future__ import annotations

from orderctl.domain.dispute import REASON_LABELS
from orderctl.domain.inspection.verdict import Verdict
from orderctl.domain.models import Order
from orderctl.errors import OrderctlError
from orderctl.services.context import AppContext

DISPUTE_DEADLINES = ("dispute_by", "claim_closes", "dispute_closes", "protection_ends")


def next_steps(order: Order, verdict: Verdict, ctx: AppContext) -> list[str]:
    """What to do after the verdict, in the order buyer-protection guides advise."""
    oid = order.order_id
    if verdict.passed:
        steps = []
        if verdict.reservations:
            remarks = ", ".join(r.check_id for r in verdict.reservations)
            steps.append(f"Passed with remarks on {remarks}: mention them in your feedback.")
        steps.append(
            f"Nothing failed: confirm receipt to release the payment: orderctl confirm {oid}"
        )
        return steps
    reasons = "; ".join(
        f"{REASON_LABELS.get(r, r)} (--reason {r})" for r in verdict.suggested_reasons
    )
    steps = []
    if verdict.failed_without_evidence:
        steps.append(
            "Failed without evidence: "
            + ", ".join(verdict.failed_without_evidence)
            + "; attach photos or a video before disputing: "
            + f"orderctl evidence add {oid} {verdict.failed_without_evidence[0]} FILE..."
        )
    steps.append(
        "Do not confirm receipt. First contact the seller with the failed checks and the "
        f"evidence; they may fix it faster than a dispute: orderctl contact {oid}"
    )
    deadline = _dispute_deadline(order, ctx)
    by = f" before {deadline}" if deadline else ""
    steps.append(
        f"If the seller does not put it right, open a dispute{by} (suggested reasons: "
        f"{reasons}): orderctl dispute {oid}"
    )
    return steps


def _dispute_deadline(order: Order, ctx: AppContext) -> str | None:
    try:
        deadlines = ctx.schedule(order).deadlines
    except (OrderctlError, KeyError, ValueError):
        return None
    for deadline in deadlines:
        if deadline.kind in DISPUTE_DEADLINES and deadline.days_left >= 0:
            return deadline.date.isoformat()
    return None
