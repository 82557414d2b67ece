"""Open (or rebuild) a dispute: plan it, confirm it, build its bundle, record it.

``open_dispute`` validates everything first (reason, remedy, amount, window,
lifecycle, evidence files) in :func:`plan_dispute`, asks the injected
``confirm`` callable, builds the bundle (folder + zip, atomic, via
:mod:`orderctl.services.disputes.bundle`) and only then records the dispute on
the order in one transaction. If that transaction fails the new bundle is
removed again, so the order and the bundles folder never disagree.

Re-running ``dispute`` on a disputed order builds a fresh bundle (evidence
may be added during a dispute) and keeps ``opened_at``, ``status`` and
``progress``; the previous bundle is remembered in ``previous_bundles``.

The request and the plan are in :mod:`orderctl.services.disputes.plan` (the
bundle reads the plan too). The other dispute use cases have their own
modules: ``contact`` (message to the seller), ``progress`` (steps and
outcome) and ``verify`` (checking a bundle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from orderctl.clock import iso
from orderctl.domain import dispute as dispute_rules
from orderctl.domain.delivery import is_delivered
from orderctl.domain.lifecycle import can_transition, transition
from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import BundleRef, Dispute, DisputeStep, EvidenceRef, merged_keys
from orderctl.errors import GuardrailRefused, InvalidInput
from orderctl.services.context import AppContext
from orderctl.services.disputes.bundle import build_dispute_bundle, remove_bundle
from orderctl.services.disputes.conversation import check_attachments, store_attachments
from orderctl.services.disputes.facts import dispute_window, pick_reason
from orderctl.services.disputes.parsing import claim_amount, money_text, parse_reason, parse_remedy
from orderctl.services.disputes.plan import DisputePlan, DisputeRequest
from orderctl.services.disputes.verify import stored_bundle_path


@dataclass
class DisputeResult:
    order: Order
    plan: DisputePlan
    bundle: Any  # orderctl.evidence.bundle.BundleResult (imported lazily)
    statement: list[str]
    steps: list[str]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        dispute = self.order.dispute or Dispute()
        return {
            "order_id": self.order.order_id,
            "reason": self.plan.reason,
            "reason_label": dispute_rules.REASON_LABELS[self.plan.reason],
            "remedy": self.plan.remedy,
            "amount": money_text(self.plan.amount),
            "currency": self.plan.currency,
            "status": dispute.status,
            "opened_at": dispute.opened_at,
            "state": self.order.state.value,
            "bundle_dir": str(self.bundle.bundle_dir),
            "bundle_zip": str(self.bundle.bundle_zip),
            "manifest_sha256": self.bundle.manifest_sha256,
            "signed_by": getattr(self.bundle, "signed_by", None),
            "files": [f.to_dict() for f in self.bundle.files],
            "statement": list(self.statement),
            "steps": list(self.steps),
            "warnings": list(self.warnings),
        }


def plan_dispute(ctx: AppContext, request: DisputeRequest) -> tuple[Order, DisputePlan]:
    """Validate the request against the order; nothing is written."""
    order = ctx.store.get(request.order_id)
    policy = ctx.policies.platform(order.platform)
    reopening = order.state is OrderState.DISPUTED
    if not reopening and not can_transition(order.state, OrderState.DISPUTED):
        transition(order, OrderState.DISPUTED)  # raises GuardrailRefused naming the states
    reason, why = pick_reason(order, policy, ctx, parse_reason(request.reason))
    if reason is None:
        raise InvalidInput(
            f"No reason to default to for order {order.order_id}: {why}.",
            hint="Give one with --reason: " + ", ".join(dispute_rules.REASONS) + ".",
        )
    previous = order.dispute or Dispute()
    remedy = parse_remedy(request.remedy) or (previous.remedy if reopening else None)
    remedy = remedy or "refund"
    amount_text = request.amount
    if amount_text is None and reopening and remedy == previous.remedy:
        amount_text = previous.amount
    amount = claim_amount(remedy, amount_text, order)
    window = dispute_window(order, ctx)
    warnings: list[str] = []
    problem = None if reopening else window.problem(ctx.today)
    early = None if reopening else window.warning(ctx.today)
    if early:
        warnings.append(early)
    if problem:
        if not request.force:
            raise GuardrailRefused(
                problem,
                hint="The platform will likely refuse it too. Add --force to build the "
                "bundle anyway (e.g. for customer service or a payment-provider claim).",
            )
        warnings.append(f"{problem} Building it anyway (--force).")
    if reason == "not_received" and is_delivered(order):
        warnings.append(
            "Tracking shows the parcel as delivered: a 'not received' dispute usually needs a "
            "statement from the carrier or post office."
        )
    if reason != "not_received" and not (order.inspection and order.inspection.checks):
        warnings.append(
            "No inspection is recorded: disputes about what arrived are won with photos and "
            "videos. Run `orderctl inspect` first, or pass them with --evidence."
        )
    check_attachments(request.evidence, ctx)
    dest = Path(request.out) if request.out is not None else ctx.paths.bundles_dir
    plan = DisputePlan(
        order_id=order.order_id,
        reason=reason,
        remedy=remedy,
        amount=amount,
        currency=order.currency,
        window=window,
        reopening=reopening,
        dest=dest.expanduser().absolute(),
        warnings=warnings,
        videos_outside_zip=request.videos_outside_zip,
        sign=request.sign,
    )
    return order, plan


def open_dispute(
    ctx: AppContext, request: DisputeRequest, confirm: Callable[[DisputePlan], None]
) -> DisputeResult:
    """Validate, confirm, build the bundle, then record the dispute in one transaction."""
    order, plan = plan_dispute(ctx, request)
    confirm(plan)
    extra = list(order.dispute.evidence) if order.dispute else []
    extra += [e for e in store_attachments(ctx, order.order_id, request.evidence) if e not in extra]
    policy = ctx.policies.platform(order.platform)
    built = build_dispute_bundle(ctx, order, plan, extra)
    try:
        saved = _record(ctx, order.order_id, plan, built.bundle, built.opened_at, extra)
    except BaseException:
        remove_bundle(built.bundle)
        raise
    return DisputeResult(
        order=saved,
        plan=plan,
        bundle=built.bundle,
        statement=built.statement,
        steps=list(policy.dispute_steps),
        warnings=[*plan.warnings, *built.warnings],
    )


def _record(
    ctx: AppContext,
    order_id: str,
    plan: DisputePlan,
    bundle: Any,
    opened_at: str,
    extra: list[EvidenceRef],
) -> Order:
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        previous = order.dispute if order.state is OrderState.DISPUTED else None
        previous = previous or Dispute()
        transition(order, OrderState.DISPUTED)
        history = list(previous.previous_bundles)
        if previous.bundle_dir:
            history.append(
                BundleRef(
                    bundle_dir=previous.bundle_dir,
                    bundle_zip=previous.bundle_zip,
                    manifest_sha256=previous.manifest_sha256,
                )
            )
        progress = previous.progress or (
            DisputeStep(
                step="opened",
                at=opened_at,
                note=dispute_rules.REASON_LABELS[plan.reason],
                amount=money_text(plan.amount),
            ),
        )
        order.dispute = replace(
            previous,
            reason=plan.reason,
            remedy=plan.remedy,
            amount=money_text(plan.amount),
            currency=plan.currency,
            opened_at=previous.opened_at or opened_at,
            status=previous.status or "opened",
            progress=progress,
            # Relative to the home when inside it: a copied or moved home verifies its own.
            bundle_dir=stored_bundle_path(ctx.paths.home, bundle.bundle_dir),
            bundle_zip=stored_bundle_path(ctx.paths.home, bundle.bundle_zip),
            manifest_sha256=bundle.manifest_sha256,
            signed_by=getattr(bundle, "signed_by", None),
            bundle_created_at=iso(ctx.now),
            evidence=tuple(extra),
            previous_bundles=tuple(history),
            keys=merged_keys(previous.keys, Dispute.DEFAULT_KEYS),
        )
        txn.put(order)
    return order


__all__ = ["DisputePlan", "DisputeRequest", "DisputeResult", "open_dispute", "plan_dispute"]
