"""The order store: the one way in and out of orderctl's data.

Reads need no lock (``os.replace`` means a reader sees the old or the new
file, never a mix). Every read-modify-write is a :class:`Transaction`: take
the lock, open a fresh TinyDB (no stale caches or document ids), read and
validate, let the caller change orders, then write once. Details shards are
written before the order index, so the index write is the commit point.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orderctl import __version__
from orderctl.clock import iso
from orderctl.domain.models import Order
from orderctl.errors import NotFound, StoreError
from orderctl.fsutil import atomic_write_bytes, remove_stale_temp_files
from orderctl.paths import Paths
from orderctl.store import schema
from orderctl.store.backups import BackupFailed, backup_due, make_backup, newest_backup
from orderctl.store.gc_pause import collector_paused
from orderctl.store.jsonfile import CorruptFileError, dump_json, parse_json_bytes, read_json_file
from orderctl.store.lock import store_lock
from orderctl.store.shards import DetailShards

if TYPE_CHECKING:
    from tinydb import TinyDB


def _open_db(paths: Paths) -> TinyDB:
    """A fresh TinyDB for one transaction (no stale caches or document ids)."""
    from tinydb import TinyDB

    from orderctl.store.atomic_storage import AtomicJSONStorage

    return TinyDB(paths.db, storage=AtomicJSONStorage)


@dataclass
class Snapshot:
    """What a read found: validated orders keyed by id, in stored order."""

    version: int
    entries: dict[str, tuple[str, Order]]
    providers: dict[str, dict[str, Any]]
    meta: dict[str, Any] | None

    def orders(self) -> list[Order]:
        return [order for _, order in self.entries.values()]


@dataclass
class Transaction:
    """Changes gathered under the lock and written once on success."""

    snapshot: Snapshot
    shards: DetailShards
    now: datetime
    _changed: bool = False
    _removed_details: set[str] = field(default_factory=set)

    def orders(self) -> list[Order]:
        return self.snapshot.orders()

    def find(self, order_id: str) -> Order | None:
        entry = self.snapshot.entries.get(order_id)
        return entry[1] if entry else None

    def get(self, order_id: str) -> Order:
        order = self.find(order_id)
        if order is None:
            raise not_found(order_id)
        return order

    def put(self, order: Order) -> None:
        """Insert or replace an order (stamping created/updated times)."""
        stamp = iso(self.now)
        entry = self.snapshot.entries.get(order.order_id)
        order.created_at = order.created_at or (entry[1].created_at if entry else None) or stamp
        order.updated_at = stamp
        self.snapshot.entries[order.order_id] = (entry[0] if entry else "", order)
        self._removed_details.discard(order.order_id)
        self._changed = True

    def delete(self, order_id: str) -> Order:
        order = self.get(order_id)
        del self.snapshot.entries[order_id]
        self.shards.get(order_id)  # a corrupt shard is refused before anything is written
        # Its details go only after the index no longer lists the order (see _commit):
        # a failed write must not leave an order without its history.
        self._removed_details.add(order_id)
        self._changed = True
        return order

    def details(self, order_id: str) -> dict[str, Any]:
        """A mutable copy of the order's bulky data; store it back with :meth:`set_details`."""
        stored = self.shards.get(order_id)
        return {k: list(v) if isinstance(v, list) else v for k, v in stored.items()}

    def set_details(self, order_id: str, details: dict[str, Any]) -> None:
        self.shards.set(order_id, details)
        self._changed = True

    def discard(self) -> None:
        """Write nothing on exit (a dry run reads under the lock but never writes)."""
        self._changed = False

    def provider_state(self, provider: str) -> dict[str, Any]:
        return dict(self.snapshot.providers.get(provider, {}))

    def set_provider_state(self, provider: str, state: dict[str, Any]) -> None:
        self.snapshot.providers[provider] = state
        self._changed = True


def _find_order(raw: Any, order_id: str) -> dict[str, Any] | None:
    orders = raw.get(schema.ORDERS_TABLE) if isinstance(raw, dict) else None
    for doc in (orders or {}).values():
        if isinstance(doc, dict) and str(doc.get("order_id")) == order_id:
            return doc
    return None


def not_found(order_id: str) -> NotFound:
    return NotFound(f"No order {order_id!r} in the order book", hint="Run `orderctl list`.")


