"""add, list, show, edit, rm: the order book by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.completion import order_ids, platforms, states
from orderctl.cli.context import app_context, require_yes
from orderctl.cli.labels import deadline_label, dispute_summary
from orderctl.cli.options import JsonOpt

# add and edit take the platform's estimated delivery the same way.
ExpectedByOpt = Annotated[
    str | None,
    typer.Option(
        "--expected-by",
        metavar="DATE",
        help="Latest estimated delivery date the platform gave (eBay, Amazon, Etsy and "
        "Wish windows count from it).",
    ),
]
ExpectedOpt = Annotated[
    str | None,
    typer.Option(
        "--expected",
        metavar="RANGE",
        help="Estimated delivery as the platform prints it, e.g. 'Dec 3-12' "
        "(sets both ends of the range).",
    ),
]


def _fields(values: dict) -> dict[str, str | None]:
    """The raw field map for the order services, built the same way for add and edit."""
    from orderctl.services.orders.book import RAW_FIELDS

    return {name: values[name] for name in RAW_FIELDS}


def _changes(before: dict, after: dict) -> list[str]:
    from orderctl.services.orders.book import EDITABLE_ATTRIBUTES

    def shown(value: object) -> str:
        return "(none)" if value in (None, "", []) else str(value)

    return [
        f"  {key}: {shown(before.get(key))} → {shown(after.get(key))}"
        for key in (*EDITABLE_ATTRIBUTES, "state")
        if before.get(key) != after.get(key)
    ]


def add(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The platform's order number.")],
    title: Annotated[str, typer.Option("--title", help="What you bought.")],
    platform: Annotated[
        str | None,
        typer.Option(
            help="aliexpress, ebay, amazon, temu, etsy, wish, shein or other "
            "[default: default_platform in config.toml, else aliexpress].",
            autocompletion=platforms,
            show_default=False,
        ),
    ] = None,
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
    expected_by: ExpectedByOpt = None,
    expected: ExpectedOpt = None,
    json_output: JsonOpt = False,
) -> None:
    """Add an order by hand (one item; `import` can create several)."""
    from orderctl.services.orders.book import add_order

    raw = _fields(locals())
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
    order_id: Annotated[str, typer.Argument(help="The order to change.", autocompletion=order_ids)],
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    platform: Annotated[
        str | None, typer.Option(help="New platform.", autocompletion=platforms)
    ] = None,
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
    expected_by: ExpectedByOpt = None,
    expected: ExpectedOpt = None,
    state: Annotated[
        str | None,
        typer.Option(
            help="Move to a state the lifecycle allows (e.g. closed); exit 6 if not.",
            autocompletion=states,
        ),
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
    from orderctl.services.orders.book import edit_order

    raw = _fields(locals())
    app = app_context(ctx)
    before = app.store.get(order_id).to_dict()  # exit 3 before parsing the changes
    result = edit_order(app, order_id, raw, clear=clear, state=state)
    output.warnings(result.warnings)
    if json_output:
        output.print_json(result.order.to_dict())
        return
    changes = _changes(before, result.order.to_dict())
    if not changes:
        output.plain(f"{order_id}: nothing changed (the values given are the current ones).")
        return
    output.plain(f"Updated {order_id}:")
    output.plain("\n".join(changes))


def rm(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order to delete.", autocompletion=order_ids)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an order and its tracking history (evidence files are kept on disk)."""
    from orderctl.services.orders.book import remove_order

    app = app_context(ctx)
    app.store.get(order_id)  # exit 3 before asking about an order that does not exist
    require_yes(ctx, f"Delete order {order_id}?", yes=yes)
    remove_order(app, order_id)
    output.say(f"Deleted {order_id}.")


def list_(
    ctx: typer.Context,
    state: Annotated[
        str | None, typer.Option(help="Only orders in this state.", autocompletion=states)
    ] = None,
    platform: Annotated[
        str | None, typer.Option(help="Only orders from this platform.", autocompletion=platforms)
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """List orders with their state and next deadline."""
    from orderctl.services.orders.book import list_orders

    rows = list_orders(app_context(ctx), state=state, platform=platform)
    if json_output:
        output.print_json(rows)
        return
    if not rows:
        output.say("No orders. Add one with `orderctl add` or `orderctl import FILE`.")
        return

    # Below the terminal's width, Parcel goes first, then State (README: "Output").
    table = output.table()
    table.add_column("Order", no_wrap=True)
    table.add_column("Title", overflow="fold")
    table.add_column("State", overflow="fold", drop=2)
    table.add_column("Parcel", overflow="fold", drop=1)
    table.add_column("Next deadline", overflow="fold")
    for row in rows:
        deadline = row["next_deadline"]
        due = (
            f"{deadline_label(deadline)} {deadline['date']} "
            f"({output.days_text(deadline['days_left'])})"
            if deadline
            else ""
        )
        status = row["shipment_status"]
        parcel = "no info yet" if status == "not_found" else status or row["tracking_number"] or ""
        state = row["state"]
        if row.get("dispute"):
            state = f"{state} ({dispute_summary(row['dispute'], row.get('currency'))})"
        table.add_row(row["order_id"], row["title"], state, parcel, due)
    output.print_table(table)


def show(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order to show.", autocompletion=order_ids)],
    json_output: JsonOpt = False,
) -> None:
    """Show one order: items, deadlines, tracking timeline, inspection, feedback, dispute."""
    from orderctl.services.orders.view import show_order

    app = app_context(ctx)
    view = show_order(app, order_id)
    if json_output:
        output.print_json(view.to_dict())
        return
    from orderctl.cli.render_order import render_order
    from orderctl.services.disputes.facts import check_labels

    inspection = view.order.inspection
    render_order(view, check_labels(app, inspection.checklist if inspection else None))


def register(app: typer.Typer) -> None:
    app.command()(add)
    app.command("list")(list_)
    app.command()(show)
    app.command()(edit)
    app.command()(rm)
