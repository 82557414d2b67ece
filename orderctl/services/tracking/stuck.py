"""How many days without a new scan make a parcel "stuck": one setting for ``track`` and ``notify``.

``tracking.stuck_days`` (default 10) is what ``track`` flags; ``notify``
uses the same number unless ``notify.stuck_days`` says otherwise, so by
default the two never disagree about a parcel.
"""

from __future__ import annotations

from typing import Any

from orderctl.errors import InvalidInput

DEFAULT_STUCK_DAYS = 10


def stuck_days(config: dict[str, Any]) -> int:
    """``tracking.stuck_days`` from config.toml (InvalidInput naming the key when it is wrong)."""
    tracking = config.get("tracking") if isinstance(config, dict) else None
    raw = tracking.get("stuck_days") if isinstance(tracking, dict) else None
    if raw is None:
        return DEFAULT_STUCK_DAYS
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise InvalidInput(
            f"config tracking.stuck_days must be a whole number ≥ 1, got {raw!r}",
            hint="Run e.g. `orderctl config set tracking.stuck_days 10`.",
        )
    return raw


__all__ = ["DEFAULT_STUCK_DAYS", "stuck_days"]
