"""Dispute use cases: contact draft, evidence bundle, progress, verification.

``open_dispute`` validates everything first (reason, remedy, amount, window,
lifecycle, evidence files), asks the injected ``confirm`` callable, builds
the bundle (folder + zip, atomic, via :mod:`orderctl.evidence.bundle`) and
only then records the dispute on the order in one transaction. If that
transaction fails the new bundle is removed again, so the order and the
bundles folder never disagree.

Re-running ``dispute`` on a disputed order builds a fresh bundle (evidence
may be added during a dispute) and keeps ``opened_at``, ``status`` and
``progress``; the previous bundle is remembered in ``previous_bundles``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from orderctl.clock import iso
from orderctl.domain import dispute as rules
from orderctl.domain.deadlines import completion_date, order_deadlines, protection_end
from orderctl.domain.lifecycle import can_transition, transition
from orderctl.domain.models import Order, OrderState
from orderctl.domain.policies import PlatformPolicy
from orderctl.errors import GuardrailRefused, InvalidInput, NotFound
from orderctl.services.context import AppContext
from orderctl.services.notes import check_attachments, insert_note, parse_at, store_attachments

# --------------------------------------------------------------------------- parsing


def parse_reason(text: str | None) -> str | None:
    if text is None:
        return None
    reason = text.strip().lower().replace("-", "_").replace(" ", "_")
    if reason not in rules.REASONS:
        raise InvalidInput(
            f"--reason: {text!r} is not a reason code",
            hint="Reasons: " + ", ".join(rules.REASONS),
        )
    return reason


def parse_remedy(text: str | None) -> str | None:
    if text is None:
        return None
    remedy = text.strip().lower().replace("_", "-")
    if remedy not in rules.REMEDIES:
        raise InvalidInput(
            f"--remedy: {text!r} is not a remedy", hint="Remedies: " + ", ".join(rules.REMEDIES)
        )
    return remedy


def parse_money(text: str | None, currency: str | None, option: str = "--amount") -> Decimal | None:
    """A decimal amount in the order's currency (``9.20``, ``9,20``, ``US $9.20``)."""
    if text is None:
        return None
    from orderctl.domain.values import amount_currency, parse_amount

    try:
        named = amount_currency(text)
        amount, _ = parse_amount(text, currency)
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None
    if named and currency and named != currency:
        raise InvalidInput(
            f"{option}: {text!r} is in {named}, but the order was paid in {currency}"
        )
    return amount


def _claim_amount(remedy: str, text: str | None, order: Order) -> Decimal | None:
    amount = parse_money(text, order.currency)
    try:
        return rules.check_amount(remedy, amount, order.price)
    except ValueError as exc:
        raise InvalidInput(f"--amount: {exc}") from None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --------------------------------------------------------------------------- shared facts


def _check_labels(ctx: AppContext, checklist: str | None) -> dict[str, str]:
    """Readable check titles from the inspection's checklist (ids when it cannot be loaded)."""
    if not checklist:
        return {}
    from orderctl.domain.inspection.templates import load_checklists
    from orderctl.errors import OrderctlError

    try:
        found = load_checklists(ctx.paths.checklists_dir).get(checklist)
    except OrderctlError:
        return {}
    return {c.id: c.label for c in found.checks} if found else {}


def _label(labels: dict[str, str], check_id: str) -> str:
    return labels.get(check_id) or check_id.replace("_", " ").capitalize()


def _checks(order: Order) -> list[dict[str, Any]]:
    return [c for c in (order.inspection or {}).get("checks") or [] if isinstance(c, dict)]


def _findings(
    order: Order, labels: dict[str, str], names: Callable[[dict[str, Any]], str]
) -> tuple[list[rules.Finding], list[rules.Finding]]:
    """Failed checks and reservations (passed with a remark), with evidence named by ``names``."""
    checks = _checks(order)
    failed = [
        rules.Finding(
            str(c.get("id")),
            _label(labels, str(c.get("id"))),
            "fail",
            str(c.get("note") or ""),
            tuple(names(e) for e in c.get("evidence") or []),
        )
        for c in checks
        if c.get("result") == "fail"
    ]
    by_id = {str(c.get("id")): c for c in checks}
    reservations = []
    for entry in (order.inspection or {}).get("reservations") or []:
        check_id = str(entry.get("check_id") if isinstance(entry, dict) else entry)
        note = entry.get("note") if isinstance(entry, dict) else None
        check = by_id.get(check_id, {})
        note = note or check.get("note") or ""
        if note:
            reservations.append(
                rules.Finding(check_id, _label(labels, check_id), "pass", str(note))
            )
    return failed, reservations


