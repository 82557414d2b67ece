"""Changing a saved inspection without redoing it: amend, attach, detach.

Every change records a new revision of the inspection: the previous one goes
to the order's inspection history (nothing is ever overwritten), the new one
gets ``revision`` = its number. Evidence kept from an earlier revision is
already in the content-addressed store, so it is looked up there instead of
being copied again.

- ``inspect ID --amend`` starts from :func:`last_answers` (answers, notes,
  evidence of the last inspection) and saves through the normal inspection path.
- ``evidence add ID CHECK FILE...`` (:func:`attach_to_check`) adds files to one
  check of the last inspection; the verdict does not change.
- ``evidence rm ID FILE_OR_HASH`` and ``note ID --detach FILE_OR_HASH``
  (:func:`detach`) take an attachment off the inspection and/or the
  conversation, so a file that cannot go into a bundle (too large, wrong
  photo) never blocks a dispute. The stored copy stays unless ``purge`` is
  asked and nothing current still uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orderctl.clock import iso
from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import Checklist
from orderctl.domain.models import Order
from orderctl.domain.records import EvidenceRef, HistoryEntry, Inspection
from orderctl.domain.wording import plural
from orderctl.errors import InvalidInput, NotFound
from orderctl.services.context import AppContext
from orderctl.services.inspection.history import push_inspection

if TYPE_CHECKING:
    from orderctl.evidence.store import EvidenceRecord

_HEX = re.compile(r"^[0-9a-f]{8,64}$")


def require_inspection(order: Order) -> Inspection:
    """The order's last inspection, or NotFound with what to run instead."""
    inspection = order.inspection
    if inspection is None or not inspection.checks:
        raise NotFound(
            f"Order {order.order_id} has no saved inspection to change",
            hint=f"Inspect it first: orderctl inspect {order.order_id}",
        )
    return inspection


def stored_record(ctx: AppContext, order_id: str, path: Path) -> EvidenceRecord | None:
    """The store's record when ``path`` is a file of this order's evidence store, else None."""
    from orderctl.evidence.store import find_evidence, safe_order_dir

    folder = ctx.paths.evidence_dir / safe_order_dir(order_id)
    if Path(path).parent != folder:
        return None
    sha = Path(path).name.split(".", 1)[0]
    return find_evidence(ctx.paths.evidence_dir, order_id, sha)


def last_answers(
    ctx: AppContext,
    order: Order,
    checklist: Checklist,
    warnings: list[str],
    names: dict[str, str] | None = None,
) -> dict[str, Answer]:
    """The last inspection's answers, its evidence pointing at the stored copies.

    Checks the checklist no longer has, and stored files that are gone, are
    dropped with a warning. ``names`` (if given) receives each stored path's
    original file name, for display.
    """
    from orderctl.services.evidence_files import stored_file

    inspection = require_inspection(order)
    answers: dict[str, Answer] = {}
    for check in inspection.checks:
        cid = str(check.id)
        if cid not in checklist.ids:
            warnings.append(f"{cid}: not a check of the {checklist.name!r} checklist; dropped")
            continue
        try:
            result = CheckResult(str(check.result))
        except ValueError:
            warnings.append(f"{cid}: unknown result {check.result!r}; answer it again")
            continue
        paths: list[Path] = []
        for ev in check.evidence:
            found = stored_file(ctx.paths.evidence_dir, order.order_id, ev.sha256 or "")
            if found is None or not found[1].is_file():
                warnings.append(f"{cid}: stored evidence {ev.name} is gone; attach it again")
                continue
            paths.append(found[1])
            if names is not None:
                names[str(found[1])] = str(ev.name or found[1].name)
        answers[cid] = Answer(cid, result, str(check.note or ""), tuple(paths))
    return {cid: answers[cid] for cid in checklist.ids if cid in answers}


def merge_amendment(
    path: Path, base: dict[str, Answer], changed: dict[str, Answer]
) -> dict[str, Answer]:
    """``inspect --amend --answers FILE``: the file's checks over the last inspection's.

    A check in the file that leaves out ``note`` or ``evidence`` keeps the last
    inspection's note or evidence (give ``note = ""`` or ``evidence = []`` to clear them).
    """
    from orderctl.domain.inspection.answers import answers_format, decode_answers_text
    from orderctl.services.inspection.answers_file import read_small_file

    text = read_small_file(path).decode("utf-8-sig")
    raw = decode_answers_text(text, answers_format(str(path)), source=str(path))
    entries = raw.get("checks") if isinstance(raw, dict) else {}
    merged = dict(base)
    for cid, answer in changed.items():
        entry = entries.get(cid) if isinstance(entries, dict) else None
        old = base.get(cid)
        if old is not None and isinstance(entry, dict):
            note = answer.note if "note" in entry else old.note
            evidence = answer.evidence if "evidence" in entry else old.evidence
            answer = Answer(cid, answer.result, note, evidence)
        merged[cid] = answer
    return merged


