"""import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orderctl.cli import output
from orderctl.cli.context import app_context
from orderctl.cli.options import JsonOpt
from orderctl.errors import InvalidInput


def import_(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE_OR_URL...",
            help="CSV (orderctl columns or AliExpress Shopper Inventory), orderctl JSON, or mail:"
            " .eml files, an mbox file, a Maildir folder, imaps://USER@HOST[:PORT]/FOLDER"
            " (default: mail.url from config.toml).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows and list the bad ones.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Merge rows for orders already in the book.")
    ] = False,
    json_output: JsonOpt = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Mail: only messages from this date on (YYYY-MM-DD; IMAP default: 120 days ago).",
        ),
    ] = None,
    platform: Annotated[
        list[str] | None,
        typer.Option("--platform", help="Mail: only this marketplace's messages (repeatable)."),
    ] = None,
    keep_mail: Annotated[
        bool | None,
        typer.Option(
            "--keep-mail/--no-keep-mail",
            help="Mail: store order confirmations as evidence (default: mail.keep_mail).",
        ),
    ] = None,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="IMAP: allow imap:// without TLS (password in clear)."),
    ] = False,
    ca_file: Annotated[
        Path | None,
        typer.Option(
            "--ca-file",
            help="IMAP: trust only this CA certificate (PEM) for the server's TLS"
            " (default: mail.ca_file, else the system's authorities).",
        ),
    ] = None,
) -> None:
    """Import orders from a file, or from mail (.eml, mbox, Maildir, IMAP read-only).

    A file: any bad row and nothing is imported (unless --skip-invalid).
    Mail: confirmations create orders, shipping and delivery notices add tracking and
    dates; the IMAP password comes from ORDERCTL_IMAP_PASSWORD, mail.password or the OS
    keyring; OAuth 2.0 (XOAUTH2) from ORDERCTL_IMAP_OAUTH2_TOKEN or mail.oauth2_token_command.
    """
    from orderctl.mailbox.source import is_mail_target

    if not sources:
        mail = app_context(ctx).config.get("mail") or {}
        url = mail.get("url") if isinstance(mail, dict) else None
        if not isinstance(url, str) or not url.strip():
            raise InvalidInput(
                "Give a file to import, or set mail.url in config.toml",
                hint="orderctl import orders.csv | orderctl import imaps://USER@HOST/INBOX",
            )
        sources = [url.strip()]
    if is_mail_target(sources):
        _import_mail(
            ctx,
            sources,
            dry_run,
            update,
            json_output,
            since,
            platform,
            keep_mail,
            insecure,
            ca_file,
        )
        return
    if len(sources) > 1:
        raise InvalidInput("Give one CSV or JSON file at a time")
    file = Path(sources[0])
    from orderctl.services.orders.transfer import import_orders

    report = import_orders(
        app_context(ctx), file, dry_run=dry_run, skip_invalid=skip_invalid, update=update
    )
    output.warnings(report.warnings)
    for line in report.skipped:
        output.warn(f"skipped {line}")
    if json_output:
        output.print_json(report.to_dict())
        return
    verb = "Would import" if dry_run else "Imported"
    output.out().print(
        f"{verb} {len(report.added)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped ({report.format}).",
        markup=False,
    )


def _import_mail(
    ctx: typer.Context,
    sources: list[str],
    dry_run: bool,
    update: bool,
    json_output: bool,
    since: str | None,
    platform: list[str] | None,
    keep_mail: bool | None,
    insecure: bool,
    ca_file: Path | None = None,
) -> None:
    from datetime import date

    from orderctl.services.mail.importer import MailImportOptions, import_mail

    since_day = None
    if since is not None:
        try:
            since_day = date.fromisoformat(since.strip())
        except ValueError:
            raise InvalidInput(f"--since: {since!r} is not a date (YYYY-MM-DD)") from None
    options = MailImportOptions(
        dry_run=dry_run,
        update=update,
        since=since_day,
        platforms=platform or (),
        keep_mail=keep_mail,
        insecure=insecure,
        ca_file=ca_file,
    )
    report = import_mail(app_context(ctx), sources, options)
    output.warnings(report.warnings)
    for entry in report.skipped:
        if entry.get("order_id"):
            output.warn(f"skipped {entry['reason']}")
    if json_output:
        output.print_json(report.to_dict())
        return
    table = output.table(title=f"Order mail ({report.format})")
    for column in ("Date", "From", "Kind", "Order", "Tracking"):
        table.add_column(column)
    for message in report.messages:
        table.add_row(
            (message["date"] or "")[:10],
            message["from"],
            message["kind"],
            ", ".join(message["order_ids"]) or "-",
            ", ".join(t["number"] for t in message["tracking_numbers"]) or "-",
        )
    if report.messages:
        output.out().print(table)
    verb = "Would import" if dry_run else "Imported"
    output.out().print(
        f"{verb} from {report.messages_matched} of {report.messages_seen} messages:"
        f" {len(report.added)} new, {len(report.updated)} updated,"
        f" {len(report.unchanged)} unchanged, {len(report.unassigned)} unassigned parcels,"
        f" {len(report.kept)} kept as evidence.",
        markup=False,
    )


def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="json (lossless) or csv.")] = "json",
    out_file: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write cells exactly as stored (no ' before cells a spreadsheet would"
            " run as formulas).",
        ),
    ] = False,
) -> None:
    """Export the order book (JSON round-trips through import losslessly)."""
    from orderctl.services.orders.transfer import export_orders, write_export

    text = export_orders(app_context(ctx), fmt.lower(), raw=raw)
    if out_file is None:
        output.data(text, end="" if text.endswith("\n") else "\n")
        return
    write_export(text, out_file)
    output.say(f"Exported to {out_file}.")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command()(export)
