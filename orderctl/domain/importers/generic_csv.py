"""orderctl's own CSV: the columns ``orderctl export --format csv`` writes.

One row is one order with one item. ``price`` is the order total as paid;
the item's unit price is filled in only when ``price / quantity`` is exact
(see :func:`exact_unit_price`). State is ``shipped`` when a ship date or a
tracking number is given, else ``ordered`` — the importer never guesses a
later state than the file proves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from orderctl.domain.field_parsers import (
    amount_currency,
    check_order_id,
    parse_amount,
    parse_currency,
    parse_date,
    parse_platform,
    parse_quantity,
    parse_url,
)
from orderctl.domain.models import Item, Order, OrderState

from .rows import (
    FORMAT_GENERIC_CSV,
    ImportBatch,
    RowError,
    RowProblems,
    csv_records,
    exact_unit_price,
)

COLUMNS: tuple[str, ...] = (
    "order_id",
    "platform",
    "title",
    "store",
    "price",
    "currency",
    "quantity",
    "ordered_at",
    "shipped_at",
    "tracking_number",
    "carrier",
    "protection_ends_at",
    "category",
    "url",
    "expected_delivery_from",
    "expected_delivery_by",
)
REQUIRED: tuple[str, ...] = ("order_id", "title")
DEFAULT_PLATFORM = "aliexpress"


def normalise_header(cells: list[str]) -> list[str]:
    """Header names compare case-insensitively and without surrounding spaces."""
    return [c.strip().lower() for c in cells]


def looks_like(header: list[str]) -> bool:
    """A header naming ``order_id`` or ``title`` is meant to be this format."""
    names = set(normalise_header(header))
    return bool(names & set(REQUIRED))


def parse(text: str, *, known_platforms: Iterable[str], today: date | None = None) -> ImportBatch:
    """Parse the whole file; header problems and bad rows become errors in the batch.

    With ``today``, dates are range-checked like CLI options (:func:`check_date_range`).
    """
    batch = ImportBatch(FORMAT_GENERIC_CSV)
    known = list(known_platforms)
    records = csv_records(text)
    header: list[str] | None = None
    header_line = 1
    for line, cells, problem in records:
        if problem is not None:
            batch.errors.append(RowError(line, None, problem))
            return batch
        header, header_line = normalise_header(cells or []), line
        break
    if header is None:
        return batch
    if not _check_header(header, header_line, batch):
        return batch
    seen: dict[str, int] = {}
    for line, cells, problem in records:
        if problem is not None:
            batch.errors.append(RowError(line, None, problem))
            continue
        assert cells is not None
        order = _parse_row(line, header, cells, known, seen, batch, today)
        if order is not None:
            batch.orders.append(order)
            batch.lines[order.order_id] = line
    return batch


#: Free-text columns keep tabs and line breaks as read: stripping a leading tab would turn
#: a neutralised spreadsheet cell such as "\t=1+1" into a live formula.
TEXT_COLUMNS = frozenset({"title", "store", "category"})


def _clean(name: str, cell: str) -> str:
    return cell.strip(" ") if name in TEXT_COLUMNS else cell.strip()


def _check_header(header: list[str], line: int, batch: ImportBatch) -> bool:
    """Report unknown, repeated and missing columns; ``False`` when rows cannot be read.

    Columns without a name (a spreadsheet's trailing comma) are allowed as
    long as their cells stay empty.
    """
    for name in header:
        if name and name not in COLUMNS:
            batch.errors.append(
                RowError(line, None, f'unknown column "{name}" (columns: {", ".join(COLUMNS)})')
            )
    for name in sorted({n for n in header if n and header.count(n) > 1}):
        batch.errors.append(RowError(line, None, f'column "{name}" appears more than once'))
    missing = [name for name in REQUIRED if name not in header]
    for name in missing:
        batch.errors.append(RowError(line, None, f'required column "{name}" is missing'))
    return not missing


def _parse_row(
    line: int,
    header: list[str],
    cells: list[str],
    known: list[str],
    seen: dict[str, int],
    batch: ImportBatch,
    today: date | None = None,
) -> Order | None:
    if len(cells) > len(header) and not any(c.strip() for c in cells[len(header) :]):
        cells = cells[: len(header)]
    row = {name: _clean(name, cell) for name, cell in zip(header, cells, strict=False)}
    order_id = row.get("order_id", "")
    p = RowProblems(line, order_id or None)
    if len(cells) != len(header):
        p.error(None, f"row has {len(cells)} fields but the header has {len(header)}")
        batch.errors.extend(p.errors)
        return None
    _check_identity(p, line, header, cells, row, seen)
    fields = _parse_fields(p, row, known, today)
    batch.warnings.extend(p.warnings)
    if p.errors:
        batch.errors.extend(p.errors)
        return None
    return _order_from(row, fields)


def _check_identity(
    p: RowProblems,
    line: int,
    header: list[str],
    cells: list[str],
    row: dict[str, str],
    seen: dict[str, int],
) -> None:
    """Cells under no column, a missing or repeated order id, a missing title."""
    order_id = row.get("order_id", "")
    if any(name == "" and cell.strip() for name, cell in zip(header, cells, strict=True)):
        p.error(None, "a value sits in a column without a name (check the header)")
    if not order_id:
        p.error("order_id", "missing (every row needs an order id)")
    elif order_id in seen:
        p.error("order_id", f'order id "{order_id}" already appears on line {seen[order_id]}')
    else:
        seen[order_id] = line
    if not row.get("title", ""):
        p.error("title", "missing (every row needs a title)")


def _parse_fields(
    p: RowProblems, row: dict[str, str], known: list[str], today: date | None
) -> dict[str, Any]:
    """Every typed column of the row, parsed; problems go to ``p``."""
    order_id = row.get("order_id", "")
    platform = p.parse("platform", parse_platform, row.get("platform", ""), known)
    if platform is None and not row.get("platform"):
        platform = DEFAULT_PLATFORM
    if platform and order_id and (warning := check_order_id(order_id, platform)):
        p.warn("order_id", warning)
    currency = p.parse("currency", parse_currency, row.get("currency", ""))
    price = _price(p, row.get("price", ""), currency)
    if currency is None and price is not None:
        currency = p.parse("price", amount_currency, row.get("price", ""))
    f: dict[str, Any] = {"platform": platform, "currency": currency, "price": price}
    f["quantity"] = p.parse("quantity", parse_quantity, row.get("quantity", "")) or 1
    for name in ("ordered_at", "shipped_at", "protection_ends_at"):
        f[name] = p.parse(name, parse_date, row.get(name, ""), today)
    f["url"] = p.parse("url", parse_url, row.get("url", ""))
    for name in ("expected_delivery_from", "expected_delivery_by"):
        f[name] = p.parse(name, parse_date, row.get(name, ""))
    expected_from, expected_by = f["expected_delivery_from"], f["expected_delivery_by"]
    if expected_from and expected_by and expected_by < expected_from:
        p.error("expected_delivery_by", "is before expected_delivery_from")
    return f


def _order_from(row: dict[str, str], f: dict[str, Any]) -> Order:
    """The order of a row whose columns all parsed."""
    title = row.get("title", "")
    tracking_number = row.get("tracking_number") or None
    item = Item(
        title=title,
        quantity=f["quantity"],
        unit_price=exact_unit_price(f["price"], f["quantity"]),
        currency=f["currency"],
        url=f["url"],
    )
    return Order(
        order_id=row.get("order_id", ""),
        title=title,
        platform=f["platform"] or DEFAULT_PLATFORM,
        store=row.get("store") or None,
        price=f["price"],
        currency=f["currency"],
        quantity=f["quantity"],
        category=row.get("category") or None,
        url=f["url"],
        state=OrderState.SHIPPED if f["shipped_at"] or tracking_number else OrderState.ORDERED,
        ordered_at=f["ordered_at"],
        shipped_at=f["shipped_at"],
        protection_ends_at=f["protection_ends_at"],
        expected_delivery_from=f["expected_delivery_from"],
        expected_delivery_by=f["expected_delivery_by"],
        tracking_number=tracking_number,
        carrier=row.get("carrier") or None,
        items=[item],
    )


def _price(p: RowProblems, text: str, currency: str | None) -> Decimal | None:
    """Parse the price; warn when its symbol names another currency than the column."""
    if not text:
        return None
    try:
        amount, _ = parse_amount(text, currency)
        shown = amount_currency(text)
    except ValueError as exc:
        p.error("price", str(exc))
        return None
    if currency and shown and shown != currency:
        p.warn("price", f'"{text}" is in {shown} but currency says {currency}; using {currency}')
    return amount
