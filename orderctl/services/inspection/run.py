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

This module is the orchestration; each helper lives in a module with one job:
:mod:`~orderctl.services.inspection.checklists` (which checklists exist),
:mod:`~orderctl.services.inspection.answers_file` (answers files, evidence paths, the template),
:mod:`~orderctl.services.inspection.drafts` (unfinished walks),
:mod:`~orderctl.services.inspection.eligibility` (inspectable? delivered?),
:mod:`~orderctl.services.inspection.evidence` (checks with evidence, rollback) and
:mod:`~orderctl.services.inspection.next_steps` (advice after the verdict).
Import each name from the module that holds it; this one re-exports nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from orderctl.clock import iso
from orderctl.domain.delivery import is_delivered
from orderctl.domain.inspection.answers import Answer
from orderctl.domain.inspection.templates import Checklist, resolve_checklist
from orderctl.domain.inspection.verdict import Verdict, evaluate
from orderctl.domain.inspection.walk import Prompter, WalkInterrupted, WalkResult, walk_checklist
from orderctl.domain.lifecycle import transition
from orderctl.domain.models import OrderState
from orderctl.domain.records import HistoryEntry, Inspection
from orderctl.errors import InvalidInput

# add_evidence is looked up in this module at call time: tests patch it here.
from orderctl.evidence.store import EvidenceRecord, add_evidence
from orderctl.services.context import AppContext
from orderctl.services.inspection.answers_file import (
    answers_hint,
    evidence_path_validator,
    read_answers_file,
)
from orderctl.services.inspection.checklists import (
    available_checklists,
)
from orderctl.services.inspection.drafts import DRAFT_KEY, draft_answers, load_draft, save_draft
from orderctl.services.inspection.eligibility import (
    ensure_inspectable,
    not_delivered_warning,
)
from orderctl.services.inspection.evidence import evidence_rollback, inspection_check
from orderctl.services.inspection.history import earlier_inspections, push_inspection
from orderctl.services.inspection.next_steps import next_steps
from orderctl.services.inspection.plan import InspectionPlan

__all__ = [
    "InspectionOutcome",
    "InspectionPaused",
    "complete_inspection",
    "prepare_inspection",
    "run_inspection",
    "walk_answers",
]


@dataclass
class InspectionOutcome:
    """A saved inspection: the stored object plus what the buyer should do next."""

    order_id: str
    inspection: Inspection
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


def prepare_inspection(
    ctx: AppContext, order_id: str, *, checklist_name: str | None = None, amend: bool = False
) -> InspectionPlan:
    """Read the order and choose the checklist: ``--checklist`` > a draft's > the category's.

    A draft whose checklist differs from an explicit ``--checklist`` is not
    resumed (its check ids would not match); it is replaced when the new
    inspection is saved. With ``amend`` (and no draft to resume) the answers,
    notes and evidence of the last inspection are the starting point, with its
    checklist.
    """
    from orderctl.services.inspection.amend import last_answers, require_inspection

    order = ctx.store.get(order_id)
    ensure_inspectable(order)
    if amend:
        require_inspection(order)
    checklists = available_checklists(ctx)
    draft = load_draft(ctx, order_id)
    draft_name = draft.get("checklist") if draft else None
    last_name = order.inspection.checklist if amend and order.inspection else None
    warnings: list[str] = []
    if checklist_name is None and isinstance(draft_name, str) and draft_name in checklists:
        checklist = checklists[draft_name]
    elif checklist_name is None and isinstance(last_name, str) and last_name in checklists:
        checklist = checklists[last_name]
    else:
        checklist = resolve_checklist(checklists, name=checklist_name, category=order.category)
    plan = InspectionPlan(order=order, checklist=checklist, started_at=iso(ctx.now))
    if draft is not None:
        if draft_name == checklist.name:
            plan.existing = draft_answers(draft, checklist, warnings)
            plan.resumed = True
            started = draft.get("started_at")
            if isinstance(started, str) and started:
                plan.started_at = started
        else:
            warnings.append(
                f"A draft inspection with the {draft_name!r} checklist exists; it will be "
                f"replaced by this {checklist.name!r} inspection when you save"
            )
    if amend and not plan.resumed:
        plan.existing = last_answers(ctx, order, checklist, warnings, plan.evidence_names)
    plan.amend = amend
    plan.draft_notes = list(warnings)
    if not is_delivered(order):
        warnings.append(not_delivered_warning(order, ctx))
    plan.warnings = warnings
    return plan