# --------------------------------------------------------------------------- revisions


def _save_revision(txn: Any, order: Order, inspection: Inspection, event: str, now: Any) -> int:
    """Push the current inspection to the history and make ``inspection`` the current one."""
    details = txn.details(order.order_id)
    earlier = push_inspection(details, order.inspection)
    revision = earlier + 1
    order.inspection = replace(inspection, revision=revision, completed_at=iso(now))
    order.history.append(HistoryEntry(at=iso(now), event=event, revision=revision))
    txn.set_details(order.order_id, details)
    txn.put(order)
    return revision


@dataclass
class Change:
    """What ``evidence add``/``rm`` or ``note --detach`` did."""

    order_id: str
    action: str  # "added" or "removed"
    files: list[EvidenceRef]
    check_id: str | None = None
    revision: int | None = None  # the inspection's new revision, if it changed
    notes_changed: int = 0
    purged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "action": self.action,
            "check_id": self.check_id,
            "files": [f.to_dict() for f in self.files],
            "revision": self.revision,
            "notes_changed": self.notes_changed,
            "purged": self.purged,
        }


def attach_to_check(ctx: AppContext, order_id: str, check_id: str, files: Sequence[Path]) -> Change:
    """Copy ``files`` into the store and add them to ``check_id`` of the last inspection."""
    from orderctl.services.inspection.answers_file import evidence_problem
    from orderctl.services.inspection.evidence import evidence_rollback

    order = ctx.store.get(order_id)
    inspection = require_inspection(order)
    ids = [str(c.id) for c in inspection.checks]
    if check_id not in ids:
        raise InvalidInput(
            f"The inspection of {order_id} has no check {check_id!r}",
            hint=f"Its checks: {', '.join(ids)}",
        )
    if not files:
        raise InvalidInput("Name at least one FILE to attach")
    problems = [p for f in files if (p := evidence_problem(Path(f))) is not None]
    if problems:
        raise InvalidInput(
            f"{plural(len(problems), 'file')} cannot be attached; nothing was saved.",
            details=problems,
        )
    from orderctl.evidence.store import add_evidence

    with evidence_rollback(ctx, order_id):
        records = [
            add_evidence(ctx.paths.evidence_dir, order_id, Path(f), now=ctx.now) for f in files
        ]
        with ctx.store.transaction(ctx.now) as txn:
            order = txn.get(order_id)
            current = require_inspection(order)
            check = current.check(check_id)
            assert check is not None  # the same order, read again under the lock
            have = {e.sha256 for e in check.evidence}
            added: list[EvidenceRef] = []
            for path, record in zip(files, records, strict=True):
                if record.sha256 in have:
                    continue
                have.add(record.sha256)
                added.append(record.as_ref(Path(path).name))
            revision = None
            if added:
                grown = replace(check, evidence=(*check.evidence, *added))
                new = replace(
                    current, checks=tuple(grown if c is check else c for c in current.checks)
                )
                revision = _save_revision(txn, order, new, "evidence added", ctx.now)
    change = Change(order_id, "added", added, check_id=check_id, revision=revision)
    if not added:
        change.warnings.append(f"{check_id} already has these files; nothing changed")
    return change


# --------------------------------------------------------------------------- detach


def _sha_of_file(path: Path) -> str | None:
    try:
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def _references(order: Order, *, inspection: bool, notes: bool) -> list[EvidenceRef]:
    refs: list[EvidenceRef] = []
    if inspection and order.inspection is not None:
        refs += order.inspection.evidence_refs()
    if notes:
        for note in order.notes:
            refs += note.attachments
    return refs


