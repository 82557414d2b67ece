"""Check a dispute bundle against its manifest (``orderctl verify``).

A bundle may be handed to a platform or a payment provider weeks after it
was built; verifying it is a read-only use case of its own that only needs
to find the bundle (a path, or the order's latest one) and let
:func:`orderctl.evidence.verify.verify_bundle` compare it with its manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput, NotFound
from orderctl.services.context import AppContext


def bundles_to_verify(ctx: AppContext, bundle: Path | None, order_id: str | None) -> list[Path]:
    """The path given, or the folder and zip of the order's latest bundle."""
    if (bundle is None) == (order_id is None):
        raise InvalidInput("Give a BUNDLE path or --order ORDER_ID (one of them)")
    if bundle is not None:
        return [Path(bundle)]
    order = ctx.store.get(str(order_id))
    dispute = order.dispute or {}
    paths = [Path(dispute[k]) for k in ("bundle_dir", "bundle_zip") if dispute.get(k)]
    if not paths:
        raise NotFound(
            f"Order {order_id} has no dispute bundle",
            hint=f"Build one with `orderctl dispute {order_id}`.",
        )
    return paths


def verify(ctx: AppContext, bundle: Path | None, order_id: str | None) -> list[Any]:
    """A VerifyReport per bundle (NotFound, exit 3, for a path that does not exist)."""
    from orderctl.evidence.verify import verify_bundle

    return [verify_bundle(p) for p in bundles_to_verify(ctx, bundle, order_id)]


__all__ = ["bundles_to_verify", "verify"]
