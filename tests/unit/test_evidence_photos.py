"""Photos leave orderctl re-encoded: upright, without EXIF/GPS/XMP/comments, within limits."""

from __future__ import annotations

import io

import pytest

from orderctl.errors import InvalidInput
from orderctl.evidence.photos import exif_taken_at, output_media_type, strip_and_reencode
from tests.helpers import images


def _open(data: bytes):
    from PIL import Image

    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def _assert_clean(im) -> None:
    from PIL import ExifTags

    exif = im.getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert ExifTags.Base.Orientation not in exif
    assert ExifTags.Base.Make not in exif
    assert "xmp" not in im.info
    assert "XML:com.adobe.xmp" not in im.info
    assert "exif" not in im.info
    assert "comment" not in im.info


def test_jpeg_with_gps_xmp_and_orientation_is_stripped_and_rotated(tmp_path):
    from PIL import ExifTags, Image

    src = images.make_jpeg(tmp_path / "p.jpg", size=(40, 20), orientation=6)
    before = src.read_bytes()
    with Image.open(src) as original:  # the fixture really carries what we strip
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo) != {}
        assert "xmp" in original.info and "comment" in original.info
    data = strip_and_reencode(src, max_pixels=None, max_bytes=None)
    im = _open(data)
    assert im.format == "JPEG"
    assert im.size == (20, 40)  # Orientation=6 applied to the pixels
    _assert_clean(im)
    for leak in (b"TestPhone", b"Serial 12345", b"secret comment", b"xmpmeta", b"GPS"):
        assert leak not in data
    # Orientation 6 = rotate 90° clockwise: the blue top-left corner ends up top-right.
    assert im.getpixel((im.width - 2, 1))[2] > 200
    assert src.read_bytes() == before


@pytest.mark.parametrize(("maker", "fmt"), [(images.make_png, "PNG"), (images.make_webp, "WEBP")])
def test_png_and_webp_keep_their_format_without_metadata(tmp_path, maker, fmt):
    src = maker(tmp_path / f"p.{fmt.lower()}", size=(30, 10), orientation=8)
    im = _open(strip_and_reencode(src, max_pixels=None, max_bytes=None))
    assert im.format == fmt
    assert im.size == (10, 30)
    _assert_clean(im)


def test_downscaled_over_max_pixels(tmp_path):
    src = images.make_jpeg(tmp_path / "big.jpg", size=(400, 300), orientation=None)
    im = _open(strip_and_reencode(src, max_pixels=10_000, max_bytes=None))
    assert im.width * im.height <= 10_000
    assert abs(im.width / im.height - 4 / 3) < 0.05


def test_max_bytes_is_met(tmp_path):
    from PIL import Image

    src = tmp_path / "noise.png"
    Image.effect_noise((300, 300), 80).convert("RGB").save(src)
    data = strip_and_reencode(src, max_pixels=None, max_bytes=30_000)
    assert len(data) <= 30_000
    assert _open(data).format == "PNG"


def test_heic_becomes_a_jpeg_without_metadata(tmp_path):
    from PIL import ExifTags, Image
    from pillow_heif import register_heif_opener

    src = images.make_heic(tmp_path / "IMG_0001.HEIC", size=(40, 20))
    before = src.read_bytes()
    register_heif_opener()
    with Image.open(src) as original:  # the fixture really carries what we strip
        assert original.format == "HEIF"
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo) != {}
    assert output_media_type("image/heic") == "image/jpeg"
    data = strip_and_reencode(src, max_pixels=None, max_bytes=None)
    im = _open(data)
    assert im.format == "JPEG"
    assert im.size == (40, 20)
    _assert_clean(im)
    for leak in (b"TestPhone", b"Serial 12345", b"GPS"):
        assert leak not in data
    assert im.getpixel((1, 1))[2] > 150  # the blue corner is still top-left
    assert src.read_bytes() == before
    assert exif_taken_at(src) == "2024-05-01T12:34:56+02:00"


def test_heic_is_scaled_to_max_pixels(tmp_path):
    src = images.make_heic(tmp_path / "big.heic", size=(200, 100))
    im = _open(strip_and_reencode(src, max_pixels=5_000, max_bytes=None))
    assert im.format == "JPEG" and im.width * im.height <= 5_000


def test_broken_heic_is_refused_with_the_file_named(tmp_path):
    src = images.write(tmp_path / "IMG.HEIC", images.heic_bytes())
    with pytest.raises(InvalidInput, match="Cannot read photo"):
        strip_and_reencode(src, max_pixels=None, max_bytes=None)


def test_not_an_image_is_refused(tmp_path):
    src = images.write(tmp_path / "x.jpg", b"hello\n")
    with pytest.raises(InvalidInput):
        strip_and_reencode(src, max_pixels=None, max_bytes=None)


def test_exif_taken_at(tmp_path):
    with_date = images.make_jpeg(tmp_path / "a.jpg")
    without = images.make_jpeg(tmp_path / "b.jpg", taken_at=None)
    assert exif_taken_at(with_date) == "2024-05-01T12:34:56+02:00"
    assert exif_taken_at(without) is None
    assert exif_taken_at(images.write(tmp_path / "c.txt", b"nope")) is None


def test_gif_becomes_a_png_still(tmp_path):
    im = _open(
        strip_and_reencode(images.make_gif(tmp_path / "a.gif"), max_pixels=None, max_bytes=None)
    )
    assert im.format == "PNG"
    assert im.size == (8, 8)
