"""evidence add/rm/list: change an inspection's evidence without redoing the walk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.completion import order_ids
from orderctl.cli.context import app_context
from orderctl.cli.options import JsonOpt

evidence_app = typer.Typer(
    name="evidence",
    help="Add or remove evidence files without a new walk.\n\nAttach files to one check of "
    "the last inspection, list the attachments, or remove one.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)
OrderArg = Annotated[
    str, typer.Argument(metavar="ORDER_ID", help="The inspected order.", autocompletion=order_ids)
]


def _report(change: Any, json_output: bool) -> None:
    output.warnings(change.warnings)
    if json_output:
        output.print_json(change.to_dict())
        return
    names = ", ".join(str(f.name) for f in change.files) or "nothing"
    where = f" on {change.check_id}" if change.check_id else ""
    lines = [f"{change.action.capitalize()} {names}{where} ({change.order_id})."]
    if change.revision:
        lines.append(f"Saved as inspection revision {change.revision}; the history keeps the rest.")
    if change.notes_changed:
        lines.append(f"Detached from {change.notes_changed} note(s).")
    if change.purged:
        lines.append(f"Deleted the stored copy ({', '.join(change.purged)}).")
    for line in lines:
        output.out().print(line, markup=False, highlight=False, soft_wrap=True)


@evidence_app.command("add")
def add(
    ctx: typer.Context,
    order_id: OrderArg,
    check: Annotated[
        str, typer.Argument(metavar="CHECK", help="The check id (see `orderctl show ORDER_ID`).")
    ],
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Photos or videos to attach.")
    ],
    json_output: JsonOpt = False,
) -> None:
    """Attach files to one check of the last inspection.

    Saves a new revision of the inspection; no walk.

    The verdict does not change; to change an answer use `orderctl inspect ORDER_ID --amend`.
    """
    from orderctl.services.inspection.amend import attach_to_check

    _report(attach_to_check(app_context(ctx), order_id, check, files), json_output)


@evidence_app.command("rm")
def rm(
    ctx: typer.Context,
    order_id: OrderArg,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="FILE_OR_HASH",
            help="The attachment: its SHA-256 (or a unique prefix of 8+), its name, or the file.",
        ),
    ],
    purge: Annotated[
        bool,
        typer.Option(
            "--purge", help="Also delete the stored copy when nothing current uses it any more."
        ),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Remove an attachment from inspection and notes.

    E.g. a file too large for a dispute bundle; the inspection gets a new revision.
    """
    from orderctl.services.inspection.amend import detach

    _report(detach(app_context(ctx), order_id, ref, purge=purge), json_output)


@evidence_app.command("list")
def list_(ctx: typer.Context, order_id: OrderArg, json_output: JsonOpt = False) -> None:
    """List the attachments with their hashes."""
    from orderctl.services.inspection.amend import list_attachments

    rows = list_attachments(app_context(ctx), order_id)
    if json_output:
        output.print_json([row.to_dict() for row in rows])
        return
    table = output.table()
    table.add_column("SHA-256", no_wrap=True)
    table.add_column("Name", overflow="fold")
    table.add_column("Type", no_wrap=True, drop=1)
    table.add_column("Bytes", no_wrap=True, justify="right", drop=2)
    table.add_column("Used by", overflow="fold")
    for row in rows:
        table.add_row(
            str(row.ref.sha256)[:12],
            str(row.ref.name),
            str(row.ref.media_type),
            str(row.ref.size),
            ", ".join(row.used_by),
        )
    output.print_table(table)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
