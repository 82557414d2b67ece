"""Human rendering of ``show``: a summary panel, then each section that has data."""

from __future__ import annotations

from typing import Any

from orderctl.cli import output


def _kv_table(pairs: list[tuple[str, Any]]) -> Any:

    table = output.table(show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in pairs:
        if value not in (None, "", [], {}):
            table.add_row(key, str(value))
    return table


def render_order(data: dict[str, Any]) -> None:
    from rich.text import Text

    console = output.out()
    price = f"{data['price']} {data.get('currency') or ''}".strip() if data.get("price") else None
    console.print(Text(f"{data['order_id']}  {data['title']}", style="bold"))
    console.print(
        _kv_table(
            [
                ("Platform", data["platform"]),
                ("Store", data.get("store")),
                ("State", data["state"]),
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
                ("Carrier", data.get("carrier")),
                ("Parcel", data.get("shipment_status")),
                ("Category", data.get("category")),
                ("Listing", data.get("url")),
                ("Order page", data.get("order_page")),
            ]
        )
    )
    if data.get("items"):
        table = output.table(title="Items", title_justify="left")
        for column in ("Qty", "Item", "Unit price", "Attributes"):
            table.add_column(column, overflow="fold")
        for item in data["items"]:
            attrs = ", ".join(f"{k}: {v}" for k, v in item.get("attributes", {}).items())
            unit = (
                f"{item['unit_price']} {item.get('currency') or ''}"
                if item.get("unit_price")
                else ""
            )
            table.add_row(str(item["quantity"]), item["title"], unit, attrs)
        console.print(table)
    if data.get("deadlines"):
        table = output.table(title="Deadlines", title_justify="left")
        for column in ("Date", "Left", "Kind", "What to do"):
            table.add_column(column, overflow="fold")
        for deadline in data["deadlines"]:
            date = deadline["date"] + ("*" if deadline.get("estimated") else "")
            table.add_row(
                date, output.days_text(deadline["days_left"]), deadline["kind"], deadline["advice"]
            )
        console.print(table)
        if any(d.get("estimated") for d in data["deadlines"]):
            console.print(
                "* estimated from the policy data; record the real date with --protection-ends"
            )
        moved = [d for d in data["deadlines"] if d.get("zone_note")]
        if moved:
            console.print(
                f"{len(moved)} date(s) shown one day early: {moved[0]['zone_note']}.", markup=False
            )
    for task in data.get("tasks") or []:
        console.print(f"To do: {task['advice']}", markup=False)
    if data.get("missing") and not data.get("deadlines"):
        console.print(
            "No deadline yet: it needs " + " and ".join(data["missing"]) + ".", markup=False
        )
    if data.get("events"):
        table = output.table(title="Tracking", title_justify="left")
        for column in ("Time", "Status", "Event", "Where"):
            table.add_column(column, overflow="fold")
        for event in data["events"]:
            table.add_row(
                event.get("time") or "",
                event.get("status") or "",
                event.get("description") or "",
                event.get("location") or "",
            )
        console.print(table)
    inspection = data.get("inspection")
    if inspection:
        table = output.table(
            title=f"Inspection: {inspection.get('verdict')}",
            title_justify="left",
            box=None,
            pad_edge=False,
        )
        for column in ("Check", "Result", "Note", "Evidence"):
            table.add_column(column, overflow="fold")
        for check in inspection.get("checks", []):
            evidence = ", ".join(e.get("name", "") for e in check.get("evidence", []))
            table.add_row(check["id"], check["result"], check.get("note") or "", evidence)
        console.print(table)
    feedback = data.get("feedback")
    if feedback:
        posted = f"posted {feedback['posted_at']}" if feedback.get("posted_at") else "draft"
        console.print(Text(f"Feedback ({posted}): {feedback.get('stars')} stars", style="bold"))
        console.print(Text(feedback.get("text") or ""))
    dispute = data.get("dispute")
    if dispute:
        console.print(
            Text(
                f"Dispute: {dispute.get('reason')} ({dispute.get('status')}), remedy "
                f"{dispute.get('remedy')}, opened {dispute.get('opened_at')}",
                style="bold",
            )
        )
        for step in dispute.get("progress", []):
            console.print(Text(f"  {step.get('at')}  {step.get('step')}  {step.get('note') or ''}"))
    if data.get("notes"):
        console.print(Text("Conversation with the seller", style="bold"))
        for note in data["notes"]:
            console.print(Text(f"  {note.get('at')}  {note.get('sender')}: {note.get('text')}"))
