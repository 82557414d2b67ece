"""R4: several processes writing at once lose nothing and never leave a broken file.

Processes running the real CLI (``orderctl add``) race for the store lock while the test
reads the store without a lock the whole time; then worker processes do plain
read-modify-write transactions on one shared order, where a missing lock or a stale
cached read would show up as lost increments.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repo root, for tests.helpers

from orderctl.paths import Paths
from orderctl.store.repository import OrderStore
from tests.helpers.env import child_env
from tests.helpers.store_workers import COUNTER, cli_order_id

WORKERS = Path(__file__).resolve().parents[1] / "helpers" / "store_workers.py"
PROCESSES = 4
ORDERS_EACH = 25
CLI_ADDS_EACH = int(os.environ.get("ORDERCTL_CLI_ADDS_EACH", "5"))


def _env(home: Path) -> dict[str, str]:
    return child_env(home, ORDERCTL_LOCK_TIMEOUT="60", COLUMNS="200")


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate JSON keys: {keys}"
    return dict(pairs)


class Reader(threading.Thread):
    """Reads the store without a lock until stopped: never a torn file, never fewer orders."""

    def __init__(self, home: Path):
        super().__init__()
        self.store = OrderStore(Paths(home))
        self.counts: list[int] = []
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                count = len(self.store.snapshot().entries)
            except Exception as exc:
                self.failures.append(f"reader: {exc!r}")
                return
            if self.counts and count < self.counts[-1]:
                self.failures.append(f"reader saw {count} orders after {self.counts[-1]}")
            self.counts.append(count)
            time.sleep(0.02)


def _check_book(home: Path, expected: set[str]) -> None:
    raw = json.loads((home / "orders.json").read_bytes(), object_pairs_hook=_no_duplicate_keys)
    ids = [doc["order_id"] for doc in raw["orders"].values()]
    assert len(ids) == len(expected), f"{len(ids)} orders stored, {len(expected)} added"
    assert set(ids) == expected
    assert raw["_meta"]["1"]["schema_version"] == 1
    assert set(OrderStore(Paths(home)).snapshot().entries) == expected


@pytest.mark.slow
def test_four_processes_adding_25_orders_each_through_the_cli_lose_nothing(
    tmp_path: Path,
) -> None:
    """4 processes x 25 ``orderctl add`` (the CLI entry point, in-process) at once."""
    reader = Reader(tmp_path)
    reader.start()
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), "cli-add", str(tmp_path), str(w), str(ORDERS_EACH)],
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(PROCESSES)
    ]  # all started before any is waited for
    errors = [proc.communicate(timeout=90)[1] for proc in procs]
    reader.stop.set()
    reader.join()
    for proc, err in zip(procs, errors, strict=True):
        assert proc.returncode == 0, err
    assert not reader.failures, reader.failures
    expected = {cli_order_id(w, n) for w in range(PROCESSES) for n in range(ORDERS_EACH)}
    _check_book(tmp_path, expected)
    assert len(reader.counts) > 3 and reader.counts[-1] == len(expected)


@pytest.mark.slow
def test_concurrent_cli_subprocesses_lose_nothing(tmp_path: Path) -> None:
    """The same race with one ``python -m orderctl add`` process per order, 4 at a time.

    ORDERCTL_CLI_ADDS_EACH=25 runs the full 4 x 25 (about 100 interpreter starts).
    """
    env = _env(tmp_path)
    failures: list[str] = []

    def stream(worker: int) -> None:
        for n in range(CLI_ADDS_EACH):
            order_id = cli_order_id(worker, n)
            result = subprocess.run(
                [sys.executable, "-m", "orderctl", "add", order_id, "--title", f"w{worker} #{n}"],
                env=env,
                capture_output=True,
                text=True,
                timeout=90,
            )
            if result.returncode != 0 or result.stdout.strip() != f"Added {order_id} (ordered)":
                failures.append(f"{order_id}: exit {result.returncode}: {result.stderr}")

    reader = Reader(tmp_path)
    reader.start()
    threads = [threading.Thread(target=stream, args=(w,)) for w in range(PROCESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader.stop.set()
    reader.join()
    assert not failures, failures
    assert not reader.failures, reader.failures
    _check_book(
        tmp_path, {cli_order_id(w, n) for w in range(PROCESSES) for n in range(CLI_ADDS_EACH)}
    )


def _run_workers(args: list[list[str]], env: dict[str, str]) -> None:
    """Start every worker, then wait for all; each must exit 0."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKERS), *a],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for a in args
    ]
    errors = [proc.communicate(timeout=90)[1] for proc in procs]
    for proc, err in zip(procs, errors, strict=True):
        assert proc.returncode == 0, err


def test_concurrent_read_modify_write_loses_no_update(tmp_path: Path) -> None:
    _run_workers([["increment", str(tmp_path), "50"] for _ in range(PROCESSES)], _env(tmp_path))
    order = OrderStore(Paths(tmp_path)).get(COUNTER)
    assert order.title == f"count {PROCESSES * 50}"


def test_concurrent_service_adds_lose_nothing(tmp_path: Path) -> None:
    prefixes = [f"8{w}000000000" for w in range(1, PROCESSES + 1)]  # + 4 digits = 16
    _run_workers([["add-service", str(tmp_path), p, "40"] for p in prefixes], _env(tmp_path))
    snapshot = OrderStore(Paths(tmp_path)).snapshot()
    assert len(snapshot.entries) == PROCESSES * 40
    assert {oid[:11] for oid in snapshot.entries} == set(prefixes)
    doc_ids = [doc_id for doc_id, _ in snapshot.entries.values()]
    assert len(set(doc_ids)) == len(doc_ids)


# -- R5: bounded lock waits that name the holder ---------------------------------------------------


def _cli(home: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "orderctl", *args],
        env={**_env(home), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.monotonic() - started


def test_lock_wait_is_bounded_names_the_holder_and_survives_its_crash(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, str(WORKERS), "hold-lock", str(tmp_path)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().split() == ["locked", str(holder.pid)]

        result, elapsed = _cli(
            tmp_path, "--lock-timeout", "1", "add", "8100000000000001", "--title", "A"
        )
        assert result.returncode == 7, result.stderr
        assert 1.0 <= elapsed < 4.0, f"took {elapsed:.2f} s with --lock-timeout 1"
        assert result.stdout == ""
        talk = " ".join(result.stderr.split())
        assert f"pid {holder.pid}" in talk
        assert "--lock-timeout" in talk

        # The environment variable bounds the wait the same way.
        result, elapsed = _cli(
            tmp_path, "add", "8100000000000001", "--title", "A", ORDERCTL_LOCK_TIMEOUT="1"
        )
        assert result.returncode == 7
        assert 1.0 <= elapsed < 4.0
        # Readers take no lock: they are not held up at all.
        result, elapsed = _cli(tmp_path, "list", "--json")
        assert result.returncode == 0 and json.loads(result.stdout) == []
        assert not (tmp_path / "orders.json").exists()
    finally:
        holder.kill()  # SIGKILL: the holder never gets to release the lock itself
        holder.communicate(timeout=10)
    assert holder.returncode == -signal.SIGKILL

    result, elapsed = _cli(
        tmp_path, "--lock-timeout", "5", "add", "8100000000000001", "--title", "A"
    )
    assert result.returncode == 0, result.stderr
    assert elapsed < 4.0, "the dead holder's lock delayed the next writer"
    assert [o.order_id for o in OrderStore(Paths(tmp_path)).orders()] == ["8100000000000001"]
