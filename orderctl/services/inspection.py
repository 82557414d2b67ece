"""``inspect``: run a checklist over a delivered parcel and save the verdict with its evidence.

Three phases, so nothing is half-saved:

1. :func:`prepare_inspection` reads the order (no lock), refuses orders that
   can no longer be inspected (exit 6), picks the checklist and picks up a
   draft left by an interrupted walk.
2. The answers come from a file (:func:`read_answers_file`, which reports every
   problem at once, including evidence whose content contradicts its name) or
   from an injected prompter (:func:`walk_answers`). Ctrl-C during the walk
   saves a draft and raises :class:`InspectionPaused`.
3. :func:`complete_inspection` copies the evidence into the content-addressed
   store (outside the store lock: copying is slow), then saves the inspection,
   its history, the state and the delivery date in ONE transaction. A failure
   in either step removes the evidence files this run added.

Services never print or prompt: the prompter is passed in, warnings and the
next steps come back in the result.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orderctl.clock import iso
from orderctl.domain.checklist import (
    Answer,
    Checklist,
    Prompter,
    Verdict,
    WalkInterrupted,
    WalkResult,
    answers_to_document,
    check_evidence_path,
    decode_answers_text,
    evaluate,
    load_answers_file,
    load_checklists,
    parse_answers,
    resolve_checklist,
    walk_checklist,
)
from orderctl.domain.deadlines import order_deadlines
from orderctl.domain.lifecycle import can_transition, transition
from orderctl.domain.models import Order, OrderState
from orderctl.errors import GuardrailRefused, InvalidInput, OrderctlError
from orderctl.evidence.sniff import claimed_type, contradicts, sniff_file
from orderctl.evidence.store import EvidenceRecord, add_evidence, check_regular_file, safe_order_dir
from orderctl.services.context import AppContext

DRAFT_KEY = "inspection_draft"
HISTORY_KEY = "inspections"
DELIVERED = "delivered"
DISPUTE_DEADLINES = ("dispute_by", "claim_closes", "dispute_closes", "protection_ends")


@dataclass
class InspectionPlan:
    """What an inspection starts from: the order, its checklist and any saved draft.

    ``existing`` holds the draft's answers (empty for a fresh start);
    ``warnings`` are worth showing before the first question.
    """

    order: Order
    checklist: Checklist
    started_at: str
    existing: dict[str, Answer] = field(default_factory=dict)
    resumed: bool = False
    warnings: list[str] = field(default_factory=list)
    draft_notes: list[str] = field(default_factory=list)  # the warnings about the draft

    @property
    def first_unanswered(self) -> int:
        """1-based position of the check the walk starts at (len+1 when all are answered)."""
        ids = self.checklist.ids
        return next((i + 1 for i, cid in enumerate(ids) if cid not in self.existing), len(ids) + 1)

    def context(self) -> dict[str, Any]:
        """What the prompter shows next to each check: the order and what the listing promised."""
        order = self.order
        return {
            "order_id": order.order_id,
            "title": order.title,
            "store": order.store,
            "category": order.category,
            "url": order.url,
            "checklist": self.checklist.name,
            "items": [
                {
                    "title": item.title,
                    "quantity": item.quantity,
                    "attributes": dict(item.attributes),
                    "url": item.url,
                }
                for item in order.items
            ],
        }


@dataclass
class InspectionOutcome:
    """A saved inspection: the stored object plus what the buyer should do next."""

    order_id: str
    inspection: dict[str, Any]
    verdict: Verdict
    checklist: Checklist
    previous: int  # how many earlier inspections the history now holds
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


class InspectionPaused(Exception):
    """The walk stopped before saving: by Ctrl-C (``interrupted``) or by the buyer's choice.

    ``saved`` says whether a draft was written (nothing is written for zero answers).
    """

    def __init__(self, order_id: str, answered: int, total: int, *, interrupted: bool, saved: bool):
        super().__init__(f"inspection of {order_id} paused after {answered} of {total} checks")
        self.order_id = order_id
        self.answered = answered
        self.total = total
        self.interrupted = interrupted
        self.saved = saved


# --------------------------------------------------------------------------- phase 1


def available_checklists(ctx: AppContext) -> dict[str, Checklist]:
    """Bundled templates plus the user's, as the buyer configured them."""
    return load_checklists(ctx.paths.checklists_dir)


