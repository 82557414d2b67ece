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
        if json_output:
            why = "with --json"
        elif no_input(ctx):
            why = "with --no-input"
        else:
            why = "when not run in a terminal"
        raise InvalidInput(
            f"`{ctx.info_name}` needs --yes {why}",
            hint=f"It would ask: {question.rstrip('?')}? Add --yes to answer yes.",
        )
    if not typer.confirm(output.visible(question), default=False, err=True):
        declined()


def declined() -> None:
    """A prompt answered no: say so and exit 1 (README: exit codes)."""
    output.say("Nothing changed.")
    raise typer.Exit(1)
