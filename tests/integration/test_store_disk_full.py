"""R3: a full disk (simulated with RLIMIT_FSIZE) fails the write and keeps the old data.

The child process caps the size of any file it writes just above the current order
index (SIGXFSZ ignored, so writes fail with EFBIG instead of killing it) and then tries
a transaction that would grow the index. The old file must stay byte-identical and
valid, and no temp file may be left anywhere in the home.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repo root, for tests.helpers

from orderctl.domain.models import Order
from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX
from orderctl.paths import Paths
from orderctl.store.repository import OrderStore
from tests.helpers.env import child_env
from tests.helpers.store_workers import NOW, limit_file_size

WORKERS = Path(__file__).resolve().parents[1] / "helpers" / "store_workers.py"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX-only")


def _env(home: Path) -> dict[str, str]:
    return child_env(home, ORDERCTL_NOW=NOW.isoformat())


def _store_with_orders(home: Path, count: int = 20, *, backup: bool = True) -> OrderStore:
    store = OrderStore(Paths(home))
    with store.transaction(NOW) as txn:
        for k in range(count):
            txn.put(Order(order_id=str(8100000000000000 + k), title=f"order {k}"))
    if backup:  # the second write takes the daily backup, so the next one does not
        with store.transaction(NOW) as txn:
            txn.put(Order(order_id="8100000000000999", title="one more"))
        assert len(list(Paths(home).backups_dir.iterdir())) == 1
    return store


def _files(home: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(home)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(home.rglob("*"))
        if p.is_file() and not p.name.startswith("orders.json.lock")
    }


def _assert_untouched(home: Path, before: dict[str, tuple[bytes, int]], count: int) -> None:
    temps = list(home.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    assert not temps, f"temp files left behind: {temps}"
    assert _files(home) == before, "files changed although the write failed"
    json.loads((home / "orders.json").read_bytes())
    assert len(OrderStore(Paths(home)).snapshot().entries) == count


def test_transaction_that_outgrows_the_disk_fails_and_keeps_the_old_file(tmp_path: Path) -> None:
    _store_with_orders(tmp_path)
    before = _files(tmp_path)
    worker = subprocess.run(
        [sys.executable, str(WORKERS), "disk-full", str(tmp_path), "200", "1000"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == 0, worker.stderr  # the child itself survived (no SIGXFSZ)
    outcome = json.loads(worker.stdout)
    assert outcome["outcome"] == "error", "the oversized write claimed success"
    # Raw OSError(EFBIG) today; a StoreError naming the cause once the store wraps it.
    assert outcome["efbig"] or "too large" in outcome["message"].lower(), outcome
    _assert_untouched(tmp_path, before, 21)


def _cli_under_limit(home: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orderctl", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: limit_file_size(limit),
    )


def test_cli_add_on_a_full_disk_keeps_the_old_file_and_says_why(tmp_path: Path) -> None:
    """Data is safe today; the exit code/message part fails (see the report: _commit)."""
    _store_with_orders(tmp_path)
    before = _files(tmp_path)
    limit = (tmp_path / "orders.json").stat().st_size + 4096
    result = _cli_under_limit(tmp_path, limit, "add", "8100000000000500", "--title", "z" * 60_000)
    _assert_untouched(tmp_path, before, 21)
    last_line = result.stderr.strip().splitlines()[-1:]
    assert result.returncode == 7, f"exit {result.returncode}: {last_line}"
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    talk = " ".join(result.stderr.split())
    assert str(tmp_path / "orders.json") in talk
    assert "too large" in talk.lower()


def test_full_disk_during_the_backup_refuses_before_touching_the_index(tmp_path: Path) -> None:
    _store_with_orders(tmp_path, backup=False)  # no backup yet: the next write takes one
    before = _files(tmp_path)
    limit = (tmp_path / "orders.json").stat().st_size - 100  # the copy cannot be written
    result = _cli_under_limit(tmp_path, limit, "add", "8100000000000500", "--title", "small")
    assert result.returncode == 7, result.stderr.strip().splitlines()[-1:]
    assert "Could not make a verified backup" in " ".join(result.stderr.split())
    _assert_untouched(tmp_path, before, 20)
