"""Bundles: folder + zip with a true manifest, safe names, and nothing left on failure."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderctl.errors import InvalidInput, OperationFailed
from orderctl.evidence import bundle as bundle_mod
from orderctl.evidence.bundle import (
    BundleEvidence,
    BundleMember,
    build_bundle,
    plan_evidence_paths,
)
from orderctl.evidence.names import safe_name
from tests.helpers import images

CREATED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ev(path: Path, kind: str, name: str | None = None) -> BundleEvidence:
    return BundleEvidence(path, _sha(path.read_bytes()), kind, name or path.name)


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    photo1 = images.make_jpeg(src / "label.jpg", size=(40, 20), orientation=6)
    photo2 = images.make_png(src / "cable.png", size=(16, 16))
    video = images.write(src / "unboxing.mp4", images.mp4_bytes(20_000))
    members = [
        BundleMember("report.html", "<!DOCTYPE html><p>report</p>"),
        BundleMember("report.md", "# report\n"),
    ]
    evidence = [_ev(photo1, "photo"), _ev(photo2, "photo"), _ev(video, "video")]
    return members, evidence


def _build(dest: Path, members, evidence, **kwargs):
    return build_bundle(
        dest,
        "dispute-8123",
        order_id="8123",
        members=members,
        evidence=evidence,
        created_at=CREATED,
        orderctl_version="0.1.0",
        **kwargs,
    )


def _folder_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_realistic_bundle_contents_and_manifest(tmp_path, inputs):
    members, evidence = inputs
    dest = tmp_path / "out"
    result = _build(dest, members, evidence, video_warn_bytes=10_000)

    assert result.bundle_dir == dest / "dispute-8123"
    assert result.bundle_zip == dest / "dispute-8123.zip"
    assert sorted(p.name for p in dest.iterdir()) == ["dispute-8123", "dispute-8123.zip"]

    files = _folder_files(result.bundle_dir)
    assert set(files) == {
        "manifest.json",
        "report.html",
        "report.md",
        "evidence/label.jpg",
        "evidence/cable.png",
        "evidence/unboxing.mp4",
    }
    manifest_raw = files["manifest.json"]
    assert result.manifest_sha256 == _sha(manifest_raw)
    manifest = json.loads(manifest_raw)
    assert manifest["order_id"] == "8123"
    assert manifest["orderctl_version"] == "0.1.0"
    assert manifest["created_at"] == CREATED.isoformat()
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["size"] == len(files[path])
        assert entry["sha256"] == _sha(files[path])

    # Photos are re-encoded (new bytes, original hash kept); the video is copied as is.
    originals = {e.name: e for e in evidence}
    label = listed["evidence/label.jpg"]
    assert label["original_sha256"] == originals["label.jpg"].sha256
    assert label["sha256"] != label["original_sha256"]
    assert b"GPS" not in files["evidence/label.jpg"]
    assert files["evidence/unboxing.mp4"] == Path(originals["unboxing.mp4"].source).read_bytes()
    assert "original_sha256" not in listed["evidence/unboxing.mp4"]
    assert "original_sha256" not in listed["report.md"]

    assert len(result.warnings) == 1 and "unboxing.mp4" in result.warnings[0]
    assert [f.path for f in result.files] == sorted(listed)

    with zipfile.ZipFile(result.bundle_zip) as zf:
        assert zf.testzip() is None
        zipped = {i.filename: zf.read(i) for i in zf.infolist()}
    assert zipped == files  # same members, same bytes, relative names


def test_photos_in_bundle_have_no_gps_and_are_upright(tmp_path, inputs):
    from PIL import ExifTags, Image

    members, evidence = inputs
    result = _build(tmp_path / "out", members, evidence, photo_max_pixels=200)
    with Image.open(result.bundle_dir / "evidence" / "label.jpg") as im:
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "xmp" not in im.info
        assert im.height > im.width  # orientation applied
        assert im.width * im.height <= 200


def test_heic_photo_becomes_a_clean_jpeg_in_the_bundle(tmp_path):
    from PIL import ExifTags, Image

    src = tmp_path / "src"
    src.mkdir()
    heic = images.make_heic(src / "IMG_0042.HEIC", size=(40, 20))
    members = [BundleMember("report.md", "# report\n")]
    result = _build(tmp_path / "out", members, [_ev(heic, "photo")])
    member = result.bundle_dir / "evidence" / "IMG_0042.jpg"
    data = member.read_bytes()
    assert b"TestPhone" not in data and b"Serial 12345" not in data
    with Image.open(member) as im:
        assert im.format == "JPEG"
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    with zipfile.ZipFile(result.bundle_zip) as zf:
        assert (
            [n for n in zf.namelist() if n.endswith(".jpg")]
            == [n for n in zf.namelist() if n.endswith("evidence/IMG_0042.jpg")]
            != []
        )


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/abs/x.jpg", "x.jpg"),
        ("a\x00b.jpg", "ab.jpg"),
        ("..", "file"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("CON.txt", "_CON.txt"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("фото коробки.jpg", "фото коробки.jpg"),
        (' .hidden"?.jpg ', "hidden__.jpg"),
    ],
)
def test_safe_name(hostile, expected):
    assert safe_name(hostile) == expected


def test_hostile_names_become_safe_unique_members(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    photo = images.make_jpeg(src / "p.jpg")
    notes = [images.write(src / f"n{i}.txt", f"note {i}\n".encode()) for i in range(4)]
    evidence = [
        _ev(notes[0], "document", "../../etc/passwd"),
        _ev(notes[1], "document", "/abs/passwd"),
        _ev(notes[2], "document", "a\x00b.txt"),
        _ev(notes[3], "document", "PASSWD"),
        _ev(photo, "photo", "фото.png"),  # a JPEG keeps being a JPEG
    ]
    plan = plan_evidence_paths(evidence)
    assert plan == [
        "evidence/passwd.txt",  # no extension: one from the content
        "evidence/passwd-2.txt",
        "evidence/ab.txt",
        "evidence/PASSWD-3.txt",  # case-insensitive collision
        "evidence/фото.jpg",
    ]
    result = _build(tmp_path / "out", [], evidence)
    with zipfile.ZipFile(result.bundle_zip) as zf:
        names = zf.namelist()
    assert sorted(names) == sorted([*plan, "manifest.json"])
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/") and "\x00" not in name
    assert (result.bundle_dir / "evidence" / "фото.jpg").is_file()


def test_pre_1980_mtime_is_clamped_in_the_zip(tmp_path, inputs):
    members, evidence = inputs
    video = Path(evidence[2].source)
    os.utime(video, (100_000, 100_000))  # 1970
    result = _build(tmp_path / "out", members, evidence)
    with zipfile.ZipFile(result.bundle_zip) as zf:
        info = zf.getinfo("evidence/unboxing.mp4")
    assert info.date_time[0] == 1980
    # The folder copy keeps the recording time.
    assert (result.bundle_dir / "evidence" / "unboxing.mp4").stat().st_mtime == 100_000


def test_symlink_directory_and_fifo_sources_are_refused(tmp_path, inputs):
    members, evidence = inputs
    link = tmp_path / "link.jpg"
    link.symlink_to(evidence[0].source)
    bad_sources = [link, tmp_path]
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.mp4"
        os.mkfifo(fifo)
        bad_sources.append(fifo)
    for bad in bad_sources:
        with pytest.raises(InvalidInput):
            _build(tmp_path / "out", members, [BundleEvidence(bad, "0" * 64, "photo", "x.jpg")])
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_changed_source_is_refused(tmp_path, inputs):
    members, evidence = inputs
    wrong = BundleEvidence(evidence[2].source, "f" * 64, "video", "clip.mp4")
    with pytest.raises(OperationFailed, match="sha256"):
        _build(tmp_path / "out", members, [wrong])
    assert list((tmp_path / "out").iterdir()) == []


def test_existing_bundle_is_not_overwritten(tmp_path, inputs):
    members, evidence = inputs
    _build(tmp_path / "out", members, evidence)
    with pytest.raises(InvalidInput, match="already exists"):
        _build(tmp_path / "out", members, evidence)


def test_reserved_member_names_are_refused(tmp_path):
    with pytest.raises(InvalidInput):
        _build(tmp_path / "out", [BundleMember("manifest.json", "{}")], [])
    with pytest.raises(InvalidInput):
        _build(tmp_path / "out", [BundleMember("../report.html", "x")], [])


def _count_writes(monkeypatch, fail_at: int | None) -> list[int]:
    calls = [0]
    real = bundle_mod._write_all

    def write(handle: io.BufferedIOBase, data: bytes) -> None:
        calls[0] += 1
        if fail_at is not None and calls[0] == fail_at:
            handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(handle, data)

    monkeypatch.setattr(bundle_mod, "_write_all", write)
    return calls


def test_disk_full_at_any_write_leaves_nothing(tmp_path, inputs, monkeypatch):
    members, evidence = inputs
    calls = _count_writes(monkeypatch, None)
    _build(tmp_path / "probe", members, evidence)
    total = calls[0]
    assert total >= 10  # members, photos, video, manifest, then the same again into the zip
    for fail_at in range(1, total + 1):
        dest = tmp_path / f"out{fail_at}"
        _count_writes(monkeypatch, fail_at)
        with pytest.raises(OperationFailed, match="disk is full") as info:
            _build(dest, members, evidence)
        assert info.value.hint
        assert list(dest.iterdir()) == [], f"leftovers after failing write {fail_at}"


def test_disk_full_when_publishing_the_zip_removes_the_folder(tmp_path, inputs, monkeypatch):
    members, evidence = inputs

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_mod, "_publish_zip", no_space)
    dest = tmp_path / "out"
    with pytest.raises(OperationFailed):
        _build(dest, members, evidence)
    assert list(dest.iterdir()) == []


def test_not_enough_space_is_refused_before_writing(tmp_path, inputs, monkeypatch):
    members, evidence = inputs

    class Usage:
        total, used, free = 10**9, 10**9, 10

    monkeypatch.setattr(bundle_mod.shutil, "disk_usage", lambda _path: Usage)
    dest = tmp_path / "out"
    with pytest.raises(OperationFailed, match="Not enough disk space"):
        _build(dest, members, evidence)
    assert list(dest.iterdir()) == []
