"""R1: a writer SIGKILLed at any moment leaves a file that parses and holds a state it wrote.

A warm fork server (``tests/helpers/store_workers.py zygote``) forks crash writers that
loop over real ``OrderStore`` transactions, moving the store from state N to N+1
(alternately hundreds of long orders and a handful: adds, deletes, edits, plus a details
shard write before every index write). The test kills each writer with SIGKILL after a
random 5-60 ms, 200 times (at least 100 within the time budget), and after every kill
checks the files on disk.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repo root, for tests.helpers

from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX
from orderctl.paths import Paths
from orderctl.store.atomic_storage import read_json_file
from orderctl.store.repository import OrderStore
from orderctl.store.shards import DetailShards
from tests.helpers.store_workers import MARKER, NOW, crash_target, marker_seq

WORKERS = Path(__file__).resolve().parents[1] / "helpers" / "store_workers.py"
KILLS = int(os.environ.get("ORDERCTL_CRASH_KILLS", "200"))
BUDGET_SECONDS = 40.0

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")


def _temp_files(paths: Paths) -> set[Path]:
    pattern = f"{TEMP_PREFIX}*{TEMP_SUFFIX}"
    return {p for folder in (paths.home, paths.details_dir) for p in folder.glob(pattern)}


def _last_logged(log: Path) -> int:
    lines = log.read_text(encoding="ascii").split() if log.exists() else []
    return int(lines[-1]) if lines else 0


def _check_state(paths: Paths, known: int) -> int:
    """The index parses, validates, and equals the state before or after the last write.

    ``known`` is the newest state known committed (logged by a writer, or seen on disk);
    the killed writer may have committed one more before it could log it.
    """
    if not paths.db.exists():
        assert known == 0, "the order index vanished after a committed write"
        return 0
    json.loads(paths.db.read_bytes())  # plain JSON, independent of orderctl
    snapshot = OrderStore(paths).snapshot()
    seq = marker_seq(snapshot.entries[MARKER][1].title)
    assert seq in (known, known + 1), f"file holds state {seq}, known committed {known}"
    stored = {oid: order.title for oid, (_, order) in snapshot.entries.items() if oid != MARKER}
    assert stored == crash_target(seq), f"state {seq} is not exactly what the writer wrote"
    # Shards are written before the index (the commit point): at most one state ahead.
    for shard in paths.details_dir.glob("*.json"):
        read_json_file(shard)
    events = DetailShards(paths.details_dir).get(MARKER).get("events", [])
    shard_seq = marker_seq(events[0]["description"])
    assert shard_seq in (seq, seq + 1), f"details at state {shard_seq}, index at {seq}"
    return seq


class ForkServer:
    def __init__(self, home: Path, log: Path, errors: Path):
        self._errors = errors
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKERS), "zygote", str(home), str(log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors.open("wb"),
            text=True,
        )

    def _ask(self, line: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, f"fork server died: {self._errors.read_text()}"
        return int(answer)

    def fork(self) -> int:
        return self._ask("fork")

    def reap(self, pid: int) -> int:
        return self._ask(f"reap {pid}")

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=10)


@pytest.mark.slow
def test_sigkill_at_random_points_never_corrupts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = Paths(home)
    log = tmp_path / "committed.log"
    seed = int(os.environ.get("ORDERCTL_CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    server = ForkServer(home, log, tmp_path / "writer-errors.txt")
    previous = previous_logged = 0
    aged: set[Path] = set()
    left_temp = mid_commit = 0
    started = time.monotonic()
    try:
        for kill in range(KILLS):
            pid = server.fork()
            time.sleep(rng.uniform(0.005, 0.060))
            os.kill(pid, signal.SIGKILL)
            status = server.reap(pid)
            context = f"kill {kill}, seed {seed}"
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                errors = (tmp_path / "writer-errors.txt").read_text()
                pytest.fail(f"{context}: the writer died on its own: {errors}")
            logged = _last_logged(log)
            known = max(logged, previous)
            seq = _check_state(paths, known)
            mid_commit += seq == known + 1
            if logged > previous_logged:
                # A transaction ran since the last kill; it swept the temp files we aged.
                survivors = aged & _temp_files(paths)
                assert not survivors, f"{context}: stale temp files not removed: {survivors}"
                aged.clear()
            previous, previous_logged = seq, logged
            # A kill before the rename leaves a temp file (the real file is untouched);
            # age it past the sweep threshold so the next transaction must remove it.
            fresh = _temp_files(paths) - aged
            left_temp += len(fresh)
            old = time.time() - 7200
            for temp in fresh:
                os.utime(temp, (old, old))
            aged |= fresh
            if time.monotonic() - started > BUDGET_SECONDS and kill >= 100:
                break
    finally:
        server.close()
    kills = kill + 1
    assert kills >= 100
    assert previous > 10, "the writers hardly ever committed; kills came too early"

    # One more transaction sweeps every stale temp file and commits cleanly.
    store = OrderStore(paths)
    with store.transaction(NOW) as txn:
        txn.set_details(MARKER, {"events": []})
    assert store.index_writes == 1
    assert not _temp_files(paths), "temp files left after the next transaction's sweep"
    print(
        f"{kills} kills (seed {seed}): reached state {previous}, {mid_commit} kills between "
        f"the index write and the log, {left_temp} temp files left by kills, all swept"
    )


def test_young_temp_files_survive_the_sweep(tmp_path: Path) -> None:
    """The sweep only removes temp files past the threshold: another writer may own a young one."""
    paths = Paths(tmp_path)
    tmp_path.mkdir(exist_ok=True)
    young = tmp_path / f"{TEMP_PREFIX}young{TEMP_SUFFIX}"
    old = tmp_path / f"{TEMP_PREFIX}old{TEMP_SUFFIX}"
    unrelated = tmp_path / "notes.tmp"
    for path in (young, old, unrelated):
        path.write_bytes(b"partial")
    stale = time.time() - 7200
    os.utime(old, (stale, stale))
    os.utime(unrelated, (stale, stale))
    with OrderStore(paths).transaction(NOW) as txn:
        txn.set_details(MARKER, {})
    assert young.exists()
    assert not old.exists()
    assert unrelated.exists()
