"""Builders for realistic evidence files: photos with EXIF/GPS/XMP and video-like headers.

Tests make their own files in ``tmp_path`` so each one shows exactly what
metadata it feeds in (and the repo carries no binary fixtures).
"""

from __future__ import annotations

import struct
from pathlib import Path

XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="48,51.5N"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
TAKEN_AT = "2024:05:01 12:34:56"


def _exif(*, gps: bool, orientation: int | None, taken_at: str | None):
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Model] = "Serial 12345"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken_at:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = taken_at
        sub[ExifTags.Base.OffsetTimeOriginal] = "+02:00"
    if gps:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 30.0)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 5.0)
    return exif


def make_photo(
    path: Path,
    *,
    fmt: str = "JPEG",
    size: tuple[int, int] = (40, 20),
    gps: bool = True,
    xmp: bool = True,
    orientation: int | None = 6,
    taken_at: str | None = TAKEN_AT,
    comment: bytes | None = b"secret comment",
    color: tuple[int, int, int] = (200, 30, 30),
) -> Path:
    """A photo with EXIF (make, model, GPS, date, orientation), XMP and a comment."""
    from PIL import Image

    im = Image.new("RGB", size, color)
    # A distinct top-left corner shows which way the picture was rotated.
    im.paste((0, 0, 255), (0, 0, max(1, size[0] // 4), max(1, size[1] // 4)))
    params: dict = {"exif": _exif(gps=gps, orientation=orientation, taken_at=taken_at)}
    if xmp:
        params["xmp"] = XMP_PACKET
    if fmt == "JPEG":
        params["quality"] = 95
        if comment:
            params["comment"] = comment
    im.save(path, format=fmt, **params)
    return Path(path)


def make_jpeg(path: Path, **kwargs) -> Path:
    return make_photo(path, fmt="JPEG", **kwargs)


def make_png(path: Path, **kwargs) -> Path:
    kwargs.setdefault("comment", None)
    return make_photo(path, fmt="PNG", **kwargs)


def make_webp(path: Path, **kwargs) -> Path:
    kwargs.setdefault("comment", None)
    return make_photo(path, fmt="WEBP", **kwargs)


def make_gif(path: Path) -> Path:
    from PIL import Image

    Image.new("P", (8, 8), 1).save(path, format="GIF")
    return Path(path)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    """An ISO-BMFF ``ftyp`` box (MP4, QuickTime, HEIC share this header)."""
    return _box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compatible))


def mp4_bytes(payload_size: int = 4096) -> bytes:
    """Enough of an MP4 for sniffing: ftyp + an mdat of filler."""
    return ftyp(b"isom", b"isom", b"iso2", b"mp41") + _box(
        b"mdat", b"\x00\x11" * (payload_size // 2)
    )


def mov_bytes() -> bytes:
    return ftyp(b"qt  ", b"qt  ") + _box(b"wide", b"") + _box(b"mdat", b"\x01" * 512)


def heic_bytes() -> bytes:
    return ftyp(b"heic", b"mif1", b"heic") + _box(b"meta", b"\x00" * 64)


def webm_bytes() -> bytes:
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 256


def avi_bytes() -> bytes:
    return b"RIFF" + struct.pack("<I", 1000) + b"AVI LIST" + b"\x00" * 256


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def write(path: Path, data: bytes) -> Path:
    Path(path).write_bytes(data)
    return Path(path)


def make_heic(path: Path, *, size: tuple[int, int] = (40, 20), gps: bool = True) -> Path:
    """A real HEIC (HEVC-coded, made with pillow-heif) carrying EXIF with GPS and a serial."""
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    im = Image.new("RGB", size, (200, 30, 30))
    im.paste((0, 0, 255), (0, 0, max(1, size[0] // 4), max(1, size[1] // 4)))
    exif = _exif(gps=gps, orientation=None, taken_at=TAKEN_AT)
    im.save(path, format="HEIF", exif=exif, quality=90)
    return Path(path)
