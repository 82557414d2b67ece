"""The verdict of an inspection: pass, or fail with the dispute reasons it points to.

The verdict is what the confirm-receipt guardrail and the dispute bundle act
on, so it is derived here by one rule set rather than in each command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import REASONS, Checklist


@dataclass(frozen=True)
class Reservation:
    """A check answered "pass with reservation": worth a star less in feedback, not a dispute.

    Only that explicit answer makes one; a plain pass with a note is a pass.
    """

    check_id: str
    note: str

    def to_dict(self) -> dict[str, str]:
        return {"check_id": self.check_id, "note": self.note}


@dataclass(frozen=True)
class Verdict:
    """``verdict`` is ``fail`` if any check failed, else ``pass``.

    ``unanswered`` lists checks with no answer yet: a pass with unanswered
    checks means "nothing failed so far", so callers that act on a pass
    (confirming receipt) must also require ``complete``.
    """

    verdict: str
    failed: tuple[str, ...]
    suggested_reasons: tuple[str, ...]
    reservations: tuple[Reservation, ...]
    unanswered: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    failed_without_evidence: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    @property
    def complete(self) -> bool:
        return not self.unanswered

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "complete": self.complete,
            "failed": list(self.failed),
            "suggested_reasons": list(self.suggested_reasons),
            "reservations": [r.to_dict() for r in self.reservations],
            "unanswered": list(self.unanswered),
            "not_applicable": list(self.not_applicable),
            "failed_without_evidence": list(self.failed_without_evidence),
        }


def evaluate(checklist: Checklist, answers: Mapping[str, Answer]) -> Verdict:
    """Derive the verdict; answers to checks not in ``checklist`` are ignored.

    Suggested reasons follow REASONS order (strongest case first), each once.
    """
    failed: list[str] = []
    reasons: set[str] = set()
    reservations: list[Reservation] = []
    unanswered: list[str] = []
    not_applicable: list[str] = []
    no_evidence: list[str] = []
    for check in checklist.checks:
        answer = answers.get(check.id)
        if answer is None:
            unanswered.append(check.id)
        elif answer.result is CheckResult.FAIL:
            failed.append(check.id)
            reasons.add(check.reason)
            if not answer.evidence:
                no_evidence.append(check.id)
        elif answer.result is CheckResult.NA:
            not_applicable.append(check.id)
        elif answer.result is CheckResult.RESERVATION:
            reservations.append(Reservation(check.id, answer.note))
    return Verdict(
        verdict="fail" if failed else "pass",
        failed=tuple(failed),
        suggested_reasons=tuple(r for r in REASONS if r in reasons),
        reservations=tuple(reservations),
        unanswered=tuple(unanswered),
        not_applicable=tuple(not_applicable),
        failed_without_evidence=tuple(no_evidence),
    )
