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


# The longest back-off orderctl stores or honours, whatever a provider asked for
# (issue 9: one ``Retry-After: Fri, 31 Dec 9999`` switched tracking off for years).
MAX_BACKOFF = timedelta(hours=24)


def effective_backoff(until: datetime | None, now: datetime) -> datetime | None:
    """``until`` when it is still ahead and within :data:`MAX_BACKOFF` of ``now``.

    A stored wait further out than that can only come from an older orderctl
    without the cap (or a hand-edited file): it is not honoured.
    """
    if until is None or until <= now or until - now > MAX_BACKOFF:
        return None
    return until


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
    txn: Transaction,
    name: str,
    outcome: RefreshOutcome,
    now: datetime,
    *,
    clear_backoff: bool = False,
) -> None:
    """Remember registrations (quota is spent once) and any back-off the provider asked for.

    The stored wait is capped at :data:`MAX_BACKOFF`; ``clear_backoff``
    (``track --ignore-backoff``) drops a stored one even when no request was made.
    """
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
    wait = outcome.retry_after
    if wait is not None and wait == wait:  # not nan
        seconds = min(max(wait, 0.0), MAX_BACKOFF.total_seconds())
        state["next_allowed_at"] = iso(now + timedelta(seconds=seconds))
    elif outcome.requests or clear_backoff:
        state.pop("next_allowed_at", None)
    if state != before:
        txn.set_provider_state(name, state)