def get_checklist(ctx: AppContext, name: str) -> Checklist:
    return resolve_checklist(available_checklists(ctx), name=name, category=None)


def ensure_inspectable(order: Order) -> None:
    """Refuse orders past the point where an inspection changes anything (exit 6)."""
    if can_transition(order.state, OrderState.INSPECTED):
        return
    hints = {
        OrderState.CONFIRMED: "Receipt is already confirmed. If the item is faulty, open a "
        f"dispute while protection lasts: `orderctl dispute {order.order_id}`.",
        OrderState.DISPUTED: f"A dispute is open; follow it with `orderctl show {order.order_id}`.",
        OrderState.CLOSED: "The order is closed.",
    }
    raise GuardrailRefused(
        f"Order {order.order_id} is {order.state.value}; it can no longer be inspected",
        hint=hints.get(order.state),
    )


def prepare_inspection(
    ctx: AppContext, order_id: str, *, checklist_name: str | None = None
) -> InspectionPlan:
    """Read the order and choose the checklist: ``--checklist`` > a draft's > the category's.

    A draft whose checklist differs from an explicit ``--checklist`` is not
    resumed (its check ids would not match); it is replaced when the new
    inspection is saved.
    """
    order = ctx.store.get(order_id)
    ensure_inspectable(order)
    checklists = available_checklists(ctx)
    draft = ctx.store.details(order_id).get(DRAFT_KEY)
    draft = draft if isinstance(draft, dict) else None
    draft_name = draft.get("checklist") if draft else None
    warnings: list[str] = []
    if checklist_name is None and isinstance(draft_name, str) and draft_name in checklists:
        checklist = checklists[draft_name]
    else:
        checklist = resolve_checklist(checklists, name=checklist_name, category=order.category)
    plan = InspectionPlan(order=order, checklist=checklist, started_at=iso(ctx.now))
    if draft is not None:
        if draft_name == checklist.name:
            plan.existing = _draft_answers(draft, checklist, warnings)
            plan.resumed = True
            started = draft.get("started_at")
            if isinstance(started, str) and started:
                plan.started_at = started
        else:
            warnings.append(
                f"A draft inspection with the {draft_name!r} checklist exists; it will be "
                f"replaced by this {checklist.name!r} inspection when you save"
            )
    plan.draft_notes = list(warnings)
    if not _is_delivered(order):
        warnings.append(not_delivered_warning(order, ctx))
    plan.warnings = warnings
    return plan


def _is_delivered(order: Order) -> bool:
    if order.shipment_status and order.shipment_status != DELIVERED:
        return False
    return order.delivered_at is not None


def not_delivered_warning(order: Order, ctx: AppContext) -> str:
    status = order.shipment_status or "no delivery recorded"
    return (
        f"Order {order.order_id} is not delivered according to tracking ({status}); "
        f"inspecting anyway and recording {ctx.today.isoformat()} as the delivery date"
    )


def _draft_answers(draft: dict[str, Any], checklist: Checklist, warnings: list[str]) -> dict:
    """The draft's answers; evidence files that disappeared since are dropped with a warning."""
    try:
        answers = parse_answers(
            draft.get("answers"),
            base_dir=Path("/"),
            checklist=checklist,
            file_exists=lambda _p: True,
            file_readable=lambda _p: True,
            require_all=False,
        )
    except InvalidInput as exc:
        warnings.append(f"The saved draft cannot be used ({exc.message}); starting over")
        return {}
    kept: dict[str, Answer] = {}
    for check_id, answer in answers.items():
        present = tuple(p for p in answer.evidence if p.is_file())
        for gone in (p for p in answer.evidence if p not in present):
            warnings.append(f"{check_id}: evidence file {gone} is gone; attach it again")
        kept[check_id] = Answer(check_id, answer.result, answer.note, present)
    return kept


