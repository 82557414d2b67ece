"""``carrier``: which carrier a tracking number belongs to, offline."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.options import JsonOpt
from orderctl.errors import InvalidInput, NotFound


def carrier(
    number: Annotated[
        str | None,
        typer.Argument(
            help="A tracking number (spaces and dashes are ignored).", show_default=False
        ),
    ] = None,
    stdin: Annotated[
        bool,
        typer.Option(
            "--stdin",
            help="Read one number per line from stdin; print one JSON object per line.",
        ),
    ] = False,
    platform: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="The order's platform (aliexpress, temu, shein, amazon, ebay): among "
            "equally good candidates, its usual carriers come first.",
            show_default=False,
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Identify the carrier of a tracking number, offline (exit 3 when none matches)."""
    from orderctl.domain.carriers import detect_carrier

    if stdin:
        if number is not None:
            raise InvalidInput("Give a NUMBER or --stdin, not both")
        _carrier_batch(detect_carrier, platform)
        return
    if number is None:
        raise InvalidInput(
            "Missing NUMBER", hint="Run `orderctl carrier NUMBER` or `orderctl carrier --stdin`."
        )
    detection = detect_carrier(number, platform)
    if json_output:
        output.print_json(detection.to_dict())
        if not detection.candidates:
            raise typer.Exit(3)
        return
    if not detection.candidates:
        raise NotFound(
            f"{detection.number or number!r} matches no known tracking-number format",
            hint="Check it for typos; docs/carriers.md lists the formats covered.",
        )

    table = output.table()
    table.add_column("Carrier", no_wrap=True)
    table.add_column("Name", overflow="fold")
    table.add_column("Check digit", no_wrap=True)
    table.add_column("Country", no_wrap=True, drop=1)
    table.add_column("Tracking page", overflow="fold", drop=3)
    table.add_column("Why", overflow="fold", drop=2)
    for c in detection.candidates:
        table.add_row(c.carrier, c.name, c.check_digit, c.country or "", c.tracking_url, c.reason)
    output.print_table(table)
    if any(c.check_digit == "bad" for c in detection.candidates):
        output.say(
            'Check digit "bad": the number has this carrier\'s format but its check digit '
            "does not add up, so it is most likely mistyped; compare it with the order page."
        )


def _carrier_batch(detect: Any, platform: str | None) -> None:
    """``--stdin``: one JSON line per input line, written as it goes (10,000s of numbers)."""
    import json
    import sys

    write = sys.stdout.write
    for line in sys.stdin:
        raw = line.strip()
        if raw:
            write(json.dumps(detect(raw, platform).to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    app.command()(carrier)
