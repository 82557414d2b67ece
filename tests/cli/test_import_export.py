"""import and export through the CLI: all-or-nothing, idempotent, lossless."""

from __future__ import annotations

import shutil
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_examples_import_and_reimport_changes_nothing(cli, home: Path):
    first = cli("import", str(EXAMPLES / "orders.csv"), "--json")
    assert first.exit_code == 0, first.stderr
    report = first.json()
    assert report["format"] == "generic-csv"
    assert len(report["added"]) == 12
    assert report["skipped"] == []
    before = (home / "orders.json").read_bytes()
    mtime = (home / "orders.json").stat().st_mtime_ns
    again = cli("import", str(EXAMPLES / "orders.csv"), "--json")
    assert again.exit_code == 0
    assert again.json()["added"] == []
    assert len(again.json()["unchanged"]) == 12
    assert (home / "orders.json").read_bytes() == before
    assert (home / "orders.json").stat().st_mtime_ns == mtime


def test_shopper_inventory_rows_become_orders_with_items(cli):
    result = cli("import", str(EXAMPLES / "shopper-inventory.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["format"] == "shopper-inventory-csv"
    order = cli("show", "8208460785972844", "--json").json()
    assert [i["title"] for i in order["items"]] == [
        "USB-C hub 7-in-1 (HDMI 4K)",
        "USB-C cable 1m (2 pack)",
    ]
    assert order["items"][0]["attributes"] == {"Color": "Grey", "Ships From": "CHINA"}
    assert order["currency"] == "USD"
    shirt = cli("show", "3065355286098390", "--json").json()
    assert shirt["price"] == "68.40"
    assert shirt["currency"] == "PLN"
    assert shirt["ordered_at"] == "2026-10-24"


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(cli, home: Path, data_dir: Path):
    result = cli("import", str(data_dir / "imports" / "generic_bad.csv"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nothing was imported" in result.stderr
    assert "line 3" in result.stderr
    assert "line 4" in result.stderr
    assert "line 5" in result.stderr
    assert not (home / "orders.json").exists()


def test_skip_invalid_imports_the_good_rows(cli, data_dir: Path):
    result = cli(
        "import", str(data_dir / "imports" / "generic_bad.csv"), "--skip-invalid", "--json"
    )
    assert result.exit_code == 0
    report = result.json()
    assert report["added"] == ["5019241171106742"]
    assert len(report["skipped"]) >= 3
    assert [r["order_id"] for r in cli("list", "--json").json()] == ["5019241171106742"]


def test_dry_run_writes_nothing(cli, home: Path):
    result = cli("import", str(EXAMPLES / "orders.csv"), "--dry-run", "--json")
    assert result.exit_code == 0
    assert len(result.json()["added"]) == 12
    assert not (home / "orders.json").exists()


def test_wrong_encoding_is_refused(cli, data_dir: Path, home: Path):
    result = cli("import", str(data_dir / "imports" / "latin1.csv"))
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr
    assert not (home / "orders.json").exists()


def test_missing_file_is_exit_2(cli, tmp_path: Path):
    result = cli("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv" in result.stderr


def test_changed_rows_need_update(cli, tmp_path: Path):
    cli("import", str(EXAMPLES / "orders.csv"))
    changed = tmp_path / "changed.csv"
    text = (EXAMPLES / "orders.csv").read_text().replace("23.99,USD", "21.50,USD")
    changed.write_text(text)
    refused = cli("import", str(changed))
    assert refused.exit_code == 2
    assert "--update" in refused.stderr
    assert cli("show", "8208460785972844", "--json").json()["price"] == "23.99"
    updated = cli("import", str(changed), "--update", "--json")
    assert updated.exit_code == 0
    assert updated.json()["updated"] == ["8208460785972844"]
    assert cli("show", "8208460785972844", "--json").json()["price"] == "21.50"


def test_json_export_round_trips_losslessly(cli, home: Path, tmp_path: Path, monkeypatch):
    cli("import", str(EXAMPLES / "orders.csv"))
    cli("import", str(EXAMPLES / "shopper-inventory.csv"), "--update")
    cli("edit", "8208460785972844", "--state", "closed")
    exported = cli("export", "--format", "json")
    assert exported.exit_code == 0
    dump = tmp_path / "dump.json"
    dump.write_text(exported.stdout)

    monkeypatch.setenv("ORDERCTL_HOME", str(tmp_path / "other"))
    restored = cli("import", str(dump), "--json")
    assert restored.exit_code == 0, restored.stderr
    again = cli("export", "--format", "json")
    assert again.stdout == exported.stdout


def test_csv_export_reads_back(cli, tmp_path: Path, monkeypatch):
    cli("import", str(EXAMPLES / "orders.csv"))
    out = tmp_path / "out.csv"
    result = cli("export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert str(out) in result.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "order_id,platform,title,store,price,currency,quantity,ordered_at,shipped_at,"
        "tracking_number,carrier,protection_ends_at,category,url,expected_delivery_from,"
        "expected_delivery_by"
    )
    monkeypatch.setenv("ORDERCTL_HOME", str(tmp_path / "other"))
    assert len(cli("import", str(out), "--json").json()["added"]) == 12


def test_export_bad_format(cli):
    result = cli("export", "--format", "xml")
    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_import_keeps_local_state_on_update(cli, tmp_path: Path):
    cli("import", str(EXAMPLES / "orders.csv"))
    cli("edit", "8208460785972844", "--delivered", "2026-11-20")
    copy = tmp_path / "orders.csv"
    shutil.copy(EXAMPLES / "orders.csv", copy)
    text = copy.read_text().replace("USB-C hub 7-in-1 (HDMI 4K)", "USB-C hub 7in1")
    copy.write_text(text)
    result = cli("import", str(copy), "--update", "--json")
    assert result.exit_code == 0
    order = cli("show", "8208460785972844", "--json").json()
    assert order["title"] == "USB-C hub 7in1"
    assert order["state"] == "delivered"
    assert order["delivered_at"] == "2026-11-20"
