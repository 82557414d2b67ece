"""Order-file importers: content detection, per-format parsers, shared row types.

Pure functions of bytes (``services/orders/order_file.import_file`` reads the
file), so the import service decides what to do with a batch that has errors.
"""

from __future__ import annotations

from .detect import DEFAULT_PLATFORMS, parse_bytes
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
    "parse_bytes",
]
