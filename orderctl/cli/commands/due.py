"""due: the deadlines that protect the buyer's money."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context


def due(
    ctx: typer.Context,
    within: Annotated[
        int | None, typer.Option(help="Only deadlines at most this many days away.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    ics: Annotated[
        Path | None,
        typer.Option(help="Also write the upcoming deadlines to this calendar file (.ics)."),
    ] = None,
) -> None:
    """Every deadline that protects your money, soonest first, with what to do."""
    from orderctl.services.due import due_entries, write_calendar

    app = app_context(ctx)
    entries = due_entries(app, within)
    if ics is not None:
        write_calendar(app, entries, ics)
        output.say(
            f"Calendar written to {ics} ({sum(e['days_left'] >= 0 for e in entries)} events)."
        )
    if json_output:
        output.print_json(
            [
                {k: e[k] for k in ("order_id", "title", "kind", "date", "days_left", "advice")}
                | {"platform": e["platform"], "estimated": e["estimated"]}
                | {k: e.get(k) for k in ("source", "confidence", "basis", "zone_note", "task")}
                | {"missing": e.get("missing", [])}
                for e in entries
            ]
        )
        return
    if not entries:
        output.say("Nothing due." + (f" (within {within} days)" if within is not None else ""))
        return

    table = output.table()
    for column in ("Date", "Left", "Order", "Deadline", "What to do"):
        table.add_column(column, overflow="fold")
    for e in entries:
        style = "bold red" if e["days_left"] <= 2 else ("yellow" if e["days_left"] <= 7 else "")
        date = e["date"] + ("*" if e["estimated"] else "")
        table.add_row(
            date,
            output.days_text(e["days_left"]),
            f"{e['order_id']}\n{e['title']}",
            e["kind"],
            e["advice"],
            style=style,
        )
    output.out().print(table)
    if any(e["estimated"] for e in entries):
        output.say(
            "* estimated from policy data; record the real date with "
            "`orderctl edit ID --protection-ends DATE`."
        )


def register(app: typer.Typer) -> None:
    app.command()(due)
