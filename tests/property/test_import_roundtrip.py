"""Property tests: parsers fail only in the documented way, and exports read back unchanged."""

from __future__ import annotations

import contextlib
import string
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderctl.domain.exporters import CSV_COLUMNS, orders_to_csv, orders_to_json
from orderctl.domain.field_parsers import (
    ISO_4217,
    check_order_id,
    parse_amount,
    parse_attributes,
    parse_currency,
    parse_date,
    parse_platform,
    parse_quantity,
    parse_url,
)
from orderctl.domain.importers import DEFAULT_PLATFORMS, parse_bytes
from orderctl.domain.importers.shopper_inventory import HEADER as SHOPPER_HEADER
from orderctl.domain.models import Item, Order, OrderState
from orderctl.domain.records import ConversationNote, Inspection
from orderctl.errors import InvalidInput

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as people and exporters write it: no control characters except newlines
# inside a field, no surrounding whitespace (cells are stripped on import).
_chars = st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\n")
clean_text = st.text(_chars, min_size=1, max_size=30).filter(lambda s: s == s.strip() and s)
optional_text = st.none() | clean_text
money = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)
currencies = st.sampled_from(sorted(ISO_4217))
urls = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.text(string.ascii_lowercase, min_size=1, max_size=10),
    st.text(string.ascii_letters + string.digits + "-._~%?=&", max_size=20),
)
messy = st.text(max_size=40) | st.sampled_from(
    ["US $1,234.56", "1.234,56 €", "−5", "NaN", "١٢٣", "1e9", "0,000", "2026-02-30", "//x"]
)


# --- parsers only ever raise ValueError --------------------------------------


@SETTINGS
@given(messy, st.none() | st.text(max_size=5) | currencies)
def test_value_parsers_raise_only_value_error(text: str, currency: str | None) -> None:
    for parse in (parse_date, parse_currency, parse_quantity, parse_url, parse_attributes):
        with contextlib.suppress(ValueError):
            parse(text)
    try:
        value, code = parse_amount(text, currency)
    except ValueError:
        pass
    else:
        assert value.is_finite() and value >= 0
        assert code is None or code in ISO_4217
    with contextlib.suppress(ValueError):
        assert parse_platform(text, DEFAULT_PLATFORMS) in DEFAULT_PLATFORMS
    for platform in ("aliexpress", "ebay", "amazon", "temu", "etsy"):
        assert check_order_id(text, platform) is None or isinstance(
            check_order_id(text, platform), str
        )


@SETTINGS
@given(money, currencies)
def test_amount_round_trips_through_its_plain_form(amount: Decimal, currency: str) -> None:
    assert parse_amount(format(amount, "f"), currency) == (amount, currency)


# --- importers only ever raise InvalidInput ----------------------------------


