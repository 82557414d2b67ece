"""Reading and serialising the store's JSON files, without TinyDB.

Read-only commands parse the files with these directly (importing TinyDB
costs start-up time and adds nothing to a plain read); transactions go
through TinyDB with :class:`orderctl.store.atomic_storage.AtomicJSONStorage`,
which uses the same functions, so both paths refuse the same broken files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class CorruptFileError(Exception):
    """The file exists but is not a JSON document orderctl can read."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_json_file(path: Path) -> Any | None:
    """The parsed document, ``None`` if the file does not exist, or CorruptFileError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return parse_json_bytes(path, raw)


def parse_json_bytes(path: Path, raw: bytes) -> Any:
    """Parse a store file's bytes; empty, non-UTF-8, invalid or ``null`` is corruption."""
    if not raw.strip():
        raise CorruptFileError(path, "the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CorruptFileError(path, "the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CorruptFileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if data is None:
        raise CorruptFileError(path, "the file holds JSON null, not orderctl data")
    return data


def dump_json(data: Any) -> bytes:
    """Compact, UTF-8, deterministic enough for diffing; raises before any disk I/O."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
