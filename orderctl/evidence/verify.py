"""Check a bundle (folder or zip) against its ``manifest.json``.

A bundle may travel through e-mail, cloud drives and a seller's hands; the
buyer needs to show it is exactly what orderctl produced. Verification only
reads: zip members are hashed from the archive, never extracted, and names
that could escape a folder (``..``, absolute, drive letters) are reported
instead of being opened. Symbolic links inside a folder are not followed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from orderctl.errors import NotFound
from orderctl.evidence.bundle import MANIFEST_NAME, SIGNATURE_NAME
from orderctl.evidence.names import is_safe_relative
from orderctl.evidence.store import CHUNK_SIZE


@dataclass
class VerifyReport:
    """What differs between a bundle and its manifest. Lists hold bundle-relative paths."""

    path: Path
    kind: str  # "folder" | "zip"
    order_id: str | None
    manifest_sha256: str
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)
    #: Whole-bundle problems: no or unreadable manifest, a manifest that differs from the
    #: hash recorded on the order or from the other copy (folder vs zip), a bad signature.
    problems: list[str] = field(default_factory=list)
    #: The Ed25519 public key (base64) of a valid ``manifest.sig``; None when unsigned.
    signed_by: str | None = None

    @property
    def intact(self) -> bool:
        return not (self.changed or self.missing or self.added or self.unsafe or self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "order_id": self.order_id,
            "manifest_sha256": self.manifest_sha256,
            "intact": self.intact,
            "checked": self.checked,
            "changed": list(self.changed),
            "missing": list(self.missing),
            "added": list(self.added),
            "unsafe": list(self.unsafe),
            "problems": list(self.problems),
            "signed_by": self.signed_by,
        }


def _hash_stream(handle: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


class ManifestProblem(Exception):
    """The manifest is missing or unusable: the bundle cannot be intact."""


def _parse_manifest(raw: bytes, where: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Validate the manifest's shape; returns it and its entries by path."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ManifestProblem(f"{MANIFEST_NAME} is not valid JSON: {exc}") from exc
    entries: dict[str, dict[str, Any]] = {}
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list):
        raise ManifestProblem(f"{MANIFEST_NAME} has no 'files' list")
    for entry in files:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("path"), str)
            or not isinstance(entry.get("size"), int)
            or not isinstance(entry.get("sha256"), str)
        ):
            raise ManifestProblem(f"{MANIFEST_NAME} has a malformed entry: {entry!r:.80}")
        entries[entry["path"]] = entry
    return manifest, entries


def _broken(path: Path, kind: str, problem: str, raw: bytes | None = None) -> VerifyReport:
    """A report for a bundle whose manifest is missing or unusable: not intact (exit 1)."""
    return VerifyReport(
        path=path,
        kind=kind,
        order_id=None,
        manifest_sha256=hashlib.sha256(raw).hexdigest() if raw is not None else "",
        problems=[problem],
    )


def verify_bundle(path: Path, public_key: bytes | None = None) -> VerifyReport:
    """Compare every file of the bundle at ``path`` (folder or ``.zip``) with its manifest.

    A ``manifest.sig`` is checked too; with ``public_key`` the bundle must be
    signed, by that key.
    """
    path = Path(path)
    if path.is_dir():
        return _verify_folder(path, public_key)
    if path.is_file():
        return _verify_zip(path, public_key)
    raise NotFound(f"No bundle at {path}.", hint="Pass the bundle folder or its .zip file.")


def _compare(
    report: VerifyReport,
    entries: dict[str, dict[str, Any]],
    present: dict[str, Any],
    measure: Any,
) -> VerifyReport:
    """Fill ``report``: ``present`` maps relative path -> handle for ``measure``."""
    for rel, entry in sorted(entries.items()):
        if not is_safe_relative(rel):
            report.unsafe.append(rel)
            continue
        if rel not in present:
            if not (report.kind == "zip" and entry.get("in_zip") is False):
                report.missing.append(rel)  # a large video kept out of the zip is not missing
            continue
        result = measure(present[rel])
        report.checked += 1
        if result is None or result != (entry["size"], entry["sha256"].lower()):
            report.changed.append(rel)
    for rel in sorted(present):
        if rel not in (MANIFEST_NAME, SIGNATURE_NAME) and rel not in entries:
            report.added.append(rel)
    return report


def _walk_folder(root: Path) -> Iterator[tuple[str, Path, bool]]:
    """(relative path, path, is_regular_file) for everything below ``root``, links unfollowed."""
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        for entry in names + [d for d in dirs if (base / d).is_symlink()]:
            full = base / entry
            rel = full.relative_to(root).as_posix()
            yield rel, full, stat.S_ISREG(os.lstat(full).st_mode)


def _signature(
    report: VerifyReport, signature: bytes | None, manifest: bytes, public_key: bytes | None
) -> None:
    """Record the signature check (or a missing signature when one is required)."""
    if signature is None:
        if public_key is not None:
            report.problems.append(f"no {SIGNATURE_NAME}: the bundle is not signed")
        return
    from orderctl.evidence.signing import check_signature

    check = check_signature(signature, manifest, public_key)
    if check.valid:
        report.signed_by = check.public_key
    else:
        report.problems.append(f"signature: {check.problem}")


def _verify_folder(root: Path, public_key: bytes | None = None) -> VerifyReport:
    manifest_path = root / MANIFEST_NAME
    if not manifest_path.is_file() or manifest_path.is_symlink():
        return _broken(root, "folder", f"no {MANIFEST_NAME}: not an orderctl bundle, or damaged")
    raw = manifest_path.read_bytes()
    try:
        manifest, entries = _parse_manifest(raw, str(root))
    except ManifestProblem as exc:
        return _broken(root, "folder", str(exc), raw)
    report = VerifyReport(
        path=root,
        kind="folder",
        order_id=_order_id(manifest),
        manifest_sha256=hashlib.sha256(raw).hexdigest(),
    )
    sig_path = root / SIGNATURE_NAME
    signature = sig_path.read_bytes() if sig_path.is_file() and not sig_path.is_symlink() else None
    _signature(report, signature, raw, public_key)
    present: dict[str, Path] = {}
    for rel, full, regular in _walk_folder(root):
        if not regular:
            report.unsafe.append(rel)  # a link or device where a file should be
            continue
        present[rel] = full

    def measure(full: Path) -> tuple[int, str]:
        with open(full, "rb") as handle:
            return _hash_stream(handle)

    return _compare(report, entries, present, measure)


def _verify_zip(zip_path: Path, public_key: bytes | None = None) -> VerifyReport:
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        return _broken(zip_path, "zip", f"not a readable zip file: {exc}")
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        prefix = _zip_prefix([i.filename for i in infos])
        if prefix is None:
            return _broken(
                zip_path, "zip", f"no {MANIFEST_NAME}: not an orderctl bundle, or damaged"
            )
        try:
            raw = zf.read(prefix + MANIFEST_NAME)
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
            return _broken(zip_path, "zip", f"{MANIFEST_NAME} cannot be read: {exc}")
        try:
            manifest, entries = _parse_manifest(raw, str(zip_path))
        except ManifestProblem as exc:
            return _broken(zip_path, "zip", str(exc), raw)
        report = VerifyReport(
            path=zip_path,
            kind="zip",
            order_id=_order_id(manifest),
            manifest_sha256=hashlib.sha256(raw).hexdigest(),
        )
        signature = None
        if prefix + SIGNATURE_NAME in {i.filename for i in infos}:
            try:
                signature = zf.read(prefix + SIGNATURE_NAME)
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError):
                signature = b""  # unreadable: reported as an invalid signature
        _signature(report, signature, raw, public_key)
        present: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if not is_safe_relative(name) or not name.startswith(prefix):
                report.unsafe.append(name)
                continue
            rel = name[len(prefix) :]
            if rel in present:
                report.unsafe.append(name)  # duplicate member: extractors disagree on which wins
                continue
            present[rel] = info

        def measure(info: zipfile.ZipInfo) -> tuple[int, str] | None:
            try:
                with zf.open(info) as handle:
                    return _hash_stream(handle)
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError):
                return None  # CRC error or corrupt entry: the member changed

        return _compare(report, entries, present, measure)


def _zip_prefix(names: list[str]) -> str | None:
    """Where the manifest lives: the archive root, or one top-level folder."""
    if MANIFEST_NAME in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1:
        prefix = f"{next(iter(tops))}/"
        if prefix + MANIFEST_NAME in names:
            return prefix
    return None


def _order_id(manifest: dict[str, Any]) -> str | None:
    value = manifest.get("order_id")
    return None if value is None else str(value)
