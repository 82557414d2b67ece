"""Reading an order file for ``import``: only a regular file, and only up to a size cap.

The domain's importers (:mod:`orderctl.domain.importers`) parse bytes; this
module is the one place that opens the file, so ``/dev/zero`` cannot fill the
memory and a FIFO cannot block the command.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from orderctl.domain.importers.detect import DEFAULT_PLATFORMS, parse_bytes
from orderctl.domain.importers.rows import ImportBatch
from orderctl.errors import InvalidInput

#: The largest order file ``import`` reads (100 MB: ten times a 100,000-order export).
MAX_IMPORT_BYTES = 100 * 1024 * 1024


def import_file(
    path: Path,
    *,
    known_platforms: Iterable[str] = DEFAULT_PLATFORMS,
    today: date | None = None,
    max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportBatch:
    """Read ``path`` and parse it; an unreadable file becomes ``InvalidInput`` naming it.

    Only regular files up to ``max_bytes`` are read: ``/dev/zero`` would fill the
    memory and a FIFO would block forever. The check is made on the open
    descriptor (no race with a swapped path), which is opened non-blocking.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput(f"Cannot read {path}: {reason}", hint="Check the path.") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
            raise InvalidInput(
                f"Cannot read {path}: it is {kind}, not a regular file",
                hint="Save the orders to a file first, then import that file.",
            )
        if st.st_size > max_bytes:
            raise InvalidInput(
                f"{path} is {st.st_size // (1024 * 1024)} MB; order files are limited to"
                f" {max_bytes // (1024 * 1024)} MB",
                hint="Split the file and import the parts one by one.",
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput(f"Cannot read {path}: {reason}", hint="Check the path.") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InvalidInput(f"{path} grew while being read; order files are limited in size")
    return parse_bytes(data, str(path), known_platforms=known_platforms, today=today)
