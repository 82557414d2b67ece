"""Import and export of the order book.

An import is all-or-nothing by default: any bad row and nothing is written,
with every bad row listed by its line number in the file. ``--skip-invalid``
imports the good rows. Orders already in the book are left alone when the
file says the same thing (so re-importing a file changes nothing), refused
when it says something different, and merged with ``--update``, which never
throws away what orderctl learnt locally (events, inspection, feedback,
dispute, notes) and never moves an order's state backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orderctl.domain.lifecycle import PROGRESS
from orderctl.domain.models import Order
from orderctl.errors import InvalidInput
from orderctl.fsutil import atomic_write_text
from orderctl.services.context import AppContext
from orderctl.services.orders.book import fill_carrier

# Fields an export from a shop is allowed to change on an existing order.
SHOP_FIELDS = (
    "title",
    "platform",
    "store",
    "store_url",
    "price",
    "currency",
    "quantity",
    "category",
    "url",
    "payment_method",
    "platform_status",
    "ordered_at",
    "shipped_at",
    "protection_ends_at",
    "tracking_number",
    "carrier",
)


@dataclass
class ImportReport:
    """What an import did (or, with ``--dry-run``, would do)."""

    file: str
    format: str
    dry_run: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and bool(self.added or self.updated)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "dry_run": self.dry_run,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }


def _merge_shop_fields(existing: Order, incoming: Order) -> Order:
    merged = Order.from_dict(existing.to_dict())
    for name in SHOP_FIELDS:
        value = getattr(incoming, name)
        if value not in (None, ""):
            setattr(merged, name, value)
    if incoming.items:
        merged.items = incoming.items
    if PROGRESS.index(incoming.state) > PROGRESS.index(merged.state):
        merged.state = incoming.state
    return merged


def _restore(existing: Order, incoming: Order) -> Order:
    """A JSON export is orderctl's own data: it replaces the order wholesale."""
    merged = Order.from_dict(incoming.to_dict())
    merged.created_at = existing.created_at
    return merged


def _comparable(order: Order) -> dict[str, Any]:
    data = order.to_dict()
    data.pop("updated_at", None)
    data.pop("created_at", None)
    return data


def _merge_details(
    current: dict[str, Any], incoming: dict[str, Any], order_id: str = ""
) -> tuple[dict[str, Any], bool]:
    """Union of events and inspection history; returns (details, changed)."""
    from orderctl.domain.tracking import TrackingEvent, merge_events

    merged = dict(current)
    changed = False
    if incoming.get("events"):
        try:
            old = [TrackingEvent.from_dict(e) for e in current.get("events", [])]
            new = [TrackingEvent.from_dict(e) for e in incoming["events"]]
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            reason = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)[:80]
            raise InvalidInput(
                f"order {order_id}: its tracking events cannot be merged ({reason});"
                " nothing was imported",
                hint="Import a file written by `orderctl export --format json`.",
            ) from None
        events = [e.to_dict() for e in merge_events(old, new)]
        if events != current.get("events", []):
            merged["events"] = events
            changed = True
    if incoming.get("inspections"):
        history = list(current.get("inspections", []))
        for entry in incoming["inspections"]:
            if entry not in history:
                history.append(entry)
                changed = True
        merged["inspections"] = history
    draft = incoming.get("inspection_draft")
    if draft and draft != current.get("inspection_draft"):
        merged["inspection_draft"] = draft
        changed = True
    return merged, changed


def import_orders(
    ctx: AppContext,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    update: bool = False,
) -> ImportReport:
    """Read ``path`` and add its orders to the book (one store write)."""
    from orderctl.services.orders.order_file import import_file

    batch = import_file(path, known_platforms=ctx.policies.platform_keys, today=ctx.today)
    report = ImportReport(file=str(path), format=batch.format, dry_run=dry_run)
    report.warnings += [str(w) for w in batch.warnings]
    if not skip_invalid:
        batch.raise_for_errors(str(path))
    report.skipped += [str(e) for e in batch.errors]
    details_by_order = batch.details
    with ctx.store.transaction(ctx.now) as txn:
        conflicts: list[str] = []
        for incoming in batch.orders:
            report.warnings += fill_carrier(incoming)
            existing = txn.find(incoming.order_id)
            incoming_details = details_by_order.get(incoming.order_id, {})
            if existing is None:
                report.added.append(incoming.order_id)
                if not dry_run:
                    txn.put(incoming)
                    if incoming_details:
                        txn.set_details(incoming.order_id, incoming_details)
                continue
            merge = _restore if batch.format == "json" else _merge_shop_fields
            candidate = merge(existing, incoming)
            details, details_changed = _merge_details(
                txn.shards.get(incoming.order_id), incoming_details, incoming.order_id
            )
            if _comparable(candidate) == _comparable(existing) and not details_changed:
                report.unchanged.append(incoming.order_id)
            elif not update:
                conflicts.append(
                    f"order {incoming.order_id}: already in the order book with different"
                    " values (use --update to merge)"
                )
            else:
                report.updated.append(incoming.order_id)
                if not dry_run:
                    txn.put(candidate)
                    if details_changed:
                        txn.set_details(incoming.order_id, details)
        if conflicts and not skip_invalid:
            raise InvalidInput(
                f"{path}: {len(conflicts)} order{'s' if len(conflicts) != 1 else ''} already"
                " exist with different values; nothing was imported",
                details=conflicts,
                hint="Add --update to merge them, or --skip-invalid to import only the rest.",
            )
        report.skipped += conflicts
        if dry_run:
            txn.discard()
    return report


def export_orders(ctx: AppContext, fmt: str, *, raw: bool = False) -> str:
    """The whole book as CSV (shop columns) or JSON (lossless, with events and history).

    CSV cells that would run as spreadsheet formulas are neutralised unless ``raw``.
    A corrupt details shard is a StoreError (exit 7) naming the shard.
    """
    from orderctl.domain import exporters

    orders = ctx.store.orders()
    if fmt == "csv":
        return exporters.orders_to_csv(orders, raw=raw)
    if fmt == "json":
        return exporters.orders_to_json(
            orders, {o.order_id: ctx.store.details(o.order_id) for o in orders}
        )
    raise InvalidInput(f"--format: {fmt!r} is not one of json, csv")


def write_export(text: str, target: Path) -> None:
    try:
        atomic_write_text(target, text, mode=0o600)
    except OSError as exc:
        raise InvalidInput(f"-o: cannot write {target}: {exc.strerror or exc}") from None
