"""Bulky, rarely-read per-order data, kept apart from the order index.

Tracking events and inspection history grow with every refresh; if they sat
in the order index, ``list`` would parse them all. They live instead in
``details/NN.json`` shards (an order's shard is fixed by a hash of its id),
so ``show`` reads one small file and ``list`` reads none. Each shard is
written atomically; a shard that fails to parse is refused, never reset.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from orderctl.fsutil import atomic_write_bytes
from orderctl.store.jsonfile import CorruptFileError, dump_json, read_json_file

SHARDS = 64
DETAILS_VERSION = 1


def _shape_problem(details: Any) -> str | None:
    """Why an order's details cannot be used, or None.

    Tracking events are only required to be a list: an event this release
    cannot parse is kept and skipped by readers, never dropped.
    """
    if not isinstance(details, dict):
        return "its details must be an object"
    if not isinstance(details.get("events", []), list):
        return "events must be a list"
    draft = details.get("inspection_draft")
    if draft is not None and not isinstance(draft, dict):
        return "inspection_draft must be an object"
    if details.get("inspections") is not None:
        from orderctl.domain.records import inspection_history  # only when there is one

        try:
            inspection_history(details["inspections"])
        except TypeError as exc:
            return f"inspection history: {exc}"
    return None


def shard_name(order_id: str) -> str:
    """A fixed shard per order id (CRC-32: stable across runs and machines, cheap to import)."""
    return f"{zlib.crc32(order_id.encode('utf-8')) % SHARDS:02d}.json"


class DetailShards:
    """Lazy reader/writer of shards in one folder; remembers what changed."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._loaded: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()

    def _shard(self, name: str) -> dict[str, Any]:
        if name not in self._loaded:
            path = self.folder / name
            doc = read_json_file(path)
            if doc is None:
                doc = {"version": DETAILS_VERSION, "orders": {}}
            if not isinstance(doc, dict) or not isinstance(doc.get("orders"), dict):
                raise CorruptFileError(path, "not an orderctl details file")
            if doc.get("version") != DETAILS_VERSION:
                raise CorruptFileError(path, f"unsupported details version {doc.get('version')!r}")
            self._loaded[name] = doc
        return self._loaded[name]

    def get(self, order_id: str) -> dict[str, Any]:
        """A copy-free view of the order's details (``{}`` when it has none).

        A wrongly shaped entry (events not a list, an earlier inspection that is
        not an inspection) makes the shard corrupt here, not a crash later.
        """
        name = shard_name(order_id)
        details = self._shard(name)["orders"].get(order_id, {})
        problem = _shape_problem(details)
        if problem:
            raise CorruptFileError(self.folder / name, f"order {order_id}: {problem}")
        return details

    def set(self, order_id: str, details: dict[str, Any]) -> None:
        name = shard_name(order_id)
        orders = self._shard(name)["orders"]
        if details:
            orders[order_id] = details
        else:
            orders.pop(order_id, None)
        self._dirty.add(name)

    def remove(self, order_id: str) -> None:
        name = shard_name(order_id)
        if (self.folder / name).exists() or name in self._loaded:
            self.set(order_id, {})

    def backup_dirty(self, folder: Path, stamp: str) -> list[Path]:
        """A verified daily backup of each existing shard about to be rewritten."""
        from orderctl.store.backups import backup_due, make_backup

        made = []
        for name in sorted(self._dirty):
            path = self.folder / name
            if path.is_file() and backup_due(folder, name=name):
                made.append(make_backup(path, folder, "daily", stamp))
        return made

    def flush(self) -> int:
        """Write every changed shard; returns the number of files written."""
        for name in sorted(self._dirty):
            atomic_write_bytes(self.folder / name, dump_json(self._loaded[name]), mode=0o600)
        written = len(self._dirty)
        self._dirty.clear()
        return written
