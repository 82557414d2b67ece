"""R7: a pre-versioning (v0) store is migrated by its first write, after a verified backup.

Read-only commands work on the old file without writing anything. The first write copies
it into ``backups/`` (named ``...-v0-...``), migrates in memory and writes once; a failure
injected into that write leaves the original byte-identical and the backup valid.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from orderctl.errors import StoreError
from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX
from orderctl.paths import Paths
from orderctl.services.context import AppContext
from orderctl.services.orders.book import add_order
from orderctl.store import schema
from orderctl.store.repository import OrderStore
from tests.helpers.env import child_env

NOW = "2026-11-28T12:00:00Z"
V0 = {
    "orders": {
        "1": {
            "order_id": "8100000000000001",
            "title": "Phone case",
            "platform": "aliexpress",
            "store": "Best Store",
            "price": "3.20",
            "currency": "USD",
            "ordered_at": "2026-10-01",
            "tracking_number": "LP00123456789012",
        },
        "2": {
            "order_id": "8100000000000002",
            "title": "USB cable",
            "quantity": 2,
            "ordered_at": "2026-10-05",
        },
    }
}
V0_BYTES = json.dumps(V0, indent=1).encode()


def _env(home: Path) -> dict[str, str]:
    return child_env(home, ORDERCTL_NOW=NOW)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orderctl", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _files(home: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(home)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(home.rglob("*"))
        if p.is_file()
        and not p.name.startswith("orders.json.lock")
        and "cache" not in p.relative_to(home).parts  # derived data that reads may refresh
    }


def _temps(home: Path) -> list[Path]:
    return list(home.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


@pytest.fixture
def v0_home(tmp_path: Path) -> Path:
    (tmp_path / "orders.json").write_bytes(V0_BYTES)
    return tmp_path


def test_read_only_commands_on_a_v0_store_write_nothing(v0_home: Path) -> None:
    before = _files(v0_home)
    commands = {
        "list": ["list", "--json"],
        "show": ["show", "8100000000000001", "--json"],
        "due": ["due", "--json"],
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(_cli, v0_home, *args) for name, args in commands.items()}
        results = {name: future.result() for name, future in futures.items()}
    for name, result in results.items():
        assert result.returncode == 0, f"{name}: {result.stderr}"
    listed = {o["order_id"]: o["state"] for o in json.loads(results["list"].stdout)}
    assert listed == {"8100000000000001": "shipped", "8100000000000002": "ordered"}
    shown = json.loads(results["show"].stdout)
    assert shown["items"][0]["title"] == "Phone case"
    json.loads(results["due"].stdout)
    assert _files(v0_home) == before
    assert not (v0_home / "backups").exists()


def test_first_write_backs_up_verifies_and_migrates_once(v0_home: Path) -> None:
    result = _cli(v0_home, "add", "8100000000000003", "--title", "Socks")
    assert result.returncode == 0, result.stderr
    (backup,) = (v0_home / "backups").iterdir()
    assert "v0" in backup.name
    assert backup.read_bytes() == V0_BYTES
    assert json.loads(backup.read_bytes()) == V0

    raw = json.loads((v0_home / "orders.json").read_bytes())
    assert raw["_meta"]["1"]["schema_version"] == schema.SCHEMA_VERSION == 1
    orders = {doc["order_id"]: doc for doc in raw["orders"].values()}
    assert set(orders) == {"8100000000000001", "8100000000000002", "8100000000000003"}
    assert orders["8100000000000001"]["state"] == "shipped"
    assert orders["8100000000000002"]["platform"] == "aliexpress"
    assert orders["8100000000000002"]["items"] == [
        {**orders["8100000000000002"]["items"][0], "title": "USB cable", "quantity": 2}
    ]
    assert schema.schema_version(raw) == 1
    schema.validate(raw)

    # Migrated means migrated: the next write makes no second v0 backup.
    result = _cli(v0_home, "edit", "8100000000000003", "--title", "Wool socks")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (v0_home / "backups").iterdir()] == [backup.name]
    assert not _temps(v0_home)


def _fail_replace_into(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    """Make ``os.replace`` raise EIO for renames into ``target`` (a file or a folder)."""
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str, dst: str | Path) -> None:
        calls.append(str(dst))
        dst = Path(dst)
        if dst == target or dst.parent == target:
            raise OSError(5, "Input/output error (injected)")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def _context(home: Path) -> AppContext:
    return AppContext.from_env({"ORDERCTL_HOME": str(home), "ORDERCTL_NOW": NOW})


def test_failed_migration_write_keeps_the_original_and_the_backup(
    v0_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (v0_home / "orders.json").stat().st_mtime_ns
    calls = _fail_replace_into(monkeypatch, v0_home / "orders.json")
    with pytest.raises((OSError, StoreError)):
        add_order(_context(v0_home), "8100000000000003", {"title": "Socks"})
    assert any("backups" in c for c in calls), "no backup was attempted before the write"
    assert (v0_home / "orders.json").read_bytes() == V0_BYTES
    assert (v0_home / "orders.json").stat().st_mtime_ns == before
    (backup,) = (v0_home / "backups").iterdir()
    assert backup.read_bytes() == V0_BYTES
    assert not _temps(v0_home)
    assert OrderStore(Paths(v0_home)).snapshot().version == 0

    monkeypatch.undo()  # the disk recovers: the same command now migrates
    add_order(_context(v0_home), "8100000000000003", {"title": "Socks"})
    assert OrderStore(Paths(v0_home)).snapshot().version == 1
    assert all(json.loads(p.read_bytes()) == V0 for p in (v0_home / "backups").iterdir())


def test_failed_backup_refuses_the_migration(
    v0_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files(v0_home)
    _fail_replace_into(monkeypatch, v0_home / "backups")
    with pytest.raises(StoreError, match="Could not make a verified backup"):
        add_order(_context(v0_home), "8100000000000003", {"title": "Socks"})
    assert _files(v0_home) == before  # no backup, no migrated file
    assert not _temps(v0_home)


def test_future_version_is_never_migrated_or_backed_up(tmp_path: Path) -> None:
    raw = {"_meta": {"1": {"schema_version": 2}}, "orders": {}}
    (tmp_path / "orders.json").write_text(json.dumps(raw))
    before = _files(tmp_path)
    with pytest.raises(StoreError, match="newer orderctl"):
        add_order(_context(tmp_path), "8100000000000003", {"title": "Socks"})
    assert _files(tmp_path) == before
    assert not (tmp_path / "backups").exists()
