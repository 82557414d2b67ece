"""The store's write lock: bounded waits that say who holds it.

``filelock`` takes an OS lock on a sidecar file (never the DB file, which is
replaced on every write). The holder writes its pid and command into an
``.owner`` file so a waiting process can say whom it is waiting for. The OS
releases the lock when a holder dies, so a crashed writer never blocks
forever; a stale owner file is only informational.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from orderctl.errors import StoreError


def _owner_file(lock_path: Path) -> Path:
    return lock_path.with_name(lock_path.name + ".owner")


def _describe_owner(lock_path: Path) -> str:
    try:
        return _owner_file(lock_path).read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown process"


def unwritable_home(folder: Path, exc: OSError) -> StoreError:
    """Exit 7 for a home that cannot be written (read-only mount, wrong owner, full disk)."""
    if exc.errno == errno.EROFS or (
        exc.errno in (errno.EACCES, errno.EPERM) and not os.access(folder, os.W_OK)
    ):
        return StoreError(
            f"The orderctl home is read-only: {folder}. Nothing was changed",
            hint="Make it writable, or point ORDERCTL_HOME at a writable folder.",
        )
    return StoreError(
        f"Cannot take the store lock in {folder}: {exc.strerror or exc}. Nothing was changed",
        hint="Check the folder's permissions and free space.",
    )


@contextlib.contextmanager
def store_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """Hold the store lock for a read-modify-write, or raise StoreError after ``timeout``."""
    from filelock import FileLock, Timeout  # imported here: it costs start-up time for readers

    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise StoreError(
            f"The order store is locked by another orderctl process ({_describe_owner(lock_path)});"
            f" waited {timeout:g} s",
            hint="Wait for it to finish and try again, or raise --lock-timeout / "
            "ORDERCTL_LOCK_TIMEOUT.",
        ) from None
    except OSError as exc:  # after Timeout, which is an OSError (TimeoutError) too
        raise unwritable_home(lock_path.parent, exc) from None
    owner = _owner_file(lock_path)
    try:
        with contextlib.suppress(OSError):
            # Program and subcommand only: later arguments may carry personal data.
            command = " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:2]])
            owner.write_text(f"pid {os.getpid()}: {command}", encoding="utf-8")
        yield
    finally:
        with contextlib.suppress(OSError):
            owner.unlink()
        lock.release()
