"""`orderctl import` with mail files: contract, merge rules, re-import, keep-mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.mail import CORPUS, write_mbox

CONTRACT = {"format", "messages_seen", "messages_matched", "messages", "orders", "skipped"}
MESSAGE_KEYS = {
    "message_id",
    "date",
    "from",
    "subject",
    "platform",
    "kind",
    "order_ids",
    "tracking_numbers",
    "items",
}


@pytest.fixture(autouse=True)
def zone(monkeypatch):
    monkeypatch.setenv("ORDERCTL_TZ", "Europe/Berlin")


def _files(home: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


def test_dry_run_json_contract_and_nothing_written(cli, home, tmp_path):
    box = write_mbox(tmp_path / "all.mbox")
    result = cli("import", str(box), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert set(report) >= CONTRACT
    assert report["format"] == "mbox"
    assert report["messages_seen"] == 39
    assert report["messages_matched"] == 37
    assert all(set(m) >= MESSAGE_KEYS for m in report["messages"])
    assert report["skipped"] == [
        {
            "message_id": "<aliexpress-newsletter-en@corpus.orderctl.test>",
            "reason": "not an order or shipping notice",
        }
    ]
    listed = {o["order_id"]: o for o in report["orders"]}
    assert listed["8208460785972844"]["state"] == "shipped"
    assert set(listed["8208460785972844"]) >= {"order_id", "platform", "state", "next_deadline"}
    assert not (home / "orders.json").exists()
    assert [n for n in _files(home) if not n.endswith(".lock")] == []


def test_import_then_reimport_changes_nothing(cli, home, tmp_path):
    box = write_mbox(tmp_path / "all.mbox")
    first = cli("import", str(box), "--json")
    assert first.exit_code == 0, first.stderr
    assert len(first.json()["added"]) == 23
    snapshot = _files(home)
    again = cli("import", str(box), "--json")
    assert again.exit_code == 0
    assert again.json()["added"] == again.json()["updated"] == []
    assert len(again.json()["unchanged"]) == 23
    assert _files(home) == snapshot  # not a byte changed


def test_confirmation_then_shipping_then_delivery(cli, tmp_path):
    placed = CORPUS / "aliexpress-placed-en.eml"
    result = cli("import", str(placed), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["format"] == "eml"
    order = cli("show", "8208460785972844", "--json").json()
    assert order["state"] == "ordered"
    assert order["title"] == "USB-C Hub 7-in-1, 4K HDMI"
    assert order["price"] == "30.99" and order["currency"] == "USD"
    assert order["ordered_at"] == "2026-11-02"
    assert [i["title"] for i in order["items"]] == [
        "USB-C Hub 7-in-1, 4K HDMI",
        "Silicone phone case",
    ]
    assert order["items"][1]["unit_price"] == "3.50"
    shipped = CORPUS / "forwarded-aliexpress-attached-en.eml"
    refused = cli("import", str(shipped), "--json")
    assert refused.exit_code == 0
    assert refused.json()["skipped"] == [
        {
            "message_id": "<forwarded-aliexpress-attached-en@corpus.orderctl.test>",
            "order_id": "8208460785972844",
            "reason": "order 8208460785972844 is already in the book; add --update to merge"
            " what the mail says",
        }
    ]
    assert "--update" in refused.stderr
    assert cli("show", "8208460785972844", "--json").json()["state"] == "ordered"
    merged = cli("import", str(shipped), "--json", "--update")
    assert merged.json()["updated"] == ["8208460785972844"]
    order = cli("show", "8208460785972844", "--json").json()
    assert order["state"] == "shipped"
    assert order["tracking_number"] == "RB123456785CN"
    assert order["shipped_at"] == "2026-11-05"
    entry = next(h for h in order["history"] if h.get("field") == "tracking_number")
    assert entry["source"] == {
        "message_id": "<forwarded-aliexpress-attached-en@corpus.orderctl.test>",
        "date": "2026-11-05T09:00:00+00:00",
        "from": "transaction@notice.aliexpress.com",
    }


def test_buyer_typed_data_wins_and_no_backwards_move(cli, tmp_path):
    added = cli(
        "add",
        "8208460785972844",
        "--title",
        "My hub",
        "--price",
        "25.00",
        "--currency",
        "EUR",
        "--delivered",
        "2026-11-08",
    )
    assert added.exit_code == 0, added.stderr
    for name in ("aliexpress-placed-en", "forwarded-aliexpress-attached-en"):
        result = cli("import", str(CORPUS / f"{name}.eml"), "--update", "--json")
        assert result.exit_code == 0, result.stderr
    order = cli("show", "8208460785972844", "--json").json()
    assert order["title"] == "My hub"
    assert order["price"] == "25.00" and order["currency"] == "EUR"
    assert order["state"] == "delivered"  # a "shipped" mail after delivery changes no state
    assert order["tracking_number"] == "RB123456785CN"  # empty before: taken from mail
    assert order["ordered_at"] == "2026-11-02"


def test_carrier_notice_without_order_is_kept_as_unassigned_parcel(cli):
    result = cli("import", str(CORPUS / "fedex-delivered-en.eml"), "--json")
    assert result.exit_code == 0
    report = result.json()
    assert report["added"] == []
    assert report["unassigned"][0]["number"] == "477179081230"
    assert report["unassigned"][0]["carrier"] == "fedex"
    again = cli("import", str(CORPUS / "fedex-delivered-en.eml"), "--json")
    assert again.json()["unassigned"] == []  # kept once


def test_carrier_notice_ties_to_the_order_by_tracking_number(cli, tmp_path):
    box = write_mbox(tmp_path / "b.mbox", ["ebay-shipped-de", "dhl-exception-de"])
    result = cli("import", str(box), "--json")
    assert result.exit_code == 0
    assert result.json()["unassigned"] == []
    order = cli("show", "12-34567-89012", "--json").json()
    kinds = {h["kind"] for h in order["history"]}
    assert "shipped" in kinds


def test_platform_and_since_filters(cli, tmp_path):
    box = write_mbox(tmp_path / "all.mbox")
    only = cli("import", str(box), "--dry-run", "--json", "--platform", "ebay")
    assert only.exit_code == 0
    assert {m["platform"] for m in only.json()["messages"]} == {"ebay"}
    bad = cli("import", str(box), "--platform", "nowhere")
    assert bad.exit_code == 2
    late = cli("import", str(box), "--dry-run", "--json", "--since", "2026-11-20")
    assert all(m["date"] >= "2026-11-19" for m in late.json()["messages"])
    assert cli("import", str(box), "--since", "yesterday").exit_code == 2


def test_maildir_and_several_eml(cli, tmp_path):
    box = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    (box / "new" / "1.x").write_bytes((CORPUS / "temu-placed-en.eml").read_bytes())
    (box / "cur" / "2.x:2,S").write_bytes((CORPUS / "temu-shipped-es.eml").read_bytes())
    result = cli("import", str(box), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["format"] == "maildir"
    order = cli("show", "PO-162-21726517842553634", "--json").json()
    assert order["state"] == "shipped" and order["carrier"] == "yunexpress"
    several = cli(
        "import",
        str(CORPUS / "etsy-placed-en.eml"),
        str(CORPUS / "wish-placed-en.eml"),
        "--dry-run",
        "--json",
    )
    assert several.exit_code == 0
    assert len(several.json()["added"]) == 2


def test_keep_mail_stores_the_confirmation_as_evidence(cli, home):
    result = cli("import", str(CORPUS / "amazon-placed-de.eml"), "--keep-mail", "--json")
    assert result.exit_code == 0, result.stderr
    kept = result.json()["kept"]
    assert len(kept) == 1 and kept[0]["order_id"] == "302-1234567-1234567"
    stored = home / "evidence"
    blobs = [p for p in stored.rglob("*") if p.is_file() and not p.name.endswith(".json")]
    assert len(blobs) == 2  # the original message and its text rendering
    original = (CORPUS / "amazon-placed-de.eml").read_bytes()
    assert [b.read_bytes() == original for b in blobs].count(True) == 1
    rendered = next(b for b in blobs if b.read_bytes() != original).read_text("utf-8")
    assert "Kaffeemühle, elektrisch, Edelstahl" in rendered  # decoded from ISO-8859-1
    order = cli("show", "302-1234567-1234567", "--json").json()
    assert order["mail_evidence"][0]["sha256"] == kept[0]["sha256"]
    again = cli("import", str(CORPUS / "amazon-placed-de.eml"), "--keep-mail", "--json")
    assert again.json()["kept"] == []


def test_text_output_goes_to_stdout_and_warnings_to_stderr(cli, tmp_path):
    result = cli("import", str(CORPUS / "ebay-placed-en-gb.eml"), "--dry-run")
    assert result.exit_code == 0
    assert "27-11068-77489" in result.stdout
    assert "Would import from 1 of 1 messages" in result.stdout
    assert "Would import" not in result.stderr


def test_bad_mail_sources_are_usage_errors(cli, tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    assert cli("import", str(folder)).exit_code == 2
    missing = cli("import", str(tmp_path / "nope.eml"))
    assert missing.exit_code == 2
    assert missing.stdout == ""


def test_dispute_bundle_includes_the_kept_mail_and_its_text(cli, home):
    from orderctl.services.context import AppContext

    placed = CORPUS / "aliexpress-placed-en.eml"  # HTML-only, base64
    assert cli("import", str(placed), "--keep-mail").exit_code == 0
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get("8208460785972844")
        order.shipment_status = "exception"
        txn.put(order)
    result = cli("dispute", "8208460785972844", "--yes", "--force", "--json")
    assert result.exit_code == 0, result.stderr
    paths = [f["path"] for f in result.json()["files"]]
    eml = [p for p in paths if p.endswith(".eml")]
    txt = [p for p in paths if p.endswith(".txt")]
    assert len(eml) == len(txt) == 1
    bundle = Path(result.json()["bundle_dir"])
    assert (bundle / eml[0]).read_bytes() == placed.read_bytes()
    text = (bundle / txt[0]).read_text("utf-8")
    assert "Subject: Order 8208460785972844: order confirmed" in text
    assert "Item: USB-C Hub 7-in-1, 4K HDMI x1 23.99 USD" in text
    assert "<" + "table" not in text and "Order total | US $30.99" in text
