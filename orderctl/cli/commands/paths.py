"""``paths``: where orderctl keeps its files."""

from __future__ import annotations

import typer

from orderctl.cli import output
from orderctl.cli.options import JsonOpt


def paths(
    json_output: JsonOpt = False,
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