# --------------------------------------------------------------------------- phase 2


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
    with evidence_rollback(ctx, order_id):
        stored = _store_evidence(ctx, order_id, answers)
        inspection = Inspection(
            verdict=verdict.verdict,
            checklist=checklist.name,
            started_at=plan.started_at,
            completed_at=iso(ctx.now),
            checks=tuple(inspection_check(answers[cid], stored) for cid in checklist.ids),
            suggested_reasons=tuple(verdict.suggested_reasons),
            failed=tuple(verdict.failed),
            reservations=tuple(r.check_id for r in verdict.reservations),
        )
        warnings: list[str] = []
        with ctx.store.transaction(ctx.now) as txn:
            order = txn.get(order_id)
            ensure_inspectable(order)
            details = txn.details(order_id)
            if order.inspection:
                earlier = push_inspection(details, order.inspection)
            else:
                earlier = len(earlier_inspections(details))
            inspection = replace(inspection, revision=earlier + 1)
            details.pop(DRAFT_KEY, None)
            if not is_delivered(order):
                warning = not_delivered_warning(order, ctx)
                if warning not in plan.warnings:  # already shown before the questions
                    warnings.append(warning)
                if order.delivered_at is None:
                    order.delivered_at = ctx.today
            transition(order, OrderState.INSPECTED)
            order.inspection = inspection
            order.history.append(
                HistoryEntry(
                    at=iso(ctx.now),
                    event="inspection amended" if plan.amend else "inspected",
                    verdict=verdict.verdict,
                    checklist=checklist.name,
                )
            )
            txn.set_details(order_id, details)
            txn.put(order)
    return InspectionOutcome(
        order_id=order_id,
        inspection=inspection,
        verdict=verdict,
        checklist=checklist,
        previous=earlier,
        warnings=warnings,
        next_steps=next_steps(order, verdict, ctx),
    )


def _store_evidence(
    ctx: AppContext, order_id: str, answers: Mapping[str, Answer]
) -> dict[Path, EvidenceRecord]:
    from orderctl.evidence.limits import limits_from_config
    from orderctl.services.inspection.amend import stored_record

    limits = limits_from_config(ctx.config)
    stored: dict[Path, EvidenceRecord] = {}
    for answer in answers.values():
        for path in answer.evidence:
            if path not in stored:
                # Evidence kept from an earlier inspection is already in the store.
                stored[path] = stored_record(ctx, order_id, path) or add_evidence(
                    ctx.paths.evidence_dir, order_id, path, now=ctx.now, limits=limits
                )
    return stored


# --------------------------------------------------------------------------- one call


def run_inspection(
    ctx: AppContext,
    order_id: str,
    *,
    checklist_name: str | None = None,
    answers_file: Path | None = None,
    prompter: Prompter | None = None,
    on_plan: Callable[[InspectionPlan], None] | None = None,
    amend: bool = False,
) -> InspectionOutcome:
    """The whole use case: answers from ``answers_file`` if given, else from ``prompter``.

    ``on_plan`` sees the plan before any question (to show warnings and
    whether a draft is resumed). Raises InspectionPaused when the walk stops
    unfinished; InvalidInput when neither answers nor a prompter are given.
    With ``amend`` the last inspection is the starting point: an answers file
    then only needs the checks it changes.
    """
    plan = prepare_inspection(ctx, order_id, checklist_name=checklist_name, amend=amend)
    if answers_file is not None:
        if amend:  # on top of the last inspection, not of a draft
            from orderctl.services.inspection.amend import last_answers, merge_amendment

            base = last_answers(ctx, plan.order, plan.checklist, plan.warnings)
            changed = read_answers_file(
                answers_file,
                plan.checklist,
                require_all=False,
                kept_notes={cid: answer.note for cid, answer in base.items()},
            )
            answers = merge_amendment(answers_file, base, changed)
        else:
            answers = read_answers_file(answers_file, plan.checklist)
        answers = {cid: answers[cid] for cid in plan.checklist.ids if cid in answers}
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
