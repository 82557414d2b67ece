"""Order-file importers: content detection, per-format parsers, shared row types.

Pure functions of bytes (``import_file`` only adds reading the file), so the
import service decides what to do with a batch that has errors.
"""

from __future__ import annotations

from .detect import DEFAULT_PLATFORMS, import_file, parse_bytes
from .rows import (
    FORMAT_GENERIC_CSV,
    FORMAT_JSON,
    FORMAT_SHOPPER_INVENTORY,
    ImportBatch,
    RowError,
    RowWarning,
)

__all__ = [
    "DEFAULT_PLATFORMS",
    "FORMAT_GENERIC_CSV",
    "FORMAT_JSON",
    "FORMAT_SHOPPER_INVENTORY",
    "ImportBatch",
    "RowError",
    "RowWarning",
    "import_file",
    "parse_bytes",
]
