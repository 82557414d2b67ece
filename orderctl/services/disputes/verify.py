"""Check a dispute bundle against its manifest (``orderctl verify``).

A bundle may be handed to a platform or a payment provider weeks after it
was built; verifying it is a read-only use case of its own that only needs
to find the bundle (a path, or the order's latest one) and let
:func:`orderctl.evidence.verify.verify_bundle` compare it with its manifest.

With ``--order`` two more checks apply: the manifest's SHA-256 must equal the
``manifest_sha256`` recorded on the order when the bundle was built (an
edited file plus an edited manifest is caught), and the folder and the zip
must carry the same manifest. Bundle paths are stored relative to the home
when they are inside it, so a copied or moved home verifies its own bundle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orderctl.domain.records import Dispute
from orderctl.errors import InvalidInput, NotFound
from orderctl.services.context import AppContext


def stored_bundle_path(home: Path, path: Path) -> str:
    """``path`` as recorded on the order: relative to ``home`` when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path(home).resolve()).as_posix()
    except ValueError:
        return str(path)


def resolve_bundle_path(home: Path, text: str) -> Path:
    """The recorded path made absolute: relative paths are taken from ``home``."""
    path = Path(text)
    return path if path.is_absolute() else Path(home) / path


def bundles_to_verify(ctx: AppContext, bundle: Path | None, order_id: str | None) -> list[Path]:
    """The path given, or the folder and zip of the order's latest bundle."""
    if (bundle is None) == (order_id is None):
        raise InvalidInput("Give a BUNDLE path or --order ORDER_ID (one of them)")
    if bundle is not None:
        return [Path(bundle)]
    order = ctx.store.get(str(order_id))
    dispute = order.dispute or Dispute()
    paths = [
        resolve_bundle_path(ctx.paths.home, str(path))
        for path in (dispute.bundle_dir, dispute.bundle_zip)
        if path
    ]
    if not paths:
        raise NotFound(
            f"Order {order_id} has no dispute bundle",
            hint=f"Build one with `orderctl dispute {order_id}`.",
        )
    return paths


def verify(
    ctx: AppContext,
    bundle: Path | None,
    order_id: str | None,
    public_key: str | None = None,
) -> list[Any]:
    """A VerifyReport per bundle (NotFound, exit 3, for a path that does not exist).

    ``public_key`` (base64 Ed25519) requires a signature by that key; with
    ``--order`` the key recorded when the bundle was signed is required too.
    """
    from orderctl.evidence.signing import parse_public_key
    from orderctl.evidence.verify import verify_bundle

    expected = parse_public_key(public_key) if public_key is not None else None
    paths = bundles_to_verify(ctx, bundle, order_id)
    if expected is None and order_id is not None:
        recorded_key = (ctx.store.get(str(order_id)).dispute or Dispute()).signed_by
        if recorded_key:
            expected = parse_public_key(str(recorded_key))
    reports = []
    for path in paths:
        if order_id is not None and not path.exists():
            from orderctl.evidence.verify import VerifyReport

            kind = "zip" if path.suffix == ".zip" else "folder"
            reports.append(
                VerifyReport(path, kind, str(order_id), "", problems=[f"{path} is missing"])
            )
            continue
        reports.append(verify_bundle(path, expected))
    if order_id is not None:
        recorded = str((ctx.store.get(str(order_id)).dispute or Dispute()).manifest_sha256 or "")
        compare_manifests(reports, recorded)
    return reports


def compare_manifests(reports: list[Any], recorded: str) -> None:
    """Mark reports whose manifest differs from the recorded hash or from each other."""
    for report in reports:
        if not report.manifest_sha256:
            continue
        if recorded and report.manifest_sha256 != recorded.lower():
            report.problems.append(
                f"manifest sha256 {report.manifest_sha256} differs from the one recorded on the"
                f" order when the bundle was built ({recorded})"
            )
    hashes = {r.manifest_sha256 for r in reports if r.manifest_sha256}
    if len(hashes) > 1:
        for report in reports:
            report.problems.append("the folder and the zip carry different manifests")


__all__ = [
    "bundles_to_verify",
    "compare_manifests",
    "resolve_bundle_path",
    "stored_bundle_path",
    "verify",
]
