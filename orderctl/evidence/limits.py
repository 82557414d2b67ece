"""Size and pixel limits for evidence, checked when a file is attached.

A file that cannot go into a bundle must be refused when the buyer hands it
over (``note --attach``, ``inspect`` answers, ``dispute --evidence``), not
weeks later when the dispute window is closing: a 437 KB PNG of 60000×60000
pixels used to be accepted and then made every ``dispute`` fail.

Limits come from ``config.toml``::

    [evidence]
    max_file_mb = 500       # any one file, in MiB
    max_megapixels = 120    # a photo's width × height, in millions of pixels

Pixel counts are read from the image header only (Pillow opens lazily), with
Pillow's own decompression-bomb warning silenced: orderctl's limit replaces
it, so no raw ``DecompressionBombWarning`` reaches the terminal.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput

DEFAULT_MAX_FILE_MB = 500
DEFAULT_MAX_MEGAPIXELS = 120
_MB = 1024 * 1024
_HINT = "Raise [evidence] {key} in config.toml if you really need it."


@dataclass(frozen=True)
class EvidenceLimits:
    """The largest evidence file (bytes) and photo (pixels) orderctl accepts."""

    max_file_bytes: int = DEFAULT_MAX_FILE_MB * _MB
    max_pixels: int = DEFAULT_MAX_MEGAPIXELS * 1_000_000

    def to_dict(self) -> dict[str, int]:
        return {
            "max_file_mb": self.max_file_bytes // _MB,
            "max_megapixels": self.max_pixels // 1_000_000,
        }


def _positive(section: Mapping[str, Any], key: str, default: int, ceiling: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ceiling:
        raise InvalidInput(
            f"config.toml [evidence] {key}: {value!r} is not a whole number from 1 to {ceiling}"
        )
    return value


def limits_from_config(config: Mapping[str, Any]) -> EvidenceLimits:
    """The limits set in ``config.toml`` (``evidence.max_file_mb``, ``evidence.max_megapixels``)."""
    section = config.get("evidence") or {}
    if not isinstance(section, Mapping):
        raise InvalidInput("config.toml [evidence] must be a table")
    mb = _positive(section, "max_file_mb", DEFAULT_MAX_FILE_MB, 1024 * 1024)
    mp = _positive(section, "max_megapixels", DEFAULT_MAX_MEGAPIXELS, 100_000)
    return EvidenceLimits(max_file_bytes=mb * _MB, max_pixels=mp * 1_000_000)


def check_size(src: Path, size: int, limits: EvidenceLimits) -> None:
    """Refuse a file larger than ``max_file_mb`` before a byte of it is copied."""
    if size > limits.max_file_bytes:
        raise InvalidInput(
            f"{src} is {size / _MB:.0f} MB; evidence files are limited to"
            f" {limits.max_file_bytes // _MB} MB",
            hint="Trim or compress the file (e.g. a shorter video clip). "
            + _HINT.format(key="max_file_mb"),
        )


@contextlib.contextmanager
def pillow_pixel_cap(max_pixels: int) -> Iterator[None]:
    """Let Pillow open images up to ``max_pixels`` without its own warning or error.

    Pillow warns above ``MAX_IMAGE_PIXELS`` and refuses above twice that; the
    cap is set to ``max_pixels`` for the duration (orderctl compares sizes
    itself) and the warning is silenced.
    """
    from PIL import Image as PILImage

    previous = PILImage.MAX_IMAGE_PIXELS
    PILImage.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            yield
    finally:
        PILImage.MAX_IMAGE_PIXELS = previous


def image_size(
    path: Path, limits: EvidenceLimits, name: str | None = None
) -> tuple[int, int] | None:
    """Width and height from the header, or ``None`` when Pillow cannot read it.

    Raises InvalidInput (naming ``name``, default the file's name) for an image
    over ``max_megapixels``.
    """
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    name = name or path.name
    cap = limits.max_pixels // 1_000_000
    hint = "Export a smaller copy of the photo. " + _HINT.format(key="max_megapixels")
    try:
        with pillow_pixel_cap(limits.max_pixels), PILImage.open(path) as im:
            width, height = im.size
    except PILImage.DecompressionBombError:
        raise InvalidInput(
            f"{name} is a photo of more than {2 * cap} megapixels; evidence photos are limited"
            f" to {cap} megapixels",
            hint=hint,
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    if width * height > limits.max_pixels:
        raise InvalidInput(
            f"{name} is a photo of {width}×{height} pixels ({width * height / 1e6:.0f}"
            f" megapixels); evidence photos are limited to {cap} megapixels",
            hint=hint,
        )
    return width, height


__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "DEFAULT_MAX_MEGAPIXELS",
    "EvidenceLimits",
    "check_size",
    "image_size",
    "limits_from_config",
    "pillow_pixel_cap",
]
