"""Regression tests for issue 9 ("what 80 hostile inputs found"), one per case.

Each test is named after the case it pins down; all of them failed on the
release before the fix (traceback, wrong exit code, or damage) and pass now.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from orderctl.domain import field_parsers

ORDER = "8208460785972844"


def _snapshot(home: Path) -> dict[str, bytes]:
    """Every store file's bytes (evidence and cache excluded): 'the store is unchanged'."""
    found = {}
    for path in sorted(home.rglob("*")):
        rel = path.relative_to(home).as_posix()
        if path.is_file() and not rel.startswith(("cache/", "evidence/")) and ".lock" not in rel:
            found[rel] = path.read_bytes()
    return found


def _add(cli, order_id: str = ORDER, *extra: str) -> None:
    result = cli("add", order_id, "--title", "USB-C hub", *extra)
    assert result.exit_code == 0, result.stderr


# --- 3: one far-future date takes the whole book down -----------------------


def test_case3_add_far_future_shipped_date_is_exit_2_naming_the_option(cli, home: Path):
    result = cli("add", ORDER, "--title", "t", "--shipped", "9999-12-31")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--shipped: 9999-12-31 is out of range" in result.stderr
    assert not (home / "orders.json").exists()


@pytest.mark.parametrize("day", ["1989-12-31", "2031-11-29"])
def test_case3_date_edges_outside_are_refused(cli, day: str):
    # ORDERCTL_NOW is 2026-11-28: the last accepted day is 2031-11-28.
    result = cli("add", ORDER, "--title", "t", "--ordered", day)
    assert result.exit_code == 2
    assert "out of range" in result.stderr


@pytest.mark.parametrize("day", ["1990-01-01", "2031-11-28"])
def test_case3_date_edges_inside_are_accepted(cli, day: str):
    result = cli("add", ORDER, "--title", "t", "--ordered", day, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["ordered_at"] == day


def test_case3_edit_with_far_future_date_is_refused_and_book_unchanged(cli, home: Path):
    _add(cli)
    before = _snapshot(home)
    result = cli("edit", ORDER, "--protection-ends", "9999-12-31")
    assert result.exit_code == 2
    assert "--protection-ends:" in result.stderr
    assert _snapshot(home) == before


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "far.csv",
            "order_id,title,shipped_at\n8208460785972844,t,9999-12-31\n",
            "line 2, shipped_at",
        ),
        (
            "far.json",
            json.dumps([{"order_id": ORDER, "title": "t", "ordered_at": "9999-12-31"}]),
            "line 1, ordered_at",
        ),
        (
            "old.csv",
            "order_id,title,ordered_at\n8208460785972844,t,1970-01-01\n",
            "line 2, ordered_at",
        ),
    ],
)
def test_case3_importers_range_check_dates_naming_field_and_row(
    cli, home: Path, tmp_path: Path, name: str, text: str, where: str
):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert f"{where}: " in result.stderr and "out of range" in result.stderr
    assert not (home / "orders.json").exists()


def test_case3_shopper_inventory_far_future_date_refused(cli, tmp_path: Path):
    from orderctl.domain.importers.shopper_inventory import HEADER

    row = ["9999-12-31", ORDER, "Hub", "1", "US $10.00", "S", "1", "2", "", "", "USD"]
    row += ["Completed", "", "", "", ""]
    path = tmp_path / "inv.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "line 2, Order Date: 9999-12-31 is out of range" in result.stderr


def test_case3_check_date_range_leap_day():
    from datetime import date

    assert field_parsers.latest_date(date(2028, 2, 29)) == date(2033, 2, 28)
    with pytest.raises(ValueError, match="out of range"):
        field_parsers.parse_date("2033-03-01", date(2028, 2, 29))


# --- 7: atomic writes replaced device files ----------------------------------


