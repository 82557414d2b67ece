"""Media types come from content; extensions are only checked against it."""

from __future__ import annotations

import sys

import pytest

from orderctl.evidence.sniff import (
    contradicts,
    extension_for,
    kind_of,
    sniff_bytes,
    sniff_file,
)
from tests.helpers import images


@pytest.mark.parametrize(
    ("maker", "suffix", "expected"),
    [
        (images.make_jpeg, ".bin", "image/jpeg"),
        (images.make_png, ".bin", "image/png"),
        (images.make_webp, ".bin", "image/webp"),
    ],
)
def test_photos_sniffed_from_content_not_name(tmp_path, maker, suffix, expected):
    path = maker(tmp_path / f"photo{suffix}")
    assert sniff_file(path) == expected


def test_gif_sniffed(tmp_path):
    assert sniff_file(images.make_gif(tmp_path / "x")) == "image/gif"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (images.mp4_bytes(), "video/mp4"),
        (images.mov_bytes(), "video/quicktime"),
        (b"\x00\x00\x00\x08wide\x00\x00\x10\x00mdat", "video/quicktime"),
        (images.heic_bytes(), "image/heic"),
        (images.webm_bytes(), "video/webm"),
        (images.avi_bytes(), "video/x-msvideo"),
        (images.pdf_bytes(), "application/pdf"),
        ("Hello, seller. Size is wrong — ошибка\n".encode(), "text/plain"),
        ("\ufeffBOM text".encode("utf-16"), "text/plain"),
        (b"\x00\x01\x02\x03binary", "application/octet-stream"),
        (b"abc\x1b[31m", "application/octet-stream"),
        (b"\xc3\x28 not utf8", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniff_bytes(data, expected):
    assert sniff_bytes(data) == expected


def test_text_cut_inside_a_multibyte_character_is_still_text():
    data = ("é" * 5000).encode()[:8191]
    assert sniff_bytes(data) == "text/plain"


@pytest.mark.parametrize(
    ("media_type", "kind"),
    [
        ("image/jpeg", "photo"),
        ("image/heic", "photo"),
        ("video/mp4", "video"),
        ("video/x-msvideo", "video"),
        ("application/pdf", "document"),
        ("text/plain", "document"),
        ("application/octet-stream", "other"),
    ],
)
def test_kind_of(media_type, kind):
    assert kind_of(media_type) == kind


@pytest.mark.parametrize(
    ("name", "media_type", "bad"),
    [
        ("photo.jpg", "text/plain", True),
        ("photo.JPG", "video/mp4", True),
        ("clip.mp4", "image/jpeg", True),
        ("doc.pdf", "text/plain", True),
        ("photo.jpg", "image/png", False),  # a picture under the wrong picture extension
        ("clip.mov", "video/mp4", False),
        ("notes", "text/plain", False),
        ("data.xyz", "application/octet-stream", False),
    ],
)
def test_extension_contradiction(name, media_type, bad):
    assert contradicts(name, media_type) is bad


def test_extension_for_known_and_unknown():
    assert extension_for("image/jpeg") == ".jpg"
    assert extension_for("video/quicktime") == ".mov"
    assert extension_for("application/x-unknown") == ".bin"


def test_avif_brand_is_not_taken_for_heic():
    assert sniff_bytes(images.ftyp(b"avif", b"mif1", b"avif")) == "image/avif"
    assert sniff_bytes(images.ftyp(b"mif1", b"mif1", b"avif")) == "image/avif"
    assert sniff_bytes(images.ftyp(b"mif1", b"mif1", b"heic")) == "image/heic"


def test_importing_evidence_modules_does_not_load_pillow_or_jinja2():
    import subprocess

    code = (
        "import sys\n"
        "import orderctl.evidence.bundle, orderctl.evidence.verify, orderctl.evidence.store\n"
        "import orderctl.evidence.report, orderctl.evidence.photos, orderctl.evidence.sniff\n"
        "bad = [m for m in ('PIL', 'jinja2', 'markupsafe') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
