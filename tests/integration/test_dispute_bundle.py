"""The dispute bundle end to end: contents, manifest, tamper detection, hostile input, full disk."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from orderctl.services.context import AppContext
from tests.cli.test_dispute import ORDER, seed_failed_order, state
from tests.helpers.images import make_jpeg, mp4_bytes, write

XSS = "<script>alert('seller')</script>"


@pytest.fixture
def bundle(cli, tmp_path):
    """A realistic disputed order: failed inspection, tracking, conversation with attachments."""
    records = seed_failed_order(cli, tmp_path)
    shot = make_jpeg(tmp_path / "seller-chat.jpg", color=(90, 90, 200))
    assert (
        cli("note", ORDER, "The shirt is too small", "--at", "2026-11-26T09:40:00Z").exit_code == 0
    )
    result = cli(
        "note",
        ORDER,
        f"Please confirm receipt first {XSS}",
        "--from",
        "seller",
        "--at",
        "2026-11-26T14:05:00Z",
        "--attach",
        str(shot),
    )
    assert result.exit_code == 0, result.stderr
    result = cli("dispute", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    return {"data": result.json(), "records": records, "shot": shot}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bundle_contents_and_manifest(bundle):
    data = bundle["data"]
    folder, archive = Path(data["bundle_dir"]), Path(data["bundle_zip"])
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    expected = [
        "evidence/chat-seller-seller-chat.jpg",
        "evidence/material_label-label.jpg",
        "evidence/measurements-chest.jpg",
        "evidence/measurements-unboxing.mp4",
        "manifest.json",
        "report.html",
        "report.md",
    ]
    assert on_disk == expected
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["order_id"] == ORDER
    assert manifest["created_at"].startswith("2026-11-28T12:00:00")
    assert manifest["orderctl_version"]
    assert sha256(folder / "manifest.json") == data["manifest_sha256"]
    entries = {e["path"]: e for e in manifest["files"]}
    assert sorted(entries) == [p for p in expected if p != "manifest.json"]
    for rel, entry in entries.items():
        assert entry["sha256"] == sha256(folder / rel)
        assert entry["size"] == (folder / rel).stat().st_size
    records = bundle["records"]
    assert entries["evidence/measurements-chest.jpg"]["original_sha256"] == (
        records["chest.jpg"].sha256
    )
    video = entries["evidence/measurements-unboxing.mp4"]
    assert video["sha256"] == records["unboxing.mp4"].sha256  # videos are copied as they are
    assert "original_sha256" not in video
    assert data["files"] == manifest["files"]
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == expected
        for rel, entry in entries.items():
            assert hashlib.sha256(zf.read(rel)).hexdigest() == entry["sha256"]


def test_report_has_every_section_with_the_order_facts(bundle):
    folder = Path(bundle["data"]["bundle_dir"])
    md = (folder / "report.md").read_text("utf-8")
    for text in (
        "Simple Linen Store",
        "Order total: 18.40 USD",
        "Color: beige; Size: L",
        "(<https://www.aliexpress.com/item/1005001111111111.html>)",
        "Item not as described",
        "Refund only (full refund)",
        "Amount claimed: 18.40 USD",
        "Measurements match the size chart (check failed): Chest 100 cm",
        "Evidence: evidence/measurements-chest.jpg, evidence/measurements-unboxing.mp4.",
        "Material label (check failed)",
        "Seams and fastenings (passed, with a remark): one loose thread.",
        "(<evidence/measurements-chest.jpg>)",
        "Departed from sorting center",
        "Delivered to mailbox",
        "The shirt is too small",
        "seller-chat.jpg (evidence/chat-seller-seller-chat.jpg)",
        "escalate\\_by: 2026-12-05",
        "protection\\_ends: 2026-12-04",
        "I contacted the seller on 2026-11-26",
    ):
        assert text in md, text
    html = (folder / "report.html").read_text("utf-8")
    assert 'href="evidence/measurements-chest.jpg"' in html
    assert "Delivered to mailbox" in html and "Shenzhen" in html


def test_script_in_a_note_is_rendered_harmless(bundle):
    folder = Path(bundle["data"]["bundle_dir"])
    html = (folder / "report.html").read_text("utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;seller&#39;)&lt;/script&gt;" in html
    md = (folder / "report.md").read_text("utf-8")
    assert "<script" not in md and "&lt;script&gt;" in md


def test_bundled_photos_have_no_gps_or_xmp(bundle):
    from PIL import ExifTags, Image

    folder = Path(bundle["data"]["bundle_dir"])
    photos = sorted((folder / "evidence").glob("*.jpg"))
    assert len(photos) == 3
    for photo in photos:
        with Image.open(photo) as im:
            exif = im.getexif()
            assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
            assert ExifTags.Base.Make not in exif
            assert "xmp" not in im.info and "XML:com.adobe.xmp" not in im.info
        assert b"TestPhone" not in photo.read_bytes()
    with Image.open(bundle["shot"]) as original:  # the test photo really had GPS
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo) != {}


def _rewrite_zip(src: Path, dst: Path, *, change=None, drop=None, add=None) -> None:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            if info.filename == drop:
                continue
            payload = old.read(info)
            if info.filename == change:
                payload = bytes([payload[0] ^ 1]) + payload[1:]
            new.writestr(info.filename, payload)
        if add:
            new.writestr(add, b"extra")


@pytest.mark.parametrize(
    ("tamper", "key", "path"),
    [
        ("change", "changed", "evidence/measurements-chest.jpg"),
        ("drop", "missing", "report.md"),
        ("add", "added", "evidence/extra.txt"),
    ],
)
def test_verify_catches_tampering_in_folder_and_zip(cli, bundle, tmp_path, tamper, key, path):
    data = bundle["data"]
    folder, archive = Path(data["bundle_dir"]), Path(data["bundle_zip"])
    target = folder / path
    if tamper == "change":
        raw = bytearray(target.read_bytes())
        raw[len(raw) // 2] ^= 1  # one byte
        target.write_bytes(bytes(raw))
    elif tamper == "drop":
        target.unlink()
    else:
        target.write_bytes(b"extra")
    result = cli("verify", str(folder), "--json")
    assert result.exit_code == 1
    (report,) = result.json()["bundles"]
    assert report[key] == [path] and report["intact"] is False
    assert "does not match" in result.stderr

    tampered = tmp_path / "tampered.zip"
    _rewrite_zip(archive, tampered, **{tamper: path})
    result = cli("verify", str(tampered))
    assert result.exit_code == 1
    assert f"{key}: {path}" in result.stdout
    assert cli("verify", str(archive)).exit_code == 0  # the original zip is untouched


def test_zip_slip_member_is_reported(cli, bundle, tmp_path):
    tampered = tmp_path / "slip.zip"
    _rewrite_zip(Path(bundle["data"]["bundle_zip"]), tampered, add="../escape.txt")
    result = cli("verify", str(tampered), "--json")
    assert result.exit_code == 1
    assert result.json()["bundles"][0]["unsafe"] == ["../escape.txt"]
    assert not (tmp_path.parent / "escape.txt").exists()


# --------------------------------------------------------------------------- hostile input


def _nothing_written(home: Path, out: Path | None = None) -> None:
    order = state()
    assert order.dispute is None and order.state.value == "inspected"
    for folder in (home / "bundles", out):
        assert folder is None or not folder.exists() or list(folder.iterdir()) == []


def test_symlinked_evidence_is_refused(cli, tmp_path, home):
    seed_failed_order(cli, tmp_path)
    secret = tmp_path / "secret.jpg"
    make_jpeg(secret)
    link = tmp_path / "innocent.jpg"
    os.symlink(secret, link)
    result = cli("dispute", ORDER, "--yes", "--evidence", str(link))
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr and result.stdout == ""
    _nothing_written(home)


@pytest.mark.parametrize("bad", ["folder", "device", "fake"])
def test_folders_devices_and_disguised_files_are_refused(cli, tmp_path, home, bad):
    seed_failed_order(cli, tmp_path)
    if bad == "folder":
        path = tmp_path / "files"
    elif bad == "device":
        path = Path("/dev/null")
    else:
        path = write(tmp_path / "photo.jpg", b"#!/bin/sh\necho not a photo\n")
    result = cli("dispute", ORDER, "--yes", "--evidence", str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error:")
    _nothing_written(home)


def test_symlink_planted_in_the_evidence_store_is_refused(cli, tmp_path, home):
    records = seed_failed_order(cli, tmp_path)
    ctx = AppContext.from_env()
    blob = ctx.paths.evidence_dir / records["label.jpg"].stored_path
    outside = make_jpeg(tmp_path / "outside.jpg")
    blob.unlink()
    os.symlink(outside, blob)
    result = cli("dispute", ORDER, "--yes")
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    _nothing_written(home)


def test_path_traversal_in_an_evidence_record_is_refused(cli, tmp_path, home):
    records = seed_failed_order(cli, tmp_path)
    ctx = AppContext.from_env()
    sidecar = ctx.paths.evidence_dir / ORDER / f"{records['chest.jpg'].sha256}.json"
    record = json.loads(sidecar.read_text("utf-8"))
    record["stored_path"] = "../../../../etc/passwd"
    sidecar.write_text(json.dumps(record), "utf-8")
    result = cli("dispute", ORDER, "--yes")
    assert result.exit_code == 2
    assert "unsafe stored path" in result.stderr
    _nothing_written(home)


def test_hostile_evidence_names_stay_inside_the_bundle(cli, tmp_path):
    seed_failed_order(cli, tmp_path)
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        checks = list(order.inspection.checks)
        hostile = replace(checks[2].evidence[0], name="../../../passwd\x00.jpg")
        checks[2] = replace(checks[2], id="../../etc", evidence=(hostile, *checks[2].evidence[1:]))
        order.inspection = replace(order.inspection, checks=tuple(checks))
        txn.put(order)
    out = tmp_path / "out"
    result = cli("dispute", ORDER, "--yes", "--json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    paths = [f["path"] for f in result.json()["files"]]
    assert all(p.startswith("evidence/") or "/" not in p for p in paths)
    assert not any(".." in p for p in paths)
    assert "evidence/etc-passwd.jpg" in paths
    assert sorted(p.name for p in out.iterdir()) == [
        f"{ORDER}-20261128T120000Z",
        f"{ORDER}-20261128T120000Z.zip",
    ]


# --------------------------------------------------------------------------- failures


def test_full_disk_leaves_no_half_written_bundle(cli, tmp_path, monkeypatch):
    from orderctl.evidence import bundle as bundle_mod

    seed_failed_order(cli, tmp_path)
    calls = []

    def full(handle, data):
        calls.append(len(data))
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        handle.write(data)

    monkeypatch.setattr(bundle_mod, "_write_all", full)
    out = tmp_path / "out"
    result = cli("dispute", ORDER, "--yes", "--out", str(out))
    assert result.exit_code == 1
    assert "disk is full" in result.stderr and result.stdout == ""
    assert list(out.iterdir()) == []  # no final name, no temp leftovers
    order = state()
    assert order.dispute is None and order.state.value == "inspected"


def test_store_failure_after_the_bundle_removes_it(cli, tmp_path, monkeypatch):
    from orderctl.errors import StoreError
    from orderctl.services.disputes import opening as disputes

    seed_failed_order(cli, tmp_path)

    def locked(*args, **kwargs):
        raise StoreError("lock not acquired")

    monkeypatch.setattr(disputes, "_record", locked)
    out = tmp_path / "out"
    result = cli("dispute", ORDER, "--yes", "--out", str(out))
    assert result.exit_code == 7
    assert list(out.iterdir()) == []


def test_policy_limits_downscale_photos_and_warn_on_videos(cli, tmp_path, home):
    seed_failed_order(cli, tmp_path)
    home.mkdir(exist_ok=True)
    config = home / "config.toml"
    config.write_text(
        "[policies.aliexpress]\nevidence_video_max_bytes = 100000\n"
        "evidence_photo_max_pixels = 1200\n",
        "utf-8",
    )
    config.chmod(0o600)
    big = write(tmp_path / "big.mp4", mp4_bytes(200_000))
    result = cli("dispute", ORDER, "--yes", "--evidence", str(big))
    assert result.exit_code == 0, result.stderr
    assert "Warning: evidence/big.mp4 is 0.2 MB, over the 0.1 MB limit" in result.stderr
    from PIL import Image

    bundle_dir = Path(os.environ["ORDERCTL_HOME"]) / state().dispute.bundle_dir  # home-relative
    with Image.open(bundle_dir / "evidence" / "measurements-chest.jpg") as im:  # 64 x 48 before
        assert im.width * im.height <= 1200 and im.width < im.height  # upright (EXIF 6)
