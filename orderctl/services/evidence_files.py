"""The evidence an order's inspection references, and where its stored files are.

Feedback (photos to publish) and disputes (files for the bundle) both walk
the inspection's checks for their evidence references and look each one up
in the evidence store. Doing that in one place keeps the two readers in
step: the same checks count, and a stored path is always resolved through
:func:`orderctl.evidence.store.resolve`, which refuses a record pointing
outside the store. :mod:`orderctl.evidence` is imported lazily (start-up time).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from orderctl.domain.models import Order
from orderctl.domain.records import EvidenceRef, InspectionCheck

if TYPE_CHECKING:
    from orderctl.evidence.store import EvidenceRecord


def inspection_checks(order: Order) -> list[InspectionCheck]:
    """The recorded checks of the order's inspection (none without an inspection)."""
    return list(order.inspection.checks) if order.inspection else []


def inspection_evidence(order: Order) -> list[tuple[InspectionCheck, EvidenceRef]]:
    """``(check, evidence reference)`` pairs in check order; duplicates are left to the caller."""
    return [(check, ev) for check in inspection_checks(order) for ev in check.evidence]


def stored_file(
    evidence_root: Path, order_id: str, sha256: str
) -> tuple[EvidenceRecord, Path] | None:
    """The store's record for ``sha256`` and its absolute path, or None when it is not stored.

    Raises InvalidInput (via ``resolve``) for a record whose stored path is unsafe.
    """
    from orderctl.evidence.store import find_evidence, resolve

    record = find_evidence(evidence_root, order_id, sha256)
    if record is None:
        return None
    return record, resolve(evidence_root, record)


__all__ = ["inspection_checks", "inspection_evidence", "stored_file"]
