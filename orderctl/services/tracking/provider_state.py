"""What orderctl remembers about a tracking provider between runs.

Two facts survive a run: which numbers were already registered (17TRACK
charges quota once per registration) and until when the provider asked us to
back off (Retry-After). Reading and updating that record is kept here so the
planning and saving phases agree on its shape.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from orderctl.clock import iso
from orderctl.domain.carriers import normalize_number
from orderctl.domain.tracking import parse_instant

if TYPE_CHECKING:
    from orderctl.providers.engine import RefreshOutcome
    from orderctl.store.repository import Transaction


def registered_numbers(state: dict[str, Any]) -> set[str]:
    """The numbers the provider already knows (upper-cased; blanks ignored)."""
    return {str(n).upper() for n in state.get("registered", []) if n}


def next_allowed(state: dict[str, Any]) -> datetime | None:
    """When the provider's last back-off ends, or None (missing or unreadable)."""
    raw = state.get("next_allowed_at")
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError:
        return None


def update_provider_state(
    txn: Transaction, name: str, outcome: RefreshOutcome, now: datetime
) -> None:
    """Remember registrations (quota is spent once) and any back-off the provider asked for."""
    state = txn.provider_state(name)
    before = dict(state)
    registered = registered_numbers(state)
    registered |= outcome.registered
    if registered:
        # Only numbers still on some order are worth remembering.
        live: set[str] = set()
        for order in txn.orders():
            live.update(n for n in map(normalize_number, order.all_tracking_numbers()) if n)
        state["registered"] = sorted(registered & live)
    if outcome.retry_after is not None:
        state["next_allowed_at"] = iso(now + timedelta(seconds=outcome.retry_after))
    elif outcome.requests:
        state.pop("next_allowed_at", None)
    if state != before:
        txn.set_provider_state(name, state)