def _reply_by(
    order: Order, ctx: AppContext, policy: PlatformPolicy, window: rules.DisputeWindow
) -> date:
    """See :func:`orderctl.domain.dispute.reply_by_date`; protection counts until completion."""
    end, _ = protection_end(order, policy)
    running = end if completion_date(order, policy, ctx.today) is None else None
    return rules.reply_by_date(
        ctx.today,
        response_days=policy.days("seller_response_days"),
        window=window,
        protection_ends=running,
        lead_days=policy.days("dispute_lead_days"),
    )


def _window(order: Order, ctx: AppContext, policy: PlatformPolicy) -> rules.DisputeWindow:
    claims = order_deadlines(order, ctx.policies, ctx.today)
    return rules.dispute_window(order, policy, ctx.today, claims)


def _pick_reason(
    order: Order, policy: PlatformPolicy, ctx: AppContext, given: str | None
) -> tuple[str | None, str]:
    if given:
        return given, "given with --reason"
    if order.dispute and order.dispute.get("reason"):
        return str(order.dispute["reason"]), "the open dispute's reason"
    choice = rules.default_reason(order, policy, ctx.today)
    return choice.reason, choice.why


# --------------------------------------------------------------------------- contact


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
            "amount": _money(self.amount),
            "currency": self.currency,
            "reply_by": self.reply_by,
            "message": self.message,
            "evidence": list(self.evidence),
            "logged": self.logged,
        }


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
    details = ctx.store.details(order_id)
    policy = ctx.policies.platform(order.platform)
    reason, _ = _pick_reason(order, policy, ctx, parse_reason(reason))
    remedy = parse_remedy(remedy) or "refund"
    claim = _claim_amount(remedy, amount, order)
    labels = _check_labels(ctx, (order.inspection or {}).get("checklist"))
    failed, _ = _findings(order, labels, lambda e: str(e.get("name") or "file"))
    evidence = list(dict.fromkeys(name for f in failed for name in f.evidence))
    window = _window(order, ctx, policy)
    reply_by = _reply_by(order, ctx, policy, window)
    warnings = []
    problem = window.problem(ctx.today)
    if problem and order.state is not OrderState.DISPUTED:
        warnings.append(problem)
    if reason is None and not failed:
        warnings.append(
            "Nothing failed and the parcel is not overdue: say what is wrong in the message, "
            "or inspect the order first (`orderctl inspect`)."
        )
    message = rules.contact_message(
        order,
        reason=reason,
        remedy=remedy,
        amount=claim,
        reply_by=reply_by,
        findings=failed,
        evidence=evidence,
        events=details.get("events") or [],
        platform_name=policy.name,
    )
    if sent:
        note = {
            "at": iso(ctx.now),
            "sender": "me",
            "text": message,
            "attachments": [],
            "kind": "contact_sent",
        }
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
        reply_by=reply_by.isoformat(),
        message=message,
        evidence=evidence,
        logged=sent,
        warnings=warnings,
    )


# --------------------------------------------------------------------------- dispute


@dataclass
class DisputeRequest:
    order_id: str
    reason: str | None = None
    remedy: str | None = None
    amount: str | None = None
    evidence: Sequence[Path] = ()
    out: Path | None = None
    force: bool = False


@dataclass
class DisputePlan:
    """What ``open_dispute`` is about to do (shown in the confirmation question)."""

    order_id: str
    reason: str
    reason_why: str
    remedy: str
    amount: Decimal | None
    currency: str | None
    window: rules.DisputeWindow
    reopening: bool
    dest: Path
    warnings: list[str] = field(default_factory=list)

    @property
    def question(self) -> str:
        money = f" {self.amount} {self.currency or ''}".rstrip() if self.amount else ""
        what = f"{rules.REASON_LABELS[self.reason]}, {self.remedy}{money}"
        if self.reopening:
            return (
                f"Rebuild the evidence bundle for disputed order {self.order_id} ({what}) "
                f"in {self.dest}?"
            )
        return (
            f"Open a dispute for order {self.order_id} ({what}) and write its evidence bundle "
            f"to {self.dest}?"
        )


