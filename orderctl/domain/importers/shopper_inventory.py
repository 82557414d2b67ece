"""The "Aliexpress Shopper Inventory" Chrome extension's CSV (marketplace-rules §5.1).

The extension writes one row per order *line*; rows sharing an ``Order ID``
become one order with one item per row. Choices, since the format is only
known from a third-party importer:

* ``Price`` is taken as the price of the row's line; the order's price is the
  sum of its lines, its quantity the sum of ``Qty``. An item's unit price is
  recorded only for ``Qty`` 1, because whether ``Price`` is per unit or per
  line for ``Qty`` > 1 is not documented.
* ``Currency`` wins over the symbol in ``Price`` (a mismatch is a warning);
  lines of one order in different currencies are an error (no sum exists).
* ``Status`` is kept verbatim in ``platform_status`` and mapped to a state:
  ``Completed``/``Finished`` → ``confirmed`` (AliExpress completes an order
  when the buyer confirms receipt or the confirmation window runs out; either
  way the protection is over, and ``completed_at`` stays unknown);
  ``Expired``/``Closed``/``Canceled`` → ``closed``; ``Awaiting delivery`` →
  ``shipped``; ``To ship``/``Awaiting shipment``/``Awaiting payment`` →
  ``ordered``. Anything else → ``ordered`` with a warning.
* ``Price Info`` repeats ``Price`` split into units and cents and is ignored;
  ``Tags`` go to ``extra["tags"]``; the order's ``url`` is its detail page.
* Order-level columns (date, store, status) come from the order's first row;
  a later row that disagrees gets a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from orderctl.domain.field_parsers import (
    amount_currency,
    check_order_id,
    parse_amount,
    parse_attributes,
    parse_currency,
    parse_date,
    parse_quantity,
    parse_url,
)
from orderctl.domain.models import Item, Order, OrderState

from .rows import (
    FORMAT_SHOPPER_INVENTORY,
    ImportBatch,
    RowError,
    RowProblems,
    RowWarning,
    csv_records,
)

HEADER: tuple[str, ...] = (
    "Order Date",
    "Order ID",
    "Title",
    "Qty",
    "Price",
    "Store",
    "Product ID",
    "SKU ID",
    "Attributes",
    "Price Info",
    "Currency",
    "Status",
    "Product Url",
    "Product Image Url",
    "Store Url",
    "Tags",
)

STATUS_STATES: dict[str, OrderState] = {
    "completed": OrderState.CONFIRMED,
    "finished": OrderState.CONFIRMED,
    "expired": OrderState.CLOSED,
    "closed": OrderState.CLOSED,
    "canceled": OrderState.CLOSED,
    "cancelled": OrderState.CLOSED,
    "awaiting delivery": OrderState.SHIPPED,
    "to ship": OrderState.ORDERED,
    "awaiting shipment": OrderState.ORDERED,
    "awaiting payment": OrderState.ORDERED,
}

DETAIL_URL = "https://www.aliexpress.com/p/order/detail.html?orderId={order_id}"


def looks_like(header: list[str]) -> bool:
    """The exact header, cell by cell (surrounding spaces ignored)."""
    return tuple(c.strip() for c in header) == HEADER


def resembles(header: list[str]) -> bool:
    """Close enough to be a different version of this export (for a helpful error)."""
    names = {c.strip() for c in header}
    return {"Order ID", "Title", "Order Date"} <= names


@dataclass
class _Line:
    line: int
    order_id: str
    item: Item
    price: Decimal | None
    currency: str | None
    ordered_at: date | None
    store: str | None
    store_url: str | None
    status: str | None
    tags: list[str] = field(default_factory=list)


def parse(text: str, *, today: date | None = None) -> ImportBatch:
    """Parse the file (header already recognised) into one order per ``Order ID``.

    With ``today``, dates are range-checked like CLI options (:func:`check_date_range`).
    """
    batch = ImportBatch(FORMAT_SHOPPER_INVENTORY)
    records = csv_records(text)
    next(records, None)  # the header, already checked by the caller
    groups: dict[str, list[_Line]] = {}
    failed: set[str] = set()
    for line, cells, problem in records:
        if problem is not None:
            batch.errors.append(RowError(line, None, problem))
            continue
        assert cells is not None
        parsed = _parse_row(line, cells, batch, today)
        order_id = cells[1].strip() if len(cells) > 1 else ""
        if parsed is None:
            if order_id:
                failed.add(order_id)
            continue
        groups.setdefault(parsed.order_id, []).append(parsed)
    for order_id, lines in groups.items():
        if order_id in failed:
            continue  # an order missing a line would be imported with a wrong total
        order = _merge(lines, batch)
        if order is not None:
            batch.orders.append(order)
            batch.lines[order_id] = lines[0].line
    return batch


def _parse_row(
    line: int, cells: list[str], batch: ImportBatch, today: date | None = None
) -> _Line | None:
    if len(cells) != len(HEADER):
        batch.errors.append(
            RowError(line, None, f"row has {len(cells)} fields but the header has {len(HEADER)}")
        )
        return None
    row = dict(zip(HEADER, (_clean(n, c) for n, c in zip(HEADER, cells, strict=True)), strict=True))
    order_id = row["Order ID"]
    p = RowProblems(line, order_id or None)
    if not order_id:
        p.error("Order ID", "missing (every row needs an order id)")
    if not row["Title"]:
        p.error("Title", "missing (every row needs a title)")
    quantity = p.parse("Qty", parse_quantity, row["Qty"]) or 1
    currency = p.parse("Currency", parse_currency, row["Currency"])
    price = None
    if row["Price"]:
        try:
            price, detected = parse_amount(row["Price"], currency)
            shown = amount_currency(row["Price"])
            if currency and shown and shown != currency:
                p.warn("Price", f'"{row["Price"]}" is in {shown} but Currency says {currency}')
            currency = currency or detected
        except ValueError as exc:
            p.error("Price", str(exc))
    ordered_at = p.parse("Order Date", parse_date, row["Order Date"], today)
    product_url = p.parse("Product Url", parse_url, row["Product Url"])
    image_url = p.parse("Product Image Url", parse_url, row["Product Image Url"])
    store_url = p.parse("Store Url", parse_url, row["Store Url"])
    batch.warnings.extend(p.warnings)
    if p.errors:
        batch.errors.extend(p.errors)
        return None
    item = Item(
        title=row["Title"],
        quantity=quantity,
        unit_price=price if quantity == 1 else None,
        currency=currency,
        attributes=parse_attributes(row["Attributes"]),
        url=product_url,
        product_id=row["Product ID"] or None,
        sku_id=row["SKU ID"] or None,
        image_url=image_url,
    )
    tags = [t.strip() for t in row["Tags"].replace("|", ",").split(",") if t.strip()]
    return _Line(
        line=line,
        order_id=order_id,
        item=item,
        price=price,
        currency=currency,
        ordered_at=ordered_at,
        store=row["Store"] or None,
        store_url=store_url,
        status=row["Status"] or None,
        tags=tags,
    )


#: Free-text columns keep tabs and line breaks as read: stripping a leading tab would turn
#: a neutralised spreadsheet cell such as "\t=1+1" into a live formula.
_TEXT_COLUMNS = frozenset({"Title", "Store", "Attributes", "Tags"})


def _clean(name: str, cell: str) -> str:
    return cell.strip(" ") if name in _TEXT_COLUMNS else cell.strip()


def _merge(lines: list[_Line], batch: ImportBatch) -> Order | None:
    """One order from its lines; ``None`` (with an error) when they cannot be added up."""
    first = lines[0]
    currencies = {ln.currency for ln in lines if ln.currency}
    if len(currencies) > 1:
        later = next(ln for ln in lines if ln.currency and ln.currency != first.currency)
        batch.errors.append(
            RowError(
                later.line,
                "Currency",
                f"order {first.order_id} has lines in {', '.join(sorted(currencies))} "
                f"(line {first.line} and line {later.line}); cannot add them up",
                first.order_id,
            )
        )
        return None
    for ln in lines[1:]:
        for label, attr in (("Order Date", "ordered_at"), ("Store", "store"), ("Status", "status")):
            if getattr(ln, attr) != getattr(first, attr):
                batch.warnings.append(
                    RowWarning(ln.line, label, _differs(first, label), first.order_id)
                )
    prices = [ln.price for ln in lines]
    total = sum(p for p in prices if p is not None) if None not in prices else None
    title = first.item.title
    if len(lines) > 1:
        title = f"{title} (+{len(lines) - 1} more)"
    state, known = _state(first.status)
    if not known:
        batch.warnings.append(_unknown_status(first))
    tags = list(dict.fromkeys(t for ln in lines for t in ln.tags))
    order = Order(
        order_id=first.order_id,
        title=title,
        platform="aliexpress",
        store=first.store,
        store_url=first.store_url,
        price=total,
        currency=next(iter(currencies), None),
        quantity=sum(ln.item.quantity for ln in lines),
        url=DETAIL_URL.format(order_id=first.order_id),
        platform_status=first.status,
        state=state,
        ordered_at=first.ordered_at,
        items=[ln.item for ln in lines],
    )
    if tags:
        order.extra["tags"] = tags
    if warning := check_order_id(first.order_id, "aliexpress"):
        batch.warnings.append(_warning(first, "Order ID", warning))
    return order


def _state(status: str | None) -> tuple[OrderState, bool]:
    if status is None:
        return OrderState.ORDERED, True
    state = STATUS_STATES.get(" ".join(status.lower().split()))
    return (state, True) if state is not None else (OrderState.ORDERED, False)


def _differs(first: _Line, label: str) -> str:
    return f"differs from line {first.line} of the same order; using line {first.line}'s {label}"


def _unknown_status(first: _Line) -> RowWarning:
    return _warning(
        first, "Status", f'unknown status "{first.status}"; kept as is, order state set to ordered'
    )


def _warning(first: _Line, field_name: str, message: str) -> RowWarning:
    return RowWarning(first.line, field_name, message, first.order_id)
