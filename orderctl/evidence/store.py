"""The local evidence store: one content-addressed copy of each file a buyer hands over.

Evidence must survive the user tidying their Downloads folder, so it is
copied in. Files are named by SHA-256 so the same photo added twice is
stored once and a bundle can later prove a file is the one that was added.
The original is only ever read. Each blob has a JSON sidecar
(``<sha256>.json``) with its record, so adds of different files never
contend for a shared index and a repeated add returns the first record.

Layout: ``<evidence_root>/<safe order id>/<sha256><ext>`` + ``<sha256>.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from orderctl.domain.records import EvidenceRef
from orderctl.errors import InvalidInput, OperationFailed
from orderctl.evidence.limits import EvidenceLimits, check_size, image_size
from orderctl.evidence.sniff import (
    HEADER_SIZE,
    claimed_type,
    contradicts,
    extension_for,
    kind_of,
    sniff_bytes,
)
from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX, atomic_write_text, fsync_dir

CHUNK_SIZE = 1024 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_SAFE_ID_RE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class EvidenceRecord:
    """One stored evidence file; ``stored_path`` is relative to the root, ``/``-separated."""

    sha256: str
    name: str
    size: int
    media_type: str
    taken_at: str | None
    added_at: str
    stored_path: str

    @property
    def kind(self) -> str:
        return kind_of(self.media_type)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_ref(self, name: str | None = None) -> EvidenceRef:
        """How an order refers to this file (under ``name`` when the buyer gave another)."""
        return EvidenceRef(
            sha256=self.sha256,
            name=self.name if name is None else name,
            media_type=self.media_type,
            size=self.size,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceRecord:
        """Inverse of :meth:`to_dict`; raises KeyError/ValueError on a bad shape."""
        sha = str(data["sha256"])
        if not _SHA_RE.match(sha):
            raise ValueError(f"not a sha256: {sha!r}")
        taken = data.get("taken_at")
        return cls(
            sha256=sha,
            name=str(data["name"]),
            size=int(data["size"]),
            media_type=str(data["media_type"]),
            taken_at=None if taken in (None, "") else str(taken),
            added_at=str(data["added_at"]),
            stored_path=str(data["stored_path"]),
        )


def safe_order_dir(order_id: str) -> str:
    """A folder name for ``order_id`` that is safe on every filesystem.

    Ordinary ids (digits, letters, ``-``/``_``/``.``) are kept as they are;
    anything else is replaced and a short hash of the real id is appended, so
    two different ids can never share a folder.
    """
    order_id = str(order_id)
    if not order_id.strip():
        raise InvalidInput("An order id is required to store evidence.")
    safe = _SAFE_ID_RE.sub("_", order_id).lstrip(".")[:80]
    if safe != order_id or not safe:
        digest = hashlib.sha256(order_id.encode("utf-8")).hexdigest()[:12]
        safe = f"{safe or 'order'}-{digest}"
    return safe


def check_regular_file(src: Path, *, what: str = "Evidence file") -> os.stat_result:
    """Refuse anything but an existing, readable, non-empty regular file (not a link)."""
    try:
        st = os.lstat(src)
    except FileNotFoundError as exc:
        raise InvalidInput(f"{what} not found: {src}") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot read {what.lower()} {src}: {exc.strerror}") from exc
    if stat.S_ISLNK(st.st_mode):
        raise InvalidInput(
            f"{what} is a symbolic link: {src}", hint="Pass the file the link points to."
        )
    if stat.S_ISDIR(st.st_mode):
        raise InvalidInput(f"{what} is a directory: {src}", hint="Pass the files one by one.")
    if not stat.S_ISREG(st.st_mode):
        raise InvalidInput(f"{what} is not a regular file (device, pipe or socket): {src}")
    if st.st_size == 0:
        raise InvalidInput(f"{what} is empty: {src}")
    return st


def _open_checked(src: Path, st: os.stat_result) -> int:
    """Open without following links or blocking, and make sure it is still the checked file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(src, flags)
    except PermissionError as exc:
        raise InvalidInput(f"Evidence file is not readable: {src}") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot open evidence file {src}: {exc.strerror}") from exc
    now = os.fstat(fd)
    if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        raise InvalidInput(f"Evidence file changed while being read: {src}")
    return fd


def _sidecar(folder: Path, sha: str) -> Path:
    return folder / f"{sha}.json"


