"""OrderStore transactions: one write per command, nothing on error, no stale reads,
details shards before the index, and what a failed index write leaves behind."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderctl.domain.models import Order
from orderctl.errors import StoreError
from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX
from orderctl.paths import Paths
from orderctl.store import backups
from orderctl.store.repository import OrderStore
from orderctl.store.shards import DetailShards

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
EVENT = {
    "time": "2026-11-20T08:00:00",
    "time_utc": "2026-11-20T08:00:00Z",
    "status": "in_transit",
    "description": "Departed from sorting center",
    "location": "Shenzhen",
    "provider": "test",
    "detail": None,
}


def _id(k: int) -> str:
    return str(8100000000000000 + k)


@pytest.fixture
def store(tmp_path: Path) -> OrderStore:
    return OrderStore(Paths(tmp_path))


def _fill(store: OrderStore, count: int, *, events: bool = False) -> None:
    with store.transaction(NOW) as txn:
        for k in range(count):
            txn.put(Order(order_id=_id(k), title=f"order {k}"))
            if events:
                txn.set_details(_id(k), {"events": [dict(EVENT, description=f"event {k}")]})


def _temps(home: Path) -> list[Path]:
    return list(home.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


def test_a_transaction_writes_the_index_once(store: OrderStore) -> None:
    _fill(store, 500, events=True)
    assert store.index_writes == 1
    assert 1 <= store.shard_writes <= 64  # one write per touched shard, not per order
    assert len(store.orders()) == 500


def test_a_transaction_that_changes_nothing_writes_nothing(store: OrderStore) -> None:
    _fill(store, 3)
    mtime = store.paths.db.stat().st_mtime_ns
    with store.transaction(NOW) as txn:
        assert len(txn.orders()) == 3
    assert store.index_writes == 1
    assert store.paths.db.stat().st_mtime_ns == mtime


def test_an_error_inside_the_transaction_writes_nothing(store: OrderStore) -> None:
    _fill(store, 3)
    before = store.paths.db.read_bytes()
    with pytest.raises(RuntimeError), store.transaction(NOW) as txn:
        txn.put(Order(order_id=_id(99), title="never saved"))
        txn.set_details(_id(99), {"events": [EVENT]})
        raise RuntimeError("the command failed half way")
    assert store.paths.db.read_bytes() == before
    assert store.index_writes == 1
    assert DetailShards(store.paths.details_dir).get(_id(99)) == {}


def test_each_transaction_reads_the_file_afresh(tmp_path: Path) -> None:
    """No stale cache or next document id between two stores (two processes in real life)."""
    first, second = OrderStore(Paths(tmp_path)), OrderStore(Paths(tmp_path))
    _fill(first, 2)
    assert len(second.orders()) == 2
    with first.transaction(NOW) as txn:
        txn.put(Order(order_id=_id(10), title="from the first"))
    with second.transaction(NOW) as txn:
        assert txn.find(_id(10)) is not None
        txn.put(Order(order_id=_id(11), title="from the second"))
    raw = json.loads(tmp_path.joinpath("orders.json").read_bytes())
    assert sorted(raw["orders"], key=int) == ["1", "2", "3", "4"]
    assert {doc["order_id"] for doc in raw["orders"].values()} == {
        _id(0),
        _id(1),
        _id(10),
        _id(11),
    }


def test_details_live_outside_the_index(store: OrderStore) -> None:
    _fill(store, 5, events=True)
    index = store.paths.db.read_text()
    assert "event 3" not in index
    assert store.details(_id(3))["events"][0]["description"] == "event 3"


def _fail_replace(monkeypatch: pytest.MonkeyPatch, k: int) -> list[Path]:
    """``os.replace`` raises EIO on its k-th call (counting every file the commit writes)."""
    real_replace = os.replace
    seen: list[Path] = []

    def replace(src: str, dst: str | Path) -> None:
        seen.append(Path(dst))
        if len(seen) == k:
            raise OSError(5, "Input/output error (injected)")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return seen


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_failed_commit_leaves_the_index_as_it_was(
    store: OrderStore, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    """Fail the k-th file replace of a commit: the daily backup, the shards, the index."""
    _fill(store, 2, events=True)
    before = store.paths.db.read_bytes()
    seen = _fail_replace(monkeypatch, k)
    with pytest.raises((OSError, StoreError)), store.transaction(NOW) as txn:
        txn.put(Order(order_id=_id(50), title="new"))
        for order_id in (_id(0), _id(1)):
            details = txn.details(order_id)
            details["events"].append(dict(EVENT, description="newer"))
            txn.set_details(order_id, details)
    monkeypatch.undo()
    assert len(seen) == k
    assert store.paths.db.read_bytes() == before
    assert not _temps(store.paths.home)
    assert {o.order_id for o in store.orders()} == {_id(0), _id(1)}
    for order_id in (_id(0), _id(1)):  # shards may be ahead of the index, never behind
        assert store.details(order_id)["events"][0]["description"].startswith("event")


def test_failed_rm_keeps_the_details_of_the_order_it_kept(
    store: OrderStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the index write of ``rm`` fails, the order stays, so its events must stay too.

    Fails today: ``Transaction.delete`` empties the details shard, and ``_commit`` writes
    shards before the index, so the events are gone while the order is still there (the
    same happens when ``rm`` is killed between the two writes). See the report.
    """
    _fill(store, 1, events=True)
    order_id = _id(0)
    index_path = store.paths.db
    real_replace = os.replace

    def replace(src: str, dst: str | Path) -> None:
        if Path(dst) == index_path:
            raise OSError(5, "Input/output error (injected)")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises((OSError, StoreError)), store.transaction(NOW) as txn:
        txn.delete(order_id)
    monkeypatch.undo()
    assert store.get(order_id).order_id == order_id
    assert store.details(order_id).get("events"), "rm failed, yet the order's events are gone"


def test_stale_temp_files_are_swept_from_every_folder_the_store_writes(
    store: OrderStore,
) -> None:
    """Backups are written atomically too, so a kill mid-backup leaves a temp file there.

    Fails today: the transaction sweeps ``home`` and ``details/`` but not ``backups/``.
    """
    _fill(store, 1, events=True)
    stale = time.time() - 7200
    leftovers = []
    for folder in (store.paths.home, store.paths.details_dir, store.paths.backups_dir):
        folder.mkdir(exist_ok=True)
        temp = folder / f"{TEMP_PREFIX}killed{TEMP_SUFFIX}"
        temp.write_bytes(b"half a file")
        os.utime(temp, (stale, stale))
        leftovers.append(temp)
    with store.transaction(NOW) as txn:
        txn.put(Order(order_id=_id(1), title="another"))
    assert [p for p in leftovers if p.exists()] == []


def test_backups_are_verified_copies_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    store = OrderStore(Paths(tmp_path))
    _fill(store, 3)
    folder = tmp_path / "backups"
    made = []
    for i in range(backups.KEEP + 2):
        made.append(backups.make_backup(store.paths.db, folder, "daily", f"2026010{i}T000000Z"))
        old = time.time() - 3600 * (backups.KEEP + 2 - i)
        os.utime(made[-1], (old, old))  # distinct ages, oldest first
    kept = backups.list_backups(folder)
    assert len(kept) == backups.KEEP
    assert set(kept) == set(made[-backups.KEEP :])
    for path in kept:
        assert path.read_bytes() == store.paths.db.read_bytes()
        assert path.stat().st_mode & 0o777 == 0o600
    assert not backups.backup_due(folder, now_seconds=time.time())
    assert backups.backup_due(folder, now_seconds=time.time() + 2 * backups.DAILY_SECONDS)