def test_case7_export_to_dev_null_writes_through_and_keeps_the_device(cli, tmp_path: Path):
    """A private null device (same major/minor as /dev/null): a regression here must not
    replace the machine's own /dev/null, as the original bug did on a test machine."""
    _add(cli)
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("creating a device node needs root")
    before = os.stat(device)
    assert stat.S_ISCHR(before.st_mode)
    result = cli("export", "-o", str(device))
    assert result.exit_code == 0, result.stderr
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_case7_due_ics_into_a_fifo_with_a_reader_writes_into_the_pipe(cli, tmp_path: Path):
    _add(cli, ORDER, "--shipped", "2026-11-20")
    fifo = tmp_path / "calendar.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(200):  # wait until the reader has the FIFO open
            result = cli("due", "--ics", str(fifo))
            if result.exit_code == 0:
                break
            threading.Event().wait(0.01)
    finally:
        thread.join(timeout=5)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b"BEGIN:VCALENDAR")


def test_case7_fifo_without_reader_is_refused_at_once(cli, tmp_path: Path):
    _add(cli)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = cli("export", "-o", str(fifo))
    assert result.exit_code == 2
    assert "nobody reading" in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_case7_export_onto_a_folder_is_refused(cli, tmp_path: Path):
    _add(cli)
    result = cli("export", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "a folder" in result.stderr
    assert tmp_path.is_dir()


# --- 8: a 1 KB JSON becomes a 1 GB CSV ---------------------------------------


@pytest.mark.parametrize(
    "price", ["1e999999999", "1E+400", "Infinity", "NaN", "-1", 1e300, "1000000000000"]
)
def test_case8_json_import_refuses_absurd_prices_like_the_cli(
    cli, home: Path, tmp_path: Path, price
):
    path = tmp_path / "bomb.json"
    path.write_text(json.dumps([{"order_id": ORDER, "title": "t", "price": price}]))
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "line 1, price:" in result.stderr
    assert not (home / "orders.json").exists()
    # The CLI option refuses the same text.
    assert cli("add", ORDER, "--title", "t", "--price", str(price)).exit_code == 2


def test_case8_json_quantity_and_unit_price_bounds(cli, tmp_path: Path):
    entry = {
        "order_id": ORDER,
        "title": "t",
        "quantity": 10**12,
        "items": [{"title": "t", "unit_price": "9e99", "quantity": 10**30}],
    }
    path = tmp_path / "q.json"
    path.write_text(json.dumps([entry]))
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "line 1, quantity:" in result.stderr
    assert "items[1].unit_price:" in result.stderr
    assert "items[1].quantity:" in result.stderr


def test_case8_json_export_still_round_trips_decimal_exponent_form(cli, tmp_path: Path):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps([{"order_id": ORDER, "title": "t", "price": "1E+2"}]))
    result = cli("import", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert cli("show", ORDER, "--json").json()["price"] in ("1E+2", "100")


# --- 9: formula injection ------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1"],
)
def test_case9_csv_export_neutralises_formula_cells(cli, tmp_path: Path, title: str):
    source = tmp_path / "in.json"
    source.write_text(json.dumps([{"order_id": ORDER, "title": title, "store": "=1+2"}]))
    assert cli("import", str(source)).exit_code == 0
    safe = cli("export", "--format", "csv")
    assert safe.exit_code == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(safe.stdout)))
    assert rows[0]["title"] == "'" + title
    assert rows[0]["store"] == "'=1+2"
    raw = cli("export", "--format", "csv", "--raw")
    rows = list(csv.DictReader(io.StringIO(raw.stdout)))
    assert rows[0]["title"] == title


def test_case9_import_keeps_a_leading_tab(cli, tmp_path: Path):
    path = tmp_path / "tab.csv"
    path.write_text('order_id,title\n8208460785972844,"\t=1+1"\n', encoding="utf-8")
    assert cli("import", str(path)).exit_code == 0
    assert cli("show", ORDER, "--json").json()["title"] == "\t=1+1"


def test_case9_prices_and_dates_are_not_prefixed(cli):
    _add(cli, ORDER, "--price", "12.50", "--currency", "USD", "--ordered", "2026-11-01")
    text = cli("export", "--format", "csv").stdout
    assert ",12.50,USD," in text and "2026-11-01" in text and "'" not in text


