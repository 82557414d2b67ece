"""Photo re-encoding for bundles: what the picture shows, and nothing else.

A phone photo carries GPS coordinates, the device serial and often XMP and
comments. Bundles go to a seller and a marketplace, so photos are decoded
and saved again as a new image (never copied byte for byte), with the
Orientation tag applied to the pixels first so the picture still stands the
right way up once the tag is gone. The ICC colour profile is kept: a colour
mismatch may be the very thing the buyer is proving.

HEIC/HEIF (every iPhone's default) is decoded with ``pillow-heif`` and
written as JPEG, like AVIF: the formats a marketplace upload form takes.

Pillow is imported inside the functions so the CLI starts fast.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orderctl.errors import InvalidInput
from orderctl.evidence.sniff import sniff_file

if TYPE_CHECKING:
    from PIL.Image import Image

JPEG_QUALITY = 90
_MIN_QUALITY = 60
_MIN_SIDE = 64

# Source type -> (Pillow format, output media type). GIF becomes PNG: a
# lossless still that every viewer and marketplace upload form accepts.
_OUTPUT = {
    "image/jpeg": ("JPEG", "image/jpeg"),
    "image/png": ("PNG", "image/png"),
    "image/webp": ("WEBP", "image/webp"),
    "image/gif": ("PNG", "image/png"),
    "image/avif": ("JPEG", "image/jpeg"),
    "image/heic": ("JPEG", "image/jpeg"),
}


def register_heif() -> bool:
    """Teach Pillow to open HEIC/HEIF (pillow-heif); False when it is not installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def output_media_type(media_type: str) -> str:
    """The media type :func:`strip_and_reencode` produces for a source of ``media_type``."""
    _check_supported(media_type, None)
    return _OUTPUT[media_type][1]


def _check_supported(media_type: str, src: Path | None) -> None:
    where = f" ({src})" if src else ""
    if media_type == "image/heic" and not register_heif():
        raise InvalidInput(
            f"HEIC photos cannot be re-encoded by this installation{where}.",
            hint="Export the photo as JPEG on the phone (iPhone: Settings > Camera > Formats > "
            "Most Compatible) or convert it, then add the JPEG.",
        )
    if media_type not in _OUTPUT:
        raise InvalidInput(f"Not a supported photo format: {media_type}{where}.")


