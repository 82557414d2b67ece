"""Crash-safe file writes shared by the store, exports, calendars and bundles.

A write goes to a temporary file in the destination's folder (same
filesystem, so the rename is atomic), is flushed and fsynced, then
``os.replace``d over the target, and the folder is fsynced so the rename
itself survives a power cut. Any failure removes the temporary file and
re-raises: the old file is never touched, and no success is claimed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from pathlib import Path

TEMP_PREFIX = ".orderctl-"
TEMP_SUFFIX = ".tmp"


# Filesystems and platforms that cannot fsync a folder say so with these.
_DIR_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF}


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a real failure is an error, never ignored.

    A failed fsync must fail the write (after "fsyncgate" a retry may lie), so
    only the errors meaning "this filesystem cannot do that" are tolerated.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # folders that cannot be opened (Windows, no read permission) cannot be synced
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def _replace(src: str, dst: Path) -> None:
    """``os.replace`` with a short retry for Windows readers holding the target open."""
    for attempt in range(5):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 4:
                raise
            time.sleep(0.05 * 2**attempt)


class NotARegularFile(OSError):
    """The target exists and is neither a regular file nor something to write through."""


def _write_through(path: Path, data: bytes) -> None:
    """Write to a character device or FIFO in place (``/dev/null``, ``/dev/stdout``, a pipe).

    Such a target is never replaced: swapping ``/dev/null`` for a regular file breaks
    the system. A FIFO without a reader is refused at once instead of blocking.
    """
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise NotARegularFile(
                errno.ENXIO, "a pipe with nobody reading from it", str(path)
            ) from None
        raise
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def check_output_target(path: Path) -> str:
    """``"new"``, ``"file"`` or ``"stream"`` (char device/FIFO) — or NotARegularFile.

    Folders, block devices and sockets are refused: replacing them would destroy
    something that is not ours, and writing into them makes no sense.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "new"
    except NotADirectoryError:
        raise NotARegularFile(errno.ENOTDIR, "its folder is not a folder", str(path)) from None
    if stat.S_ISREG(st.st_mode):
        return "file"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return "stream"
    kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
    raise NotARegularFile(errno.EISDIR if kind == "a folder" else errno.EINVAL, kind, str(path))


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically; keep the old mode unless ``mode`` is given.

    A character device or FIFO at ``path`` is written to directly and never
    replaced; a folder, block device or socket raises :class:`NotARegularFile`.
    """
    path = Path(path)
    if check_output_target(path) == "stream":
        _write_through(path, data)
        return
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o600
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def remove_stale_temp_files(folder: Path, older_than_seconds: float = 3600.0) -> list[Path]:
    """Delete temp files a killed writer left behind (never the real files)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    cutoff = time.time() - older_than_seconds
    for candidate in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if candidate.stat().st_mtime < cutoff:
                candidate.unlink()
                removed.append(candidate)
    return removed
