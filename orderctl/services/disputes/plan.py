"""What ``dispute`` was asked to do and what it is about to do: the request and the plan.

Its own module because both :mod:`orderctl.services.disputes.opening` (which
makes the plan) and :mod:`orderctl.services.disputes.bundle` (which builds the
folder and zip from it) read these types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from orderctl.domain import dispute as dispute_rules


@dataclass
class DisputeRequest:
    order_id: str
    reason: str | None = None
    remedy: str | None = None
    amount: str | None = None
    evidence: Sequence[Path] = ()
    out: Path | None = None
    force: bool = False
    videos_outside_zip: bool = False
    sign: bool = False


@dataclass
class DisputePlan:
    """What ``open_dispute`` is about to do (shown in the confirmation question)."""

    order_id: str
    reason: str
    remedy: str
    amount: Decimal | None
    currency: str | None
    window: dispute_rules.DisputeWindow
    reopening: bool
    dest: Path
    warnings: list[str] = field(default_factory=list)
    videos_outside_zip: bool = False
    sign: bool = False

    @property
    def question(self) -> str:
        money = f" {self.amount} {self.currency or ''}".rstrip() if self.amount else ""
        what = f"{dispute_rules.REASON_LABELS[self.reason]}, {self.remedy}{money}"
        if self.reopening:
            return (
                f"Rebuild the evidence bundle for disputed order {self.order_id} ({what}) "
                f"in {self.dest}?"
            )
        return (
            f"Open a dispute for order {self.order_id} ({what}) and write its evidence bundle "
            f"to {self.dest}?"
        )
