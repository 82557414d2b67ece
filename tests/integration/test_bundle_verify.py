"""verify_bundle finds every change, gap and addition, in folders and zips, without extracting."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderctl.errors import NotFound
from orderctl.evidence.bundle import BundleEvidence, BundleMember, build_bundle
from orderctl.evidence.verify import verify_bundle
from tests.helpers import images


@pytest.fixture
def bundle(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    photo = images.make_jpeg(src / "label.jpg")
    video = images.write(src / "clip.mp4", images.mp4_bytes(4096))
    evidence = [
        BundleEvidence(p, hashlib.sha256(p.read_bytes()).hexdigest(), k, p.name)
        for p, k in ((photo, "photo"), (video, "video"))
    ]
    return build_bundle(
        tmp_path / "out",
        "b",
        order_id="8123",
        members=[BundleMember("report.md", "# report\n")],
        evidence=evidence,
        created_at=datetime(2025, 3, 1, tzinfo=UTC),
    )


def _rezip(src: Path, dst: Path, *, drop=(), change=None, extra=None) -> Path:
    """Copy a zip member by member, optionally dropping, changing or adding members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info)
            if change and info.filename == change:
                data = bytes([data[0] ^ 1]) + data[1:]
            zout.writestr(info, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def test_fresh_bundle_is_intact_as_folder_and_zip(bundle):
    for path, kind in ((bundle.bundle_dir, "folder"), (bundle.bundle_zip, "zip")):
        report = verify_bundle(path)
        assert report.intact, report.to_dict()
        assert report.kind == kind
        assert report.order_id == "8123"
        assert report.checked == 3
        assert report.manifest_sha256 == bundle.manifest_sha256
        assert report.to_dict()["intact"] is True


def test_folder_changed_missing_and_added_are_reported(bundle):
    root = bundle.bundle_dir
    video = root / "evidence" / "clip.mp4"
    data = bytearray(video.read_bytes())
    data[100] ^= 0xFF  # same size, one byte different
    video.write_bytes(bytes(data))
    (root / "report.md").unlink()
    (root / "evidence" / "extra.txt").write_text("sneaked in\n")
    report = verify_bundle(root)
    assert not report.intact
    assert report.changed == ["evidence/clip.mp4"]
    assert report.missing == ["report.md"]
    assert report.added == ["evidence/extra.txt"]
    assert report.unsafe == []


def test_folder_symlink_is_not_followed(bundle, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    target = bundle.bundle_dir / "evidence" / "clip.mp4"
    target.unlink()
    target.symlink_to(secret)
    report = verify_bundle(bundle.bundle_dir)
    assert report.unsafe == ["evidence/clip.mp4"]
    assert report.missing == ["evidence/clip.mp4"]


@pytest.mark.parametrize(
    ("kwargs", "field", "expected"),
    [
        ({"change": "evidence/label.jpg"}, "changed", ["evidence/label.jpg"]),
        ({"drop": ("evidence/clip.mp4",)}, "missing", ["evidence/clip.mp4"]),
        ({"extra": {"notes.txt": b"added"}}, "added", ["notes.txt"]),
        ({"extra": {"../../evil.sh": b"rm -rf"}}, "unsafe", ["../../evil.sh"]),
        ({"extra": {"/etc/cron.d/x": b"boom"}}, "unsafe", ["/etc/cron.d/x"]),
    ],
)
def test_zip_problems_are_reported(bundle, tmp_path, kwargs, field, expected):
    bad = _rezip(bundle.bundle_zip, tmp_path / "bad.zip", **kwargs)
    before = sorted(p.name for p in tmp_path.iterdir())
    report = verify_bundle(bad)
    assert not report.intact
    assert getattr(report, field) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing extracted


def test_zip_byte_flipped_in_place_is_reported(bundle, tmp_path):
    copy = tmp_path / "copy.zip"
    shutil.copyfile(bundle.bundle_zip, copy)
    raw = bytearray(copy.read_bytes())
    with zipfile.ZipFile(copy) as zf:
        info = zf.getinfo("evidence/clip.mp4")  # stored, so the bytes sit in the archive
        offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 50
    raw[offset] ^= 0xFF
    copy.write_bytes(bytes(raw))
    assert verify_bundle(copy).changed == ["evidence/clip.mp4"]


def _not_intact(report, match: str) -> None:
    assert not report.intact
    assert any(match in p for p in report.problems), report.problems


def test_case12_missing_or_broken_manifest_is_not_intact(bundle, tmp_path):
    """Issue 9 case 12: a missing or invalid manifest is "not intact" (exit 1), not exit 2."""
    (bundle.bundle_dir / "manifest.json").write_text("{not json")
    _not_intact(verify_bundle(bundle.bundle_dir), "not valid JSON")
    (bundle.bundle_dir / "manifest.json").unlink()
    _not_intact(verify_bundle(bundle.bundle_dir), "no manifest.json")
    no_manifest = _rezip(bundle.bundle_zip, tmp_path / "nm.zip", drop=("manifest.json",))
    _not_intact(verify_bundle(no_manifest), "no manifest.json")
    wrong_shape = _rezip(
        bundle.bundle_zip,
        tmp_path / "ws.zip",
        drop=("manifest.json",),
        extra={"manifest.json": json.dumps({"files": [{"path": 3}]})},
    )
    _not_intact(verify_bundle(wrong_shape), "malformed")
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"hello")
    _not_intact(verify_bundle(not_zip), "not a readable zip")
    with pytest.raises(NotFound):
        verify_bundle(tmp_path / "nope.zip")


def test_zip_with_a_top_level_folder_is_understood(bundle, tmp_path):
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(bundle.bundle_zip) as zin, zipfile.ZipFile(nested, "w") as zout:
        for info in zin.infolist():
            zout.writestr("b/" + info.filename, zin.read(info))
    assert verify_bundle(nested).intact
