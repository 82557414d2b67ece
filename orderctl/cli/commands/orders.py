"""add, list, show, edit, rm: the order book by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context, require_yes

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of a table.")]


def add(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The platform's order number.")],
    title: Annotated[str, typer.Option("--title", help="What you bought.")],
    platform: Annotated[
        str, typer.Option(help="aliexpress, ebay, amazon, temu, etsy, wish, shein or other.")
    ] = "aliexpress",
    store: Annotated[str | None, typer.Option(help="Seller or store name.")] = None,
    price: Annotated[
        str | None, typer.Option(help="Total paid, e.g. 12.34 or 'US $12.34'.")
    ] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code, e.g. USD, EUR.")] = None,
    quantity: Annotated[str | None, typer.Option(help="Number of pieces (default 1).")] = None,
    ordered: Annotated[str | None, typer.Option(help="Order date, YYYY-MM-DD.")] = None,
    shipped: Annotated[str | None, typer.Option(help="Shipment date, YYYY-MM-DD.")] = None,
    delivered: Annotated[
        str | None, typer.Option(help="Delivery date, if it already arrived.")
    ] = None,
    tracking: Annotated[str | None, typer.Option(help="Tracking number.")] = None,
    carrier: Annotated[
        str | None, typer.Option(help="Carrier slug; detected from --tracking when omitted.")
    ] = None,
    protection_ends: Annotated[
        str | None,
        typer.Option(
            "--protection-ends",
            help="Date buyer protection ends, read off the order page countdown. Wins over "
            "the policy estimate.",
        ),
    ] = None,
    category: Annotated[
        str | None, typer.Option(help="Category for the inspection checklist, e.g. electronics.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Listing or order URL (http/https).")] = None,
    payment: Annotated[
        str | None, typer.Option(help="Payment method, e.g. paypal (adds its windows).")
    ] = None,
    expected_by: Annotated[
        str | None,
        typer.Option(
            "--expected-by",
            help="Latest estimated delivery date the platform gave (eBay, Amazon, Etsy and "
            "Wish windows count from it).",
        ),
    ] = None,
    expected: Annotated[
        str | None,
        typer.Option(
            "--expected",
            help="Estimated delivery as the platform prints it, e.g. 'Dec 3-12' "
            "(sets both ends of the range).",
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Add an order by hand (one item; `import` can create several)."""
    from orderctl.services.orders import add_order

    raw = {
        "title": title,
        "platform": platform,
        "store": store,
        "price": price,
        "currency": currency,
        "quantity": quantity,
        "ordered": ordered,
        "shipped": shipped,
        "delivered": delivered,
        "tracking": tracking,
        "carrier": carrier,
        "protection_ends": protection_ends,
        "category": category,
        "url": url,
        "payment": payment,
        "expected_by": expected_by,
        "expected": expected,
    }
    result = add_order(app_context(ctx), order_id, raw)
    output.warnings(result.warnings)
    if json_output:
        output.print_json(result.order.to_dict())
    else:
        order = result.order
        carrier_text = f" via {order.carrier}" if order.carrier else ""
        output.out().print(
            f"Added {order.order_id} ({order.state.value}{carrier_text})", markup=False
        )


