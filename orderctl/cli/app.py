"""The root command: global options, command registration, and the error boundary.

This package is the only code that imports Typer and Rich. Commands parse
options, call one service and render its result; the custom group below
turns every OrderctlError into ``Error: ...`` / ``Hint: ...`` on stderr and
its documented exit code, in one place.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from orderctl import __version__
from orderctl.errors import ExitCode, OrderctlError


class OrderctlGroup(TyperGroup):
    """Runs commands inside the error boundary."""

    def invoke(self, ctx: Any) -> Any:
        from orderctl.cli import output

        try:
            return super().invoke(ctx)
        except OrderctlError as exc:
            output.error(exc.message, exc.hint, exc.details)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            output.say("Interrupted; nothing more was saved.", style="yellow")
            raise typer.Exit(130) from None
        except OSError as exc:
            import errno

            if exc.errno != errno.EROFS:
                raise
            # A write outside the store's transaction (evidence, cache) on a read-only mount.
            output.error(
                f"The orderctl home is read-only: {exc.filename or 'unknown path'}. Nothing more"
                " was saved",
                "Make it writable, or point ORDERCTL_HOME at a writable folder.",
                [],
            )
            raise typer.Exit(int(ExitCode.STORE)) from None

    def list_commands(self, ctx: Any) -> list[str]:
        """Commands in the order a buyer meets them, not alphabetically."""
        return list(self.commands)


def build_app() -> typer.Typer:
    """A fresh root app with the global options and no commands yet."""
    new = typer.Typer(
        cls=OrderctlGroup,
        name="orderctl",
        help="Keep your online orders, parcels, inspections and disputes under control.\n\n"
        "Your money sits in escrow until you confirm receipt or buyer protection runs out: "
        "orderctl keeps the deadlines, tracks parcels, guides the inspection, and prepares "
        "feedback or a dispute evidence bundle.",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        add_completion=True,
    )
    new.callback()(root)
    return new


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orderctl {__version__}")
        raise typer.Exit(0)


def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    lock_timeout: Annotated[
        float | None,
        typer.Option(
            "--lock-timeout",
            min=0,
            help="Seconds to wait for another orderctl writing the store "
            "[env ORDERCTL_LOCK_TIMEOUT; default 10].",
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; fail with a hint instead.")
    ] = False,
) -> None:
    """Global options; state lives under ORDERCTL_HOME (see `orderctl paths`)."""
    ctx.obj = {**(ctx.obj or {}), "lock_timeout": lock_timeout, "no_input": no_input}


def full_app() -> typer.Typer:
    """The root app with every command (help, completion, tests, the demo)."""
    from orderctl.cli.commands import register_all

    new = build_app()
    register_all(new)
    return new


def _requested_command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, skipping global options and their values."""
    takes_value = {"--lock-timeout"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def app_for(argv: list[str]) -> typer.Typer:
    """Only the requested command's module when one is named (fast start), else all."""
    from orderctl.cli.commands import register_for

    command = _requested_command(argv)
    if any(k.endswith("_COMPLETE") for k in os.environ):
        return full_app()
    if command is None:
        # --version answers before any command is looked at; help lists them all.
        help_asked = not argv or any(a in ("-h", "--help") for a in argv)
        return full_app() if help_asked else build_app()
    new = build_app()
    if not register_for(new, command):
        return full_app()  # unknown command: let Click say so, listing the real ones
    return new


def __getattr__(name: str) -> typer.Typer:
    """``orderctl.cli.app.app``: the full app, built on first use (tests, the demo)."""
    if name == "app":
        globals()["app"] = full_app()
        return globals()["app"]
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point."""
    try:
        app_for(sys.argv[1:])(prog_name="orderctl")
    except OrderctlError as exc:  # raised outside a command (e.g. while building the context)
        from orderctl.cli import output

        output.error(exc.message, exc.hint, exc.details)
        raise SystemExit(int(exc.exit_code)) from None


__all__ = ["ExitCode", "app_for", "build_app", "full_app", "main"]
