"""schedule: run `orderctl notify` by itself (systemd timer, crontab, launchd, Task Scheduler)."""

from __future__ import annotations

from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context
from orderctl.cli.options import JsonOpt
from orderctl.errors import InvalidInput

ACTIONS = ("install", "status", "remove")


def schedule(
    ctx: typer.Context,
    action: Annotated[str, typer.Argument(help="install, status or remove.")],
    every: Annotated[
        str, typer.Option(help="How often to run notify: 5m-30m, 1h-12h, 24h or 1d.")
    ] = "6h",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show exactly what would be written and run.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Run `orderctl notify` on a schedule; `status` shows the last run and its result."""
    from orderctl.services.notify import schedule as service

    if action not in ACTIONS:
        raise InvalidInput(f"ACTION: {action!r} is not one of {', '.join(ACTIONS)}")
    app = app_context(ctx)
    platform = service.detect_platform(dict(app.env))
    if action == "install":
        plan = service.plan_install(
            platform,
            service.parse_every(every),
            service.current_program(),
            app.paths,
            env=dict(app.env),
        )
        if not dry_run:
            service.apply_install(plan)
        result = plan.to_dict(dry_run=dry_run)
        if json_output:
            output.print_json(result)
            return
        _show_plan(result)
        if plan.applied:
            output.say(f"Installed: orderctl notify runs every {plan.every.text} ({platform}).")
        elif dry_run:
            output.say("Dry run: nothing was written or run.")
        if plan.note:
            output.say(plan.note)
        return
    if action == "remove":
        result = service.remove(platform, env=dict(app.env), dry_run=dry_run)
        if json_output:
            output.print_json(result)
            return
        for line in result["removed"]:
            typer.echo(line)
        for line in result["commands"]:
            typer.echo(line)
        output.say(
            "Removed." if result["applied"] else ("Dry run." if dry_run else "Nothing to remove.")
        )
        return
    status = {
        "platform": platform,
        "installed": service.installed(platform, env=dict(app.env)),
        "log": str(service.log_path(app.paths)),
        **service.last_run(app.paths),
    }
    if json_output:
        output.print_json(status)
        return
    installed = {True: "yes", False: "no", None: "unknown (check it yourself)"}[status["installed"]]
    lines = [f"scheduler: {platform}", f"installed: {installed}"]
    if status["last_run"]:
        lines.append(f"last run: {status['last_run']} ({status['last_result']})")
        lines.append(f"summary: {status['last_summary']}")
    else:
        lines.append("last run: never")
    lines.append(f"log: {status['log']}")
    for line in lines:
        typer.echo(line)


def _show_plan(result: dict) -> None:
    for entry in result["files"]:
        typer.echo(f"# {entry['path']}")
        typer.echo(entry["content"], nl=False)
    if result["crontab_line"]:
        typer.echo("# crontab line")
        typer.echo(result["crontab_line"])
    for command in result["commands"]:
        typer.echo(f"$ {command}")


def register(app: typer.Typer) -> None:
    app.command()(schedule)
