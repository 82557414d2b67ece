"""R2: every step of an atomic write can fail; the old file survives and the error surfaces.

SQLite-style I/O error loop: for each file-system call the writer makes (mkstemp, write,
flush, fsync, chmod, replace), fail its k-th call for k = 1, 2, ... until the write
goes through untouched. Every failed attempt must re-raise the injected error, leave the
old bytes in place and leave no temp file beside them.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from orderctl import fsutil
from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX, atomic_write_bytes, remove_stale_temp_files

OLD = b'{"orders": "old"}'
NEW = b'{"orders": "new", "padding": "' + b"x" * 100_000 + b'"}'


class Injected(OSError):
    def __init__(self, step: str):
        super().__init__(errno.EIO, f"injected failure in {step}")
        self.step = step


class FaultyFS:
    """Counts calls per step and raises :class:`Injected` on the ``k``-th call of ``step``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.step: str | None = None
        self.k = 0
        self.calls: dict[str, int] = {}
        real_mkstemp, real_fdopen = tempfile.mkstemp, os.fdopen
        real_fsync, real_chmod, real_replace = os.fsync, os.chmod, os.replace
        fs = self

        def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
            fs.hit("mkstemp")
            return real_mkstemp(*args, **kwargs)

        class Handle:
            def __init__(self, inner: Any):
                self.inner = inner

            def __enter__(self) -> Handle:
                return self

            def __exit__(self, *exc: object) -> None:
                self.inner.close()

            def write(self, data: bytes) -> int:
                fs.hit("write")
                return self.inner.write(data)

            def flush(self) -> None:
                fs.hit("flush")
                self.inner.flush()

            def fileno(self) -> int:
                return self.inner.fileno()

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Handle:
            return Handle(real_fdopen(fd, *args, **kwargs))

        def fsync(fd: int) -> None:
            fs.hit("dir-fsync" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync")
            real_fsync(fd)

        def chmod(path: Any, mode: int, **kwargs: Any) -> None:
            fs.hit("chmod")
            real_chmod(path, mode, **kwargs)

        def replace(src: Any, dst: Any, **kwargs: Any) -> None:
            fs.hit("replace")
            real_replace(src, dst, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        monkeypatch.setattr(os, "fdopen", fdopen)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "chmod", chmod)
        monkeypatch.setattr(os, "replace", replace)

    def arm(self, step: str, k: int) -> None:
        self.step, self.k, self.calls = step, k, {}

    def hit(self, step: str) -> None:
        self.calls[step] = self.calls.get(step, 0) + 1
        if step == self.step and self.calls[step] == self.k:
            raise Injected(step)

    @property
    def fired(self) -> bool:
        return self.step is not None and self.calls.get(self.step, 0) >= self.k


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch) -> FaultyFS:
    return FaultyFS(monkeypatch)


def _temps(folder: Path) -> list[Path]:
    return list(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


@pytest.mark.parametrize("step", ["mkstemp", "write", "flush", "fsync", "chmod", "replace"])
def test_failure_of_any_step_keeps_the_old_file(
    tmp_path: Path, faulty: FaultyFS, step: str
) -> None:
    target = tmp_path / "orders.json"
    target.write_bytes(OLD)
    os.chmod(target, 0o640)
    failures = 0
    for k in range(1, 20):
        faulty.arm(step, k)
        try:
            atomic_write_bytes(target, NEW)
        except Injected as exc:
            assert exc.step == step
            failures += 1
            assert target.read_bytes() == OLD, f"{step} #{k}: the old file was touched"
            assert stat.S_IMODE(target.stat().st_mode) == 0o640
            assert not _temps(tmp_path), f"{step} #{k}: temp file left behind"
            continue
        assert not faulty.fired, f"{step} #{k} failed but the write claimed success"
        break
    else:
        pytest.fail(f"{step}: the write never succeeded")
    assert failures >= 1
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the old mode is kept
    assert not _temps(tmp_path)


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_failed_first_write_creates_nothing(tmp_path: Path, faulty: FaultyFS, step: str) -> None:
    target = tmp_path / "sub" / "orders.json"
    faulty.arm(step, 1)
    with pytest.raises(Injected):
        atomic_write_bytes(target, NEW)
    assert not target.exists()
    assert not _temps(target.parent)


def test_interrupt_mid_write_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "orders.json"
    target.write_bytes(OLD)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, NEW)
    assert target.read_bytes() == OLD
    assert not _temps(tmp_path)


def test_directory_fsync_failure_is_reported(tmp_path: Path, faulty: FaultyFS) -> None:
    """R2 lists the directory fsync too: a failed one must not be reported as success.

    Fails today: ``fsutil.fsync_dir`` swallows every OSError from ``os.fsync`` (see report).
    """
    target = tmp_path / "orders.json"
    target.write_bytes(OLD)
    faulty.arm("dir-fsync", 1)
    with pytest.raises(OSError):
        atomic_write_bytes(target, NEW)
    assert not _temps(tmp_path)


def test_new_file_gets_private_mode_and_explicit_mode_wins(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.json"
    atomic_write_bytes(fresh, OLD)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    atomic_write_bytes(fresh, NEW, mode=0o644)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert fresh.read_bytes() == NEW


def test_remove_stale_temp_files_only_removes_old_temp_files(tmp_path: Path) -> None:
    old_temp = tmp_path / f"{TEMP_PREFIX}abc{TEMP_SUFFIX}"
    young_temp = tmp_path / f"{TEMP_PREFIX}def{TEMP_SUFFIX}"
    real = tmp_path / "orders.json"
    look_alike = tmp_path / "orders.json.tmp"
    for path in (old_temp, young_temp, real, look_alike):
        path.write_bytes(b"x")
    stale = time.time() - 7200
    for path in (old_temp, real, look_alike):
        os.utime(path, (stale, stale))
    assert remove_stale_temp_files(tmp_path) == [old_temp]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (young_temp, real, look_alike)
    )
    assert remove_stale_temp_files(tmp_path / "missing") == []
    assert remove_stale_temp_files(tmp_path, older_than_seconds=0) == [young_temp]


def test_fsync_dir_tolerates_folders_that_cannot_be_opened(tmp_path: Path) -> None:
    fsutil.fsync_dir(tmp_path / "does-not-exist")  # no exception