# --- 10: a corrupt details/ shard --------------------------------------------


def _shard(home: Path, order_id: str = ORDER) -> Path:
    from orderctl.store.shards import shard_name

    return home / "details" / shard_name(order_id)


def _give_details(cli, home: Path, tmp_path: Path) -> None:
    entry = {
        "order_id": ORDER,
        "title": "t",
        "events": [
            {
                "time": "2026-11-20T10:00:00+08:00",
                "time_utc": "2026-11-20T02:00:00Z",
                "status": "in_transit",
            }
        ],
    }
    path = tmp_path / "with-events.json"
    path.write_text(json.dumps([entry]))
    assert cli("import", str(path)).exit_code == 0
    assert _shard(home).is_file()


@pytest.mark.parametrize("command", [["export"], ["show", ORDER], ["rm", ORDER, "--yes"]])
def test_case10_corrupt_shard_is_exit_7_naming_the_shard(
    cli, home: Path, tmp_path: Path, command: list[str]
):
    _give_details(cli, home, tmp_path)
    shard = _shard(home)
    shard.write_bytes(b'{"version": 1, "orders": {')
    before = _snapshot(home)
    result = cli(*command)
    assert result.exit_code == 7, result.stderr
    assert result.stdout == ""
    assert str(shard) in result.stderr
    assert "orders.json cannot be used" not in result.stderr
    assert _snapshot(home) == before


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        ({"inspections": ["revision 1"]}, "inspection history: inspection must be an object"),
        (
            {"inspections": [{"checks": "all fine"}]},
            "inspection history: inspection checks must be a list",
        ),
        ({"events": {"time": "x"}}, "events must be a list"),
        ({"inspection_draft": ["quality"]}, "inspection_draft must be an object"),
    ],
)
@pytest.mark.parametrize("command", [["show", ORDER], ["show", ORDER, "--json"], ["export"]])
def test_case10_wrongly_shaped_details_are_exit_7_not_a_traceback(
    cli, home: Path, tmp_path: Path, command: list[str], shape: dict, named: str
):
    _give_details(cli, home, tmp_path)
    shard = _shard(home)
    doc = json.loads(shard.read_text("utf-8"))
    doc["orders"][ORDER].update(shape)
    shard.write_text(json.dumps(doc), "utf-8")
    before = _snapshot(home)
    result = cli(*command)
    assert result.exit_code == 7, result.stderr
    assert "Traceback" not in result.stderr
    assert str(shard) in result.stderr and f"order {ORDER}: {named}" in result.stderr
    assert _snapshot(home) == before


def test_import_refuses_an_inspection_history_entry_of_the_wrong_shape(
    cli, home: Path, tmp_path: Path
):
    path = tmp_path / "history.json"
    entry = {"order_id": ORDER, "title": "t", "inspections": [{"checks": [{"evidence": "a.jpg"}]}]}
    path.write_text(json.dumps([entry]))
    result = cli("import", str(path))
    assert result.exit_code == 2, result.stderr
    assert "inspections" in result.stderr and "must be a list" in result.stderr
    assert not (home / "orders.json").exists() or ORDER not in (home / "orders.json").read_text()


