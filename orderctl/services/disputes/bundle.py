"""Assemble a dispute's evidence bundle: the files, the report context, the folder and zip.

This is the slow, file-writing half of ``orderctl dispute``: it gathers the
inspection, chat and ``--evidence`` files from the evidence store (each
once), writes the statement and the report, and hands both to
:func:`orderctl.evidence.bundle.build_bundle`. It writes nothing to the
order; :mod:`orderctl.services.disputes.opening` records the result afterwards (and
calls :func:`remove_bundle` when that fails, so the order and the bundles
folder never disagree).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from orderctl.clock import iso
from orderctl.domain import dispute as dispute_rules
from orderctl.domain.models import Order, OrderState
from orderctl.domain.policies import PlatformPolicy
from orderctl.domain.records import Dispute, EvidenceRef
from orderctl.domain.wording import plural
from orderctl.services.context import AppContext
from orderctl.services.disputes.facts import check_label, check_labels, findings
from orderctl.services.disputes.parsing import money_text
from orderctl.services.disputes.plan import DisputePlan
from orderctl.services.evidence_files import inspection_checks, inspection_evidence, stored_file
from orderctl.services.tracking.merge import stored_events


@dataclass
class EvidenceSet:
    """Evidence files for the bundle, each once, and where each sha256 lands in it."""

    items: list[Any] = field(default_factory=list)  # BundleEvidence
    paths: dict[str, str] = field(default_factory=dict)  # sha256 -> bundle path
    extra: list[str] = field(default_factory=list)  # bundle paths of --evidence files
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuiltBundle:
    """What :func:`build_dispute_bundle` wrote, and what the dispute record needs from it."""

    bundle: Any  # orderctl.evidence.bundle.BundleResult (imported lazily)
    statement: list[str]
    opened_at: str
    warnings: list[str] = field(default_factory=list)


def collect_evidence(ctx: AppContext, order: Order, extra: Sequence[EvidenceRef]) -> EvidenceSet:
    """Inspection, chat and ``--evidence`` files, named for the bundle; missing ones warn."""
    from orderctl.evidence.bundle import BundleEvidence, plan_evidence_paths
    from orderctl.evidence.limits import limits_from_config
    from orderctl.evidence.names import safe_name

    limits = limits_from_config(ctx.config)
    root = ctx.paths.evidence_dir
    found = EvidenceSet()
    wanted: list[tuple[EvidenceRef, str]] = []
    for check, ev in inspection_evidence(order):
        name = safe_name(str(ev.name or "file"))
        wanted.append((ev, f"{safe_name(str(check.id), default='check')}-{name}"))
    for note in order.notes:
        prefix = "seller" if note.sender == "seller" else "buyer"
        for att in note.attachments:
            wanted.append((att, f"chat-{prefix}-{safe_name(str(att.name or 'file'))}"))
    for kept in order.mail_evidence:  # order mails kept by import --keep-mail
        wanted += [(ref, safe_name(str(ref.name))) for ref in kept.files()]
    extra_shas = []
    for ev in extra:
        wanted.append((ev, str(ev.name or "file")))
        extra_shas.append(str(ev.sha256))
    seen: set[str] = set()
    for ev, name in wanted:
        sha = ev.hash_key
        if sha in seen:
            continue
        seen.add(sha)
        stored = stored_file(root, order.order_id, sha)  # refuses a path outside the store
        if stored is None:
            found.warnings.append(
                f"{ev.name} (sha256 {sha[:12]}…) is not in the evidence store; "
                "it is listed in the report but not included."
            )
            continue
        record, source = stored
        if record.kind == "photo" and (problem := _over_pixel_limit(source, limits)):
            # Attached before limits were checked at attach time: leave it out rather
            # than fail every bundle until the window closes.
            found.warnings.append(f"{problem}; it is listed in the report but not included.")
            continue
        found.items.append(BundleEvidence(source, record.sha256, record.kind, name))
    for item, path in zip(found.items, plan_evidence_paths(found.items), strict=True):
        found.paths[item.sha256] = path
    found.extra = [found.paths[s] for s in dict.fromkeys(extra_shas) if s in found.paths]
    return found


def _over_pixel_limit(source: Path, limits: Any) -> str | None:
    """Why a stored photo is too large to put in a bundle, or None."""
    from orderctl.errors import InvalidInput
    from orderctl.evidence.limits import image_size

    try:
        image_size(source, limits)
    except InvalidInput as exc:
        return exc.message
    return None


def unique_name(dest: Path, base: str) -> str:
    """``base``, or ``base-2``… when a bundle of that name exists (same second, pinned clock)."""
    from orderctl.evidence.names import safe_name

    base = safe_name(base, default="bundle")
    name, n = base, 2
    while os.path.lexists(dest / name) or os.path.lexists(dest / f"{name}.zip"):
        name = f"{base}-{n}"
        n += 1
    return name


def deadline_timeline(order: Order, ctx: AppContext, opened_at: str) -> list[dict[str, Any]]:
    """Deadlines before the dispute plus the escalation deadline it starts."""
    before = ctx.schedule(order).deadlines
    after_order = Order.from_dict(order.to_dict())
    after_order.state = OrderState.DISPUTED
    after_order.dispute = replace(order.dispute or Dispute(), opened_at=opened_at, status="opened")
    after = ctx.schedule(after_order).deadlines
    merged = {(d.kind, d.date): d for d in [*before, *after]}
    return [d.to_dict() for d in sorted(merged.values(), key=lambda d: (d.date, d.kind))]


def report_context(
    ctx: AppContext,
    order: Order,
    plan: DisputePlan,
    events: list[dict[str, Any]],
    evidence: EvidenceSet,
    labels: dict[str, str],
    statement: list[str],
    opened_at: str,
) -> dict[str, Any]:
    """The context :func:`orderctl.evidence.report.render_reports` documents."""
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
        "dispute": order.dispute.to_dict() if order.dispute else None,
    }
    inspection = None
    if order.inspection:
        inspection = {
            **order.inspection.to_dict(),
            "checks": [
                {
                    **check.to_dict(),
                    "question": check_label(labels, str(check.id)),
                    "evidence": [
                        {**ev.to_dict(), "bundle_path": evidence.paths.get(ev.hash_key)}
                        for ev in check.evidence
                    ],
                }
                for check in inspection_checks(order)
            ],
        }
    notes = []
    for note in order.notes:
        names = []
        for att in note.attachments:
            path = evidence.paths.get(att.hash_key)
            names.append(f"{att.name} ({path})" if path else str(att.name))
        notes.append({**note.to_dict(), "attachments": names})
    return {
        "order": summary,
        "reason": plan.reason,
        "reason_label": dispute_rules.REASON_LABELS[plan.reason],
        "remedy": dispute_rules.REMEDY_LABELS[plan.remedy],
        "amount": money_text(plan.amount),
        "currency": plan.currency,
        "statement": statement,
        "inspection": inspection,
        "events": events,
        "notes": notes,
        "deadlines": deadline_timeline(order, ctx, opened_at),
        "generated_at": iso(ctx.now),
        "orderctl_version": __version__,
        "buyer_name": _buyer_name(ctx) or dispute_rules.NAME_PLACEHOLDER,
    }


def _buyer_name(ctx: AppContext) -> str | None:
    from orderctl.services.disputes.contact import buyer_name

    return buyer_name(ctx)


def _policy_limit(policy: PlatformPolicy, key: str) -> int | None:
    value = policy.days(key)
    return value if value and value > 0 else None


def build_dispute_bundle(
    ctx: AppContext, order: Order, plan: DisputePlan, extra: list[EvidenceRef]
) -> BuiltBundle:
    """Write the statement, the reports and the evidence into a new bundle (folder + zip)."""
    from orderctl.evidence.bundle import BundleMember, build_bundle
    from orderctl.evidence.report import render_reports

    policy = ctx.policies.platform(order.platform)
    details = ctx.store.details(order.order_id)
    events = list(details.get("events") or [])  # as stored, for the report
    labels = check_labels(ctx, order.inspection.checklist if order.inspection else None)
    evidence = collect_evidence(ctx, order, extra)
    opened_at = order.dispute.opened_at if plan.reopening and order.dispute else None
    opened_at = opened_at or iso(ctx.now)
    failed, reservations = findings(
        order,
        labels,
        lambda e: evidence.paths.get(e.hash_key) or str(e.name),
    )
    statement = dispute_rules.statement(
        order,
        reason=plan.reason,
        remedy=plan.remedy,
        amount=plan.amount,
        findings=failed,
        reservations=reservations,
        events=stored_events(details)[0],
        notes=order.notes,
        extra_evidence=evidence.extra,
    )
    video_limit = _policy_limit(policy, "evidence_video_max_bytes")
    outside = _large_videos(evidence, video_limit) if plan.videos_outside_zip else set()
    context = report_context(ctx, order, plan, events, evidence, labels, statement, opened_at)
    _mark_outside_zip(context, outside)
    html, markdown = render_reports(context)
    key = signer = None
    if plan.sign:  # the key first: a broken key file must stop us before writing anything
        from orderctl.evidence.signing import load_or_create_key, sign_manifest

        key = load_or_create_key(ctx.paths.home)
        signer = lambda manifest: sign_manifest(key, manifest)  # noqa: E731
    name = unique_name(plan.dest, f"{order.order_id}-{ctx.now.strftime('%Y%m%dT%H%M%SZ')}")
    bundle = build_bundle(
        plan.dest,
        name,
        order_id=order.order_id,
        members=[BundleMember("report.html", html), BundleMember("report.md", markdown)],
        evidence=evidence.items,
        created_at=ctx.now,
        photo_max_pixels=_policy_limit(policy, "evidence_photo_max_pixels"),
        photo_max_bytes=_policy_limit(policy, "evidence_photo_max_bytes"),
        video_warn_bytes=video_limit,
        zip_exclude=frozenset(outside),
        signer=signer,
    )
    if plan.sign:
        from orderctl.evidence.signing import public_key_text

        bundle.signed_by = public_key_text(key)
    warnings = [*evidence.warnings, *bundle.warnings]
    if outside:
        warnings.append(
            f"{plural(len(outside), 'large video')} kept out of the zip "
            "(in the bundle folder only):"
            f" {', '.join(sorted(outside))}"
        )
    elif video_limit and _large_videos(evidence, video_limit):
        warnings.append(
            "Add --videos-outside-zip to keep videos over the upload limit out of the zip"
            " (the report then points to them in the bundle folder)."
        )
    return BuiltBundle(bundle, statement, opened_at, warnings)


def _large_videos(evidence: EvidenceSet, limit: int | None) -> set[str]:
    """Bundle paths of the videos larger than ``limit`` bytes."""
    if not limit:
        return set()
    return {
        evidence.paths[item.sha256]
        for item in evidence.items
        if item.kind == "video" and os.path.getsize(item.source) > limit
    }


def _mark_outside_zip(context: dict[str, Any], outside: set[str]) -> None:
    """Tell the report which evidence lives in the bundle folder only."""
    context["outside_zip"] = sorted(outside)
    for check in (context.get("inspection") or {}).get("checks") or []:
        for ev in check.get("evidence") or []:
            ev["outside_zip"] = ev.get("bundle_path") in outside


def remove_bundle(bundle: Any) -> None:
    """Delete a bundle's folder and zip (best effort), e.g. when recording it failed."""
    shutil.rmtree(bundle.bundle_dir, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.unlink(bundle.bundle_zip)


__all__ = [
    "BuiltBundle",
    "EvidenceSet",
    "build_dispute_bundle",
    "collect_evidence",
    "remove_bundle",
    "report_context",
]
