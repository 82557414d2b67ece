"""A TinyDB storage that never leaves a half-written file.

TinyDB's stock ``JSONStorage`` rewrites the file in place; a crash mid-write
leaves invalid JSON (measured: 5 of 40 SIGKILLs). This storage serialises
first, writes a temp file beside the target, fsyncs, and renames it over the
old file (``orderctl.fsutil``). It also refuses to treat an existing but empty
or unparsable file as an empty database: that is corruption, reported, and
the file is left byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from orderctl.fsutil import atomic_write_bytes


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


class AtomicJSONStorage(Storage):
    """TinyDB storage: read whole file, write whole file atomically."""

    def __init__(self, path: str | Path, **_: Any):
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = read_json_file(self.path)
        if data is not None and not isinstance(data, dict):
            raise CorruptFileError(self.path, "the top level is not a JSON object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write_bytes(self.path, dump_json(data), mode=0o600)

    def close(self) -> None:
        """Nothing stays open between operations."""