def match_attachment(refs: Sequence[EvidenceRef], ref: str) -> str:
    """The sha256 that ``ref`` names: a full or unique-prefix hash, a file name, or a file.

    NotFound when nothing matches; InvalidInput when a prefix or name is ambiguous.
    """
    text = ref.strip()
    shas = list(dict.fromkeys(str(r.sha256) for r in refs))
    low = text.lower()
    if _HEX.match(low):
        hits = [s for s in shas if s.startswith(low)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise InvalidInput(
                f"{text!r} matches {len(hits)} attachments", hint="Give more of the hash."
            )
    by_name = list(dict.fromkeys(str(r.sha256) for r in refs if r.name == text))
    if not by_name and (os.sep in text or Path(text).is_file()):
        sha = _sha_of_file(Path(text).expanduser())
        by_name = [sha] if sha in shas else by_name
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise InvalidInput(
            f"{len(by_name)} different attachments are named {text!r}",
            hint="Give the hash instead (orderctl evidence list ORDER_ID shows them).",
        )
    raise NotFound(
        f"No attachment matches {text!r}",
        hint="orderctl evidence list ORDER_ID shows the attachments with their hashes.",
    )


def detach(
    ctx: AppContext,
    order_id: str,
    ref: str,
    *,
    inspection: bool = True,
    notes: bool = True,
    purge: bool = False,
) -> Change:
    """Take the attachment ``ref`` off the last inspection and/or the notes.

    The inspection gets a new revision (its history keeps the old ones); the
    verdict does not change. With ``purge`` the stored copy is deleted too, once
    nothing current refers to it (older revisions then name a file no longer kept).
    """
    order = ctx.store.get(order_id)
    sha = match_attachment(_references(order, inspection=inspection, notes=notes), ref)
    removed: list[EvidenceRef] = []
    revision = None
    notes_changed = 0
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        if inspection and order.inspection:
            checks = []
            for check in order.inspection.checks:
                kept = tuple(e for e in check.evidence if e.sha256 != sha)
                removed += [e for e in check.evidence if e.sha256 == sha]
                checks.append(replace(check, evidence=kept))
            new = replace(order.inspection, checks=tuple(checks))
            if removed:
                revision = _save_revision(txn, order, new, "evidence removed", ctx.now)
        if notes:
            for i, note in enumerate(order.notes):
                attachments = note.attachments
                kept = tuple(a for a in attachments if a.sha256 != sha)
                if len(kept) != len(attachments):
                    removed += [a for a in attachments if a.sha256 == sha]
                    order.notes[i] = replace(note, attachments=kept)
                    notes_changed += 1
            if notes_changed:
                order.history.append(
                    HistoryEntry(at=iso(ctx.now), event="attachment detached", sha256=sha)
                )
                txn.put(order)
        still_used = sha in {r.sha256 for r in _references(order, inspection=True, notes=True)}
    files = list({e.sha256: e for e in removed}.values())
    change = Change(order_id, "removed", files, revision=revision, notes_changed=notes_changed)
    if purge:
        if still_used:
            change.warnings.append(
                "The stored copy is kept: the "
                + ("conversation" if inspection else "inspection")
                + " still uses it"
            )
        else:
            change.purged = _purge(ctx, order_id, sha)
    return change


def _purge(ctx: AppContext, order_id: str, sha: str) -> list[str]:
    from orderctl.evidence.store import find_evidence, resolve, safe_order_dir

    record = find_evidence(ctx.paths.evidence_dir, order_id, sha)
    gone: list[str] = []
    if record is None:
        return gone
    folder = ctx.paths.evidence_dir / safe_order_dir(order_id)
    for path in (resolve(ctx.paths.evidence_dir, record), folder / f"{sha}.json"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            gone.append(path.name)
    return gone


@dataclass(frozen=True)
class Attachment:
    """A file the order uses (first reference to it) and every place that uses it."""

    ref: EvidenceRef
    used_by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": str(self.ref.sha256),
            "name": self.ref.name,
            "media_type": self.ref.media_type,
            "size": self.ref.size,
            "used_by": list(self.used_by),
        }


def list_attachments(ctx: AppContext, order_id: str) -> list[Attachment]:
    """Every file the order's inspection and conversation use, with where it is used."""
    order = ctx.store.get(order_id)
    rows: dict[str, Attachment] = {}

    def add(ref: EvidenceRef, where: str) -> None:
        sha = str(ref.sha256)
        row = rows.get(sha) or Attachment(ref, ())
        if where not in row.used_by:
            rows[sha] = replace(row, used_by=(*row.used_by, where))

    for check in order.inspection.checks if order.inspection else ():
        for ev in check.evidence:
            add(ev, f"check:{check.id}")
    for note in order.notes:
        for att in note.attachments:
            add(att, f"note:{note.at}")
    return list(rows.values())
