"""Option definitions shared by several commands, so each reads and behaves the same."""

from __future__ import annotations

from typing import Annotated

import typer

#: ``--json``: one JSON document on stdout instead of a table or text (docs/json.md).
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of text.")]
