"""The conversation with the seller, kept on the order.

Disputes are won with the chat history: what the seller promised, what they
asked for (a seller asking to confirm receipt first is a known scam), when
the buyer first complained. Each message is a note on the order; files sent
or received go to the evidence store, so the dispute bundle can include
them later even if the originals are deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from orderctl.clock import iso
from orderctl.domain.records import ConversationNote, EvidenceRef
from orderctl.errors import InvalidInput
from orderctl.services.context import AppContext

SENDERS = ("me", "seller")
NOTE_KINDS = ("message", "contact_draft", "contact_sent")
#: A note dated further ahead than this is a typo, not a message.
FUTURE_TOLERANCE = timedelta(days=1)
MAX_NOTE_CHARS = 20_000


@dataclass
class NoteResult:
    order_id: str
    note: ConversationNote
    count: int
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "note": self.note.to_dict(), "notes": self.count}


def parse_at(text: str | None, now: datetime, *, option: str = "--at") -> datetime:
    """``--at`` as an aware UTC datetime (default now); exit 2 for garbage or the future."""
    if text is None:
        return now
    from orderctl.domain.dispute import parse_moment
    from orderctl.domain.field_parsers import check_date_range

    try:
        moment = parse_moment(text)
        check_date_range(moment.date(), now.date())  # the same edge as every other date
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None
    if moment > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            f"{option}: {iso(moment)} is in the future (now is {iso(now)})",
            hint="Give the time the message was sent, e.g. 2026-11-26T08:15:00Z.",
        )
    return moment


def check_attachments(paths: Sequence[Path], ctx: AppContext | None = None) -> None:
    """Refuse links, folders, devices, missing and oversized files before anything is written.

    With ``ctx`` the size limit of ``[evidence] max_file_mb`` is checked too (photo pixel
    limits are checked while the file is copied).
    """
    from orderctl.evidence.store import check_regular_file

    limits = None
    if ctx is not None:
        from orderctl.evidence.limits import limits_from_config

        limits = limits_from_config(ctx.config)
    for path in paths:
        st = check_regular_file(Path(path), what="Attachment")
        if limits is not None:
            from orderctl.evidence.limits import check_size

            check_size(Path(path), st.st_size, limits)


def store_attachments(ctx: AppContext, order_id: str, paths: Sequence[Path]) -> list[EvidenceRef]:
    """Copy each file into the evidence store; return how the order refers to each."""
    from orderctl.evidence.limits import limits_from_config
    from orderctl.evidence.store import add_evidence

    limits = limits_from_config(ctx.config)
    attachments = []
    for path in paths:
        record = add_evidence(
            ctx.paths.evidence_dir, order_id, Path(path), now=ctx.now, limits=limits
        )
        attachments.append(record.as_ref())
    return attachments


def insert_note(notes: list[ConversationNote], note: ConversationNote) -> list[ConversationNote]:
    """``notes`` with ``note`` placed by time (a message recorded late still reads in order)."""
    merged = [*notes, note]
    merged.sort(key=lambda n: str(n.at or ""))  # stable: same time keeps entry order
    return merged


def add_note(
    ctx: AppContext,
    order_id: str,
    text: str,
    *,
    sender: str = "me",
    at: str | None = None,
    attach: Sequence[Path] = (),
    kind: str = "message",
) -> NoteResult:
    """Append one message to the order's conversation (attachments to the evidence store)."""
    sender = sender.strip().lower()
    if sender not in SENDERS:
        raise InvalidInput(f"--from: {sender!r} is not one of {', '.join(SENDERS)}")
    if kind not in NOTE_KINDS:
        raise InvalidInput(f"note kind {kind!r} is not one of {', '.join(NOTE_KINDS)}")
    body = text.strip("\n")
    if not body.strip():
        raise InvalidInput("TEXT must not be empty", hint="Quote the message, e.g. 'Hello …'.")
    if len(body) > MAX_NOTE_CHARS:
        raise InvalidInput(f"TEXT is {len(body)} characters; the limit is {MAX_NOTE_CHARS}")
    moment = parse_at(at, ctx.now)
    ctx.store.get(order_id)  # exit 3 before copying files for an order that does not exist
    check_attachments(attach, ctx)
    attachments = store_attachments(ctx, order_id, attach)
    note = ConversationNote(
        at=iso(moment), sender=sender, text=body, attachments=tuple(attachments), kind=kind
    )
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        order.notes = insert_note(order.notes, note)
        txn.put(order)
    warnings: list[str] = []
    if sender == "seller":
        from orderctl.domain.dispute import seller_red_flags

        warnings = seller_red_flags(body)
    return NoteResult(order_id, note, len(order.notes), warnings)


def detach_attachment(ctx: AppContext, order_id: str, ref: str, *, purge: bool = False) -> Any:
    """``note --detach``: take a file off the conversation's messages (the inspection keeps
    its own evidence; ``evidence rm`` removes it everywhere)."""
    from orderctl.services.inspection.amend import detach

    return detach(ctx, order_id, ref, inspection=False, notes=True, purge=purge)
