"""Importers: format detection, exact orders from the fixture files, exact row errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from orderctl.domain.importers import (
    FORMAT_GENERIC_CSV,
    FORMAT_JSON,
    FORMAT_SHOPPER_INVENTORY,
    ImportBatch,
    RowError,
    RowWarning,
    parse_bytes,
)
from orderctl.domain.models import Item, OrderState
from orderctl.errors import ExitCode, InvalidInput
from orderctl.services.orders.order_file import import_file

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
HEADER = "order_id,platform,title,store,price,currency,quantity,ordered_at,shipped_at,tracking_number,carrier,protection_ends_at,category,url"  # noqa: E501


def messages(batch: ImportBatch) -> list[str]:
    return [str(e) for e in batch.errors]


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# --- row types ---------------------------------------------------------------


def test_row_error_str() -> None:
    assert str(RowError(4, "price", '"12,3,4" is not a valid amount')) == (
        'line 4, price: "12,3,4" is not a valid amount'
    )
    assert str(RowError(7, None, "row has 3 fields but the header has 6")) == (
        "line 7: row has 3 fields but the header has 6"
    )
    assert isinstance(RowWarning(1, None, "x"), RowError)


def test_raise_for_errors_lists_every_error() -> None:
    batch = parse_bytes((DATA / "generic_bad.csv").read_bytes(), "bad.csv")
    with pytest.raises(InvalidInput) as info:
        batch.raise_for_errors("bad.csv")
    assert info.value.exit_code == ExitCode.USAGE
    assert info.value.message == "bad.csv: 8 problems found; nothing was imported"
    assert info.value.details == messages(batch)
    ImportBatch("generic-csv").raise_for_errors("empty.csv")  # no errors: no exception


# --- generic CSV -------------------------------------------------------------


def test_generic_valid_file() -> None:
    batch = import_file(DATA / "generic_valid.csv")
    assert batch.format == FORMAT_GENERIC_CSV
    assert batch.errors == [] and batch.warnings == []
    assert batch.lines == {"8208460785972844": 2, "3065355286098390": 3, "27-11068-77489": 5}
    cable, kettle, light = batch.orders

    assert cable.order_id == "8208460785972844"
    assert cable.platform == "aliexpress"
    assert (cable.price, cable.currency, cable.quantity) == (Decimal("12.34"), "USD", 1)
    assert cable.store == "Baseus Official Store"
    assert cable.category == "cables"
    assert cable.ordered_at == date(2026, 2, 1)
    assert cable.state == OrderState.ORDERED
    assert cable.items == [
        Item(
            title="USB-C cable 2m",
            quantity=1,
            unit_price=Decimal("12.34"),
            currency="USD",
            url="https://www.aliexpress.com/item/1005006543210987.html",
        )
    ]

    assert kettle.title == "Folding\nkettle 6L"  # quoted field over two lines
    assert (kettle.price, kettle.currency, kettle.quantity) == (Decimal("129.46"), "PLN", 2)
    assert kettle.items[0].unit_price == Decimal("64.73")  # 129.46 / 2 is exact
    assert kettle.ordered_at == date(2026, 2, 21)
    assert kettle.shipped_at == date(2026, 2, 23)
    assert kettle.protection_ends_at == date(2026, 4, 25)
    assert (kettle.tracking_number, kettle.carrier) == ("LP00123456789012", "Cainiao")
    assert kettle.state == OrderState.SHIPPED
    assert kettle.url == "https://www.aliexpress.com/item/1005001111111111.html"
    assert kettle.store == "Home Store" and kettle.category is None

    assert (light.platform, light.price, light.currency) == ("ebay", Decimal("7.99"), "GBP")
    assert light.ordered_at == date(2026, 2, 21)
    assert light.store is None and light.url is None


def test_generic_bad_rows_are_reported_with_lines() -> None:
    batch = import_file(DATA / "generic_bad.csv")
    assert [o.order_id for o in batch.orders] == ["5019241171106742"]
    assert messages(batch) == [
        'line 3, price: "12,3,4" is not a valid amount (check the separators)',
        "line 4, order_id: missing (every row needs an order id)",
        'line 5, price: "-5" is negative; amounts must be zero or more',
        'line 5, quantity: "0" is not a valid quantity (use a whole number from 1 to 100000)',
        'line 5, ordered_at: "02/03/2026" is ambiguous (day/month order); write it as YYYY-MM-DD',
        'line 5, url: "javascript:alert(1)" is not a valid URL '
        "(it must start with https:// or http://)",
        'line 6, order_id: order id "5019241171106742" already appears on line 2',
        "line 7: row has 3 fields but the header has 6",
    ]
    assert batch.errors[0].order_id == "3031265788145237"
    assert batch.errors[0].field == "price"


def test_generic_line_numbers_after_multiline_field() -> None:
    data = csv_bytes(
        "order_id,title,price",
        '8208460785972844,"one\ntwo\nthree",1.00',
        "3065355286098390,ok,oops",
    )
    batch = parse_bytes(data, "x.csv")
    assert messages(batch) == ['line 5, price: "oops" is not a valid amount']
    assert batch.lines == {"8208460785972844": 2}


def test_generic_crlf_and_blank_lines() -> None:
    data = b"order_id,title\r\n\r\n8208460785972844,A\r\n,\r\n3065355286098390,B\r\n"
    batch = parse_bytes(data, "x.csv")
    assert batch.errors == []
    assert batch.lines == {"8208460785972844": 3, "3065355286098390": 5}


def test_generic_unknown_and_missing_columns() -> None:
    batch = parse_bytes(csv_bytes("order_id,Title,colour", "8208460785972844,A,red"), "x.csv")
    assert messages(batch) == [
        'line 1: unknown column "colour" (columns: order_id, platform, title, store, price, '
        "currency, quantity, ordered_at, shipped_at, tracking_number, carrier, "
        "protection_ends_at, category, url, expected_delivery_from, expected_delivery_by)"
    ]
    assert [o.title for o in batch.orders] == ["A"]  # rows still checked, header is case-blind

    batch = parse_bytes(csv_bytes("order_id,price", "8208460785972844,1"), "x.csv")
    assert messages(batch) == ['line 1: required column "title" is missing']
    assert batch.orders == []

    batch = parse_bytes(csv_bytes("order_id,title,title", "1,a,b"), "x.csv")
    assert messages(batch) == ['line 1: column "title" appears more than once']

    batch = parse_bytes(csv_bytes("order_id,title,,", "1,a,,", "2,b,x,"), "x.csv")
    assert messages(batch) == ["line 3: a value sits in a column without a name (check the header)"]
    assert [o.order_id for o in batch.orders] == ["1"]


def test_generic_platform_currency_and_id_checks() -> None:
    data = csv_bytes(
        "order_id,platform,title,price,currency",
        "123,aliexpress,A,€5,USD",
        "8208460785972844,Wallapop,B,1,",
        "8208460785972845,,C,1,EURO",
    )
    batch = parse_bytes(data, "x.csv", known_platforms=["aliexpress", "ebay"])
    assert [str(w) for w in batch.warnings] == [
        'line 2, order_id: order id "123" does not match AliExpress order ids (12 to 20 digits)',
        'line 2, price: "€5" is in EUR but currency says USD; using USD',
    ]
    assert [(o.order_id, o.price, o.currency) for o in batch.orders] == [
        ("123", Decimal("5"), "USD")
    ]
    assert messages(batch) == [
        'line 3, platform: unknown platform "Wallapop" (known: aliexpress, ebay)',
        'line 4, currency: "EURO" is not an ISO 4217 currency code (e.g. USD, EUR, PLN)',
    ]


def test_generic_unit_price_only_when_exact() -> None:
    data = csv_bytes("order_id,title,price,quantity", "1,a,10.00,3", "2,b,10.00,4", "3,c,,2")
    batch = parse_bytes(data, "x.csv")
    assert [o.items[0].unit_price for o in batch.orders] == [None, Decimal("2.50"), None]
    assert [o.price for o in batch.orders] == [Decimal("10.00"), Decimal("10.00"), None]


def test_generic_malformed_quote() -> None:
    batch = parse_bytes(csv_bytes("order_id,title", '1,"a"b', "2,ok"), "x.csv")
    assert messages(batch) == ["line 2: malformed CSV: ',' expected after '\"'"]
    assert [o.order_id for o in batch.orders] == ["2"]

    batch = parse_bytes(b'order_id,title\n1,"never closed\n2,x\n', "x.csv")
    assert messages(batch) == ["line 2: malformed CSV: unexpected end of data"]
    assert batch.orders == []


# --- Shopper Inventory -------------------------------------------------------


@pytest.mark.parametrize("name", ["shopper_inventory.csv", "shopper_inventory_bom.csv"])
def test_shopper_inventory(name: str) -> None:
    batch = import_file(DATA / name)
    assert batch.format == FORMAT_SHOPPER_INVENTORY
    assert batch.errors == []
    assert [str(w) for w in batch.warnings] == [
        'line 7, Status: unknown status "Shipped by drone"; kept as is, order state set to ordered'
    ]
    assert batch.lines == {
        "8208460785972844": 2,
        "3065355286098390": 4,
        "5019241171106742": 5,
        "3031265788145237": 6,
        "3031265788145299": 7,
    }
    kettle, filament, case, screwdrivers, mystery = batch.orders

    assert kettle.title == "Electric kettle (+1 more)"
    assert (kettle.price, kettle.currency, kettle.quantity) == (Decimal("124.05"), "USD", 3)
    assert kettle.ordered_at == date(2026, 2, 21)
    assert (kettle.platform_status, kettle.state) == ("Completed", OrderState.CONFIRMED)
    assert kettle.completed_at is None
    assert kettle.store == "Kitchen World"
    assert kettle.store_url == "https://www.aliexpress.com/store/1101234567"
    assert kettle.url == "https://www.aliexpress.com/p/order/detail.html?orderId=8208460785972844"
    assert kettle.extra == {"tags": ["gift"]}
    first, second = kettle.items
    assert first == Item(
        title="Electric kettle",
        quantity=1,
        unit_price=Decimal("120.95"),
        currency="USD",
        attributes={"Color": "6L", "Ships From": "GERMANY"},
        url="https://www.aliexpress.com/item/1005006543210987.html",
        product_id="1005006543210987",
        sku_id="12000037654321098",
        image_url="https://ae01.alicdn.com/kf/S1.jpg",
    )
    assert (second.title, second.quantity, second.unit_price) == ("Kettle descaler", 2, None)
    assert second.attributes == {"Size": "500ml"}

    assert (filament.price, filament.currency, filament.state) == (
        Decimal("129.46"),
        "PLN",
        OrderState.SHIPPED,
    )
    assert (case.price, case.currency, case.state) == (Decimal("4.50"), "EUR", OrderState.CLOSED)
    assert screwdrivers.state == OrderState.ORDERED
    assert (mystery.state, mystery.platform_status) == (OrderState.ORDERED, "Shipped by drone")


SHOPPER_HEADER = (
    "Order Date,Order ID,Title,Qty,Price,Store,Product ID,SKU ID,Attributes,Price Info,"
    "Currency,Status,Product Url,Product Image Url,Store Url,Tags"
)


def shopper_row(order_id: str, price: str, currency: str = "", **kw: str) -> str:
    cells = {
        "date": '"Feb 21, 2026"',
        "title": "Thing",
        "qty": "1",
        "store": "S",
        "status": "Completed",
        "url": "",
    } | kw
    return (
        f"{cells['date']},{order_id},{cells['title']},{cells['qty']},{price},{cells['store']},"
        f",,,,{currency},{cells['status']},{cells['url']},,,"
    )


def test_shopper_bad_line_drops_whole_order() -> None:
    data = csv_bytes(
        SHOPPER_HEADER,
        shopper_row("8208460785972844", "US $1.00", "USD"),
        shopper_row("8208460785972844", "lots", "USD"),
        shopper_row("3065355286098390", "US $2.00", "USD", qty="0"),
        shopper_row("5019241171106742", "US $3.00", "USD"),
    )
    batch = parse_bytes(data, "si.csv")
    assert [o.order_id for o in batch.orders] == ["5019241171106742"]
    assert messages(batch) == [
        'line 3, Price: "lots" is not a valid amount',
        'line 4, Qty: "0" is not a valid quantity (use a whole number from 1 to 100000)',
    ]


def test_shopper_currency_mismatch_and_column_wins() -> None:
    data = csv_bytes(
        SHOPPER_HEADER,
        shopper_row("8208460785972844", "US $1.00", "USD"),
        shopper_row("8208460785972844", '"129,46zł"', "PLN"),
        shopper_row("3065355286098390", "US $2.00", "EUR"),
        shopper_row("5019241171106742", "¥300", "JPY", date="Mar 1 2026", status="Closed"),
        shopper_row("5019241171106742", "¥200", "JPY", date="Mar 2 2026", status="Closed"),
    )
    batch = parse_bytes(data, "si.csv")
    assert messages(batch) == [
        "line 3, Currency: order 8208460785972844 has lines in PLN, USD (line 2 and line 3); "
        "cannot add them up"
    ]
    assert [(o.order_id, o.price, o.currency) for o in batch.orders] == [
        ("3065355286098390", Decimal("2.00"), "EUR"),
        ("5019241171106742", Decimal("500"), "JPY"),
    ]
    assert [str(w) for w in batch.warnings] == [
        'line 4, Price: "US $2.00" is in USD but Currency says EUR',
        "line 6, Order Date: differs from line 5 of the same order; using line 5's Order Date",
    ]


def test_shopper_header_variant_is_explained() -> None:
    data = csv_bytes("Order Date,Order ID,Title,Qty,Price", '"Feb 1, 2026",1,a,1,1')
    with pytest.raises(InvalidInput) as info:
        parse_bytes(data, "si.csv")
    assert info.value.message == (
        "si.csv looks like an AliExpress Shopper Inventory export, but its columns differ"
    )
    assert info.value.details[0] == 'line 1: missing column "Store"'


# --- JSON --------------------------------------------------------------------


def test_json_file() -> None:
    batch = import_file(DATA / "orders.json")
    assert batch.format == FORMAT_JSON
    assert messages(batch) == [
        'line 22, state: "teleported" is not a known order state',
        "line 27: entry 4 is not an object",
    ]
    assert batch.lines == {"8208460785972844": 2, "3065355286098390": 18}
    kettle, filament = batch.orders
    assert kettle.extra == {"loyalty_points": 12}
    assert kettle.inspection is not None and kettle.inspection.extra == {"result": "pass"}
    assert kettle.inspection.to_dict() == {"result": "pass"}
    assert kettle.items[0].attributes == {"Color": "6L"}
    assert (kettle.state, kettle.price) == (OrderState.SHIPPED, Decimal("120.95"))
    assert batch.details == {
        "8208460785972844": {
            "events": [
                {
                    "time": "2026-02-23T10:00:00+08:00",
                    "status": "in_transit",
                    "description": "Departed",
                }
            ]
        }
    }
    assert "events" not in kettle.to_dict()
    assert filament.to_dict()["title"] == "Filament"


def test_json_entry_validation() -> None:
    entries = [
        {"order_id": 8208460785972844, "title": "int id is fine"},
        {"title": "no id"},
        {"order_id": "8208460785972844", "title": "dup"},
        {"order_id": "3065355286098390", "title": "t", "price": "NaN", "quantity": 0},
        {"order_id": "3065355286098391", "title": "t", "ordered_at": "21/02/2026"},
        {"order_id": "3065355286098392", "title": "t", "items": [{"unit_price": "-1"}]},
        {"order_id": "3065355286098393", "title": "t", "events": {"a": 1}},
        {"order_id": "3065355286098394", "title": "t", "platform": "mars"},
    ]
    text = "[\n" + ",\n".join(json.dumps(e) for e in entries) + "\n]\n"
    batch = parse_bytes(text.encode(), "o.json")
    assert [o.order_id for o in batch.orders] == ["8208460785972844"]
    assert messages(batch) == [
        "line 3, order_id: missing or not text",
        'line 4, order_id: order id "8208460785972844" already appears on line 2',
        'line 5, price: "NaN" is not a valid amount (write it like 120.95)',
        "line 5, quantity: 0 is not a whole number from 1 to 100000",
        'line 6, ordered_at: "21/02/2026" is not a YYYY-MM-DD date',
        "line 7, items[1].title: missing or not text",
        'line 7, items[1].unit_price: "-1" is not a valid amount (write it like 120.95)',
        "line 8, events: must be a list of objects",
        'line 9, platform: unknown platform "mars" (known: aliexpress, amazon, ebay, etsy, '
        "other, shein, temu, wish)",
    ]


@pytest.mark.parametrize(
    ("data", "message", "details"),
    [
        (
            b'[{"order_id": "1",}]',
            "o.json is not valid JSON",
            ["line 1: Expecting property name enclosed in double quotes (column 19)"],
        ),
        (b"[1 2]", "o.json is not valid JSON", ["line 1: Expecting ',' delimiter (column 4)"]),
        (b"[1,]", "o.json is not valid JSON", ["line 1: Expecting value (column 4)"]),
        (b"[1] x", "o.json is not valid JSON", ["line 1: Extra data (column 5)"]),
        (b'{"orders": []}', "o.json is JSON but not a list of orders", []),
    ],
)
def test_json_file_level_errors(data: bytes, message: str, details: list[str]) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_bytes(data, "o.json")
    assert info.value.message == message
    assert info.value.details == details


def test_json_absurd_nesting_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match=r"^o\.json is not usable JSON \(maximum recursion"):
        parse_bytes(b"[" * 100_000, "o.json")


def test_json_empty_list() -> None:
    batch = parse_bytes(b"  [ ]  ", "o.json")
    assert (batch.format, batch.orders, batch.errors) == (FORMAT_JSON, [], [])


# --- file-level problems -----------------------------------------------------


def test_latin1_file_is_refused_with_conversion_hint() -> None:
    with pytest.raises(InvalidInput) as info:
        import_file(DATA / "latin1.csv")
    path = DATA / "latin1.csv"
    assert info.value.message == f"{path} is not UTF-8 text"
    assert info.value.details == ["line 1: the file is not UTF-8 (byte 0xE9 on line 2)"]
    assert info.value.hint is not None and "iconv -f WINDOWS-1252 -t UTF-8" in info.value.hint


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "f.csv is empty"),
        (b" \n\r\n ", "f.csv is empty"),
        (b"\xef\xbb\xbf", "f.csv is empty"),
        (b"\xff\xfeo\x00r\x00", "f.csv is UTF-16, not UTF-8"),
        (b"order_id,title\n1,a\x00b\n", "f.csv is not a text file"),
        (b"name,amount\nx,1\n", "f.csv is not a recognised order file"),
        (b"order_id;title\n1;a\n", "f.csv is not a recognised order file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "f.csv is not UTF-8 text"),
    ],
)
def test_file_level_errors(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_bytes(data, "f.csv")
    assert info.value.message == message


def test_semicolon_file_gets_a_specific_hint() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_bytes(b"order_id;title\n1;a\n", "f.csv")
    assert info.value.hint is not None and info.value.hint.startswith("The file seems to use ';'")


def test_unreadable_path_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        import_file(tmp_path / "missing.csv")
    assert (
        info.value.message == f"Cannot read {tmp_path / 'missing.csv'}: No such file or directory"
    )
    with pytest.raises(InvalidInput, match="Cannot read"):
        import_file(tmp_path)


def test_header_only_file_is_an_empty_batch() -> None:
    batch = parse_bytes((HEADER + "\n").encode(), "f.csv")
    assert (batch.format, batch.orders, batch.errors) == (FORMAT_GENERIC_CSV, [], [])
