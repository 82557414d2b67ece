"""note, contact, dispute, dispute-progress, verify: from the first message to the refund."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orderctl.cli import output
from orderctl.cli.completion import order_ids
from orderctl.cli.context import app_context, require_yes
from orderctl.cli.options import JsonOpt

if TYPE_CHECKING:
    from orderctl.services.disputes.plan import DisputePlan

REASON_HELP = (
    "not_received, not_as_described, damaged, missing_parts, wrong_item, not_working, "
    "counterfeit or quality. Default: from the failed inspection, or not_received when the "
    "parcel is lost or protection is about to end."
)
REMEDY_HELP = (
    "refund (full refund, nothing sent back), partial-refund (keep the item; needs --amount) "
    "or return-refund."
)


def note(
    ctx: typer.Context,
    order_id: Annotated[
        str, typer.Argument(help="The order the conversation is about.", autocompletion=order_ids)
    ],
    text: Annotated[
        str | None, typer.Argument(help="The message, quoted (not with --detach).")
    ] = None,
    sender: Annotated[
        str, typer.Option("--from", help="Who wrote it: me or seller.", show_default=True)
    ] = "me",
    at: Annotated[
        str | None,
        typer.Option(help="When it was sent (ISO, e.g. 2026-11-26T08:15:00Z). Default: now."),
    ] = None,
    attach: Annotated[
        list[Path] | None,
        typer.Option(
            "--attach", help="A file sent or received with it (repeatable); kept as evidence."
        ),
    ] = None,
    detach: Annotated[
        str | None,
        typer.Option(
            "--detach",
            metavar="FILE_OR_HASH",
            help="Instead of logging a message, remove this attachment (hash, name or file) "
            "from the conversation's messages.",
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Log a message from or to the seller (the conversation goes into the dispute bundle)."""
    from orderctl.errors import InvalidInput
    from orderctl.services.disputes.conversation import add_note

    if detach is not None:
        if text is not None or attach:
            raise InvalidInput("--detach takes no TEXT or --attach; run it on its own")
        from orderctl.cli.commands.evidence import _report
        from orderctl.services.disputes.conversation import detach_attachment

        _report(detach_attachment(app_context(ctx), order_id, detach), json_output)
        return
    if text is None:
        raise InvalidInput("note needs TEXT (the message, quoted) or --detach FILE_OR_HASH")
    result = add_note(
        app_context(ctx), order_id, text, sender=sender, at=at, attach=list(attach or [])
    )
    output.warnings(result.warnings)
    if json_output:
        output.print_json(result.to_dict())
        return
    files = len(result.note.attachments)
    extra = f" with {files} attachment{'s' if files != 1 else ''}" if files else ""
    output.out().print(
        f"Noted {result.note.sender} message of {result.note.at} on {order_id}{extra} "
        f"({result.count} in the conversation).",
        markup=False,
        soft_wrap=True,
    )


