"""due: the deadlines that protect the buyer's money."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context
from orderctl.cli.labels import deadline_label
from orderctl.cli.options import JsonOpt


def due(
    ctx: typer.Context,
    within: Annotated[
        int | None, typer.Option(help="Only deadlines at most this many days away.")
    ] = None,
    json_output: JsonOpt = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Add what to do under each deadline."),
    ] = False,
    ics: Annotated[
        Path | None,
        typer.Option(help="Also write the upcoming deadlines to this calendar file (.ics)."),
    ] = None,
) -> None:
    """Every deadline that protects your money, grouped by order, soonest first."""
    from orderctl.services.orders.due import due_entries, write_calendar

    app = app_context(ctx)
    entries = due_entries(app, within)
    if ics is not None:
        write_calendar(app, entries, ics)
        output.say(
            f"Calendar written to {ics} "
            f"({output.plural(sum(e['days_left'] >= 0 for e in entries), 'event')})."
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
        output.say(
            "Nothing due."
            + (f" (within {output.plural(within, 'day')})" if within is not None else "")
        )
        return

    _render(entries, verbose=verbose)


def _render(entries: list[dict], *, verbose: bool) -> None:
    """One block per order (soonest first), one line per deadline with a short label."""
    from rich.text import Text

    groups: dict[str, list[dict]] = {}
    for e in entries:
        groups.setdefault(e["order_id"], []).append(e)
    date_width = max(len(e["date"]) + (1 if e["estimated"] else 0) for e in entries)
    left_width = max(len(output.days_text(e["days_left"])) for e in entries)
    console = output.out()
    lines: list[tuple[str, str]] = []
    for order_id, group in groups.items():
        if lines:
            lines.append(("", ""))
        lines.append((f"{order_id}  {group[0]['title']}", "bold"))
        for e in group:
            date = (e["date"] + ("*" if e["estimated"] else "")).ljust(date_width)
            left = output.days_text(e["days_left"]).rjust(left_width)
            style = "bold red" if e["days_left"] <= 2 else ("yellow" if e["days_left"] <= 7 else "")
            lines.append((f"  {date}  {left}  {deadline_label(e)}", style))
            if verbose:
                lines.append((f"      {e['advice']}", "dim"))
    if output.stdout_is_terminal():
        for text, style in lines:
            console.print(Text(text, style=style))
    else:
        output.plain("\n".join(text.rstrip() for text, _ in lines))
    if any(e["estimated"] for e in entries):
        output.say(
            "* estimated from policy data; record the real date with "
            "`orderctl edit ORDER_ID --protection-ends DATE`."
        )
    if not verbose:
        output.say("What to do for each: `orderctl due --verbose` or `orderctl show ORDER_ID`.")


def register(app: typer.Typer) -> None:
    app.command()(due)
