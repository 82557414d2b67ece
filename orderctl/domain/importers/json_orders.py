"""orderctl's JSON export read back: a list of ``Order.to_dict()`` objects.

Everything is preserved: keys this version does not know end up in
``Order.extra`` (``Order.from_dict`` does that), and an ``events`` list per
order is returned in ``ImportBatch.events`` for the tracking store.

For JSON, ``RowError.line`` is the 1-based line on which the entry's object
starts (found while walking the array with ``raw_decode``, so no second
parse); ``field`` names the offending key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from orderctl.domain.field_parsers import (
    MAX_QUANTITY,
    check_date_range,
    check_order_id,
    parse_plain_amount,
    parse_platform,
)
from orderctl.domain.models import DATE_FIELDS, DETAIL_KEYS, Order, OrderState
from orderctl.domain.records import inspection_history
from orderctl.errors import InvalidInput

from .rows import FORMAT_JSON, ImportBatch, RowError, RowProblems, RowWarning

_HINT = "orderctl reads the JSON that `orderctl export --format json` writes: a list of orders."


def looks_like(text: str) -> bool:
    """JSON starts with ``[`` or ``{`` (CSV headers never do)."""
    return text.lstrip()[:1] in ("[", "{")


def parse(
    text: str, name: str, *, known_platforms: Iterable[str], today: date | None = None
) -> ImportBatch:
    """Parse the array; a syntax error or a non-list document raises ``InvalidInput``.

    With ``today``, every date must pass :func:`check_date_range` like a CLI option.
    """
    batch = ImportBatch(FORMAT_JSON)
    known = list(known_platforms)
    seen: dict[str, int] = {}
    for index, (line, entry) in enumerate(_entries(text, name), start=1):
        order = _parse_entry(line, index, entry, known, seen, batch, today)
        if order is not None:
            batch.orders.append(order)
            batch.lines[order.order_id] = line
    return batch


def _entries(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(start line, value)`` for each element of the top-level array."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if text[pos : pos + 1] != "[":
        raise InvalidInput(f"{name} is JSON but not a list of orders", hint=_HINT)
    pos, line, counted = _skip_ws(text, pos + 1), 1, 0
    expect_value = True
    if text[pos : pos + 1] == "]":
        expect_value = False
    while True:
        if expect_value:
            line += text.count("\n", counted, pos)
            counted = pos
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                _syntax_error(name, exc)
            except (ValueError, RecursionError) as exc:  # huge numbers, absurd nesting
                raise InvalidInput(f"{name} is not usable JSON ({exc})", hint=_HINT) from None
            yield line, value
            pos = _skip_ws(text, pos)
        char = text[pos : pos + 1]
        if char == "]":
            pos = _skip_ws(text, pos + 1)
            if pos != len(text):
                _syntax_error(name, json.JSONDecodeError("Extra data", text, pos))
            return
        if char != "," or not expect_value:
            _syntax_error(name, json.JSONDecodeError("Expecting ',' delimiter", text, pos))
        pos = _skip_ws(text, pos + 1)
        expect_value = True


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _syntax_error(name: str, exc: json.JSONDecodeError) -> None:
    detail = f"line {exc.lineno}: {exc.msg} (column {exc.colno})"
    raise InvalidInput(f"{name} is not valid JSON", hint=_HINT, details=[detail])


def _parse_entry(
    line: int,
    index: int,
    entry: Any,
    known: list[str],
    seen: dict[str, int],
    batch: ImportBatch,
    today: date | None = None,
) -> Order | None:
    if not isinstance(entry, dict):
        batch.errors.append(RowError(line, None, f"entry {index} is not an object"))
        return None
    raw_id = entry.get("order_id")
    order_id = str(raw_id).strip() if isinstance(raw_id, str | int) else ""
    p = RowProblems(line, order_id or None)
    _validate(entry, p, known, today)
    if order_id and order_id in seen:
        p.error("order_id", f'order id "{order_id}" already appears on line {seen[order_id]}')
    details: dict[str, Any] = {}
    for key in DETAIL_KEYS:
        value = entry.get(key)
        if value is None:
            continue
        if key == "inspection_draft":
            if not isinstance(value, dict):
                p.error(key, "must be an object")
        elif not (isinstance(value, list) and all(isinstance(e, dict) for e in value)):
            p.error(key, "must be a list of objects")
        elif key == "inspections":
            try:
                inspection_history(value)
            except TypeError as exc:
                p.error(key, str(exc))

        details[key] = value
    order = None
    if not p.errors:
        try:
            order = Order.from_dict(entry)
        except (KeyError, ValueError, TypeError, ArithmeticError, AttributeError) as exc:
            p.error(None, f"entry {index} is not a valid order ({exc})")
    batch.warnings.extend(p.warnings)
    if order is None:
        batch.errors.extend(p.errors)
        return None
    seen[order.order_id] = line
    if warning := check_order_id(order.order_id, order.platform):
        batch.warnings.append(RowWarning(line, "order_id", warning, order.order_id))
    if details:
        batch.details[order.order_id] = details
    return order


def _validate(
    entry: dict[str, Any], p: RowProblems, known: list[str], today: date | None = None
) -> None:
    """Check the fields whose bad values ``from_dict`` would accept or explain poorly."""
    for key in ("order_id", "title"):
        value = entry.get(key)
        if not (isinstance(value, str) and value.strip()) and not (
            key == "order_id" and isinstance(value, int) and not isinstance(value, bool)
        ):
            p.error(key, "missing or not text")
    if "platform" in entry:
        if isinstance(entry["platform"], str):
            p.parse("platform", parse_platform, entry["platform"], known)
        else:
            p.error("platform", "must be text")
    for key in DATE_FIELDS:
        value = entry.get(key)
        if value in (None, ""):
            continue
        if not _is_iso_date(value):
            p.error(key, f"{json.dumps(value)[:40]} is not a YYYY-MM-DD date")
        elif today is not None:
            try:
                check_date_range(date.fromisoformat(value), today)
            except ValueError as exc:
                p.error(key, str(exc))
    if entry.get("state") is not None and entry["state"] not in {s.value for s in OrderState}:
        p.error("state", f"{json.dumps(entry['state'])[:40]} is not a known order state")
    currency = entry.get("currency") if isinstance(entry.get("currency"), str) else None
    _check_money(entry.get("price"), "price", p, currency)
    _check_quantity(entry.get("quantity", 1), "quantity", p)
    items = entry.get("items", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        p.error("items", "must be a list of objects")
        return
    for n, item in enumerate(items, start=1):
        if not isinstance(item.get("title"), str):
            p.error(f"items[{n}].title", "missing or not text")
        item_currency = item.get("currency") if isinstance(item.get("currency"), str) else None
        _check_money(item.get("unit_price"), f"items[{n}].unit_price", p, item_currency)
        _check_quantity(item.get("quantity", 1), f"items[{n}].quantity", p)


def _check_quantity(quantity: Any, key: str, p: RowProblems) -> None:
    """The CLI's quantity bounds (1 to MAX_QUANTITY, a whole number)."""
    if not (
        isinstance(quantity, int)
        and not isinstance(quantity, bool)
        and 1 <= quantity <= MAX_QUANTITY
    ):
        p.error(key, f"{json.dumps(quantity)[:40]} is not a whole number from 1 to {MAX_QUANTITY}")


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_money(value: Any, key: str, p: RowProblems, currency: str | None) -> None:
    """The CLI's amount bounds (:func:`parse_plain_amount`): no ``1e999999999``, no ``inf``."""
    if value is None or value == "":
        return
    try:
        parse_plain_amount(value, currency)
    except ValueError as exc:
        p.error(key, str(exc))