def contact(
    ctx: typer.Context,
    order_id: Annotated[
        str,
        typer.Argument(help="The order to write to the seller about.", autocompletion=order_ids),
    ],
    remedy: Annotated[str | None, typer.Option(help=REMEDY_HELP)] = None,
    amount: Annotated[
        str | None, typer.Option(help="Amount to ask for (default: the full price).")
    ] = None,
    reason: Annotated[str | None, typer.Option(help=REASON_HELP)] = None,
    sent: Annotated[
        bool,
        typer.Option("--sent", help="Log the message as sent (after you pasted it in the chat)."),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Draft a polite, specific message to the seller with a reply-by date.

    Without --sent nothing is saved: run it again any time for a fresh draft.
    """
    from orderctl.services.disputes.contact import draft_contact

    draft = draft_contact(
        app_context(ctx), order_id, reason=reason, remedy=remedy, amount=amount, sent=sent
    )
    output.warnings(draft.warnings)
    if json_output:
        output.print_json(draft.to_dict())
        return
    output.plain(draft.message)
    if sent:
        output.say(f"Logged as sent. Reply expected by {draft.reply_by}.")
    else:
        output.say(
            f"Paste it into the order's chat, then run `orderctl contact {order_id} --sent` "
            "(or log the seller's answer with `orderctl note ... --from seller`)."
        )


def dispute(
    ctx: typer.Context,
    order_id: Annotated[
        str, typer.Argument(help="The order to dispute.", autocompletion=order_ids)
    ],
    reason: Annotated[str | None, typer.Option(help=REASON_HELP)] = None,
    remedy: Annotated[str | None, typer.Option(help=REMEDY_HELP)] = None,
    amount: Annotated[
        str | None,
        typer.Option(help="Amount to claim; > 0 and not above the price (default: full price)."),
    ] = None,
    evidence: Annotated[
        list[Path] | None,
        typer.Option("--evidence", help="Another photo, video or PDF to include (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the bundle (default: the bundles folder in your home)."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Build it even outside the dispute window.")
    ] = False,
    sign: Annotated[
        bool,
        typer.Option(
            "--sign",
            help="Sign the manifest with the Ed25519 key kept in your home (created on first"
            " use); anyone with the printed public key can check the bundle.",
        ),
    ] = False,
    videos_outside_zip: Annotated[
        bool,
        typer.Option(
            "--videos-outside-zip",
            help="Keep videos over the platform's upload limit out of the zip (they stay in"
            " the bundle folder, and the report says so).",
        ),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Build the dispute evidence bundle (folder + zip) and mark the order disputed.

    Run it again during the dispute to rebuild the bundle with new evidence;
    the opening date is kept.
    """
    from orderctl.services.disputes.opening import open_dispute
    from orderctl.services.disputes.plan import DisputeRequest

    def confirm(plan: DisputePlan) -> None:
        output.warnings(plan.warnings)
        require_yes(ctx, plan.question, yes=yes, json_output=json_output)

    request = DisputeRequest(
        order_id=order_id,
        reason=reason,
        remedy=remedy,
        amount=amount,
        evidence=list(evidence or []),
        out=out,
        force=force,
        videos_outside_zip=videos_outside_zip,
        sign=sign,
    )
    from orderctl.domain.dispute import NAME_PLACEHOLDER
    from orderctl.services.disputes.contact import buyer_name

    app = app_context(ctx)
    result = open_dispute(app, request, confirm)
    output.warnings([w for w in result.warnings if w not in result.plan.warnings])
    if json_output:
        output.print_json(result.to_dict())
        return
    signed_by = buyer_name(app) or NAME_PLACEHOLDER
    _print_dispute(result.to_dict(), signed_by)
    if signed_by == NAME_PLACEHOLDER:
        output.warn(
            f"The statement and report are signed {NAME_PLACEHOLDER}: set your name with "
            '`orderctl config set name "Your Name"` and run `orderctl dispute` again, or '
            "sign by hand when you paste it."
        )


def _print_dispute(data: dict, signed_by: str) -> None:
    from rich.text import Text

    console = output.out()
    amount = f", {data['amount']} {data['currency'] or ''}".rstrip() if data["amount"] else ""
    console.print(
        Text(f"Dispute for {data['order_id']}: {data['reason_label']} ({data['reason']})", "bold")
    )
    console.print(Text(f"Remedy: {data['remedy']}{amount}"))
    console.print(Text("Statement (paste it into the dispute form):", "bold"))
    for number, sentence in enumerate(data["statement"], start=1):
        first, *more = sentence.split("\n")  # a multi-line note: one sub-bullet per line
        lines = [f"  {number}. {first}", *(f"     {line.strip()}" for line in more)]
        console.print(Text(output.visible("\n".join(lines))), soft_wrap=True)
    console.print(Text(output.visible(f"  Signed: {signed_by}")))
    if data["steps"]:
        console.print(Text("On the platform:", "bold"))
        for number, step in enumerate(data["steps"], start=1):
            console.print(Text(f"  {number}. {step}"), soft_wrap=True)
    console.print(Text(f"Bundle: {data['bundle_dir']}", "bold"), soft_wrap=True)
    console.print(Text(f"Zip: {data['bundle_zip']}"), soft_wrap=True)
    files = output.plural(len(data["files"]), "file")
    console.print(Text(f"Manifest sha256: {data['manifest_sha256']} ({files})"))
    if data.get("signed_by"):
        console.print(Text(f"Signed (Ed25519), public key: {data['signed_by']}"), soft_wrap=True)


def dispute_progress(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The disputed order.", autocompletion=order_ids)],
    step: Annotated[str, typer.Argument(help="seller_responded, escalated or resolved.")],
    outcome: Annotated[
        str | None,
        typer.Option(help="With resolved: refunded, partially_refunded or rejected."),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(help="Money offered or refunded (refunded defaults to the amount claimed)."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="What happened, in a few words.")] = None,
    at: Annotated[
        str | None, typer.Option(help="When it happened (ISO date or datetime). Default: now.")
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Record how the dispute goes; resolved closes the order."""
    from orderctl.services.disputes.progress import record_progress

    result = record_progress(
        app_context(ctx), order_id, step, outcome=outcome, amount=amount, note=note, at=at
    )
    output.warnings(result.warnings)
    if json_output:
        output.print_json(result.to_dict())
        return
    dispute = result.order.dispute
    text = f"Dispute on {order_id}: {dispute.status if dispute else None}"
    if dispute and dispute.outcome:
        refund = dispute.refund_amount
        money = f" {refund} {result.order.currency or ''}".rstrip() if refund else ""
        text += f", {dispute.outcome}{money}; order {result.order.state.value}"
    output.out().print(text, markup=False, soft_wrap=True)


def verify(
    ctx: typer.Context,
    bundle: Annotated[
        Path | None, typer.Argument(help="The bundle folder or its .zip file.")
    ] = None,
    order: Annotated[
        str | None,
        typer.Option("--order", help="Check this order's latest bundle (folder and zip) instead."),
    ] = None,
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="Require a signature by this Ed25519 public key (base64, as printed by"
            " `dispute --sign`).",
        ),
    ] = None,
    json_output: JsonOpt = False,
) -> None:
    """Check a dispute bundle against its manifest; exit 1 if anything changed."""
    from orderctl.services.disputes.verify import verify as verify_bundles

    reports = verify_bundles(app_context(ctx), bundle, order, public_key)
    intact = all(r.intact for r in reports)
    if json_output:
        output.print_json({"intact": intact, "bundles": [r.to_dict() for r in reports]})
    else:
        console = output.out()
        for report in reports:
            state = "intact" if report.intact else "NOT intact"
            console.print(
                f"{report.path} ({report.kind}): {state}, "
                f"{output.plural(report.checked, 'file')} checked, "
                f"manifest sha256 {report.manifest_sha256}",
                markup=False,
                soft_wrap=True,
            )
            if report.signed_by:
                console.print(f"  signed by {report.signed_by}", markup=False, soft_wrap=True)
            for label, paths in (
                ("changed", report.changed),
                ("missing", report.missing),
                ("added", report.added),
                ("unsafe", report.unsafe),
                ("problem", report.problems),
            ):
                for path in paths:
                    console.print(f"  {label}: {path}", markup=False, soft_wrap=True)
    if not intact:
        output.say("The bundle does not match its manifest.")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(note)
    app.command()(contact)
    app.command()(dispute)
    app.command("dispute-progress")(dispute_progress)
    app.command()(verify)
