"""Orders out as CSV or JSON, in exactly the shapes the importers read back.

CSV carries the generic columns only (one row per order; items, notes and
history stay in JSON), so ``export --format csv`` → ``import`` gives back the
same values in those columns. JSON carries ``Order.to_dict()`` plus an
optional ``events`` list per order and round-trips everything.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from orderctl.domain.importers.generic_csv import COLUMNS
from orderctl.domain.models import DETAIL_KEYS, Order

__all__ = [
    "CSV_COLUMNS",
    "FORMULA_TRIGGERS",
    "neutralise_formula",
    "orders_to_csv",
    "orders_to_json",
]

#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


CSV_COLUMNS: tuple[str, ...] = COLUMNS


def _cell(value: Any) -> str:
    """One CSV cell: empty for unknown, plain digits for money (never ``1E+2``)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def orders_to_csv(orders: Iterable[Order], *, raw: bool = False) -> str:
    """RFC 4180 CSV (CRLF, quoted where needed) with a header row of :data:`CSV_COLUMNS`.

    Text cells a spreadsheet would run as a formula (starting with ``= + - @``,
    a tab or a carriage return) get a leading ``'``, the OWASP rule, so an
    export opened with a double click cannot run ``=HYPERLINK(…)`` or a DDE
    command planted in a title by a seller. ``raw=True`` (``--raw``) writes
    the values unchanged, for a byte-exact round trip through ``import``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for order in orders:
        cells = [_cell(getattr(order, name)) for name in CSV_COLUMNS]
        if not raw:
            cells = [
                neutralise_formula(c) if isinstance(getattr(order, n), str) else c
                for n, c in zip(CSV_COLUMNS, cells, strict=True)
            ]
        writer.writerow(cells)
    return out.getvalue()


def orders_to_json(
    orders: Iterable[Order], details_by_order: dict[str, dict[str, Any]] | None = None
) -> str:
    """A pretty JSON list of ``to_dict()`` objects, each with its bulky details inline.

    ``details_by_order`` holds what the store keeps apart from the order index
    (tracking ``events``, ``inspections`` history, an ``inspection_draft``);
    each non-empty one is written under its own key so ``import`` restores it.

    Keys keep the model's order (stable across runs, readable diffs); non-ASCII
    text is written as is, since titles are often Chinese or Cyrillic.
    """
    details_by_order = details_by_order or {}
    documents = []
    for order in orders:
        data = order.to_dict()
        for key in DETAIL_KEYS:
            value = details_by_order.get(order.order_id, {}).get(key)
            if value:
                data[key] = value
        documents.append(data)
    return json.dumps(documents, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    """Values a later feature may leave in the free-form dicts, written per the JSON contract."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # also datetime
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
