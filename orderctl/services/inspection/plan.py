"""What an inspection starts from: :class:`InspectionPlan`.

Its own module because :mod:`orderctl.services.inspection.run` (which makes
the plan) and :mod:`orderctl.services.inspection.drafts` (which saves a draft
of it) both read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orderctl.domain.inspection.answers import Answer
from orderctl.domain.inspection.templates import Checklist
from orderctl.domain.models import Order


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
    amend: bool = False  # starts from the last inspection (``inspect --amend``)
    evidence_names: dict[str, str] = field(default_factory=dict)  # stored path -> file name

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
