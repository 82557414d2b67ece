"""Build the services' AppContext from Typer's context and the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from orderctl.cli import output
from orderctl.errors import InvalidInput

if TYPE_CHECKING:
    from orderctl.services.context import AppContext


def app_context(ctx: typer.Context) -> AppContext:
    """The services' context (imported here: the store and TinyDB are not needed for --help)."""
    from orderctl.services.context import AppContext

    obj: dict[str, Any] = ctx.find_root().obj or {}
    return AppContext.from_env(lock_timeout=obj.get("lock_timeout"))


def no_input(ctx: typer.Context) -> bool:
    obj: dict[str, Any] = ctx.find_root().obj or {}
    return bool(obj.get("no_input"))


def can_prompt(ctx: typer.Context, *, json_output: bool = False) -> bool:
    return output.is_interactive() and not no_input(ctx) and not json_output


def require_yes(ctx: typer.Context, question: str, *, yes: bool, json_output: bool = False) -> None:
    """Ask on a TTY; off a TTY insist on --yes (exit 2), never hang."""
    if yes:
        return
    if not can_prompt(ctx, json_output=json_output):
        raise InvalidInput(
            f"{question} needs confirmation", hint="Add --yes to confirm without a prompt."
        )
    if not typer.confirm(question, default=False, err=True):
        raise typer.Exit(1)