class OrderStore:
    """Reads and transactions over one orderctl home."""

    def __init__(self, paths: Paths, *, lock_timeout: float = 10.0):
        self.paths = paths
        self.lock_timeout = lock_timeout
        self.index_writes = 0  # counted for tests and benchmarks: one per committed transaction
        self.shard_writes = 0

    # -- reading -------------------------------------------------------------------------------

    def _corrupt(self, reason: str) -> StoreError:
        backup = newest_backup(self.paths.backups_dir)
        where = f"newest backup: {backup}" if backup else "no backup exists yet"
        return StoreError(
            f"The order store {self.paths.db} cannot be used: {reason}. It was left unchanged",
            hint=f"Repair the file by hand or restore a backup ({where}).",
        )

    @property
    def shard_backups_dir(self) -> Path:
        return self.paths.backups_dir / "details"

    def _corrupt_file(self, exc: CorruptFileError) -> StoreError:
        """A corrupt store file other than the index: name that file and its own backup."""
        if exc.path == self.paths.db:
            return self._corrupt(exc.reason)
        backup = newest_backup(self.shard_backups_dir, exc.path.name)
        where = f"newest backup: {backup}" if backup else "no backup exists yet"
        return StoreError(
            f"The order details file {exc.path} cannot be used: {exc.reason}. It was left"
            " unchanged",
            hint=f"Repair the file by hand or restore a backup ({where}).",
        )

    def _index_bytes(self) -> bytes | None:
        try:
            return self.paths.db.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"Cannot read {self.paths.db}: {exc.strerror}") from None

    def _read(self, db: TinyDB | None = None, data: bytes | None = None) -> Snapshot:
        """Validate the index: the transaction's TinyDB, given bytes, or the file directly."""
        with collector_paused():
            return self._read_index(db, data)

    def _read_index(self, db: TinyDB | None, data: bytes | None) -> Snapshot:
        try:
            if db is not None:
                raw = db.storage.read()
            elif data is not None:
                raw = parse_json_bytes(self.paths.db, data)
            else:
                raw = read_json_file(self.paths.db)
            if raw is not None and not isinstance(raw, dict):
                raise CorruptFileError(self.paths.db, "the top level is not a JSON object")
        except CorruptFileError as exc:
            raise self._corrupt(exc.reason) from None
        except OSError as exc:
            raise StoreError(f"Cannot read {self.paths.db}: {exc.strerror}") from None
        raw = raw or {}
        try:
            version = schema.schema_version(raw)
            if version > schema.SCHEMA_VERSION:
                raise StoreError(
                    f"{self.paths.db} was written by a newer orderctl (schema {version}; this "
                    f"version understands up to {schema.SCHEMA_VERSION}). Nothing was changed",
                    hint="Upgrade orderctl (pip install -U orderctl).",
                )
            if version < schema.SCHEMA_VERSION and raw:
                raw = schema.migrate(raw, version)
            entries = schema.validate(raw)
        except schema.SchemaProblem as exc:
            raise self._corrupt(str(exc)) from None
        meta_table = raw.get(schema.META_TABLE) or {}
        meta = next(iter(meta_table.values())) if meta_table else None
        providers = {
            doc.get("name", key): {k: v for k, v in doc.items() if k != "name"}
            for key, doc in (raw.get(schema.PROVIDERS_TABLE) or {}).items()
        }
        return Snapshot(version=version, entries=entries, providers=providers, meta=meta)

    def snapshot(self) -> Snapshot:
        """A validated read without the lock (commands that only read)."""
        return self._read()

    def orders(self) -> list[Order]:
        return self.snapshot().orders()

    def get(self, order_id: str) -> Order:
        """One order; the whole index is validated unless these exact bytes already were."""
        data = self._index_bytes()
        if data is not None and self._cached("validated", data, {}) is True:
            doc = _find_order(parse_json_bytes(self.paths.db, data), order_id)
            if doc is None:
                raise not_found(order_id)
            return Order.from_dict(doc)
        snapshot = self._read(data=data) if data is not None else self._read()
        if data is not None and snapshot.version == schema.SCHEMA_VERSION:
            self._store_cache("validated", data, {}, True)
        entry = snapshot.entries.get(order_id)
        if entry is None:
            raise not_found(order_id)
        return entry[1]

    def derived(self, name: str, key: dict[str, Any], compute: Callable[[Snapshot], Any]) -> Any:
        """A JSON value computed from the validated index, cached against its exact bytes.

        ``list`` at 10,000 orders spends most of its time validating every order and
        working out deadlines, and neither changes unless the index (or ``key``: the date,
        the config) does. The cache is keyed by the size and CRC-32 of the bytes the value
        was computed from, so any write, by orderctl or by hand, misses it and goes through
        full validation again (a broken file is still refused). An unreadable cache or one
        from another version is ignored; failing to write one is harmless.
        """
        data = self._index_bytes()
        if data is None:
            return compute(self._read())
        hit = self._cached(name, data, key)
        if hit is not None:
            return hit
        with collector_paused():
            value = compute(self._read(data=data))
        self._store_cache(name, data, key, value)
        return value

    def _cache_key(self, data: bytes, key: dict[str, Any]) -> dict[str, Any]:
        return {"index": f"{len(data)}-{zlib.crc32(data):08x}", "version": __version__, **key}

    def _cached(self, name: str, data: bytes, key: dict[str, Any]) -> Any:
        try:
            cached = json.loads((self.paths.cache_dir / f"{name}.json").read_bytes())
            if cached["key"] == self._cache_key(data, key):
                return cached["value"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def _store_cache(self, name: str, data: bytes, key: dict[str, Any], value: Any) -> None:
        document = {"key": self._cache_key(data, key), "value": value}
        with contextlib.suppress(OSError, TypeError, ValueError):
            atomic_write_bytes(self.paths.cache_dir / f"{name}.json", dump_json(document))

    def details(self, order_id: str) -> dict[str, Any]:
        try:
            return DetailShards(self.paths.details_dir).get(order_id)
        except CorruptFileError as exc:
            raise self._corrupt_file(exc) from None
        except OSError as exc:
            raise StoreError(f"Cannot read {self.paths.details_dir}: {exc.strerror}") from None

    # -- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, now: datetime) -> Iterator[Transaction]:
        """Lock, read, yield, and write once if anything changed (nothing on error)."""
        with store_lock(self.paths.lock, self.lock_timeout):
            for folder in (self.paths.home, self.paths.details_dir, self.paths.backups_dir):
                remove_stale_temp_files(folder)
            db = _open_db(self.paths)
            snapshot = self._read(db)
            shards = DetailShards(self.paths.details_dir)
            txn = Transaction(snapshot=snapshot, shards=shards, now=now)
            try:
                yield txn
            except CorruptFileError as exc:
                raise self._corrupt_file(exc) from None
            if txn._changed:
                self._commit(db, txn)

    def _commit(self, db: TinyDB, txn: Transaction) -> None:
        snapshot = txn.snapshot
        stamp = txn.now.strftime("%Y%m%dT%H%M%SZ")
        if self.paths.db.exists():
            label = f"v{snapshot.version}" if snapshot.version < schema.SCHEMA_VERSION else "daily"
            if label != "daily" or backup_due(self.paths.backups_dir):
                try:
                    make_backup(self.paths.db, self.paths.backups_dir, label, stamp)
                except (OSError, BackupFailed) as exc:
                    raise StoreError(
                        f"Could not make a verified backup before writing: {exc}. Nothing was "
                        "changed"
                    ) from None
        try:
            txn.shards.backup_dirty(self.shard_backups_dir, stamp)
        except (OSError, BackupFailed) as exc:
            raise StoreError(
                f"Could not make a verified backup of a details file before writing: {exc}."
                " Nothing was changed"
            ) from None
        try:
            self.shard_writes += txn.shards.flush()
            db.storage.write(self._raw(txn))
            self.index_writes += 1
            written = db.storage.last_written
            if written is not None:  # built from validated orders: no need to check it again
                self._store_cache("validated", written, {}, True)
            self._write_ids(txn)
            for order_id in txn._removed_details:
                txn.shards.remove(order_id)
            self.shard_writes += txn.shards.flush()  # at worst leaves orphaned details
        except OSError as exc:
            raise StoreError(
                f"Could not write {self.paths.db}: {exc.strerror or exc}. The order store was"
                " left as it was",
                hint="Free some disk space or check the folder's permissions, then try again.",
            ) from None

    def _write_ids(self, txn: Transaction) -> None:
        """Keep the shell-completion id list in step with the index (see ids_cache)."""
        from orderctl.store.ids_cache import IdEntry, write_ids

        write_ids(
            self.paths,
            (
                IdEntry(oid, order.state.value, order.platform, order.title)
                for oid, (_doc_id, order) in txn.snapshot.entries.items()
            ),
        )

    def _raw(self, txn: Transaction) -> dict[str, dict[str, Any]]:
        snapshot = txn.snapshot
        used = [int(doc_id) for doc_id, _ in snapshot.entries.values() if doc_id]
        next_id = max(used, default=0) + 1
        orders: dict[str, Any] = {}
        for doc_id, order in snapshot.entries.values():
            if not doc_id:
                doc_id = str(next_id)
                next_id += 1
            orders[doc_id] = order.to_storage()
        meta = dict(snapshot.meta or {})
        meta.update(schema.meta_document(__version__, meta.get("created") or iso(txn.now)))
        providers = {
            str(i): {"name": name, **state}
            for i, (name, state) in enumerate(sorted(snapshot.providers.items()), start=1)
        }
        raw: dict[str, dict[str, Any]] = {
            schema.META_TABLE: {"1": meta},
            schema.ORDERS_TABLE: orders,
        }
        if providers:
            raw[schema.PROVIDERS_TABLE] = providers
        return raw
