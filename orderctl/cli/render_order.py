"""Human rendering of ``show``: a summary panel, then each section that has data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orderctl.cli import output
from orderctl.cli.labels import bullets, deadline_label, dispute_summary, humanise

if TYPE_CHECKING:
    from orderctl.domain.models import Order
    from orderctl.services.orders.view import OrderView


def _kv_table(pairs: list[tuple[str, Any]]) -> Any:

    table = output.table(show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        if value not in (None, "", [], {}):
            table.add_row(key, str(value))
    return table


def render_order(view: OrderView, check_labels: dict[str, str] | None = None) -> None:
    """Print ``show``: the summary panel, then each section that has data, in this order."""
    _render_summary(view)
    _render_items(view.order)
    _render_deadlines(view)
    _render_events(view)
    _render_inspection(view.order, check_labels or {})
    _render_feedback_and_dispute(view.order)


def _render_summary(view: OrderView) -> None:
    from rich.text import Text

    order = view.order
    console = output.out()
    price = f"{order.price} {order.currency or ''}".strip() if order.price else None
    dispute = order.dispute
    console.print(Text(f"{order.order_id}  {order.title}", style="bold"))
    output.print_table(
        _kv_table(
            [
                ("Platform", order.platform),
                ("Store", order.store),
                ("State", order.state.value),
                ("Dispute", dispute_summary(dispute, order.currency) if dispute else None),
                ("Price", price),
                ("Ordered", order.ordered_at),
                ("Shipped", order.shipped_at),
                ("Delivered", order.delivered_at),
                ("Protection ends", order.protection_ends_at),
                ("Tracking", order.tracking_number),
                (
                    "Also known as",
                    ", ".join(n for n in order.tracking_numbers if n != order.tracking_number),
                ),
                ("Carrier", _carrier(order)),
                ("Parcel", order.shipment_status),
                ("Category", order.category),
                ("Listing", order.url),
                ("Order page", view.order_page),
            ]
        )
    )


_CARRIER_SOURCES = {
    "detected": "detected from the number's format",
    "user": "as you entered it",
    "17track": "named by 17TRACK",
    "aftership": "named by AfterShip",
    "cainiao": "named by Cainiao",
}


def _carrier(order: Order) -> str | None:
    """The carrier and who named it, while that is still the carrier on the order."""
    carrier, source = order.carrier, order.carrier_source
    if not carrier or not source or order.carrier_source_for != carrier:
        return carrier
    return f"{carrier} ({_CARRIER_SOURCES.get(source, source)})"


def _render_items(order: Order) -> None:
    if order.items:
        table = output.table(title="Items", title_justify="left")
        table.add_column("Qty", no_wrap=True)
        table.add_column("Item", overflow="fold")
        table.add_column("Unit price", no_wrap=True, drop=2)
        table.add_column("Attributes", overflow="fold", drop=1)
        for item in order.items:
            attrs = ", ".join(f"{k}: {v}" for k, v in item.attributes.items())
            unit = f"{item.unit_price} {item.currency or ''}" if item.unit_price else ""
            table.add_row(str(item.quantity), item.title, unit, attrs)
        output.print_table(table)


def _render_deadlines(view: OrderView) -> None:
    console = output.out()
    deadlines = view.plan.deadlines
    if deadlines:
        table = output.table(title="Deadlines", title_justify="left")
        table.add_column("Date", no_wrap=True)
        table.add_column("Left", no_wrap=True)
        table.add_column("Deadline", overflow="fold")
        table.add_column("What to do", overflow="fold")
        for deadline in deadlines:
            table.add_row(
                deadline.date.isoformat() + ("*" if deadline.estimated else ""),
                output.days_text(deadline.days_left),
                deadline_label(deadline),
                deadline.advice,
            )
        output.print_table(table)
        if any(d.estimated for d in deadlines):
            console.print(
                "* estimated from the policy data; record the real date with --protection-ends"
            )
        moved = [d for d in deadlines if d.zone_note]
        if moved:
            console.print(
                f"{output.plural(len(moved), 'date')} shown one day early: {moved[0].zone_note}.",
                markup=False,
            )
    for task in view.plan.tasks:
        console.print(f"To do: {task.advice}", markup=False)
    if view.plan.missing and not deadlines:
        console.print(
            "No deadline yet: it needs " + " and ".join(view.plan.missing) + ".", markup=False
        )


def _render_events(view: OrderView) -> None:
    if view.events:
        table = output.table(title="Tracking", title_justify="left")
        table.add_column("Time", overflow="fold")
        table.add_column("Status", overflow="fold", drop=1)
        table.add_column("Event", overflow="fold")
        table.add_column("Where", overflow="fold", drop=2)
        for event in view.events:
            table.add_row(
                event.time or "",
                event.status or "",
                event.description or "",
                event.location or "",
            )
        output.print_table(table)
    if view.unreadable_events:
        output.out().print(
            f"{output.plural(view.unreadable_events, 'stored tracking event')} could not be "
            "read by this release; they are kept (see `show --json`).",
            markup=False,
        )


def inspection_table(title: str) -> Any:
    """The table of an inspection's checks (``show`` and the end of ``inspect``)."""
    table = output.table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("Check", overflow="fold")
    table.add_column("Result", no_wrap=True)
    table.add_column("Note", overflow="fold")
    table.add_column("Evidence", overflow="fold", drop=1)
    return table


def _render_inspection(order: Order, labels: dict[str, str]) -> None:
    inspection = order.inspection
    if inspection:
        table = inspection_table(f"Inspection: {inspection.verdict}")
        for check in inspection.checks:
            check_id = str(check.id)
            table.add_row(
                labels.get(check_id) or humanise(check_id),
                str(check.result),
                bullets(check.note or ""),
                ", ".join(str(e.name or "") for e in check.evidence),
            )
        output.print_table(table)


def _render_feedback_and_dispute(order: Order) -> None:
    from rich.text import Text

    console = output.out()
    feedback = order.feedback
    if feedback:
        posted = f"posted {feedback.posted_at}" if feedback.posted_at else "draft"
        console.print(Text(f"Feedback ({posted}): {feedback.stars} stars", style="bold"))
        console.print(Text(feedback.text or ""))
    dispute = order.dispute
    if dispute:
        console.print(
            Text(
                f"Dispute: {dispute.reason} "
                f"({dispute_summary(dispute, order.currency)}), remedy "
                f"{dispute.remedy}, opened {dispute.opened_at}",
                style="bold",
            )
        )
        for step in dispute.progress:
            line = f"  {step.at}  {step.step}  {step.note or ''}"
            console.print(Text(line.rstrip()))
    if order.notes:
        console.print(Text("Conversation with the seller", style="bold"))
        for note in order.notes:
            output.indented(f"{note.at}  {note.sender}: {note.text}")
