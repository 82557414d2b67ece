"""Drafts of an unfinished inspection walk: saving them and picking them up again.

Split from :mod:`orderctl.services.inspection.run` because a walk stopped by
Ctrl-C or by the buyer must not lose its answers: they are kept under
``details["inspection_draft"]`` (never on the order itself, which only holds
finished inspections) and the next ``inspect`` resumes from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orderctl.domain.inspection.answers import Answer, answers_to_document, validate_answers
from orderctl.domain.inspection.templates import Checklist
from orderctl.errors import InvalidInput
from orderctl.services.context import AppContext
from orderctl.services.inspection.plan import InspectionPlan

DRAFT_KEY = "inspection_draft"


def load_draft(ctx: AppContext, order_id: str) -> dict[str, Any] | None:
    """The saved draft of ``order_id`` (read without the lock), or None."""
    draft = ctx.store.details(order_id).get(DRAFT_KEY)
    return draft if isinstance(draft, dict) else None


def draft_answers(draft: dict[str, Any], checklist: Checklist, warnings: list[str]) -> dict:
    """The draft's answers; evidence files that disappeared since are dropped with a warning."""
    try:
        answers = validate_answers(
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