# --------------------------------------------------------------------------- phase 2


def evidence_problem(path: Path) -> str | None:
    """Why ``path`` cannot be kept as evidence, or None (the evidence store's own rules).

    Checked before anything is copied so that a bad file refuses the whole
    inspection instead of leaving half of its evidence stored.
    """
    try:
        check_regular_file(path)
        media_type = sniff_file(path)
    except InvalidInput as exc:
        return exc.message
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if contradicts(path.name, media_type):
        return (
            f"{path} is named like {claimed_type(path.name)} but its content is {media_type}; "
            "check that this is the file you meant"
        )
    return None


def evidence_path_validator(base_dir: Path) -> Callable[[str], Path]:
    """The walk's ``validate_path``: answers-file rules plus the content checks above."""

    def validate(text: str) -> Path:
        path, problem = check_evidence_path(text, base_dir)
        if problem is None:
            problem = evidence_problem(path)
        if problem is not None:
            raise InvalidInput(problem)
        return path

    return validate


def read_answers_file(path: Path, checklist: Checklist) -> dict[str, Answer]:
    """Answers from ``--answers FILE``; every problem in one InvalidInput (exit 2).

    The domain parser reports structure, ids, results and missing files; this
    adds the evidence-content problems (a ``.jpg`` that is text, a symlink, an
    empty file) to the same list, each at its ``checks.<id>.evidence[i]``.
    """
    problems: list[str] = []
    answers: dict[str, Answer] = {}
    try:
        answers = load_answers_file(path, checklist, require_all=True)
    except InvalidInput as exc:
        if not exc.details:  # the file itself is unreadable or undecodable
            raise
        problems = list(exc.details)
    problems += _content_problems(path, checklist)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InvalidInput(
            f"The inspection answers in {path} have {len(problems)} {noun}; nothing was saved.",
            hint="Fix every listed line; paths are relative to the answers file's folder.",
            details=problems,
        )
    return answers


def _content_problems(path: Path, checklist: Checklist) -> list[str]:
    """Content problems of every existing evidence file the document names, by location."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        suffix = path.suffix.lower()
        fmt = suffix[1:] if suffix in (".toml", ".json") else None
        data = decode_answers_text(text, fmt, source=str(path))
    except (OSError, UnicodeDecodeError, OrderctlError):
        return []
    checks = data.get("checks") if isinstance(data, dict) else None
    if not isinstance(checks, dict):
        return []
    base_dir = path.absolute().parent
    problems: list[str] = []
    for check_id in checklist.ids:
        entry = checks.get(check_id)
        evidence = entry.get("evidence") if isinstance(entry, dict) else None
        if not isinstance(evidence, list):
            continue
        for i, item in enumerate(evidence):
            if not isinstance(item, str):
                continue
            resolved, missing = check_evidence_path(item, base_dir)
            if missing is None and (problem := evidence_problem(resolved)) is not None:
                problems.append(f"checks.{check_id}.evidence[{i}]: {problem}")
    return problems


def walk_answers(ctx: AppContext, plan: InspectionPlan, prompter: Prompter) -> WalkResult:
    """Ask through ``prompter``; on Ctrl-C save the answers as a draft and raise InspectionPaused.

    A walk the buyer quits (or saves with checks unanswered) is also kept as a
    draft and reported as a pause, so the next ``inspect`` resumes it.
    """
    total = len(plan.checklist.checks)
    try:
        result = walk_checklist(
            plan.checklist,
            prompter,
            existing=plan.existing,
            validate_path=evidence_path_validator(Path.cwd()),
            context=plan.context(),
        )
    except WalkInterrupted as exc:
        saved = save_draft(ctx, plan, exc.answers)
        raise InspectionPaused(
            plan.order.order_id, len(exc.answers), total, interrupted=True, saved=saved
        ) from None
    if not result.completed:
        saved = save_draft(ctx, plan, result.answers)
        raise InspectionPaused(
            plan.order.order_id, len(result.answers), total, interrupted=False, saved=saved
        )
    return result


def save_draft(ctx: AppContext, plan: InspectionPlan, answers: Mapping[str, Answer]) -> bool:
    """Keep unfinished answers in the order's details; False when there was nothing to keep."""
    if not answers:
        return False
    draft = {
        "checklist": plan.checklist.name,
        "started_at": plan.started_at,
        "answers": answers_to_document(answers),
    }
    with ctx.store.transaction(ctx.now) as txn:
        txn.get(plan.order.order_id)
        details = txn.details(plan.order.order_id)
        details[DRAFT_KEY] = draft
        txn.set_details(plan.order.order_id, details)
    return True