@dataclass
class DisputeResult:
    order: Order
    plan: DisputePlan
    bundle: Any  # orderctl.evidence.bundle.BundleResult (imported lazily)
    statement: list[str]
    steps: list[str]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        dispute = self.order.dispute or {}
        return {
            "order_id": self.order.order_id,
            "reason": self.plan.reason,
            "reason_label": rules.REASON_LABELS[self.plan.reason],
            "remedy": self.plan.remedy,
            "amount": _money(self.plan.amount),
            "currency": self.plan.currency,
            "status": dispute.get("status"),
            "opened_at": dispute.get("opened_at"),
            "state": self.order.state.value,
            "bundle_dir": str(self.bundle.bundle_dir),
            "bundle_zip": str(self.bundle.bundle_zip),
            "manifest_sha256": self.bundle.manifest_sha256,
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
    reason, why = _pick_reason(order, policy, ctx, parse_reason(request.reason))
    if reason is None:
        raise InvalidInput(
            f"No reason to default to for order {order.order_id}: {why}.",
            hint="Give one with --reason: " + ", ".join(rules.REASONS) + ".",
        )
    previous = order.dispute or {}
    remedy = parse_remedy(request.remedy) or (previous.get("remedy") if reopening else None)
    remedy = remedy or "refund"
    amount_text = request.amount
    if amount_text is None and reopening and remedy == previous.get("remedy"):
        amount_text = previous.get("amount")
    amount = _claim_amount(remedy, amount_text, order)
    window = _window(order, ctx, policy)
    warnings: list[str] = []
    problem = None if reopening else window.problem(ctx.today)
    if problem:
        if not request.force:
            raise GuardrailRefused(
                problem,
                hint="The platform will likely refuse it too. Add --force to build the "
                "bundle anyway (e.g. for customer service or a payment-provider claim).",
            )
        warnings.append(f"{problem} Building it anyway (--force).")
    if reason == "not_received" and rules.delivered(order):
        warnings.append(
            "Tracking shows the parcel as delivered: a 'not received' dispute usually needs a "
            "statement from the carrier or post office."
        )
    if reason != "not_received" and not (order.inspection or {}).get("checks"):
        warnings.append(
            "No inspection is recorded: disputes about what arrived are won with photos and "
            "videos. Run `orderctl inspect` first, or pass them with --evidence."
        )
    check_attachments(request.evidence)
    dest = Path(request.out) if request.out is not None else ctx.paths.bundles_dir
    plan = DisputePlan(
        order_id=order.order_id,
        reason=reason,
        reason_why=why,
        remedy=remedy,
        amount=amount,
        currency=order.currency,
        window=window,
        reopening=reopening,
        dest=dest.expanduser().absolute(),
        warnings=warnings,
    )
    return order, plan


@dataclass
class _Evidence:
    """Evidence files for the bundle, each once, and where each sha256 lands in it."""

    items: list[Any] = field(default_factory=list)  # BundleEvidence
    paths: dict[str, str] = field(default_factory=dict)  # sha256 -> bundle path
    extra: list[str] = field(default_factory=list)  # bundle paths of --evidence files
    warnings: list[str] = field(default_factory=list)


def _collect_evidence(
    ctx: AppContext, order: Order, extra: Sequence[dict[str, Any]], labels: dict[str, str]
) -> _Evidence:
    from orderctl.evidence.bundle import BundleEvidence, plan_evidence_paths
    from orderctl.evidence.names import safe_name
    from orderctl.evidence.store import find_evidence, resolve

    root = ctx.paths.evidence_dir
    found = _Evidence()
    wanted: list[tuple[dict[str, Any], str]] = []
    for check in _checks(order):
        for ev in check.get("evidence") or []:
            name = safe_name(str(ev.get("name") or "file"))
            wanted.append((ev, f"{safe_name(str(check.get('id')), default='check')}-{name}"))
    for note in order.notes:
        prefix = "seller" if note.get("sender") == "seller" else "buyer"
        for att in note.get("attachments") or []:
            if isinstance(att, dict):
                wanted.append((att, f"chat-{prefix}-{safe_name(str(att.get('name') or 'file'))}"))
    extra_shas = []
    for ev in extra:
        wanted.append((ev, str(ev.get("name") or "file")))
        extra_shas.append(str(ev.get("sha256")))
    seen: set[str] = set()
    for ev, name in wanted:
        sha = str(ev.get("sha256") or "").lower()
        if sha in seen:
            continue
        seen.add(sha)
        record = find_evidence(root, order.order_id, sha)
        if record is None:
            found.warnings.append(
                f"{ev.get('name')} (sha256 {sha[:12]}…) is not in the evidence store; "
                "it is listed in the report but not included."
            )
            continue
        source = resolve(root, record)  # refuses a record pointing outside the store
        found.items.append(BundleEvidence(source, record.sha256, record.kind, name))
    for item, path in zip(found.items, plan_evidence_paths(found.items), strict=True):
        found.paths[item.sha256] = path
    found.extra = [found.paths[s] for s in dict.fromkeys(extra_shas) if s in found.paths]
    return found


def _unique_name(dest: Path, base: str) -> str:
    """``base``, or ``base-2``… when a bundle of that name exists (same second, pinned clock)."""
    from orderctl.evidence.names import safe_name

    base = safe_name(base, default="bundle")
    name, n = base, 2
    while os.path.lexists(dest / name) or os.path.lexists(dest / f"{name}.zip"):
        name = f"{base}-{n}"
        n += 1
    return name


def _deadline_timeline(order: Order, ctx: AppContext, opened_at: str) -> list[dict[str, Any]]:
    """Deadlines before the dispute plus the escalation deadline it starts."""
    before = order_deadlines(order, ctx.policies, ctx.today)
    after_order = Order.from_dict(order.to_dict())
    after_order.state = OrderState.DISPUTED
    after_order.dispute = {**(order.dispute or {}), "opened_at": opened_at, "status": "opened"}
    after = order_deadlines(after_order, ctx.policies, ctx.today)
    merged = {(d.kind, d.date): d for d in [*before, *after]}
    return [d.to_dict() for d in sorted(merged.values(), key=lambda d: (d.date, d.kind))]


def _report_context(
    ctx: AppContext,
    order: Order,
    plan: DisputePlan,
    events: list[dict[str, Any]],
    evidence: _Evidence,
    labels: dict[str, str],
    statement: list[str],
    opened_at: str,
) -> dict[str, Any]:
    from orderctl import __version__

    policy = ctx.policies.platform(order.platform)
    data = order.to_dict()
    items = [{**i, "url": i.get("url") or order.url} for i in data["items"]]
    summary = {
        **{k: data.get(k) for k in ("order_id", "title", "store", "price", "currency")},
        "platform": policy.name,
        "url": policy.order_page(order.order_id) or order.url,
        "items": items,
        **{k: data.get(k) for k in ("ordered_at", "shipped_at", "delivered_at")},
        "tracking_number": order.tracking_number,
        "tracking_numbers": order.all_tracking_numbers(),
        "carrier": order.carrier,
    }
    inspection = None
    if order.inspection:
        inspection = {
            **order.inspection,
            "checks": [
                {
                    **check,
                    "question": _label(labels, str(check.get("id"))),
                    "evidence": [
                        {**ev, "bundle_path": evidence.paths.get(str(ev.get("sha256")).lower())}
                        for ev in check.get("evidence") or []
                    ],
                }
                for check in _checks(order)
            ],
        }
    notes = []
    for note in order.notes:
        names = []
        for att in note.get("attachments") or []:
            name = str(att.get("name") if isinstance(att, dict) else att)
            path = (
                evidence.paths.get(str(att.get("sha256")).lower())
                if isinstance(att, dict)
                else None
            )
            names.append(f"{name} ({path})" if path else name)
        notes.append({**note, "attachments": names})
    return {
        "order": summary,
        "reason": plan.reason,
        "reason_label": rules.REASON_LABELS[plan.reason],
        "remedy": rules.REMEDY_LABELS[plan.remedy],
        "amount": _money(plan.amount),
        "currency": plan.currency,
        "statement": statement,
        "inspection": inspection,
        "events": events,
        "notes": notes,
        "deadlines": _deadline_timeline(order, ctx, opened_at),
        "generated_at": iso(ctx.now),
        "orderctl_version": __version__,
    }


def _policy_limit(policy: PlatformPolicy, key: str) -> int | None:
    value = policy.days(key)
    return value if value and value > 0 else None


def open_dispute(
    ctx: AppContext, request: DisputeRequest, confirm: Callable[[DisputePlan], None]
) -> DisputeResult:
    """Validate, confirm, build the bundle, then record the dispute in one transaction."""
    from orderctl.evidence.bundle import BundleMember, build_bundle
    from orderctl.evidence.report import render_reports

    order, plan = plan_dispute(ctx, request)
    confirm(plan)
    extra = list((order.dispute or {}).get("evidence") or [])
    extra += [e for e in store_attachments(ctx, order.order_id, request.evidence) if e not in extra]
    policy = ctx.policies.platform(order.platform)
    events = list(ctx.store.details(order.order_id).get("events") or [])
    labels = _check_labels(ctx, (order.inspection or {}).get("checklist"))
    evidence = _collect_evidence(ctx, order, extra, labels)
    opened_at = (order.dispute or {}).get("opened_at") if plan.reopening else None
    opened_at = opened_at or iso(ctx.now)
    failed, reservations = _findings(
        order,
        labels,
        lambda e: evidence.paths.get(str(e.get("sha256")).lower()) or str(e.get("name")),
    )
    statement = rules.statement(
        order,
        reason=plan.reason,
        remedy=plan.remedy,
        amount=plan.amount,
        findings=failed,
        reservations=reservations,
        events=events,
        notes=order.notes,
        extra_evidence=evidence.extra,
    )
    context = _report_context(ctx, order, plan, events, evidence, labels, statement, opened_at)
    html, markdown = render_reports(context)
    name = _unique_name(plan.dest, f"{order.order_id}-{ctx.now.strftime('%Y%m%dT%H%M%SZ')}")
    bundle = build_bundle(
        plan.dest,
        name,
        order_id=order.order_id,
        members=[BundleMember("report.html", html), BundleMember("report.md", markdown)],
        evidence=evidence.items,
        created_at=ctx.now,
        photo_max_pixels=_policy_limit(policy, "evidence_photo_max_pixels"),
        photo_max_bytes=_policy_limit(policy, "evidence_photo_max_bytes"),
        video_warn_bytes=_policy_limit(policy, "evidence_video_max_bytes"),
    )
    try:
        saved = _record(ctx, order.order_id, plan, bundle, opened_at, extra)
    except BaseException:
        shutil.rmtree(bundle.bundle_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(bundle.bundle_zip)
        raise
    return DisputeResult(
        order=saved,
        plan=plan,
        bundle=bundle,
        statement=statement,
        steps=list(policy.dispute_steps),
        warnings=[*plan.warnings, *evidence.warnings, *bundle.warnings],
    )


def _record(
    ctx: AppContext,
    order_id: str,
    plan: DisputePlan,
    bundle: Any,
    opened_at: str,
    extra: list[dict[str, Any]],
) -> Order:
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        previous = dict(order.dispute or {}) if order.state is OrderState.DISPUTED else {}
        transition(order, OrderState.DISPUTED)
        history = list(previous.get("previous_bundles") or [])
        if previous.get("bundle_dir"):
            history.append(
                {k: previous.get(k) for k in ("bundle_dir", "bundle_zip", "manifest_sha256")}
            )
        progress = list(previous.get("progress") or [])
        if not progress:
            progress = [
                {
                    "step": "opened",
                    "at": opened_at,
                    "note": rules.REASON_LABELS[plan.reason],
                    "amount": _money(plan.amount),
                }
            ]
        order.dispute = {
            **previous,
            "reason": plan.reason,
            "remedy": plan.remedy,
            "amount": _money(plan.amount),
            "currency": plan.currency,
            "opened_at": previous.get("opened_at") or opened_at,
            "status": previous.get("status") or "opened",
            "outcome": previous.get("outcome"),
            "refund_amount": previous.get("refund_amount"),
            "progress": progress,
            "bundle_dir": str(bundle.bundle_dir),
            "bundle_zip": str(bundle.bundle_zip),
            "manifest_sha256": bundle.manifest_sha256,
            "bundle_created_at": iso(ctx.now),
            "evidence": extra,
            "previous_bundles": history,
        }
        txn.put(order)
    return order


# --------------------------------------------------------------------------- progress


@dataclass
class ProgressResult:
    order: Order
    entry: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order.order_id,
            "state": self.order.state.value,
            "step": dict(self.entry),
            "dispute": dict(self.order.dispute or {}),
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
    step = step.strip().lower().replace("-", "_")
    if step not in rules.PROGRESS_STEPS:
        raise InvalidInput(
            f"STEP: {step!r} is not a dispute step",
            hint="Steps: " + ", ".join(rules.PROGRESS_STEPS) + " (opened is recorded by "
            "`orderctl dispute`).",
        )
    if outcome is not None:
        outcome = outcome.strip().lower().replace("-", "_")
        if outcome not in rules.OUTCOMES:
            raise InvalidInput(
                f"--outcome: {outcome!r} is not an outcome",
                hint="Outcomes: " + ", ".join(rules.OUTCOMES),
            )
        if step != "resolved":
            raise InvalidInput("--outcome only goes with the resolved step")
    if step == "resolved" and outcome is None:
        raise InvalidInput(
            "The resolved step needs --outcome", hint="Outcomes: " + ", ".join(rules.OUTCOMES)
        )
    if outcome == "rejected" and amount is not None:
        raise InvalidInput("--amount does not go with --outcome rejected (nothing was refunded)")
    moment = parse_at(at, ctx.now)
    text = (note or "").strip() or None
    warnings: list[str] = []
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        dispute = dict(order.dispute or {})
        if dispute.get("status") == "resolved":
            raise GuardrailRefused(
                f"The dispute on order {order_id} is already resolved "
                f"({dispute.get('outcome')}); nothing was recorded"
            )
        if order.state is not OrderState.DISPUTED or not dispute:
            raise GuardrailRefused(
                f"Order {order_id} has no open dispute (state {order.state.value})",
                hint=f"Open one with `orderctl dispute {order_id}`.",
            )
        value = parse_money(amount, order.currency)
        if value is not None and value <= 0:
            raise InvalidInput(f"--amount: must be more than 0 (got {value})")
        if outcome == "partially_refunded" and value is None:
            raise InvalidInput("--outcome partially_refunded needs --amount (what you got back)")
        if outcome == "refunded" and value is None:
            claimed = dispute.get("amount")
            value = Decimal(claimed) if claimed else order.price
        claimed = dispute.get("amount")
        if outcome and value is not None and claimed and value < Decimal(str(claimed)):
            warnings.append(f"{value} is less than the {claimed} claimed.")
        if step == "seller_responded" and value is not None:
            warnings.append(
                "Check the seller's proposal before accepting it: accepting any proposal "
                "closes the dispute."
            )
        entry = {"step": step, "at": iso(moment), "note": text, "amount": _money(value)}
        if outcome:
            entry["outcome"] = outcome
        rank = rules.STATUS_RANK
        status = str(dispute.get("status") or "opened")
        if rank[step] >= rank.get(status, 0):
            status = step
        dispute["progress"] = [*(dispute.get("progress") or []), entry]
        dispute["status"] = status
        if step == "resolved":
            dispute["outcome"] = outcome
            dispute["refund_amount"] = _money(value)
            dispute["resolved_at"] = iso(moment)
        order.dispute = dispute
        if step == "resolved":
            transition(order, OrderState.CLOSED)
        txn.put(order)
    return ProgressResult(order, entry, warnings)


# --------------------------------------------------------------------------- verify


def bundles_to_verify(ctx: AppContext, bundle: Path | None, order_id: str | None) -> list[Path]:
    """The path given, or the folder and zip of the order's latest bundle."""
    if (bundle is None) == (order_id is None):
        raise InvalidInput("Give a BUNDLE path or --order ORDER_ID (one of them)")
    if bundle is not None:
        return [Path(bundle)]
    order = ctx.store.get(str(order_id))
    dispute = order.dispute or {}
    paths = [Path(dispute[k]) for k in ("bundle_dir", "bundle_zip") if dispute.get(k)]
    if not paths:
        raise NotFound(
            f"Order {order_id} has no dispute bundle",
            hint=f"Build one with `orderctl dispute {order_id}`.",
        )
    return paths


def verify(ctx: AppContext, bundle: Path | None, order_id: str | None) -> list[Any]:
    """A VerifyReport per bundle (NotFound, exit 3, for a path that does not exist)."""
    from orderctl.evidence.verify import verify_bundle

    return [verify_bundle(p) for p in bundles_to_verify(ctx, bundle, order_id)]


__all__ = [
    "ContactDraft",
    "DisputePlan",
    "DisputeRequest",
    "DisputeResult",
    "ProgressResult",
    "draft_contact",
    "open_dispute",
    "plan_dispute",
    "record_progress",
    "verify",
]
