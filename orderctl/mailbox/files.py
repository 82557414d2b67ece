"""Local mail files: ``.eml``, mbox (streamed message by message), Maildir."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from orderctl.domain.mail.message import Headers, parse_headers
from orderctl.errors import InvalidInput

Wanted = Callable[[Headers], bool]
Seen = tuple[str, Headers, bytes | None]

CHUNK = 1 << 20
_SEPARATOR = b"\nFrom "
_QUOTED_FROM = re.compile(rb"(?m)^>(>*From )")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}") from None


class EmlSource:
    """One or more files, each one RFC 5322 message."""

    format = "eml"

    def __init__(self, paths: list[Path]):
        self.paths = paths

    def messages(self, wanted: Wanted) -> Iterator[Seen]:
        for path in self.paths:
            data = _read(path)
            headers = parse_headers(data)
            yield str(path), headers, data if wanted(headers) else None


def _unquote(message: bytes) -> bytes:
    """Drop the envelope line and undo mboxrd/mboxo ``>From`` quoting."""
    newline = message.find(b"\n")
    body = message[newline + 1 :] if newline >= 0 else b""
    if b">From " in body:
        body = _QUOTED_FROM.sub(rb"\1", body)
    return body


class MboxSource:
    """An mbox file read in chunks: memory holds one message and one chunk, whatever the size.

    A line starting with ``From `` begins a message (mboxo and mboxrd quote
    such lines inside messages as ``>From``), as Python's ``mailbox`` reads it,
    but without building a table of contents of the whole file first.
    """

    format = "mbox"

    def __init__(self, path: Path):
        self.path = path

    def raw_messages(self) -> Iterator[bytes]:
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise InvalidInput(f"Cannot read {self.path}: {exc.strerror or exc}") from None
        with handle:
            buf = handle.read(max(CHUNK, 5))
            if not buf.startswith(b"From "):
                raise InvalidInput(
                    f"{self.path} is not an mbox file (it does not start with a 'From ' line)"
                )
            start, search = 0, 1
            while True:
                found = buf.find(_SEPARATOR, search)
                if found >= 0:
                    yield _unquote(buf[start : found + 1])
                    start, search = found + 1, found + 2
                    continue
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                buf = buf[start:] + chunk
                search = max(1, len(buf) - len(chunk) - len(_SEPARATOR))
                start = 0
            if start < len(buf):
                yield _unquote(buf[start:])

    def messages(self, wanted: Wanted) -> Iterator[Seen]:
        for number, data in enumerate(self.raw_messages(), start=1):
            headers = parse_headers(data)
            yield f"{self.path}#{number}", headers, data if wanted(headers) else None


class MaildirSource:
    """A Maildir folder: messages in ``cur/`` and ``new/``; ``tmp/`` is never read."""

    format = "maildir"

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self, wanted: Wanted) -> Iterator[Seen]:
        for sub in ("cur", "new"):
            directory = self.folder / sub
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if not path.is_file() or path.name.startswith("."):
                    continue
                data = _read(path)
                headers = parse_headers(data)
                yield f"{sub}/{path.name}", headers, data if wanted(headers) else None


def is_maildir(folder: Path) -> bool:
    return folder.is_dir() and ((folder / "cur").is_dir() or (folder / "new").is_dir())
