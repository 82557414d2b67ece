"""import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV (orderctl columns or AliExpress Shopper Inventory), or orderctl JSON."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows and list the bad ones.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Merge rows for orders already in the book.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import orders from a file. Any bad row and nothing is imported (unless --skip-invalid)."""
    from orderctl.services.transfer import import_orders

    report = import_orders(
        app_context(ctx), file, dry_run=dry_run, skip_invalid=skip_invalid, update=update
    )
    output.warnings(report.warnings)
    for line in report.skipped:
        output.warn(f"skipped {line}")
    if json_output:
        output.print_json(report.to_dict())
        return
    verb = "Would import" if dry_run else "Imported"
    output.out().print(
        f"{verb} {len(report.added)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped ({report.format}).",
        markup=False,
    )


def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="json (lossless) or csv.")] = "json",
    out_file: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write cells exactly as stored (no ' before cells a spreadsheet would"
            " run as formulas).",
        ),
    ] = False,
) -> None:
    """Export the order book (JSON round-trips through import losslessly)."""
    from orderctl.services.transfer import export_orders, write_export

    text = export_orders(app_context(ctx), fmt.lower(), raw=raw)
    if out_file is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    write_export(text, out_file)
    output.say(f"Exported to {out_file}.")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command()(export)
