"""``due``: every deadline across the order book, soonest first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orderctl.domain.deadlines import visible_in_due_days
from orderctl.domain.models import Order
from orderctl.errors import InvalidInput
from orderctl.fsutil import atomic_write_text
from orderctl.services.context import AppContext


def due_entries(ctx: AppContext, within: int | None = None) -> list[dict[str, Any]]:
    """Deadlines of every order, soonest first; ``within`` keeps those at most N days away."""
    if within is not None and within < 0:
        raise InvalidInput("--within: must be 0 or more days")
    entries = ctx.store.derived(
        "due",
        {"today": ctx.today.isoformat(), "settings": ctx.settings_fingerprint},
        lambda snapshot: _all_entries(ctx, snapshot.orders()),
    )
    return [e for e in entries if visible_in_due_days(e["days_left"], within)]


def _all_entries(ctx: AppContext, orders: list[Order]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for order in orders:
        plan = ctx.schedule(order)
        for deadline in [*plan.deadlines, *plan.tasks]:
            if not visible_in_due_days(deadline.days_left, None):
                continue
            entries.append(
                {
                    "order_id": order.order_id,
                    "title": order.title,
                    "platform": order.platform,
                    "kind": deadline.kind,
                    "date": deadline.date.isoformat(),
                    "days_left": deadline.days_left,
                    "advice": deadline.advice,
                    "estimated": deadline.estimated,
                    "source": deadline.source,
                    "confidence": deadline.confidence,
                    "basis": deadline.basis,
                    "zone_note": deadline.zone_note,
                    "task": deadline.task,
                    "missing": list(deadline.missing),
                }
            )
    entries.sort(key=lambda e: (e["date"], e["order_id"], e["kind"]))
    return entries


def write_calendar(ctx: AppContext, entries: list[dict[str, Any]], target: Path) -> Path:
    """Write the deadlines as an RFC 5545 calendar file (atomically)."""
    from orderctl.domain.ics import deadlines_to_ics

    upcoming = [e for e in entries if e["days_left"] >= 0 and not e.get("task")]
    text = deadlines_to_ics(upcoming, now=ctx.now)
    try:
        atomic_write_text(target, text, mode=0o644)
    except OSError as exc:
        raise InvalidInput(f"--ics: cannot write {target}: {exc.strerror}") from None
    return target