def _open_clean(src: Path, max_pixels: int | None) -> tuple[Image, str, bytes | None]:
    """Decode ``src`` to a fresh image with orientation applied and no metadata."""
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    media_type = sniff_file(src)
    _check_supported(media_type, src)
    from orderctl.evidence.limits import EvidenceLimits, pillow_pixel_cap

    try:
        with pillow_pixel_cap(2 * EvidenceLimits().max_pixels), PILImage.open(src) as im:
            if media_type == "image/heic":
                _check_heif_size(im.size, src)
            if max_pixels and im.format == "JPEG":
                # Let libjpeg decode at a reduced scale: far less memory for big photos.
                side = math.isqrt(max_pixels)
                im.draft(im.mode, (side, side))
            icc = im.info.get("icc_profile")
            im.seek(0)  # animated GIF/WebP: the first frame is the evidence still
            rotated = ImageOps.exif_transpose(im)
            rotated.load()
    except PILImage.DecompressionBombError as exc:
        raise InvalidInput(f"Photo is too large to decode safely: {src}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"Cannot read photo {src}: {exc}") from exc
    fmt = _OUTPUT[media_type][0]
    clean = _normalise_mode(rotated, fmt)
    # A fresh info dict: Pillow copies comments (JPEG) and text chunks from ``info`` on save.
    clean.info = {}
    return clean, fmt, icc if isinstance(icc, bytes) else None


def _check_heif_size(size: tuple[int, int], src: Path) -> None:
    """Pillow's decompression-bomb limit, applied before pillow-heif decodes the pixels."""
    from PIL import Image as PILImage

    limit = PILImage.MAX_IMAGE_PIXELS
    if limit and size[0] * size[1] > 2 * limit:
        raise PILImage.DecompressionBombError(f"{size[0]}x{size[1]} pixels in {src}")


def _normalise_mode(im: Image, fmt: str) -> Image:
    """Convert to a mode the output format can store without surprises."""
    if fmt == "JPEG":
        if im.mode in ("RGB", "L", "CMYK"):
            return im.copy()
        if im.mode in ("RGBA", "LA", "P", "PA") or "A" in im.getbands():
            from PIL import Image as PILImage

            rgba = im.convert("RGBA")
            white = PILImage.new("RGB", rgba.size, (255, 255, 255))
            white.paste(rgba, mask=rgba.getchannel("A"))
            return white
        return im.convert("RGB")
    if fmt == "WEBP":
        return im.copy() if im.mode in ("RGB", "RGBA") else im.convert("RGBA")
    if im.mode in ("1", "L", "LA", "RGB", "RGBA", "I;16", "I"):
        return im.copy()
    return im.convert("RGBA")


def _fit_pixels(im: Image, max_pixels: int | None) -> Image:
    if not max_pixels or im.width * im.height <= max_pixels:
        return im
    scale = math.sqrt(max_pixels / (im.width * im.height))
    size = (max(1, int(im.width * scale)), max(1, int(im.height * scale)))
    from PIL import Image as PILImage

    return im.resize(size, PILImage.Resampling.LANCZOS)


def _encode(im: Image, fmt: str, quality: int, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    params: dict[str, Any] = {}
    if icc:
        params["icc_profile"] = icc
    if fmt == "JPEG":
        params.update(quality=quality, optimize=True)
    elif fmt == "WEBP":
        params.update(quality=quality, method=4)
    else:
        params.update(optimize=False, compress_level=6)
    im.save(out, format=fmt, **params)
    return out.getvalue()


def strip_and_reencode(src: Path, *, max_pixels: int | None, max_bytes: int | None) -> bytes:
    """Return ``src`` re-encoded without EXIF, GPS, XMP or comments, within the limits.

    Orientation is applied to the pixels. Over ``max_pixels`` the image is
    scaled down; over ``max_bytes`` the quality is lowered (JPEG/WebP) and
    then the image is scaled down step by step. HEIC becomes JPEG (needs
    pillow-heif); non-images raise :class:`InvalidInput`.
    """
    from PIL import Image as PILImage

    src = Path(src)
    im, fmt, icc = _open_clean(src, max_pixels)
    im = _fit_pixels(im, max_pixels)
    quality = JPEG_QUALITY
    data = _encode(im, fmt, quality, icc)
    while max_bytes and len(data) > max_bytes:
        if fmt in ("JPEG", "WEBP") and quality > _MIN_QUALITY:
            quality -= 10
        else:
            if min(im.size) * 0.75 < _MIN_SIDE:
                raise InvalidInput(
                    f"Photo {src.name} cannot be made smaller than {max_bytes} bytes.",
                    hint="Raise the photo size limit.",
                )
            size = (int(im.width * 0.75), int(im.height * 0.75))
            im = im.resize(size, PILImage.Resampling.LANCZOS)
        data = _encode(im, fmt, quality, icc)
    return data


def exif_taken_at(path: Path) -> str | None:
    """When the photo was taken per EXIF DateTimeOriginal (ISO 8601), or None.

    Falls back to the base DateTime tag and adds OffsetTimeOriginal when the
    camera recorded it. Any decoding problem yields None: a missing date must
    not stop evidence from being added.
    """
    from PIL import ExifTags
    from PIL import Image as PILImage

    from orderctl.evidence.limits import EvidenceLimits, pillow_pixel_cap

    try:
        if sniff_file(path) == "image/heic":
            register_heif()
        with pillow_pixel_cap(2 * EvidenceLimits().max_pixels), PILImage.open(path) as im:
            exif = im.getexif()
            sub = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:
        return None
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    raw = raw.strip("\x00 ")
    if len(raw) < 19 or raw[4] != ":" or raw[7] != ":":
        return None
    iso = f"{raw[0:4]}-{raw[5:7]}-{raw[8:10]}T{raw[11:19]}"
    try:
        from datetime import datetime

        datetime.fromisoformat(iso)
    except ValueError:
        return None
    offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str) and len(offset.strip("\x00 ")) == 6:
        candidate = iso + offset.strip("\x00 ")
        try:
            datetime.fromisoformat(candidate)
            return candidate
        except ValueError:
            pass
    return iso