def edit(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order to change.")],
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    platform: Annotated[str | None, typer.Option(help="New platform.")] = None,
    store: Annotated[str | None, typer.Option(help="Seller or store name.")] = None,
    price: Annotated[str | None, typer.Option(help="Total paid.")] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code.")] = None,
    quantity: Annotated[str | None, typer.Option(help="Number of pieces.")] = None,
    ordered: Annotated[str | None, typer.Option(help="Order date.")] = None,
    shipped: Annotated[str | None, typer.Option(help="Shipment date.")] = None,
    delivered: Annotated[str | None, typer.Option(help="Delivery date.")] = None,
    tracking: Annotated[str | None, typer.Option(help="Tracking number.")] = None,
    carrier: Annotated[str | None, typer.Option(help="Carrier slug.")] = None,
    protection_ends: Annotated[
        str | None, typer.Option("--protection-ends", help="Protection end from the countdown.")
    ] = None,
    category: Annotated[str | None, typer.Option(help="Checklist category.")] = None,
    url: Annotated[str | None, typer.Option(help="Listing or order URL.")] = None,
    payment: Annotated[str | None, typer.Option(help="Payment method.")] = None,
    expected_by: Annotated[
        str | None,
        typer.Option(
            "--expected-by",
            help="Latest estimated delivery date the platform gave (eBay, Amazon, Etsy and "
            "Wish windows count from it).",
        ),
    ] = None,
    expected: Annotated[
        str | None,
        typer.Option(
            "--expected",
            help="Estimated delivery as the platform prints it, e.g. 'Dec 3-12' "
            "(sets both ends of the range).",
        ),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(help="Move to a state the lifecycle allows (e.g. closed); exit 6 if not."),
    ] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear", help="Empty an optional field (repeatable), e.g. --clear tracking."
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Change fields of an order."""
    from orderctl.services.orders import edit_order

    raw = {
        "title": title,
        "platform": platform,
        "store": store,
        "price": price,
        "currency": currency,
        "quantity": quantity,
        "ordered": ordered,
        "shipped": shipped,
        "delivered": delivered,
        "tracking": tracking,
        "carrier": carrier,
        "protection_ends": protection_ends,
        "category": category,
        "url": url,
        "payment": payment,
        "expected_by": expected_by,
        "expected": expected,
    }
    result = edit_order(app_context(ctx), order_id, raw, clear=clear, state=state)
    output.warnings(result.warnings)
    if json_output:
        output.print_json(result.order.to_dict())
    else:
        output.out().print(f"Updated {order_id} ({result.order.state.value})", markup=False)


def rm(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an order and its tracking history (evidence files are kept on disk)."""
    from orderctl.services.orders import remove_order

    app = app_context(ctx)
    app.store.get(order_id)  # exit 3 before asking about an order that does not exist
    require_yes(ctx, f"Delete order {order_id}?", yes=yes)
    remove_order(app, order_id)
    output.say(f"Deleted {order_id}.")


def list_(
    ctx: typer.Context,
    state: Annotated[str | None, typer.Option(help="Only orders in this state.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only orders from this platform.")] = None,
    json_output: JsonOpt = False,
) -> None:
    """List orders with their state and next deadline."""
    from orderctl.services.orders import list_orders

    rows = list_orders(app_context(ctx), state=state, platform=platform)
    if json_output:
        output.print_json(rows)
        return
    if not rows:
        output.say("No orders. Add one with `orderctl add` or `orderctl import FILE`.")
        return

    table = output.table()
    table.add_column("Order", no_wrap=True)
    for column in ("Title", "State", "Parcel", "Next deadline"):
        table.add_column(column, overflow="fold")
    for row in rows:
        deadline = row["next_deadline"]
        due = (
            f"{deadline['kind']} {deadline['date']} ({output.days_text(deadline['days_left'])})"
            if deadline
            else ""
        )
        status = row["shipment_status"]
        parcel = "no info yet" if status == "not_found" else status or row["tracking_number"] or ""
        table.add_row(row["order_id"], row["title"], row["state"], parcel, due)
    output.out().print(table)


def show(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order to show.")],
    json_output: JsonOpt = False,
) -> None:
    """Show one order: items, deadlines, tracking timeline, inspection, feedback, dispute."""
    from orderctl.services.orders import show_order

    data = show_order(app_context(ctx), order_id)
    if json_output:
        output.print_json(data)
        return
    from orderctl.cli.render_order import render_order

    render_order(data)


def register(app: typer.Typer) -> None:
    app.command()(add)
    app.command("list")(list_)
    app.command()(show)
    app.command()(edit)
    app.command()(rm)
