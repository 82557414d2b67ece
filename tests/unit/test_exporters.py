"""Exporters: exact CSV/JSON text, and that the importers read it back unchanged."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from orderctl.domain.exporters import CSV_COLUMNS, orders_to_csv, orders_to_json
from orderctl.domain.importers import parse_bytes
from orderctl.domain.models import Item, Order, OrderState
from orderctl.domain.records import Inspection


def sample_orders() -> list[Order]:
    kettle = Order(
        order_id="8208460785972844",
        title='Kettle, 6L "steel"\nsecond line',
        store="Kitchen World",
        price=Decimal("1E+2"),
        currency="USD",
        quantity=2,
        ordered_at=date(2026, 2, 21),
        shipped_at=date(2026, 2, 23),
        tracking_number="LP00123456789012",
        carrier="Cainiao",
        protection_ends_at=date(2026, 4, 25),
        category="kitchen",
        url="https://www.aliexpress.com/item/1005006543210987.html",
        state=OrderState.DELIVERED,
        items=[Item(title="Kettle", quantity=2, attributes={"Color": "6L"})],
        inspection=Inspection(verdict="pass"),
        extra={"future_field": [1, 2]},
    )
    light = Order(order_id="27-11068-77489", title="Bike light", platform="ebay")
    return [kettle, light]


def test_orders_to_csv_exact() -> None:
    text = orders_to_csv(sample_orders())
    assert text == (
        "order_id,platform,title,store,price,currency,quantity,ordered_at,shipped_at,"
        "tracking_number,carrier,protection_ends_at,category,url,"
        "expected_delivery_from,expected_delivery_by\r\n"
        '8208460785972844,aliexpress,"Kettle, 6L ""steel""\nsecond line",Kitchen World,100,USD,2,'
        "2026-02-21,2026-02-23,LP00123456789012,Cainiao,2026-04-25,kitchen,"
        "https://www.aliexpress.com/item/1005006543210987.html,,\r\n"
        "27-11068-77489,ebay,Bike light,,,,1,,,,,,,,,\r\n"
    )
    assert CSV_COLUMNS[0] == "order_id" and len(CSV_COLUMNS) == 16


def test_csv_reads_back() -> None:
    orders = sample_orders()
    batch = parse_bytes(orders_to_csv(orders).encode(), "export.csv")
    assert batch.errors == [] and batch.warnings == []
    for before, after in zip(orders, batch.orders, strict=True):
        for column in CSV_COLUMNS:
            assert getattr(after, column) == getattr(before, column), column


def test_csv_of_nothing_is_a_header() -> None:
    assert orders_to_csv([]) == ",".join(CSV_COLUMNS) + "\r\n"


def test_orders_to_json_shape_and_round_trip() -> None:
    orders = sample_orders()
    events = {"8208460785972844": [{"time": "2026-02-23T10:00:00+08:00", "status": "in_transit"}]}
    text = orders_to_json(orders, {k: {"events": v} for k, v in events.items()})
    assert text.endswith("]\n") and text.startswith('[\n  {\n    "order_id": "8208460785972844"')
    data = json.loads(text)
    assert data[0]["events"] == events["8208460785972844"]
    assert "events" not in data[1]
    assert data[0]["future_field"] == [1, 2]
    assert data[0]["price"] == "1E+2"  # the model's own string form; Decimal reads it back

    batch = parse_bytes(text.encode(), "export.json")
    assert batch.errors == []
    assert [o.to_dict() for o in batch.orders] == [o.to_dict() for o in orders]
    assert batch.details == {k: {"events": v} for k, v in events.items()}


def test_orders_to_json_is_stable_and_keeps_unicode() -> None:
    orders = [Order(order_id="8208460785972844", title="Чайник 电水壶")]
    assert orders_to_json(orders) == orders_to_json(orders)
    assert "Чайник 电水壶" in orders_to_json(orders)
    assert orders_to_json([]) == "[]\n"


def test_orders_to_json_writes_loose_python_values() -> None:
    order = Order(order_id="8208460785972844", title="t")
    loose = {"at": date(2026, 3, 1), "cost": Decimal("1.50"), "tags": {"b", "a"}}
    order.inspection = Inspection(extra=loose, keys=tuple(loose))
    data = json.loads(orders_to_json([order]))
    assert data[0]["inspection"] == {"at": "2026-03-01", "cost": "1.50", "tags": ["a", "b"]}
