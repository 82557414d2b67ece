"""How an inspection's evidence is recorded on the order, and undone if saving fails.

Split from :mod:`orderctl.services.inspection.run` because evidence is copied
outside the store lock (copying is slow): if that copy or the transaction
after it fails, the files this run added must go again, while files that
earlier inspections stored stay untouched. The copying itself stays in the
orchestration, which calls ``add_evidence``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from orderctl.domain.inspection.answers import Answer
from orderctl.domain.records import EvidenceRef, InspectionCheck
from orderctl.evidence.store import EvidenceRecord, safe_order_dir
from orderctl.services.context import AppContext


def inspection_check(answer: Answer, stored: Mapping[Path, EvidenceRecord]) -> InspectionCheck:
    """One ``Inspection.checks`` entry; the same content attached twice is listed once.

    A file already in the evidence store (an amended inspection keeps its
    earlier evidence) is listed under the name it was added with.
    """
    evidence: list[EvidenceRef] = []
    seen: set[str] = set()
    for path in answer.evidence:
        record = stored[path]
        if record.sha256 in seen:  # the same content attached twice under two names
            continue
        seen.add(record.sha256)
        evidence.append(record.as_ref(None if _is_stored_blob(path, record) else path.name))
    return InspectionCheck(
        id=answer.check_id,
        result=answer.result.value,
        note=answer.note,
        evidence=tuple(evidence),
    )


def _is_stored_blob(path: Path, record: EvidenceRecord) -> bool:
    return (
        path.name.startswith(record.sha256) and path.parent.name == record.stored_path.split("/")[0]
    )


@contextlib.contextmanager
def evidence_rollback(ctx: AppContext, order_id: str) -> Iterator[None]:
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
