"""Media type from a file's first bytes, never from its name.

Users rename files, phones and messengers pick odd extensions, and an
attacker can call a script ``photo.jpg``. Everything downstream (where a
file is stored, whether it is re-encoded, how a report shows it) is decided
from the content, and the extension is only checked against it.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Literal

Kind = Literal["photo", "video", "document", "other"]

OCTET_STREAM = "application/octet-stream"
TEXT_PLAIN = "text/plain"
HEADER_SIZE = 8192

# ISO base media file format (ftyp box) brands, by what they mean for a buyer.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
_AVIF_BRANDS = {b"avif", b"avis"}
_QUICKTIME_BRANDS = {b"qt  "}
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}

EXTENSIONS: dict[str, str] = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/heic": ".heic",
    "image/avif": ".avif",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-matroska": ".mkv",
    "video/x-msvideo": ".avi",
    "application/pdf": ".pdf",
    TEXT_PLAIN: ".txt",
    OCTET_STREAM: ".bin",
}

# What a file name claims. Unknown extensions claim nothing.
_CLAIMS: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".jfif": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".heic": "image/heic",
    ".heif": "image/heic",
    ".avif": "image/avif",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".avi": "video/x-msvideo",
    ".pdf": "application/pdf",
    ".txt": TEXT_PLAIN,
    ".text": TEXT_PLAIN,
    ".log": TEXT_PLAIN,
}


def sniff_bytes(head: bytes) -> str:
    """Media type of content starting with ``head`` (pass at least the first 8 KiB)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and len(head) >= 12:
        if head[8:12] == b"WEBP":
            return "image/webp"
        if head[8:12] == b"AVI ":
            return "video/x-msvideo"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # Matroska/EBML: the DocType element says whether it is the WebM profile.
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    iso = _sniff_iso_bmff(head)
    if iso:
        return iso
    if _looks_like_text(head):
        return TEXT_PLAIN
    return OCTET_STREAM


def _sniff_iso_bmff(head: bytes) -> str | None:
    """MP4, QuickTime, HEIC and AVIF all share the box format: tell them apart by brand."""
    if len(head) < 12:
        return None
    box = head[4:8]
    if box == b"ftyp":
        size = int.from_bytes(head[0:4], "big")
        major = head[8:12]
        end = min(max(size, 16), len(head))
        compatible = {head[i : i + 4] for i in range(16, end - 3, 4)}
        brands = {major} | compatible
        if major in _AVIF_BRANDS or (major in (b"mif1", b"msf1") and compatible & _AVIF_BRANDS):
            return "image/avif"
        if major in _HEIF_BRANDS or (
            major not in _QUICKTIME_BRANDS and brands & {b"heic", b"heix"}
        ):
            return "image/heic"
        if major in _QUICKTIME_BRANDS:
            return "video/quicktime"
        return "video/mp4"
    if box in _QUICKTIME_ATOMS and int.from_bytes(head[0:4], "big") >= 8:
        return "video/quicktime"
    return None


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 (or UTF-16 with a BOM) without control characters other than whitespace."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = head[: len(head) - len(head) % 2].decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        # An incremental decoder tolerates a character cut at the end of the sample.
        try:
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
    return all(ch in "\t\n\r\f" or ord(ch) >= 32 for ch in text if ord(ch) < 32 or ord(ch) == 127)


def sniff_file(path: Path) -> str:
    """Media type of the file at ``path`` (reads only the first 8 KiB)."""
    with open(path, "rb") as handle:
        return sniff_bytes(handle.read(HEADER_SIZE))


def kind_of(media_type: str) -> Kind:
    """What a buyer would call it: a photo, a video, a document, or something else."""
    if media_type.startswith("image/"):
        return "photo"
    if media_type.startswith("video/"):
        return "video"
    if media_type in ("application/pdf", TEXT_PLAIN):
        return "document"
    return "other"


def extension_for(media_type: str) -> str:
    """The extension orderctl gives a stored or bundled file of this type."""
    return EXTENSIONS.get(media_type, ".bin")


def claimed_type(name: str) -> str | None:
    """The media type a file name's extension claims, or None for unknown extensions."""
    return _CLAIMS.get(Path(name).suffix.lower())


def contradicts(name: str, media_type: str) -> bool:
    """True when ``name``'s extension claims something its content is not.

    Within photos and within videos a mismatch is tolerated (a PNG saved as
    ``.jpg`` or an MP4 called ``.mov`` is still the picture or clip the user
    meant); across kinds, or for documents, it is not.
    """
    claim = claimed_type(name)
    if claim is None or claim == media_type:
        return False
    claim_kind = kind_of(claim)
    if claim_kind in ("photo", "video"):
        return claim_kind != kind_of(media_type)
    return True
