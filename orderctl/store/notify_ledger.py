"""The notification ledger: which notice went out through which channel, and when.

``notify-ledger.json`` under the home (TinyDB, the store's atomic storage)
holds one record per (notice key, channel): ``sent`` or ``failed`` with the
time, the number of attempts and a scrubbed error. A notice is due for a
channel until a record says ``sent``; a failed send is simply tried again on
the next run. A run holds the ledger's lock from its first read to its last
write, so two runs at once cannot both send the same notice, and each send's
outcome is written as soon as it is known.

The one case that can repeat a message: the process dies after a channel
accepted a message and before the ledger write that records it (SMTP and
most push services have no idempotency key to ask them). Nothing is ever lost:
the worst outcome is one duplicate.

Records older than :data:`KEEP_DAYS` are dropped when the ledger is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from orderctl.clock import iso
from orderctl.errors import StoreError
from orderctl.store.jsonfile import CorruptFileError
from orderctl.store.lock import store_lock

LEDGER_VERSION = 1
KEEP_DAYS = 400
TABLE = "sent"


def ledger_path(home: Path) -> Path:
    return home / "notify-ledger.json"


class Ledger:
    """An open ledger inside its lock (see :func:`open_ledger`)."""

    def __init__(self, path: Path, records: dict[str, dict[str, Any]]):
        self.path = path
        self.records = records
        self.writes = 0

    @staticmethod
    def _id(key: str, channel: str) -> str:
        return f"{key}#{channel}"

    def was_sent(self, key: str, channel: str) -> bool:
        record = self.records.get(self._id(key, channel))
        return bool(record) and record.get("status") == "sent"

    def record(
        self, keys: list[str], channel: str, now: datetime, error: str | None = None
    ) -> None:
        """Remember one send's outcome for every notice it carried, and write at once."""
        for key in keys:
            rid = self._id(key, channel)
            old = self.records.get(rid) or {}
            self.records[rid] = {
                "key": key,
                "channel": channel,
                "status": "failed" if error else "sent",
                "at": iso(now),
                "attempts": int(old.get("attempts") or 0) + 1,
                "error": error,
            }
        self.flush(now)

    def flush(self, now: datetime) -> None:
        from orderctl.store.atomic_storage import AtomicJSONStorage

        cutoff = iso(now - timedelta(days=KEEP_DAYS))
        kept = [r for r in self.records.values() if str(r.get("at") or "") >= cutoff]
        document = {
            "meta": {"1": {"version": LEDGER_VERSION}},
            TABLE: {str(i): r for i, r in enumerate(kept, start=1)},
        }
        try:
            AtomicJSONStorage(self.path).write(document)
        except OSError as exc:
            raise StoreError(
                f"Could not write the notification ledger {self.path}: {exc.strerror or exc}",
                hint="Free some disk space or check the folder's permissions; notices that "
                "were sent but not recorded may be sent once more.",
            ) from None
        self.writes += 1


def _read(path: Path) -> dict[str, dict[str, Any]]:
    from tinydb import TinyDB

    from orderctl.store.atomic_storage import AtomicJSONStorage

    try:
        db = TinyDB(path, storage=AtomicJSONStorage)
        try:
            meta = db.table("meta").all()
            version = meta[0].get("version") if meta else LEDGER_VERSION
            if version != LEDGER_VERSION:
                raise StoreError(
                    f"{path} was written by another orderctl version (ledger {version!r}); "
                    "nothing was sent or changed",
                    hint="Upgrade orderctl, or move the file away to start a new ledger.",
                )
            rows = db.table(TABLE).all()
        finally:
            db.close()
    except CorruptFileError as exc:
        raise StoreError(
            f"The notification ledger {path} cannot be used: {exc.reason}. It was left unchanged",
            hint="Repair it by hand, or move it away (notices already sent may then repeat).",
        ) from None
    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        if isinstance(row.get("key"), str) and isinstance(row.get("channel"), str):
            records[Ledger._id(row["key"], row["channel"])] = dict(row)
    return records


def read_ledger(home: Path) -> Ledger:
    """A read-only view without the lock (a dry run)."""
    path = ledger_path(home)
    return Ledger(path, _read(path) if path.exists() else {})


@contextlib.contextmanager
def open_ledger(home: Path, timeout: float) -> Iterator[Ledger]:
    """Lock the ledger for one run and read it; the caller records each send as it happens."""
    path = ledger_path(home)
    with store_lock(path.with_name(path.name + ".lock"), timeout):
        yield Ledger(path, _read(path) if path.exists() else {})
