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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_metavars(self)

    def invoke(self, ctx: Any) -> Any:
        from orderctl.cli import output

        output.reset()
        json_requested = _json_requested([*getattr(ctx, "_protected_args", []), *ctx.args])
        try:
            return super().invoke(ctx)
        except OrderctlError as exc:
            fail(exc, json_requested=json_requested)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            if json_requested and not output.json_printed():
                output.json_error(130, "Interrupted; nothing more was saved.", None, None)
            output.say("Interrupted; nothing more was saved.", style="yellow")
            raise typer.Exit(130) from None
        except OSError as exc:
            import errno

            if exc.errno != errno.EROFS:
                raise
            # A write outside the store's transaction (evidence, cache) on a read-only mount.
            message = (
                f"The orderctl home is read-only: {exc.filename or 'unknown path'}. "
                "Nothing more was saved"
            )
            hint = "Make it writable, or point ORDERCTL_HOME at a writable folder."
            if json_requested and not output.json_printed():
                output.json_error(int(ExitCode.STORE), message, hint, None)
            output.error(
                message,
                hint,
                [],
            )
            raise typer.Exit(int(ExitCode.STORE)) from None
        except Exception as exc:
            # Typer's usage errors (bad option, missing argument): Click prints them on
            # stderr and exits 2; with --json the same failure is also one JSON document.
            code = getattr(exc, "exit_code", None)
            usage = hasattr(exc, "format_message") and isinstance(code, int)
            if json_requested and usage and not output.json_printed():
                output.json_error(code, exc.format_message(), _usage_hint(exc), None)
            raise

    def list_commands(self, ctx: Any) -> list[str]:
        """Commands in the order a buyer meets them, not alphabetically."""
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            plain_metavars(command)
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command's whole first sentence, wrapped rather than cut with "..."."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=300)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


# Placeholders in help, one style (ORDER_ID): option name -> what its value is.
METAVARS = {
    "within": "DAYS",
    "ordered": "DATE",
    "shipped": "DATE",
    "delivered": "DATE",
    "protection_ends": "DATE",
    "at": "WHEN",
    "lock_timeout": "SECONDS",
    "price": "AMOUNT",
    "amount": "AMOUNT",
    "quantity": "N",
    "stars": "N",
    "title": "TEXT",
    "note": "TEXT",
    "store": "NAME",
    "category": "NAME",
    "checklist": "NAME",
    "url": "URL",
    "tracking": "NUMBER",
    "carrier": "SLUG",
    "currency": "CODE",
    "payment": "METHOD",
    "sender": "me|seller",
    "order": "ORDER_ID",
    "home": "DIR",
    "out": "PATH",
    "ics": "FILE",
    "evidence": "FILE",
    "attach": "FILE",
    "answers": "FILE",
    "out_file": "FILE",
    "fmt": "FORMAT",
    "clear": "FIELD",
}


def plain_metavars(command: Any) -> None:
    """ORDER_ID-style placeholders for every argument and option (Typer's default mixes
    ``{order_id}`` and ``<str>``)."""
    for param in getattr(command, "params", []):
        if getattr(param, "_orderctl_metavar", False):
            continue
        param._orderctl_metavar = True
        kind = getattr(param, "param_type_name", "")
        if kind == "argument":
            name = param.metavar or (param.name or "").upper()
            if param.nargs != 1 and not name.endswith("..."):
                name += "..."
            usage = name if param.required or name.startswith("[") else f"[{name}]"

            def make_metavar(ctx: Any, usage: bool = False, _u: str = usage, _n: str = name) -> str:
                return _u if usage else _n

            param.make_metavar = make_metavar
            param.metavar = name  # also in "Missing argument 'ORDER_ID'"
        elif kind == "option" and not param.is_flag and not param.count and not param.metavar:
            param.metavar = METAVARS.get(param.name or "", (param.name or "").upper())


def _json_requested(args: list[str]) -> bool:
    """Whether the command line asks for --json (options end at a bare ``--``)."""
    for arg in args:
        if arg == "--":
            return False
        if arg == "--json":
            return True
    return False


def _usage_hint(exc: Any) -> str | None:
    command = getattr(getattr(exc, "ctx", None), "command_path", None)
    return f"See `{command} --help`." if command else None


def fail(exc: OrderctlError, *, json_requested: bool) -> None:
    """The one place a failure is shown: human text on stderr, and with --json a JSON
    ``{"error": {"code", "message", "hint"}}`` on stdout (unless the command already
    printed its result document there, as `track --json` does before exit 5)."""
    from orderctl.cli import output

    if json_requested and not output.json_printed():
        output.json_error(int(exc.exit_code), exc.message, exc.hint, exc.details)
    output.error(exc.message, exc.hint, exc.details)


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
        fail(exc, json_requested=_json_requested(sys.argv[1:]))
        raise SystemExit(int(exc.exit_code)) from None


__all__ = ["ExitCode", "app_for", "build_app", "full_app", "main"]
