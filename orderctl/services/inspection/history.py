"""An order's earlier inspections, kept in its details shard (``inspections``).

The order itself holds only the current inspection; every inspection it
replaced (a new walk, ``--amend``, ``evidence add``/``rm``) is pushed here first,
so nothing an inspection recorded is ever overwritten. Entries are read as
:class:`~orderctl.domain.records.Inspection` records (``None`` marks an
amendment that had no inspection before it).
"""

from __future__ import annotations

from typing import Any

from orderctl.domain.records import Inspection, inspection_history, inspection_history_data

HISTORY_KEY = "inspections"


def earlier_inspections(details: dict[str, Any]) -> tuple[Inspection | None, ...]:
    """The inspections ``details`` keeps, oldest first (TypeError on a wrong shape)."""
    return inspection_history(details.get(HISTORY_KEY))


def push_inspection(details: dict[str, Any], replaced: Inspection | None) -> int:
    """Append ``replaced`` to the history in ``details``; return how many it now holds.

    The entries already there are written back as they were read (the records
    keep their stored form), so pushing never rewrites an earlier inspection.
    """
    history = [*earlier_inspections(details), replaced]
    details[HISTORY_KEY] = inspection_history_data(history)
    return len(history)


__all__ = ["HISTORY_KEY", "earlier_inspections", "push_inspection"]
