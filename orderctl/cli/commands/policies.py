"""policies: the rules orderctl counts deadlines with, and where each number comes from."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context
from orderctl.cli.options import JsonOpt


def _source(entry: dict[str, Any]) -> str:
    parts = [entry.get("source") or "unknown"]
    if entry.get("title"):
        parts.append(f"“{entry['title']}”")
    return "\n".join(parts)


def _value_text(value: dict[str, Any]) -> str:
    unit = "business days" if value.get("unit") == "business_days" else ""
    text = f"{value['value']} {unit}".strip()
    if value.get("typical_days") is not None:
        text += f" (typical {value['typical_days']}"
        if value.get("max_days") is not None:
            text += f", up to {value['max_days']}"
        text += ")"
    return text


def policies(
    ctx: typer.Context,
    platform: Annotated[
        str | None, typer.Argument(help="One platform or payment method, e.g. aliexpress.")
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """The policy numbers deadlines use, each with its source.

    Every value shows its source URL, the source's title, the date it was checked and a
    confidence marker; values other sources gave are listed as "also seen".
    """
    from orderctl.services.policies import list_policies

    entries = list_policies(app_context(ctx), platform)
    if json_output:
        output.print_json(entries)
        return
    for number, entry in enumerate(entries):
        if number:
            output.plain("")
        output.plain(f"{entry['name']} ({entry['key']})")
        table = output.table()
        table.add_column("Value", no_wrap=True)
        table.add_column("Number", overflow="fold")
        table.add_column("Counts from", no_wrap=True, drop=2)
        table.add_column("Source", overflow="fold", drop=3)
        table.add_column("Checked", no_wrap=True, drop=1)
        table.add_column("Confidence", no_wrap=True)
        for value in entry["values"]:
            table.add_row(
                value["key"],
                _value_text(value),
                value.get("starts_at") or "",
                _source(value),
                value.get("checked") or "",
                value["confidence"],
            )
            for alt in value.get("alternatives") or []:
                table.add_row(
                    "  also seen",
                    _value_text(alt),
                    alt.get("starts_at") or "",
                    _source(alt),
                    alt.get("checked") or "",
                    alt["confidence"],
                )
        zone = entry.get("zone")
        if zone:
            also = f" (also: {', '.join(zone['alternatives'])})" if zone["alternatives"] else ""
            table.add_row(
                "time zone",
                zone["name"] + also,
                "",
                _source(zone),
                zone.get("checked") or "",
                zone["confidence"],
            )
        form = entry.get("feedback_form")
        if form:
            ratings = ", ".join(form["rating_labels"].get(r, r) for r in form["ratings"])
            scale = "positive/neutral/negative" if form["scale"] == "pnn" else "1-5 stars"
            table.add_row(
                "feedback form",
                scale + (f" + {ratings}" if ratings else ""),
                "",
                _source(form),
                form.get("checked") or "",
                form["confidence"],
            )
        output.print_table(table)
    output.say(
        "Where sources disagree, the value orderctl uses comes first and the others follow "
        "as 'also seen'. Override a number with "
        "`orderctl config set policies.aliexpress.protection_days 90` (any platform and value)."
    )


def register(app: typer.Typer) -> None:
    app.command()(policies)
