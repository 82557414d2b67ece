"""notify: tell the buyer what needs attention, once, through their own channels."""

from __future__ import annotations

from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context
from orderctl.cli.options import JsonOpt
from orderctl.errors import InvalidInput, OrderctlError, ProviderError


def notify(
    ctx: typer.Context,
    track: Annotated[
        bool, typer.Option("--track", help="Refresh stale parcel tracking first.")
    ] = False,
    mail: Annotated[
        bool, typer.Option("--mail", help="Import order mails from the mailbox first.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; send and record nothing.")
    ] = False,
    json_output: JsonOpt = False,
    each: Annotated[
        bool, typer.Option("--each", help="One message per notice instead of one digest.")
    ] = False,
    test: Annotated[
        bool, typer.Option("--test", help="Send a test message to every channel and report.")
    ] = False,
) -> None:
    """Send notices for deadlines and parcel news (once each) via notify.urls in config.toml."""
    from orderctl.services.notify.schedule import log_run

    app = app_context(ctx)
    try:
        if test:
            _test(app, json_output)
            return
        _refresh(app, track=track, mail=mail)
        from orderctl.services.notify.run import run_notify

        report = run_notify(app, dry_run=dry_run, each=True if each else None)
    except OrderctlError as exc:
        if not dry_run and not test:
            log_run(app.paths, app.now, "failed", f"exit {int(exc.exit_code)}: {exc.message}")
        raise
    if not dry_run and not log_run(
        app.paths, app.now, "failed" if report.failed else "ok", report.summary()
    ):
        output.warn(f"could not write the run log under {app.paths.home}")
    if json_output:
        output.print_json(report.to_dict())
    else:
        _render(report)
    if report.failed:
        raise ProviderError(
            "Some notices could not be sent; they will be tried again on the next run",
            details=report.failed,
            hint="Check the channel with `orderctl notify --test`.",
        )


def _refresh(app, *, track: bool, mail: bool) -> None:
    if mail:
        from orderctl.services.mail.importer import MailImportOptions, import_mail

        url = (app.config.get("mail") or {}).get("url")
        if not isinstance(url, str) or not url.strip():
            raise InvalidInput(
                "--mail needs a mailbox: set mail.url in config.toml",
                hint="Run `orderctl config set mail.url imaps://USER@HOST/INBOX`.",
            )
        try:
            found = import_mail(app, [url.strip()], MailImportOptions())
        except OrderctlError as exc:
            output.warn(f"--mail: {exc.message}; notifying from the stored orders")
        else:
            output.warnings(found.warnings)
    if track:
        from orderctl.services.tracking.refresh import refresh_tracking

        try:
            report = refresh_tracking(app)
        except OrderctlError as exc:
            output.warn(f"--track: {exc.message}; notifying from the stored tracking")
            return
        if report.warning:
            output.warn(report.warning)


def _test(app, json_output: bool) -> None:
    from orderctl.services.notify.run import send_test

    results = send_test(app)
    if json_output:
        output.print_json({"test": results})
    else:
        table = output.table()
        table.add_column("Channel", overflow="fold")
        table.add_column("Result", overflow="fold")
        for row in results:
            table.add_row(row["channel"], row["result"])
        output.print_table(table)
    failed = [f"{r['channel']}: {r['result']}" for r in results if r["result"] != "ok"]
    if failed:
        raise ProviderError("The test message did not reach every channel", details=failed)


def _render(report) -> None:
    if report.quiet and report.held:
        output.say(
            f"Quiet hours: {output.plural(len(report.held), 'notice')} held until after them."
        )
    if not report.notices:
        output.say(
            f"Nothing new to send ({report.already_sent} already sent"
            + (f", {len(report.held)} held" if report.held else "")
            + ")."
        )
        return
    table = output.table()
    table.add_column("Date", no_wrap=True)
    table.add_column("Order", no_wrap=True)
    table.add_column("Notice")
    table.add_column("Sent" if not report.dry_run else "Channels", overflow="fold", drop=1)
    for n in report.notices:
        if report.dry_run:
            last = "\n".join(n.channels) or "(no channels)"
        else:
            last = "\n".join(f"{c}: {r}" for c, r in n.sent.items())
        table.add_row(n.date, n.order_id, n.title, last)
    output.print_table(table)
    if report.dry_run:
        output.say("Dry run: nothing was sent or recorded.")


def register(app: typer.Typer) -> None:
    app.command()(notify)