@SETTINGS
@given(st.binary(max_size=300))
def test_parse_bytes_on_random_bytes(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        parse_bytes(data, "random.bin")


_csv_cell = st.text(st.sampled_from(list('ab1,."\n\r;€$ -')), max_size=12) | st.sampled_from(
    ["2026-02-21", "US $1.00", "8208460785972844", "Completed", "https://a.example/"]
)


@SETTINGS
@given(
    st.sampled_from([",".join(CSV_COLUMNS), "order_id,title,price", ",".join(SHOPPER_HEADER)]),
    st.lists(st.lists(_csv_cell, max_size=17), max_size=6),
)
def test_parse_bytes_on_csv_like_text(header: str, rows: list[list[str]]) -> None:
    text = header + "\n" + "\n".join(",".join(row) for row in rows)
    try:
        batch = parse_bytes(text.encode(), "fuzz.csv")
    except InvalidInput:
        return
    for error in batch.errors + batch.warnings:
        assert error.line >= 1 and str(error).startswith(f"line {error.line}")


@SETTINGS
@given(st.text(st.sampled_from(list('[]{}",:0123456789. \ntruefalsnl')), max_size=60))
def test_parse_bytes_on_json_like_text(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse_bytes(("[" + text).encode(), "fuzz.json")


# --- generic CSV: export then import is the identity on the exported columns -


@st.composite
def csv_orders(draw: st.DrawFn) -> list[Order]:
    ids = draw(st.lists(st.from_regex(r"[0-9]{12,20}", fullmatch=True), unique=True, max_size=5))
    orders = []
    for order_id in ids:
        expected_from = draw(st.none() | st.dates(max_value=date(9000, 1, 1)))
        low = expected_from or date(1, 1, 1)
        expected_by = draw(st.none() | st.dates(min_value=low))
        orders.append(
            Order(
                order_id=order_id,
                title=draw(clean_text),
                platform=draw(st.sampled_from(DEFAULT_PLATFORMS)),
                store=draw(optional_text),
                price=draw(st.none() | money),
                currency=draw(st.none() | currencies),
                quantity=draw(st.integers(1, 100_000)),
                ordered_at=draw(st.none() | st.dates()),
                shipped_at=draw(st.none() | st.dates()),
                tracking_number=draw(optional_text),
                carrier=draw(optional_text),
                protection_ends_at=draw(st.none() | st.dates()),
                category=draw(optional_text),
                url=draw(st.none() | urls),
                expected_delivery_from=expected_from,
                expected_delivery_by=expected_by,
            )
        )
    return orders


@SETTINGS
@given(csv_orders())
def test_csv_export_import_round_trip(orders: list[Order]) -> None:
    # --raw is the lossless round trip; the default neutralises formula cells (tested below).
    batch = parse_bytes(orders_to_csv(orders, raw=True).encode(), "export.csv")
    assert batch.errors == []
    assert len(batch.orders) == len(orders)
    for before, after in zip(orders, batch.orders, strict=True):
        assert [getattr(after, c) for c in CSV_COLUMNS] == [getattr(before, c) for c in CSV_COLUMNS]


# --- JSON: export then import is the identity on Order.to_dict() -------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
json_dicts = st.dictionaries(st.text(max_size=8), json_values, max_size=3)
# Amounts within the bounds every importer enforces (values.check_amount): below a
# trillion, at most two decimals. Anything else is refused, not round-tripped.
# An inspection with keys this release does not know (kept in ``extra``); the
# typed fields' shapes are checked by tests/unit/test_typed_records.py.
inspections = json_dicts.filter(lambda d: d and not set(d) & set(Inspection.DEFAULT_KEYS)).map(
    Inspection.from_dict
)
decimals = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)

items = st.builds(
    Item,
    title=st.text(max_size=20),
    quantity=st.integers(1, 1000),
    unit_price=st.none() | decimals,
    currency=st.none() | currencies,
    attributes=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    url=st.none() | urls,
    product_id=st.none() | st.text(max_size=16),
    sku_id=st.none() | st.text(max_size=16),
    image_url=st.none() | urls,
)


@st.composite
def json_orders(draw: st.DrawFn) -> tuple[list[Order], dict[str, list[dict]]]:
    ids = draw(st.lists(clean_text, unique=True, max_size=4))
    orders = []
    for order_id in ids:
        order = Order(
            order_id=order_id,
            title=draw(clean_text),
            platform=draw(st.sampled_from(DEFAULT_PLATFORMS)),
            store=draw(st.none() | st.text(max_size=10)),
            store_url=draw(st.none() | urls),
            price=draw(st.none() | decimals),
            currency=draw(st.none() | currencies),
            quantity=draw(st.integers(1, 1000)),
            platform_status=draw(st.none() | st.text(max_size=10)),
            state=draw(st.sampled_from(list(OrderState))),
            ordered_at=draw(st.none() | st.dates()),
            delivered_at=draw(st.none() | st.dates()),
            completed_at=draw(st.none() | st.dates()),
            tracking_number=draw(st.none() | st.text(max_size=12)),
            tracking_numbers=draw(st.lists(st.text(max_size=12), max_size=2)),
            items=draw(st.lists(items, max_size=3)),
            inspection=draw(st.none() | inspections),
            notes=draw(st.lists(json_dicts.map(ConversationNote.from_dict), max_size=2)),
            extra=draw(
                st.dictionaries(st.from_regex(r"x_[a-z]{1,6}", fullmatch=True), json_values)
            ),
        )
        orders.append(order)
    events = {
        order.order_id: draw(st.lists(json_dicts, max_size=2))
        for order in orders
        if draw(st.booleans())
    }
    return orders, events


@SETTINGS
@given(json_orders())
def test_json_export_import_round_trip(data: tuple[list[Order], dict[str, list[dict]]]) -> None:
    orders, events = data
    details = {k: {"events": v} for k, v in events.items()}
    batch = parse_bytes(orders_to_json(orders, details).encode(), "export.json")
    assert batch.errors == []
    assert [o.to_dict() for o in batch.orders] == [o.to_dict() for o in orders]
    assert batch.details == {k: v for k, v in details.items() if v["events"]}
