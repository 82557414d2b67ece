"""The evidence store copies, hashes, dedupes and refuses anything but plain files."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderctl.errors import InvalidInput
from orderctl.evidence.store import (
    EvidenceRecord,
    add_evidence,
    find_evidence,
    list_evidence,
    resolve,
    safe_order_dir,
)
from tests.helpers import images

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
LATER = datetime(2025, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def root(tmp_path):
    return tmp_path / "evidence"


def _files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_add_photo_copies_and_describes_it(tmp_path, root):
    src = images.make_jpeg(tmp_path / "IMG_0001.JPG")
    before = src.read_bytes()
    rec = add_evidence(root, "8123456789012345", src, now=NOW)
    sha = hashlib.sha256(before).hexdigest()
    assert rec.sha256 == sha
    assert rec.name == "IMG_0001.JPG"
    assert rec.size == len(before)
    assert rec.media_type == "image/jpeg"
    assert rec.kind == "photo"
    assert rec.taken_at == "2024-05-01T12:34:56+02:00"
    assert rec.added_at == NOW.isoformat()
    assert rec.stored_path == f"8123456789012345/{sha}.jpg"
    stored = resolve(root, rec)
    assert stored.read_bytes() == before
    assert src.read_bytes() == before  # the original is only read
    assert EvidenceRecord.from_dict(rec.to_dict()) == rec


def test_same_content_twice_is_stored_once_with_the_first_record(tmp_path, root):
    first = images.write(tmp_path / "clip.mp4", images.mp4_bytes())
    copy = images.write(tmp_path / "renamed.mp4", images.mp4_bytes())
    original = first.read_bytes()
    rec1 = add_evidence(root, "42", first, now=NOW)
    rec2 = add_evidence(root, "42", copy, now=LATER)
    assert rec2 == rec1
    assert rec1.taken_at is None
    folder = root / "42"
    assert _files_in(folder) == sorted([f"{rec1.sha256}.mp4", f"{rec1.sha256}.json"])
    assert first.read_bytes() == original
    assert list_evidence(root, "42") == [rec1]
    assert find_evidence(root, "42", rec1.sha256) == rec1


def test_missing_blob_is_restored_on_re_add(tmp_path, root):
    src = images.write(tmp_path / "note.txt", b"seller promised a refund\n")
    rec = add_evidence(root, "42", src, now=NOW)
    resolve(root, rec).unlink()
    again = add_evidence(root, "42", src, now=LATER)
    assert again == rec
    assert resolve(root, rec).read_bytes() == src.read_bytes()


def test_stored_extension_comes_from_content(tmp_path, root):
    src = images.make_png(tmp_path / "screenshot")  # no extension
    rec = add_evidence(root, "42", src, now=NOW)
    assert rec.media_type == "image/png"
    assert rec.stored_path.endswith(".png")


def test_wrong_extension_is_refused(tmp_path, root):
    src = images.write(tmp_path / "photo.jpg", b"this is really text\n")
    with pytest.raises(InvalidInput, match=r"photo\.jpg"):
        add_evidence(root, "42", src, now=NOW)
    assert not any(root.rglob("*.*")) if root.exists() else True


def test_symlink_is_refused(tmp_path, root):
    target = images.make_jpeg(tmp_path / "real.jpg")
    link = tmp_path / "link.jpg"
    link.symlink_to(target)
    with pytest.raises(InvalidInput, match="symbolic link") as info:
        add_evidence(root, "42", link, now=NOW)
    assert str(link) in info.value.message


def test_directory_is_refused(tmp_path, root):
    with pytest.raises(InvalidInput, match="directory"):
        add_evidence(root, "42", tmp_path, now=NOW)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path, root):
    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="not a regular file"):
        add_evidence(root, "42", fifo, now=NOW)


def test_empty_and_missing_files_are_refused(tmp_path, root):
    empty = images.write(tmp_path / "empty.jpg", b"")
    with pytest.raises(InvalidInput, match="empty"):
        add_evidence(root, "42", empty, now=NOW)
    with pytest.raises(InvalidInput, match="not found"):
        add_evidence(root, "42", tmp_path / "nope.jpg", now=NOW)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX, non-root")
def test_unreadable_file_is_refused(tmp_path, root):
    src = images.write(tmp_path / "secret.txt", b"hidden\n")
    src.chmod(0)
    try:
        with pytest.raises(InvalidInput, match="not readable"):
            add_evidence(root, "42", src, now=NOW)
    finally:
        src.chmod(0o600)


def test_no_temp_files_left_after_a_refusal(tmp_path, root):
    src = images.write(tmp_path / "clip.mp4", b"plain text pretending\n")
    with pytest.raises(InvalidInput):
        add_evidence(root, "42", src, now=NOW)
    assert list((root / "42").iterdir()) == []


@pytest.mark.parametrize("order_id", ["../../etc", "/abs", "a/b", "..", "id with space"])
def test_hostile_order_ids_stay_inside_the_root(tmp_path, root, order_id):
    src = images.write(tmp_path / "n.txt", b"x\n")
    rec = add_evidence(root, order_id, src, now=NOW)
    stored = resolve(root, rec).resolve()
    assert stored.is_relative_to(root.resolve())
    assert "/" not in safe_order_dir(order_id)
    assert safe_order_dir(order_id) != safe_order_dir(order_id + "x")


def test_resolve_refuses_escaping_records(root):
    bad = EvidenceRecord("0" * 64, "x", 1, "text/plain", None, "t", "../outside.txt")
    with pytest.raises(InvalidInput):
        resolve(root, bad)
