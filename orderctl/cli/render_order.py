"""Human rendering of ``show``: a summary panel, then each section that has data."""

from __future__ import annotations

from typing import Any

from orderctl.cli import output
from orderctl.cli.labels import bullets, deadline_label, dispute_summary, humanise


def _kv_table(pairs: list[tuple[str, Any]]) -> Any:

    table = output.table(show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        if value not in (None, "", [], {}):
            table.add_row(key, str(value))
    return table


def render_order(data: dict[str, Any], check_labels: dict[str, str] | None = None) -> None:
    """Print ``show``: the summary panel, then each section that has data, in this order."""
    _render_summary(data)
    _render_items(data)
    _render_deadlines(data)
    _render_events(data)
    _render_inspection(data, check_labels or {})
    _render_feedback_and_dispute(data)


def _render_summary(data: dict[str, Any]) -> None:
    from rich.text import Text

    console = output.out()
    price = f"{data['price']} {data.get('currency') or ''}".strip() if data.get("price") else None
    console.print(Text(f"{data['order_id']}  {data['title']}", style="bold"))
    output.print_table(
        _kv_table(
            [
                ("Platform", data["platform"]),
                ("Store", data.get("store")),
                ("State", data["state"]),
                (
                    "Dispute",
                    dispute_summary(data["dispute"], data.get("currency"))
                    if data.get("dispute")
                    else None,
                ),
                ("Price", price),
                ("Ordered", data.get("ordered_at")),
                ("Shipped", data.get("shipped_at")),
                ("Delivered", data.get("delivered_at")),
                ("Protection ends", data.get("protection_ends_at")),
                ("Tracking", data.get("tracking_number")),
                (
                    "Also known as",
                    ", ".join(
                        n
                        for n in data.get("tracking_numbers", [])
                        if n != data.get("tracking_number")
                    ),
                ),
                ("Carrier", _carrier(data)),
                ("Parcel", data.get("shipment_status")),
                ("Category", data.get("category")),
                ("Listing", data.get("url")),
                ("Order page", data.get("order_page")),
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


def _carrier(data: dict[str, Any]) -> str | None:
    """The carrier and who named it, while that is still the carrier on the order."""
    carrier = data.get("carrier")
    source = data.get("carrier_source")
    if not carrier or not source or data.get("carrier_source_for") != carrier:
        return carrier
    return f"{carrier} ({_CARRIER_SOURCES.get(source, source)})"


def _render_items(data: dict[str, Any]) -> None:
    if data.get("items"):
        table = output.table(title="Items", title_justify="left")
        table.add_column("Qty", no_wrap=True)
        table.add_column("Item", overflow="fold")
        table.add_column("Unit price", no_wrap=True, drop=2)
        table.add_column("Attributes", overflow="fold", drop=1)
        for item in data["items"]:
            attrs = ", ".join(f"{k}: {v}" for k, v in item.get("attributes", {}).items())
            unit = (
                f"{item['unit_price']} {item.get('currency') or ''}"
                if item.get("unit_price")
                else ""
            )
            table.add_row(str(item["quantity"]), item["title"], unit, attrs)
        output.print_table(table)


def _render_deadlines(data: dict[str, Any]) -> None:
    console = output.out()
    if data.get("deadlines"):
        table = output.table(title="Deadlines", title_justify="left")
        table.add_column("Date", no_wrap=True)
        table.add_column("Left", no_wrap=True)
        table.add_column("Deadline", overflow="fold")
        table.add_column("What to do", overflow="fold")
        for deadline in data["deadlines"]:
            date = deadline["date"] + ("*" if deadline.get("estimated") else "")
            table.add_row(
                date,
                output.days_text(deadline["days_left"]),
                deadline_label(deadline),
                deadline["advice"],
            )
        output.print_table(table)
        if any(d.get("estimated") for d in data["deadlines"]):
            console.print(
                "* estimated from the policy data; record the real date with --protection-ends"
            )
        moved = [d for d in data["deadlines"] if d.get("zone_note")]
        if moved:
            console.print(
                f"{output.plural(len(moved), 'date')} shown one day early: "
                f"{moved[0]['zone_note']}.",
                markup=False,
            )
    for task in data.get("tasks") or []:
        console.print(f"To do: {task['advice']}", markup=False)
    if data.get("missing") and not data.get("deadlines"):
        console.print(
            "No deadline yet: it needs " + " and ".join(data["missing"]) + ".", markup=False
        )


def _render_events(data: dict[str, Any]) -> None:
    if data.get("events"):
        table = output.table(title="Tracking", title_justify="left")
        table.add_column("Time", overflow="fold")
        table.add_column("Status", overflow="fold", drop=1)
        table.add_column("Event", overflow="fold")
        table.add_column("Where", overflow="fold", drop=2)
        for event in data["events"]:
            table.add_row(
                event.get("time") or "",
                event.get("status") or "",
                event.get("description") or "",
                event.get("location") or "",
            )
        output.print_table(table)


def _render_inspection(data: dict[str, Any], labels: dict[str, str]) -> None:
    inspection = data.get("inspection")
    if inspection:
        table = output.table(
            title=f"Inspection: {inspection.get('verdict')}",
            title_justify="left",
            box=None,
            pad_edge=False,
        )
        table.add_column("Check", overflow="fold")
        table.add_column("Result", no_wrap=True)
        table.add_column("Note", overflow="fold")
        table.add_column("Evidence", overflow="fold", drop=1)
        for check in inspection.get("checks", []):
            evidence = ", ".join(e.get("name", "") for e in check.get("evidence", []))
            table.add_row(
                labels.get(check["id"]) or humanise(check["id"]),
                check["result"],
                bullets(check.get("note") or ""),
                evidence,
            )
        output.print_table(table)


def _render_feedback_and_dispute(data: dict[str, Any]) -> None:
    from rich.text import Text

    console = output.out()
    feedback = data.get("feedback")
    if feedback:
        posted = f"posted {feedback['posted_at']}" if feedback.get("posted_at") else "draft"
        console.print(Text(f"Feedback ({posted}): {feedback.get('stars')} stars", style="bold"))
        console.print(Text(feedback.get("text") or ""))
    dispute = data.get("dispute")
    if dispute:
        console.print(
            Text(
                f"Dispute: {dispute.get('reason')} "
                f"({dispute_summary(dispute, data.get('currency'))}), remedy "
                f"{dispute.get('remedy')}, opened {dispute.get('opened_at')}",
                style="bold",
            )
        )
        for step in dispute.get("progress", []):
            line = f"  {step.get('at')}  {step.get('step')}  {step.get('note') or ''}"
            console.print(Text(line.rstrip()))
    if data.get("notes"):
        console.print(Text("Conversation with the seller", style="bold"))
        for note in data["notes"]:
            output.indented(f"{note.get('at')}  {note.get('sender')}: {note.get('text')}")
