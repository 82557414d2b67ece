"""``policies``: the policy data orderctl counts with, every number with its source."""

from __future__ import annotations

from typing import Any

from orderctl.errors import InvalidInput
from orderctl.services.context import AppContext


def list_policies(ctx: AppContext, platform: str | None = None) -> list[dict[str, Any]]:
    """Platforms and payment methods (or one of them), as in ``orderctl policies --json``."""
    policies = ctx.policies
    entries = [p.to_dict("platform") for p in policies.platforms.values()]
    entries += [p.to_dict("payment") for p in policies.payments.values()]
    if platform is None:
        return entries
    wanted = platform.strip().lower()
    found = [e for e in entries if e["key"] == wanted or e["name"].lower() == wanted]
    if not found:
        known = ", ".join(e["key"] for e in entries)
        raise InvalidInput(f"No policy data for {platform!r}", hint=f"Known: {known}.")
    return found
