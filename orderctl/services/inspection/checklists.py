"""Which inspection checklists exist, for ``inspect`` and ``checklists``.

Split from :mod:`orderctl.services.inspection.run` so that listing or showing
checklists does not need the inspection use case: both commands read the same
bundled templates plus the user's own from ``ctx.paths.checklists_dir``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from orderctl.domain.inspection.templates import (
    Checklist,
    RawTemplate,
    build_checklists,
    read_failure,
    resolve_checklist,
    template_from_bytes,
)
from orderctl.errors import InvalidInput
from orderctl.services.context import AppContext


def load_checklists(user_dir: Path | None) -> dict[str, Checklist]:
    """The bundled templates plus the user's ``*.toml`` files, with inheritance applied.

    A missing ``user_dir`` is fine (nobody has customised anything yet); a broken
    user file raises InvalidInput naming the file and each problem in it.
    """
    raws = [
        _read_template(entry, entry.name, layer=0)
        for entry in sorted(_package_dir().iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and entry.is_file()
    ]
    if user_dir is not None and user_dir.is_dir():
        try:
            entries = sorted(p for p in user_dir.glob("*.toml") if p.is_file())
        except OSError as exc:
            raise InvalidInput(f"Cannot read the checklists folder {user_dir}: {exc}") from exc
        raws += [_read_template(path, str(path), layer=1) for path in entries]
    return build_checklists(raws)


def _package_dir() -> Traversable:
    return resources.files("orderctl").joinpath("data", "checklists")


def _read_template(entry: Traversable | Path, file_name: str, *, layer: int) -> RawTemplate:
    try:
        raw = entry.read_bytes()
    except OSError as exc:
        read_failure(file_name, exc, layer=layer)
    return template_from_bytes(raw, file_name, layer=layer)


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