# --------------------------------------------------------------------------- phase 3


def complete_inspection(
    ctx: AppContext, plan: InspectionPlan, answers: Mapping[str, Answer]
) -> InspectionOutcome:
    """Copy the evidence, then save everything in one transaction."""
    checklist = plan.checklist
    missing = [cid for cid in checklist.ids if cid not in answers]
    if missing:
        raise InvalidInput(f"Unanswered checks: {', '.join(missing)}; nothing was saved.")
    verdict = evaluate(checklist, answers)
    order_id = plan.order.order_id
    with _evidence_rollback(ctx, order_id):
        stored = _store_evidence(ctx, order_id, answers)
        inspection = {
            "verdict": verdict.verdict,
            "checklist": checklist.name,
            "started_at": plan.started_at,
            "completed_at": iso(ctx.now),
            "checks": [_check_dict(answers[cid], stored) for cid in checklist.ids],
            "suggested_reasons": list(verdict.suggested_reasons),
            "failed": list(verdict.failed),
            "reservations": [r.check_id for r in verdict.reservations],
        }
        warnings: list[str] = []
        with ctx.store.transaction(ctx.now) as txn:
            order = txn.get(order_id)
            ensure_inspectable(order)
            details = txn.details(order_id)
            history = list(details.get(HISTORY_KEY) or [])
            if order.inspection:
                history.append(order.inspection)
                details[HISTORY_KEY] = history
            details.pop(DRAFT_KEY, None)
            if not _is_delivered(order):
                warning = not_delivered_warning(order, ctx)
                if warning not in plan.warnings:  # already shown before the questions
                    warnings.append(warning)
                if order.delivered_at is None:
                    order.delivered_at = ctx.today
            transition(order, OrderState.INSPECTED)
            order.inspection = inspection
            order.history.append(
                {
                    "at": iso(ctx.now),
                    "event": "inspected",
                    "verdict": verdict.verdict,
                    "checklist": checklist.name,
                }
            )
            txn.set_details(order_id, details)
            txn.put(order)
    return InspectionOutcome(
        order_id=order_id,
        inspection=inspection,
        verdict=verdict,
        checklist=checklist,
        previous=len(history),
        warnings=warnings,
        next_steps=next_steps(order, verdict, ctx),
    )


def _store_evidence(
    ctx: AppContext, order_id: str, answers: Mapping[str, Answer]
) -> dict[Path, EvidenceRecord]:
    stored: dict[Path, EvidenceRecord] = {}
    for answer in answers.values():
        for path in answer.evidence:
            if path not in stored:
                stored[path] = add_evidence(ctx.paths.evidence_dir, order_id, path, now=ctx.now)
    return stored


def _check_dict(answer: Answer, stored: Mapping[Path, EvidenceRecord]) -> dict[str, Any]:
    evidence: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in answer.evidence:
        record = stored[path]
        if record.sha256 in seen:  # the same content attached twice under two names
            continue
        seen.add(record.sha256)
        evidence.append(
            {
                "sha256": record.sha256,
                "name": path.name,
                "media_type": record.media_type,
                "size": record.size,
            }
        )
    return {
        "id": answer.check_id,
        "result": answer.result.value,
        "note": answer.note,
        "evidence": evidence,
    }