def _load_record(path: Path) -> EvidenceRecord | None:
    try:
        return EvidenceRecord.from_dict(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def add_evidence(
    evidence_root: Path,
    order_id: str,
    src: Path,
    *,
    now: datetime,
    limits: EvidenceLimits | None = None,
) -> EvidenceRecord:
    """Copy ``src`` into the evidence store for ``order_id`` and return its record.

    The copy is written under a temporary name, hashed on the way, fsynced and
    renamed, so a crash or full disk never leaves a partial blob under a real
    name. Adding content that is already stored returns the existing record.
    ``limits`` (default: :class:`EvidenceLimits`' defaults) are checked before
    the copy (file size) and on the copy before it is kept (a photo's pixels),
    so a file no bundle could hold is refused now, not when the dispute is due.
    """
    src = Path(src)
    limits = limits or EvidenceLimits()
    st = check_regular_file(src)
    check_size(src, st.st_size, limits)
    folder = Path(evidence_root) / safe_order_dir(order_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _check_space(folder, st.st_size)

    fd = _open_checked(src, st)
    tmp_fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        media_type, size, sha = _copy_sniffed(fd, tmp_fd, src)
        if size == 0:
            raise InvalidInput(f"Evidence file is empty: {src}")
        check_size(src, size, limits)  # it may have grown since it was checked
        if kind_of(media_type) == "photo":
            image_size(Path(tmp), limits, name=str(src))
        blob = folder / f"{sha}{extension_for(media_type)}"
        existing = _load_record(_sidecar(folder, sha))
        if blob.is_file() and existing is not None:
            os.unlink(tmp)
            return existing
        os.chmod(tmp, 0o600)
        os.replace(tmp, blob)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)

    if existing is not None:  # blob had gone missing: restored, keep the first record
        return existing
    return _new_record(folder, blob, src, sha, size, media_type, now)


def _copy_sniffed(fd: int, tmp_fd: int, src: Path) -> tuple[str, int, str]:
    """Copy the open ``src`` to the temporary file: its media type, size and sha256.

    The content type is sniffed from the first bytes and a name that claims
    another type is refused before anything more is copied. Both descriptors
    are closed; the copy is fsynced.
    """
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "rb") as reader, os.fdopen(tmp_fd, "wb") as writer:
        head = reader.read(HEADER_SIZE)
        media_type = sniff_bytes(head)
        if contradicts(src.name, media_type):
            raise InvalidInput(
                f"{src} is named like {claimed_type(src.name)} but its content is {media_type}.",
                hint="Check that this is the file you meant; rename it if it is.",
            )
        chunk = head
        while chunk:
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
            chunk = reader.read(CHUNK_SIZE)
        writer.flush()
        os.fsync(writer.fileno())
    return media_type, size, digest.hexdigest()


def _new_record(
    folder: Path, blob: Path, src: Path, sha: str, size: int, media_type: str, now: datetime
) -> EvidenceRecord:
    """The record of a newly stored blob, written to its sidecar."""
    taken_at = None
    if kind_of(media_type) == "photo":
        from orderctl.evidence.photos import exif_taken_at

        taken_at = exif_taken_at(blob)
    record = EvidenceRecord(
        sha256=sha,
        name=src.name,
        size=size,
        media_type=media_type,
        taken_at=taken_at,
        added_at=now.isoformat(),
        stored_path=PurePosixPath(folder.name, blob.name).as_posix(),
    )
    atomic_write_text(
        _sidecar(folder, sha), json.dumps(record.to_dict(), indent=2, sort_keys=True), mode=0o600
    )
    return record


def _check_space(folder: Path, needed: int) -> None:
    """Fail early, before copying, when the disk obviously cannot hold the file."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if needed > free:
        raise OperationFailed(
            f"Not enough disk space in {folder}: need {needed} bytes, {free} free.",
            hint="Free some space and add the file again.",
        )


def resolve(evidence_root: Path, record: EvidenceRecord) -> Path:
    """The absolute path of a stored file; refuses a record pointing outside the store."""
    rel = PurePosixPath(record.stored_path)
    if rel.is_absolute() or ".." in rel.parts or "\\" in record.stored_path or not rel.parts:
        raise InvalidInput(f"Evidence record has an unsafe stored path: {record.stored_path!r}")
    return Path(evidence_root).joinpath(*rel.parts)


def list_evidence(evidence_root: Path, order_id: str) -> list[EvidenceRecord]:
    """Every record stored for ``order_id``, oldest first (unreadable sidecars are skipped)."""
    folder = Path(evidence_root) / safe_order_dir(order_id)
    if not folder.is_dir():
        return []
    records = [
        rec
        for path in folder.glob("*.json")
        if _SHA_RE.match(path.stem) and (rec := _load_record(path)) is not None
    ]
    return sorted(records, key=lambda r: (r.added_at, r.name))


def find_evidence(evidence_root: Path, order_id: str, sha256: str) -> EvidenceRecord | None:
    """The record for ``sha256`` under ``order_id``, or None."""
    if not _SHA_RE.match(sha256):
        return None
    return _load_record(_sidecar(Path(evidence_root) / safe_order_dir(order_id), sha256))