def test_case10_shards_get_verified_daily_backups(cli, home: Path, tmp_path: Path):
    _give_details(cli, home, tmp_path)
    # The first write of a shard has nothing to back up; the next rewrite does.
    path = tmp_path / "more.json"
    entry = {
        "order_id": ORDER,
        "title": "t",
        "events": [
            {
                "time": "2026-11-21T10:00:00+08:00",
                "time_utc": "2026-11-21T02:00:00Z",
                "status": "delivered",
            }
        ],
    }
    path.write_text(json.dumps([entry]))
    before = _shard(home).read_bytes()
    assert cli("import", str(path), "--update").exit_code == 0
    backups = list((home / "backups" / "details").glob(f"{_shard(home).name}.bak-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == before
    _shard(home).write_bytes(b"garbage")
    result = cli("show", ORDER)
    assert result.exit_code == 7
    assert str(backups[0]) in result.stderr


# --- 11: read-only home, /dev/zero, FIFOs, policy overflow -------------------


def test_case11_read_only_home_is_exit_7_with_the_path(cli, home: Path, monkeypatch):
    _add(cli)
    before = _snapshot(home)
    import filelock

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(home / "orders.json.lock"))

    monkeypatch.setattr(filelock.FileLock, "acquire", read_only)
    result = cli("add", "3065355286098390", "--title", "t")
    assert result.exit_code == 7
    assert f"home is read-only: {home}" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(home) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_case11_unwritable_home_folder_is_exit_7(cli, home: Path):
    _add(cli)
    home.chmod(0o500)
    try:
        result = cli("add", "3065355286098390", "--title", "t")
    finally:
        home.chmod(0o700)
    assert result.exit_code == 7
    assert "read-only" in result.stderr


def test_case11_import_dev_zero_is_refused_quickly(cli, home: Path):
    result = cli("import", "/dev/zero")
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
    assert not (home / "orders.json").exists()


def test_case11_import_fifo_does_not_hang(cli, tmp_path: Path):
    fifo = tmp_path / "orders.fifo"
    os.mkfifo(fifo)
    result = cli("import", str(fifo))  # a blocking open would hang the test here
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr


def test_case11_import_size_cap(tmp_path: Path):
    from orderctl.errors import InvalidInput
    from orderctl.services.orders.order_file import import_file

    path = tmp_path / "big.csv"
    path.write_bytes(b"order_id,title\n" + b"1,t\n" * 100)
    with pytest.raises(InvalidInput, match="limited"):
        import_file(path, max_bytes=100)


@pytest.mark.parametrize("value", ["99999999", "-1", "3651"])
def test_case11_policy_overflow_is_a_clear_exit_2(cli, home: Path, value: str):
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    config.write_text(f"[policies.aliexpress]\nprotection_days = {value}\n")
    config.chmod(0o600)
    result = cli("add", ORDER, "--title", "t", "--shipped", "2026-11-01")
    assert result.exit_code == 2
    assert "protection_days" in result.stderr
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr


def test_fuzz_finding_json_events_without_time_utc_refused_not_crashing_update(
    cli, home: Path, tmp_path: Path
):
    """Found while writing case 10: an event missing ``time_utc`` crashed ``import --update``."""
    _give_details(cli, home, tmp_path)
    path = tmp_path / "bad-events.json"
    entry = {"order_id": ORDER, "title": "t", "events": [{"time": "2026-11-20T10:00:00+08:00"}]}
    path.write_text(json.dumps([entry]))
    before = _snapshot(home)
    result = cli("import", str(path), "--update")
    assert result.exit_code == 2
    assert f"order {ORDER}: its tracking events cannot be merged" in result.stderr
    assert _snapshot(home) == before


# --- 5: an oversized image blocked the dispute for good ----------------------


def _png_header(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims ``width``×``height`` pixels (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize(("width", "height"), [(60000, 60000), (13000, 13000)])
def test_case5_note_attach_refuses_oversized_png_and_stores_nothing(
    cli, home: Path, tmp_path: Path, width: int, height: int
):
    _add(cli)
    bomb = _png_header(tmp_path / "bomb.png", width, height)
    before = _snapshot(home)
    result = cli("note", ORDER, "see photo", "--attach", str(bomb))
    assert result.exit_code == 2, result.stderr
    assert "megapixels" in result.stderr and "bomb.png" in result.stderr
    assert "DecompressionBombWarning" not in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(home) == before
    stored = list((home / "evidence").rglob("*")) if (home / "evidence").exists() else []
    assert [p for p in stored if p.is_file()] == []


def test_case5_pixel_limit_is_configurable(cli, home: Path, tmp_path: Path):
    _add(cli)
    home.mkdir(exist_ok=True)
    config = home / "config.toml"
    config.write_text("[evidence]\nmax_megapixels = 200\n")
    config.chmod(0o600)
    bomb = _png_header(tmp_path / "big.png", 13000, 13000)  # 169 MP
    result = cli("note", ORDER, "see photo", "--attach", str(bomb))
    assert result.exit_code == 0, result.stderr
    assert "DecompressionBombWarning" not in result.stderr


def test_case5_file_size_limit_at_attach_time(cli, home: Path, tmp_path: Path):
    from tests.helpers.images import mp4_bytes

    _add(cli)
    home.mkdir(exist_ok=True)
    config = home / "config.toml"
    config.write_text("[evidence]\nmax_file_mb = 1\n")
    config.chmod(0o600)
    video = tmp_path / "unboxing.mp4"
    video.write_bytes(mp4_bytes(2 * 1024 * 1024))
    before = _snapshot(home)
    result = cli("note", ORDER, "video", "--attach", str(video))
    assert result.exit_code == 2
    assert "evidence files are limited to 1 MB" in result.stderr
    assert _snapshot(home) == before


@pytest.mark.parametrize("bad", ["0", "-5", '"big"', "true"])
def test_case5_bad_limit_config_is_exit_2(cli, home: Path, tmp_path: Path, bad: str):
    from tests.helpers.images import make_jpeg

    _add(cli)
    config = home / "config.toml"
    config.write_text(f"[evidence]\nmax_file_mb = {bad}\n")
    config.chmod(0o600)
    result = cli("note", ORDER, "x", "--attach", str(make_jpeg(tmp_path / "a.jpg")))
    assert result.exit_code == 2
    assert "[evidence] max_file_mb" in result.stderr


def test_case5_bundle_reencode_of_large_photo_prints_no_raw_warning(tmp_path: Path, recwarn):
    from orderctl.evidence.photos import strip_and_reencode

    src = _png_header(tmp_path / "wide.png", 10000, 9500)  # 95 MP: above Pillow's warning
    from orderctl.errors import InvalidInput

    with pytest.raises(InvalidInput):  # the tiny IDAT cannot fill the picture
        strip_and_reencode(src, max_pixels=4_000_000, max_bytes=None)
    assert not [w for w in recwarn if "DecompressionBomb" in str(w.category)]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00"])
def test_case3_note_at_far_past_is_exit_2_not_a_traceback(cli, home: Path, moment: str):
    _add(cli)
    before = _snapshot(home)
    result = cli("note", ORDER, "hi", "--at", moment)
    assert result.exit_code == 2
    assert "--at:" in result.stderr
    assert _snapshot(home) == before


def test_case11_read_only_home_outside_the_store_write_is_exit_7(
    cli, home: Path, tmp_path: Path, monkeypatch
):
    """Evidence is copied before the store transaction: EROFS there is exit 7 too."""
    from tests.helpers.images import make_jpeg

    _add(cli)
    photo = make_jpeg(tmp_path / "a.jpg")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(home / "evidence"))

    monkeypatch.setattr("orderctl.evidence.store.add_evidence", read_only)
    result = cli("note", ORDER, "hi", "--attach", str(photo))
    assert result.exit_code == 7
    assert f"home is read-only: {home / 'evidence'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_case11_real_read_only_mount_is_exit_7(cli, tmp_path: Path, monkeypatch):
    """A real read-only filesystem where the machine allows mounting one (root in a container)."""
    import shutil
    import subprocess

    mount = shutil.which("mount")
    target = tmp_path / "ro-home"
    target.mkdir()
    if os.geteuid() != 0 or mount is None:
        pytest.skip("needs root and mount(8)")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        monkeypatch.setenv("ORDERCTL_HOME", str(target))
        result = cli("add", ORDER, "--title", "t")
        assert result.exit_code == 7
        assert f"home is read-only: {target}" in result.stderr
        assert cli("list").exit_code == 0  # reading still works
    finally:
        subprocess.run(["umount", str(target)], capture_output=True, check=False)
