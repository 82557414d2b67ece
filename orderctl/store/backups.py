"""Verified backups of the order index and of the ``details/`` shards.

A backup is only a backup once it has been read back: it is copied with the
atomic procedure, re-read, parsed, and its order count compared with the
source. Migrations always take one first; ordinary writes take one at most
daily so a hand-broken file can be recovered from something recent. Shards
get the same treatment under ``backups/details/`` (``NN.json.bak-…``), each
shard on its own daily clock, taken just before the shard is rewritten.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from orderctl.fsutil import atomic_write_bytes
from orderctl.store.jsonfile import read_json_file

KEEP = 5
DAILY_SECONDS = 24 * 3600


class BackupFailed(Exception):
    """The copy did not read back identically."""


def list_backups(folder: Path, name: str = "orders.json") -> list[Path]:
    """Backups of the file called ``name``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{name}.bak-*"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime, path))
    return [path for _, path in sorted(found, key=lambda e: e[0], reverse=True)]


def newest_backup(folder: Path, name: str = "orders.json") -> Path | None:
    backups = list_backups(folder, name)
    return backups[0] if backups else None


def _order_count(doc: object) -> int:
    if isinstance(doc, dict) and isinstance(doc.get("orders"), dict):
        return len(doc["orders"])
    return 0


def make_backup(db_path: Path, folder: Path, label: str, stamp: str) -> Path:
    """Copy ``db_path`` into ``folder`` and verify the copy; prune old backups."""
    data = db_path.read_bytes()
    target = folder / f"{db_path.name}.bak-{label}-{stamp}"
    atomic_write_bytes(target, data, mode=0o600)
    copy = target.read_bytes()
    if copy != data or _order_count(read_json_file(target)) != _order_count(
        read_json_file(db_path)
    ):
        with contextlib.suppress(OSError):
            target.unlink()
        raise BackupFailed(f"backup {target} did not verify")
    for old in list_backups(folder, db_path.name)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def backup_due(folder: Path, now_seconds: float | None = None, name: str = "orders.json") -> bool:
    """True when no backup of ``name`` is younger than a day."""
    newest = newest_backup(folder, name)
    if newest is None:
        return True
    now_seconds = time.time() if now_seconds is None else now_seconds
    return now_seconds - newest.stat().st_mtime > DAILY_SECONDS
