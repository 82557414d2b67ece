"""Which kind of mail source a command-line argument names."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from orderctl.domain.mail.message import Headers
from orderctl.errors import InvalidInput
from orderctl.mailbox.files import EmlSource, MaildirSource, MboxSource, is_maildir

IMAP_SCHEMES = ("imap://", "imaps://")


class MailSource(Protocol):
    format: str

    def messages(
        self, wanted: Callable[[Headers], bool]
    ) -> Iterator[tuple[str, Headers, bytes | None]]: ...


def _is_mbox_file(path: Path) -> bool:
    if path.suffix.lower() == ".mbox":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def is_mail_target(targets: Sequence[str]) -> bool:
    """True when the arguments name mail (not a CSV/JSON order file)."""
    if not targets:
        return False
    first = targets[0]
    if first.lower().startswith(IMAP_SCHEMES):
        return True
    path = Path(first)
    if path.is_dir():
        return True
    return path.suffix.lower() == ".eml" or (path.is_file() and _is_mbox_file(path))


def open_file_source(targets: Sequence[str]) -> MailSource:
    """A local source: one mbox, one Maildir folder, or one or more .eml files."""
    paths = [Path(t) for t in targets]
    for path in paths:
        if not path.exists():
            raise InvalidInput(f"No such file or folder: {path}")
    if len(paths) == 1 and paths[0].is_dir():
        if not is_maildir(paths[0]):
            raise InvalidInput(
                f"{paths[0]} is a folder but not a Maildir (no cur/ or new/ inside)",
                hint="Give an mbox file, a Maildir folder, .eml files or an imaps:// URL.",
            )
        return MaildirSource(paths[0])
    if len(paths) == 1 and _is_mbox_file(paths[0]):
        return MboxSource(paths[0])
    odd = [str(p) for p in paths if p.is_dir() or p.suffix.lower() != ".eml"]
    if odd:
        raise InvalidInput(
            "Several mail sources at once must all be .eml files",
            details=odd,
        )
    return EmlSource(paths)


def open_source(targets: Sequence[str]) -> MailSource:
    if targets and targets[0].lower().startswith(IMAP_SCHEMES):
        raise InvalidInput("IMAP sources are opened with orderctl.mailbox.imap")
    return open_file_source(targets)
