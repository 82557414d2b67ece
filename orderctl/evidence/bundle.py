"""Dispute evidence bundles: a folder and a zip, complete or absent.

Both are assembled under temporary names in the destination folder and
renamed only when every byte is written and fsynced, so a full disk or a
crash never leaves a half-written bundle under the final name (and nothing
is left behind on failure). Photos are always re-encoded through
:mod:`orderctl.evidence.photos` (the original bytes carry GPS); videos and
documents are copied as they are. ``manifest.json`` lists every other file
with its size and SHA-256 so the recipient, or ``verify``, can check it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from orderctl.errors import InvalidInput, OperationFailed
from orderctl.evidence.names import deduplicate, safe_name
from orderctl.evidence.sniff import extension_for, kind_of, sniff_file
from orderctl.evidence.store import CHUNK_SIZE, check_regular_file
from orderctl.fsutil import TEMP_PREFIX, TEMP_SUFFIX, fsync_dir

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"  # see orderctl.evidence.signing
MANIFEST_VERSION = 1
EVIDENCE_DIR = "evidence"
_SPACE_MARGIN = 1024 * 1024
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_ZIP_END = (2107, 12, 31, 23, 59, 58)
_STORED_TYPES = ("image/", "video/")


@dataclass(frozen=True)
class BundleMember:
    """A generated file placed at the bundle root (``report.html``, ``report.md``…)."""

    name: str
    content: str | bytes


@dataclass(frozen=True)
class BundleEvidence:
    """A stored evidence file to include: source path, its recorded sha256, kind, wanted name.

    ``kind`` is what the caller believes; the bundle acts on the sniffed
    content, so anything that decodes as a photo is re-encoded whatever its
    declared kind (original image bytes must never reach a bundle).
    """

    source: Path
    sha256: str
    kind: str
    name: str


@dataclass(frozen=True)
class BundleFile:
    """One manifest entry: path relative to the bundle root, ``/``-separated."""

    path: str
    size: int
    sha256: str
    original_sha256: str | None = None
    in_zip: bool = True  # False: kept out of the zip (a large video), in the folder only

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "size": self.size, "sha256": self.sha256}
        if self.original_sha256 is not None:
            out["original_sha256"] = self.original_sha256
        if not self.in_zip:
            out["in_zip"] = False
        return out


@dataclass
class BundleResult:
    """What was written, with the manifest's own hash (worth quoting in the dispute)."""

    bundle_dir: Path
    bundle_zip: Path
    manifest_sha256: str
    files: list[BundleFile]
    warnings: list[str] = field(default_factory=list)
    signed_by: str | None = None  # Ed25519 public key (base64) when manifest.sig was written

    def to_dict(self) -> dict[str, Any]:
        return {
            "bundle_dir": str(self.bundle_dir),
            "bundle_zip": str(self.bundle_zip),
            "manifest_sha256": self.manifest_sha256,
            "files": [f.to_dict() for f in self.files],
            "warnings": list(self.warnings),
        }


def plan_evidence_paths(evidence: Sequence[BundleEvidence]) -> list[str]:
    """The bundle path each evidence file will get, in order (``evidence/<safe name>``).

    Reports are rendered before the bundle is built and link to these paths,
    so the service calls this first; :func:`build_bundle` uses the same plan.
    Photos get the extension of their re-encoded format. Sources that are
    links, folders, devices, missing or empty raise :class:`InvalidInput`.
    """
    taken: set[str] = set()
    paths: list[str] = []
    for item in evidence:
        check_regular_file(Path(item.source))
        media_type = sniff_file(Path(item.source))
        name = safe_name(item.name)
        stem, suffix = _split(name)
        if kind_of(media_type) == "photo":
            from orderctl.evidence.photos import output_media_type

            name = stem + extension_for(output_media_type(media_type))
        elif not suffix:
            name = stem + extension_for(media_type)
        paths.append(f"{EVIDENCE_DIR}/{deduplicate(name, taken)}")
    return paths


def _split(name: str) -> tuple[str, str]:
    suffix = Path(name).suffix
    return (name[: len(name) - len(suffix)], suffix) if suffix else (name, "")


def _write_all(handle: IO[bytes], data: bytes) -> None:
    """Every bundle byte goes through here (one place for fault-injection tests)."""
    handle.write(data)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        _write_all(handle, data)
        handle.flush()
        os.fsync(handle.fileno())


