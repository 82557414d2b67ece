"""Which inspection checklists exist, for ``inspect`` and ``checklists``.

Split from :mod:`orderctl.services.inspection.run` so that listing or showing
checklists does not need the inspection use case: both commands read the same
bundled templates plus the user's own from ``ctx.paths.checklists_dir``.
"""

from __future__ import annotations

from typing import Any

from orderctl.domain.checklist import Checklist, load_checklists, resolve_checklist
from orderctl.services.context import AppContext


def available_checklists(ctx: AppContext) -> dict[str, Checklist]:
    """Bundled templates plus the user's, as the buyer configured them."""
    return load_checklists(ctx.paths.checklists_dir)


def get_checklist(ctx: AppContext, name: str) -> Checklist:
    return resolve_checklist(available_checklists(ctx), name=name, category=None)


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
