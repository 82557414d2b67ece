"""Recognise an order file by its content and hand it to the right importer.

The file name's extension is not trusted (spreadsheets save ``.csv`` files
as anything); the content decides. Problems with the file as a whole —
unreadable, not UTF-8, empty, not a known format, broken JSON — raise
``InvalidInput`` at once. Once the format is known, problems are per row and
come back in ``ImportBatch.errors`` so every bad row is reported in one go.
Reading the file is ``services/orders/order_file.py``'s job: this module
parses the bytes it is given.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from orderctl.errors import InvalidInput

from . import generic_csv, json_orders, shopper_inventory
from .rows import ImportBatch

#: Platforms accepted when the caller does not pass its configured list.
DEFAULT_PLATFORMS: tuple[str, ...] = (
    "aliexpress",
    "amazon",
    "ebay",
    "temu",
    "shein",
    "wish",
    "etsy",
    "other",
)

_UTF8_HINT = (
    "Convert it to UTF-8 first, e.g. `iconv -f WINDOWS-1252 -t UTF-8 {name} > orders-utf8.csv`, "
    'or in a spreadsheet use "Save as: CSV UTF-8".'
)
_FORMATS_HINT = (
    "orderctl reads its own CSV (header with order_id,title,...), the AliExpress Shopper "
    "Inventory CSV, and its own JSON export."
)


def parse_bytes(
    data: bytes,
    name: str,
    *,
    known_platforms: Iterable[str] = DEFAULT_PLATFORMS,
    today: date | None = None,
) -> ImportBatch:
    """Detect the format of ``data`` (named ``name`` in messages) and parse it.

    ``today`` turns on the date range check every caller taking user files should use.
    """
    text = decode(data, name)
    if json_orders.looks_like(text):
        return json_orders.parse(text, name, known_platforms=known_platforms, today=today)
    header = _first_record(text)
    if shopper_inventory.looks_like(header):
        return shopper_inventory.parse(text, today=today)
    if shopper_inventory.resembles(header):
        expected, found = set(shopper_inventory.HEADER), {c.strip() for c in header}
        details = [f'missing column "{c}"' for c in shopper_inventory.HEADER if c not in found]
        details += [f'unexpected column "{c}"' for c in header if c.strip() not in expected]
        raise InvalidInput(
            f"{name} looks like an AliExpress Shopper Inventory export, but its columns differ",
            hint="Export again with the extension's CSV option, or convert it to orderctl's CSV.",
            details=[f"line 1: {d}" for d in details] or ["line 1: columns are in another order"],
        )
    if generic_csv.looks_like(header):
        return generic_csv.parse(text, known_platforms=known_platforms, today=today)
    hint = _FORMATS_HINT
    if len(header) <= 1 and ";" in "".join(header):
        hint = "The file seems to use ';' between columns; orderctl expects commas. " + hint
    raise InvalidInput(f"{name} is not a recognised order file", hint=hint)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text without a BOM, or ``InvalidInput`` saying how to convert the file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(
            f"{name} is UTF-16, not UTF-8",
            hint=_UTF8_HINT.replace("WINDOWS-1252", "UTF-16").format(name=name),
            details=["line 1: the file is UTF-16 text"],
        )
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise InvalidInput(
            f"{name} is not UTF-8 text",
            hint=_UTF8_HINT.format(name=name),
            details=[f"line 1: the file is not UTF-8 (byte 0x{byte:02X} on line {line})"],
        ) from None
    if "\x00" in text:
        raise InvalidInput(
            f"{name} is not a text file", hint=_FORMATS_HINT, details=["line 1: NUL bytes"]
        )
    if not text.strip():
        raise InvalidInput(f"{name} is empty", hint=_FORMATS_HINT)
    return text


def _first_record(text: str) -> list[str]:
    """The first non-blank CSV record, read leniently: it only serves to recognise the format."""
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if any(cell.strip() for cell in row):
                return row
    except csv.Error:
        pass
    return []