def _copy_hashed(src: Path, dst: Path) -> tuple[int, str]:
    """Stream ``src`` to a new file ``dst``; return size and sha256 of what was copied."""
    digest = hashlib.sha256()
    size = 0
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(src, flags), "rb") as reader, open(dst, "xb") as writer:
        while chunk := reader.read(CHUNK_SIZE):
            digest.update(chunk)
            _write_all(writer, chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return size, digest.hexdigest()


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    """Zip stores local time from 1980 to 2107; clamp instead of failing on old files."""
    stamp = time.localtime(max(mtime, 0))[:6]
    return max(_ZIP_EPOCH, min(_ZIP_END, stamp))  # type: ignore[return-value]


def _check_member_names(members: Sequence[BundleMember]) -> list[str]:
    taken = {MANIFEST_NAME.casefold(), SIGNATURE_NAME.casefold(), EVIDENCE_DIR.casefold()}
    names = []
    for member in members:
        name = safe_name(member.name)
        if name != member.name or name.casefold() in taken:
            raise InvalidInput(f"Bundle member name not allowed or repeated: {member.name!r}")
        taken.add(name.casefold())
        names.append(name)
    return names


def _check_space(dest: Path, evidence: Sequence[BundleEvidence], members: Sequence[Any]) -> None:
    """Refuse before writing when the bundle (folder + zip ≈ twice the inputs) cannot fit."""
    total = sum(os.lstat(e.source).st_size for e in evidence)
    total += sum(len(m.content) for m in members)
    needed = 2 * total + _SPACE_MARGIN
    try:
        free = shutil.disk_usage(dest).free
    except OSError:
        return
    if needed > free:
        raise OperationFailed(
            f"Not enough disk space in {dest} for the bundle: about {needed} bytes needed, "
            f"{free} free.",
            hint="Free some space or choose another destination.",
        )


def build_bundle(
    dest: Path,
    name: str,
    *,
    order_id: str,
    members: Sequence[BundleMember],
    evidence: Sequence[BundleEvidence],
    created_at: datetime,
    orderctl_version: str | None = None,
    photo_max_pixels: int | None = None,
    photo_max_bytes: int | None = None,
    video_warn_bytes: int | None = None,
    zip_exclude: frozenset[str] = frozenset(),
    signer: Callable[[bytes], bytes] | None = None,
) -> BundleResult:
    """Write ``dest/<name>/`` and ``dest/<name>.zip`` with the members, evidence and manifest.

    Bundle paths in ``zip_exclude`` (large videos the buyer chose to keep out)
    are written to the folder only; their manifest entries say ``"in_zip": false``
    so ``verify`` does not miss them in the zip. ``signer`` turns the manifest's
    bytes into a ``manifest.sig`` document written next to it (``dispute --sign``).

    Raises :class:`InvalidInput` for bad names or sources (nothing written),
    :class:`OperationFailed` when the disk is full or a file changed since it
    was stored (nothing left behind).
    """
    if orderctl_version is None:
        from orderctl import __version__ as orderctl_version
    dest = Path(dest)
    final_dir, final_zip = _final_paths(dest, name)
    member_names = _check_member_names(members)
    plan = plan_evidence_paths(evidence)
    dest.mkdir(parents=True, exist_ok=True)
    _check_space(dest, evidence, members)

    tmp_dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=dest))
    zip_fd, zip_tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=dest)
    os.close(zip_fd)
    dir_renamed = False
    try:
        files, warnings = _fill_folder(
            tmp_dir,
            members,
            member_names,
            evidence,
            plan,
            photo_max_pixels=photo_max_pixels,
            photo_max_bytes=photo_max_bytes,
            video_warn_bytes=video_warn_bytes,
        )
        files = [_out_of_zip(f) if f.path in zip_exclude else f for f in files]
        manifest_bytes = _manifest_bytes(order_id, orderctl_version, created_at, files)
        extra_names = _write_manifest(tmp_dir, manifest_bytes, signer)
        fsync_dir(tmp_dir / EVIDENCE_DIR)
        fsync_dir(tmp_dir)
        _write_zip(Path(zip_tmp), tmp_dir, [f.path for f in files if f.in_zip] + extra_names)
        os.rename(tmp_dir, final_dir)
        dir_renamed = True
        _publish_zip(Path(zip_tmp), final_zip)
        fsync_dir(dest)
    except BaseException as exc:
        if dir_renamed:
            shutil.rmtree(final_dir, ignore_errors=True)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(zip_tmp)
        if isinstance(exc, OSError):
            raise _as_failure(exc, dest) from exc
        raise
    return BundleResult(
        bundle_dir=final_dir,
        bundle_zip=final_zip,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        files=files,
        warnings=warnings,
    )


def _final_paths(dest: Path, name: str) -> tuple[Path, Path]:
    """``dest/<name>/`` and ``dest/<name>.zip``; refused if either exists already."""
    base = safe_name(name.removesuffix(".zip"), default="bundle")
    final_dir, final_zip = dest / base, dest / f"{base}.zip"
    for target in (final_dir, final_zip):
        if os.path.lexists(target):
            raise InvalidInput(
                f"{target} already exists.", hint="Choose another name or move the old bundle."
            )
    return final_dir, final_zip


def _out_of_zip(f: BundleFile) -> BundleFile:
    """The same file, marked as kept in the folder only (``"in_zip": false``)."""
    return BundleFile(f.path, f.size, f.sha256, f.original_sha256, in_zip=False)