@contextlib.contextmanager
def _evidence_rollback(ctx: AppContext, order_id: str):
    """Remove files this run added to the order's evidence folder if saving fails.

    Files that were already there (earlier inspections, the same photo added
    before) are never touched.
    """
    root = ctx.paths.evidence_dir
    folder = root / safe_order_dir(order_id)
    root_existed = root.exists()
    before = set(os.listdir(folder)) if folder.is_dir() else None
    try:
        yield
    except BaseException:
        if folder.is_dir():
            for name in set(os.listdir(folder)) - (before or set()):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)
            if before is None:
                with contextlib.suppress(OSError):
                    folder.rmdir()
        if not root_existed:
            with contextlib.suppress(OSError):
                root.rmdir()
        raise


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
    reasons = ", ".join(verdict.suggested_reasons)
    steps = []
    if verdict.failed_without_evidence:
        steps.append(
            "Failed without evidence: "
            + ", ".join(verdict.failed_without_evidence)
            + f"; attach photos or a video before disputing (orderctl inspect {oid} again)."
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
        deadlines = order_deadlines(order, ctx.policies, ctx.today)
    except (OrderctlError, KeyError, ValueError):
        return None
    for deadline in deadlines:
        if deadline.kind in DISPUTE_DEADLINES and deadline.days_left >= 0:
            return deadline.date.isoformat()
    return None


# --------------------------------------------------------------------------- one call


def run_inspection(
    ctx: AppContext,
    order_id: str,
    *,
    checklist_name: str | None = None,
    answers_file: Path | None = None,
    prompter: Prompter | None = None,
    on_plan: Callable[[InspectionPlan], None] | None = None,
) -> InspectionOutcome:
    """The whole use case: answers from ``answers_file`` if given, else from ``prompter``.

    ``on_plan`` sees the plan before any question (to show warnings and
    whether a draft is resumed). Raises InspectionPaused when the walk stops
    unfinished; InvalidInput when neither answers nor a prompter are given.
    """
    plan = prepare_inspection(ctx, order_id, checklist_name=checklist_name)
    if answers_file is not None:
        answers = read_answers_file(answers_file, plan.checklist)
        # A complete answers file replaces any draft: its answers and notes do not apply.
        plan.resumed = False
        plan.existing = {}
        plan.started_at = iso(ctx.now)
        plan.warnings = [w for w in plan.warnings if w not in plan.draft_notes]
        if on_plan is not None:
            on_plan(plan)
        return complete_inspection(ctx, plan, answers)
    if prompter is None:
        raise InvalidInput(
            "inspect needs --answers FILE when it cannot ask on a terminal "
            "(no TTY, --no-input or --json)",
            hint=answers_hint(plan.checklist.name),
        )
    if on_plan is not None:
        on_plan(plan)
    result = walk_answers(ctx, plan, prompter)
    return complete_inspection(ctx, plan, result.answers)


def answers_hint(checklist: str) -> str:
    return (
        f"Pass --answers FILE (TOML or JSON); start from `orderctl checklists {checklist} "
        "--template > answers.toml`, or run it in a terminal to be asked."
    )


def answers_template(checklist: Checklist) -> str:
    """A TOML answers file to fill in, each check with its question as a comment."""
    lines = [
        f"# Answers for the {checklist.name!r} checklist: orderctl inspect ORDER_ID "
        "--answers THIS_FILE",
        '# result = "pass", "fail" or "na"; evidence paths are relative to this file.',
        f"checklist = {json.dumps(checklist.name)}",
    ]
    for check in checklist.checks:
        lines += [
            "",
            f"# {check.label}: {check.question}",
            f"# Evidence if it fails: {check.evidence}" if check.evidence else "#",
            f"[checks.{check.id}]",
            'result = ""',
            'note = ""',
            "evidence = []",
        ]
    return "\n".join(lines) + "\n"


def checklist_summaries(ctx: AppContext) -> list[dict[str, Any]]:
    """``checklists --json``: one entry per template, sorted by name."""
    return [
        {
            "name": c.name,
            "description": c.description,
            "extends": c.extends,
            "source": c.source,
            "check_count": len(c.checks),
            "check_ids": list(c.ids),
        }
        for _, c in sorted(available_checklists(ctx).items())
    ]
