"""The order book through the CLI: add, list, show, edit, rm, and their contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AE_ID = "8208460785972844"

LIST_KEYS = {
    "order_id",
    "platform",
    "title",
    "store",
    "state",
    "tracking_number",
    "carrier",
    "shipment_status",
    "ordered_at",
    "shipped_at",
    "delivered_at",
    "protection_ends_at",
    "next_deadline",
}


def add_sample(cli, order_id: str = AE_ID, *extra: str):
    result = cli(
        "add",
        order_id,
        "--title",
        "USB-C hub",
        "--store",
        "UGREEN",
        "--price",
        "23.99",
        "--currency",
        "USD",
        "--shipped",
        "2026-11-02",
        "--tracking",
        "LP00123456789012",
        *extra,
    )
    assert result.exit_code == 0, result.stderr
    return result


def test_add_creates_a_shipped_order_with_one_item_and_detected_carrier(cli):
    result = add_sample(cli, AE_ID, "--json")
    order = result.json()
    assert order["order_id"] == AE_ID
    assert order["platform"] == "aliexpress"
    assert order["state"] == "shipped"
    assert order["carrier"] == "cainiao"
    assert order["price"] == "23.99"
    assert order["currency"] == "USD"
    assert order["items"] == [
        {
            "title": "USB-C hub",
            "quantity": 1,
            "unit_price": "23.99",
            "currency": "USD",
            "attributes": {},
            "url": None,
            "product_id": None,
            "sku_id": None,
            "image_url": None,
        }
    ]
    assert result.stderr == ""


def test_add_without_tracking_is_ordered(cli):
    result = cli("add", AE_ID, "--title", "Socks", "--json")
    assert result.exit_code == 0
    assert result.json()["state"] == "ordered"


def test_add_duplicate_is_exit_2_and_keeps_the_first(cli):
    add_sample(cli)
    result = cli("add", AE_ID, "--title", "Other")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "already exists" in result.stderr
    assert cli("show", AE_ID, "--json").json()["title"] == "USB-C hub"


def test_bad_values_are_all_named_and_nothing_is_written(cli, home: Path):
    result = cli(
        "add",
        AE_ID,
        "--title",
        "X",
        "--price",
        "12,3,4",
        "--currency",
        "XYZ",
        "--ordered",
        "2026-13-01",
        "--quantity",
        "0",
        "--url",
        "javascript:alert(1)",
        "--platform",
        "mars",
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    for option in ("--price", "--currency", "--ordered", "--quantity", "--url", "--platform"):
        assert option in result.stderr
    assert not (home / "orders.json").exists()


def test_bad_check_digit_warns_but_saves(cli):
    # S10 number with a wrong check digit (correct one is 5).
    result = cli("add", AE_ID, "--title", "Shirt", "--tracking", "RB472103954CN", "--json")
    assert result.exit_code == 0
    assert "check digit" in result.stderr
    assert result.json()["tracking_number"] == "RB472103954CN"


def test_tracking_number_is_normalised(cli):
    result = cli("add", AE_ID, "--title", "Shirt", "--tracking", "rb 472-103-955 cn", "--json")
    assert result.json()["tracking_number"] == "RB472103955CN"


def test_list_json_contract(cli):
    add_sample(cli)
    cli("add", "27-11068-77489", "--title", "Lens", "--platform", "ebay")
    result = cli("list", "--json")
    assert result.exit_code == 0
    rows = result.json()
    assert [r["order_id"] for r in rows] == [AE_ID, "27-11068-77489"]
    for row in rows:
        assert set(row) >= LIST_KEYS
    first = rows[0]
    assert first["shipment_status"] is None
    assert first["next_deadline"] == {
        "kind": "dispute_by",
        "date": "2026-11-30",
        "days_left": 2,
    }


def test_list_filters(cli):
    add_sample(cli)
    cli("add", "27-11068-77489", "--title", "Lens", "--platform", "eBay")
    assert [r["order_id"] for r in cli("list", "--platform", "ebay", "--json").json()] == [
        "27-11068-77489"
    ]
    assert [r["order_id"] for r in cli("list", "--state", "shipped", "--json").json()] == [AE_ID]
    bad = cli("list", "--state", "lost")
    assert bad.exit_code == 2
    assert "--state" in bad.stderr


def test_list_empty_is_success(cli):
    result = cli("list", "--json")
    assert result.exit_code == 0
    assert result.json() == []
    human = cli("list")
    assert human.exit_code == 0
    assert human.stdout == ""
    assert "No orders" in human.stderr


def test_show_json_has_every_field_and_room_for_later_data(cli):
    add_sample(cli, AE_ID, "--protection-ends", "2026-12-20")
    data = cli("show", AE_ID, "--json").json()
    for key in (
        "order_id",
        "platform",
        "title",
        "store",
        "price",
        "currency",
        "state",
        "ordered_at",
        "shipped_at",
        "delivered_at",
        "protection_ends_at",
        "tracking_number",
        "carrier",
        "items",
        "deadlines",
        "events",
        "inspection",
        "feedback",
        "dispute",
        "notes",
    ):
        assert key in data, key
    assert data["events"] == []
    assert data["inspection"] is None
    assert data["notes"] == []
    kinds = [(d["kind"], d["date"], d["days_left"]) for d in data["deadlines"]]
    assert kinds == [
        ("extend_protection", "2026-12-15", 17),
        ("dispute_by", "2026-12-18", 20),
        ("protection_ends", "2026-12-20", 22),
    ]
    assert all(set(d) >= {"kind", "date", "days_left", "advice"} for d in data["deadlines"])


def test_show_unknown_order_is_exit_3(cli):
    result = cli("show", "404")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "No order '404'" in result.stderr
    assert "orderctl list" in result.stderr


def test_show_human_output(cli):
    add_sample(cli)
    result = cli("show", AE_ID)
    assert result.exit_code == 0
    assert "USB-C hub" in result.stdout
    assert "https://www.aliexpress.com/p/order/detail.html?orderId=" + AE_ID in result.stdout


def test_edit_changes_fields_and_redetects_carrier(cli):
    add_sample(cli)
    result = cli("edit", AE_ID, "--price", "19.99", "--tracking", "YT2431234567890123", "--json")
    assert result.exit_code == 0, result.stderr
    order = result.json()
    assert order["price"] == "19.99"
    assert order["carrier"] == "yunexpress"
    assert order["items"][0]["unit_price"] == "19.99"


def test_edit_clear_and_nothing_to_change(cli):
    add_sample(cli)
    assert cli("edit", AE_ID, "--clear", "store", "--json").json()["store"] is None
    result = cli("edit", AE_ID)
    assert result.exit_code == 2
    assert "Nothing to change" in result.stderr
    assert cli("edit", AE_ID, "--clear", "title").exit_code == 2


def test_impossible_transition_is_exit_6(cli):
    add_sample(cli)
    assert cli("edit", AE_ID, "--state", "closed").exit_code == 0
    result = cli("edit", AE_ID, "--state", "shipped")
    assert result.exit_code == 6
    assert "closed" in result.stderr
    assert "cannot become shipped" in result.stderr


def test_edit_unknown_order_is_exit_3(cli):
    assert cli("edit", "404", "--title", "x").exit_code == 3


def test_rm_needs_yes_off_a_tty(cli):
    add_sample(cli)
    result = cli("rm", AE_ID)
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert cli("show", AE_ID).exit_code == 0
    assert cli("rm", AE_ID, "--yes").exit_code == 0
    assert cli("show", AE_ID).exit_code == 3
    assert cli("rm", AE_ID, "--yes").exit_code == 3


def test_version_and_help(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("orderctl ")
    short = cli("-h")
    assert short.exit_code == 0
    assert "Commands" in short.stdout


@pytest.mark.parametrize(
    "command",
    ["add", "list", "show", "edit", "rm", "import", "export", "due", "carrier", "paths", "demo"],
)
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert len(result.stdout.splitlines()) > 3


def test_paths_follow_orderctl_home(cli, home: Path):
    data = cli("paths", "--json").json()
    assert data["home"] == str(home)
    assert data["db"] == str(home / "orders.json")


def test_store_file_is_private(cli, home: Path):
    add_sample(cli)
    assert (home / "orders.json").stat().st_mode & 0o777 == 0o600
    raw = json.loads((home / "orders.json").read_text())
    assert raw["_meta"]["1"]["schema_version"] == 1


def test_markup_in_user_text_is_printed_literally(cli):
    title = "Phone case [/black] [bold]x"
    cli("add", AE_ID, "--title", title, "--store", "[red]Shop", "--shipped", "2026-11-02")
    for args in (["list"], ["show", AE_ID], ["due"]):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "[/black]" in result.stdout, args


def test_expected_delivery_options(cli):
    result = cli(
        "add",
        "27-11068-77489",
        "--title",
        "Lens",
        "--platform",
        "ebay",
        "--ordered",
        "2026-11-20",
        "--expected",
        "Dec 3-12",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["expected_delivery_from"], data["expected_delivery_by"]) == (
        "2026-12-03",
        "2026-12-12",
    )
    data = cli("edit", "27-11068-77489", "--expected-by", "2026-12-15", "--json").json()
    assert data["expected_delivery_by"] == "2026-12-15"
    due = cli("due", "--json").json()
    assert ("claim_closes", "2027-01-14") in {(e["kind"], e["date"]) for e in due}
    data = cli("edit", "27-11068-77489", "--clear", "expected_by", "--json").json()
    assert data["expected_delivery_by"] is None and data["expected_delivery_from"] is None
    shown = cli("show", "27-11068-77489", "--json").json()
    assert shown["missing"] == ["delivered_at or expected_delivery_by"]


def test_expected_delivery_refusals(cli):
    result = cli("add", AE_ID, "--title", "x", "--expected", "Dec 12-3")
    assert result.exit_code == 2 and "--expected" in result.stderr
    result = cli("add", AE_ID, "--title", "x", "--expected", "Dec 3", "--expected-by", "Dec 4")
    assert result.exit_code == 2 and "give one of them" in result.stderr
    assert cli("list", "--json").json() == []


def test_recording_the_protection_end_remembers_when(cli):
    assert cli("add", AE_ID, "--title", "x", "--shipped", "2026-11-01").exit_code == 0
    data = cli("edit", AE_ID, "--protection-ends", "2026-12-20", "--json").json()
    assert data["protection_ends_recorded_on"] == "2026-11-28"


def test_show_keeps_an_unreadable_stored_event_and_says_so(cli):
    from orderctl.services.context import AppContext

    add_sample(cli)
    readable = {
        "time": "2026-11-20T08:15:00+08:00",
        "time_utc": "2026-11-20T00:15:00Z",
        "status": "in_transit",
        "description": "Departed Shenzhen sorting centre",
        "location": "Shenzhen",
    }
    broken = {"status": "in_transit", "description": "written by hand, no time"}
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        txn.details(AE_ID)
        txn.set_details(AE_ID, {"events": [readable, broken]})
    data = cli("show", AE_ID, "--json").json()
    assert data["events"] == [readable, broken]  # JSON gives every stored event as stored
    human = cli("show", AE_ID)
    assert human.exit_code == 0, human.stderr
    assert "Departed Shenzhen sorting centre" in human.stdout
    assert "1 stored tracking event could not be read by this release" in human.stdout
    assert "written by hand" not in human.stdout