def _manifest_bytes(
    order_id: str, orderctl_version: str, created_at: datetime, files: Sequence[BundleFile]
) -> bytes:
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "order_id": str(order_id),
        "orderctl_version": orderctl_version,
        "created_at": created_at.isoformat(),
        "files": [f.to_dict() for f in files],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def _write_manifest(
    folder: Path, manifest_bytes: bytes, signer: Callable[[bytes], bytes] | None
) -> list[str]:
    """Write the manifest (and its signature); the names to add to the zip."""
    _write_file(folder / MANIFEST_NAME, manifest_bytes)
    names = [MANIFEST_NAME]
    if signer is not None:
        _write_file(folder / SIGNATURE_NAME, signer(manifest_bytes))
        names.append(SIGNATURE_NAME)
    return names


def _as_failure(exc: OSError, dest: Path) -> OperationFailed:
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return OperationFailed(
            f"The disk is full: the bundle could not be written to {dest}. "
            "Nothing was left behind.",
            hint="Free some space or choose another destination, then build it again.",
        )
    return OperationFailed(f"Could not write the bundle to {dest}: {exc.strerror or exc}.")


def _fill_folder(
    root: Path,
    members: Sequence[BundleMember],
    member_names: list[str],
    evidence: Sequence[BundleEvidence],
    plan: list[str],
    *,
    photo_max_pixels: int | None,
    photo_max_bytes: int | None,
    video_warn_bytes: int | None,
) -> tuple[list[BundleFile], list[str]]:
    """Write members and evidence into ``root``; return manifest entries and warnings."""
    files: list[BundleFile] = []
    warnings: list[str] = []
    for member, member_name in zip(members, member_names, strict=True):
        data = member.content.encode("utf-8") if isinstance(member.content, str) else member.content
        _write_file(root / member_name, data)
        files.append(BundleFile(member_name, len(data), hashlib.sha256(data).hexdigest()))
    (root / EVIDENCE_DIR).mkdir()
    for item, rel in zip(evidence, plan, strict=True):
        src = Path(item.source)
        st = check_regular_file(src)
        target = root.joinpath(*rel.split("/"))
        media_type = sniff_file(src)
        if kind_of(media_type) == "photo":
            _check_original(src, _hash_file(src), item)
            from orderctl.evidence.photos import strip_and_reencode

            data = strip_and_reencode(src, max_pixels=photo_max_pixels, max_bytes=photo_max_bytes)
            _write_file(target, data)
            sha = hashlib.sha256(data).hexdigest()
            files.append(BundleFile(rel, len(data), sha, original_sha256=item.sha256))
            continue
        size, sha = _copy_hashed(src, target)
        _check_original(src, sha, item)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # when it was recorded
        files.append(BundleFile(rel, size, sha))
        if kind_of(media_type) == "video" and video_warn_bytes and size > video_warn_bytes:
            warnings.append(
                f"{rel} is {size / 1e6:.1f} MB, over the {video_warn_bytes / 1e6:.1f} MB limit; "
                "the marketplace may refuse it: trim or compress the video before uploading."
            )
    files.sort(key=lambda f: f.path)
    return files, warnings


def _check_original(src: Path, sha: str, item: BundleEvidence) -> None:
    if sha != item.sha256.lower():
        raise OperationFailed(
            f"{src} no longer matches the sha256 recorded when it was added.",
            hint="The evidence store was modified; add the original file again.",
        )


def _write_zip(zip_path: Path, root: Path, rel_paths: list[str]) -> None:
    """Zip ``rel_paths`` (relative arcnames, clamped times, no links followed) and fsync."""
    with open(zip_path, "wb") as raw:
        with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            for rel in rel_paths:
                path = root.joinpath(*rel.split("/"))
                st = os.lstat(path)
                info = zipfile.ZipInfo(rel, date_time=_zip_time(st.st_mtime))
                info.external_attr = 0o644 << 16
                media_type = sniff_file(path)
                info.compress_type = (
                    zipfile.ZIP_STORED
                    if media_type.startswith(_STORED_TYPES)
                    else zipfile.ZIP_DEFLATED
                )
                info.file_size = st.st_size
                with open(path, "rb") as reader, zf.open(info, "w") as writer:
                    while chunk := reader.read(CHUNK_SIZE):
                        _write_all(writer, chunk)
        raw.flush()
        os.fsync(raw.fileno())
    os.chmod(zip_path, 0o600)  # private, like the folder (mkdtemp: 0o700)


def _publish_zip(tmp: Path, final: Path) -> None:
    """Move the zip into place without ever replacing a file that appeared meanwhile."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(final):
            raise FileExistsError(
                errno.EEXIST, "bundle zip appeared meanwhile", str(final)
            ) from None
        os.replace(tmp, final)
        return
    os.unlink(tmp)
