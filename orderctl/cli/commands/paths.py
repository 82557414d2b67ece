"""``paths``: where orderctl keeps its files."""

from __future__ import annotations

from typing import Annotated

import typer

from orderctl.cli import output


def paths(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
) -> None:
    """Show where orderctl keeps its files (set ORDERCTL_HOME to move them all)."""
    from orderctl.paths import resolve_paths

    data = resolve_paths().as_dict()
    if json_output:
        output.print_json(data)
        return
    for key, value in data.items():
        output.out().print(f"{key:<11} {value}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(paths)
