"""confirm, feedback: release the payment only when ready, then help leave useful feedback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.completion import order_ids
from orderctl.cli.context import app_context, can_prompt, require_yes
from orderctl.cli.labels import deadline_label
from orderctl.cli.options import JsonOpt
from orderctl.errors import OrderctlError

if TYPE_CHECKING:
    from orderctl.services.receipt.confirm import ConfirmPlan, ConfirmResult
    from orderctl.services.receipt.feedback import FeedbackResult


def _explain(plan: ConfirmPlan) -> None:
    """What the buyer is agreeing to, on stderr, before the question."""
    order = plan.order
    output.say(f"Confirming receipt of {order.order_id} ({order.title}) means:")
    output.say(f"  - {plan.platform_name} releases your payment to the seller.")
    if plan.remaining:
        first = plan.remaining[0]
        output.say(
            f"  - Afterwards a refund or return can only be requested until "
            f"{first.date.isoformat()} ({output.plural(first.days_left, 'day')}, "
            f"{deadline_label(first).lower()})."
        )
    else:
        output.say("  - No refund window after completion is known for this platform.")


def _print_confirmed(result: ConfirmResult) -> None:
    order = result.order
    lines = [
        f"Confirmed receipt of {order.order_id} ({order.title}) on "
        f"{order.completed_at.isoformat() if order.completed_at else '?'}.",
        "",
        "Deadlines now:",
    ]
    lines += [
        f"  {d.date.isoformat()}  {output.days_text(d.days_left):>6}  "
        f"{deadline_label(d)}: {d.advice}"
        for d in result.deadlines
    ] or ["  none"]
    if result.confirm_steps:
        lines += ["", "Now press the button on the platform:"]
        lines += [f"  {n}. {step}" for n, step in enumerate(result.confirm_steps, start=1)]
    if result.order_page:
        lines += ["", f"Order page: {result.order_page}"]
    output.plain("\n".join(lines))


def _saved(result: FeedbackResult) -> None:
    output.warnings(result.warnings)
    if result.path:
        count = len(result.feedback.photos)
        photos = f"; {output.plural(count, 'photo')} in {result.photos_dir}" if count else ""
        output.say(f"Feedback draft saved to {result.path}{photos}.")


def confirm(
    ctx: typer.Context,
    order_id: Annotated[
        str, typer.Argument(help="The order whose goods you received.", autocompletion=order_ids)
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Confirm without asking (needed off a terminal).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Confirm although the order was not inspected or failed its inspection."
        ),
    ] = False,
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the order's page on the platform in a browser.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Confirm receipt (releases the payment) after a passed inspection; drafts the feedback."""
    from orderctl.services.receipt.confirm import confirm_receipt, plan_confirmation
    from orderctl.services.receipt.feedback import draft_feedback

    app = app_context(ctx)
    plan = plan_confirmation(app, order_id, force=force)
    output.warnings(plan.warnings)
    if not yes and can_prompt(ctx, json_output=json_output):
        _explain(plan)
    require_yes(ctx, f"Confirm receipt of {order_id}", yes=yes, json_output=json_output)
    result = confirm_receipt(app, order_id, force=force)
    drafted: FeedbackResult | None = None
    try:
        drafted = draft_feedback(app, order_id)
    except OrderctlError as exc:
        output.warn(
            f"Receipt confirmed, but the feedback draft failed: {exc.message}. "
            f"Run `orderctl feedback {order_id}` to try again."
        )
    if open_page:
        _open(result.order_page)
    if json_output:
        data: dict[str, Any] = result.to_dict()
        data["feedback"] = drafted.feedback.to_dict() if drafted else None
        data["feedback_file"] = str(drafted.path) if drafted and drafted.path else None
        output.print_json(data)
    else:
        _print_confirmed(result)
        if drafted and drafted.markdown:
            output.plain("")
            output.plain(drafted.markdown, end="")
    if drafted:
        _saved(drafted)


def _open(url: str | None) -> None:
    if not url:
        output.warn("No order page is known for this platform; open it from your orders list.")
        return
    import webbrowser

    if not webbrowser.open(url):
        output.warn(f"Could not open a browser; open {url} yourself.")


def feedback(
    ctx: typer.Context,
    order_id: Annotated[str, typer.Argument(help="The order to review.", autocompletion=order_ids)],
    stars: Annotated[
        int | None, typer.Option(help="Product stars 1-5, instead of the derived ones.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the Markdown draft here (default: the order's feedback folder)."),
    ] = None,
    posted: Annotated[
        bool,
        typer.Option(
            "--posted", help="Record that you left the feedback (ends the reminder in `due`)."
        ),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Draft stars, seller ratings, review text and location-free photos for an order."""
    from orderctl.errors import InvalidInput
    from orderctl.services.receipt.feedback import draft_feedback, record_posted

    app = app_context(ctx)
    if posted:
        if stars is not None or out is not None:
            raise InvalidInput(
                "--posted records that the draft was posted; it does not take --stars or --out",
                hint="Redraft first (`orderctl feedback ID --stars N`), then run --posted.",
            )
        result = record_posted(app, order_id)
    else:
        result = draft_feedback(app, order_id, stars=stars, out=out)
    if json_output:
        output.print_json(result.feedback.to_dict())
    elif result.markdown and not posted:
        output.plain(result.markdown, end="")
    else:
        output.plain(f"Feedback for {order_id} recorded as posted at {result.feedback.posted_at}.")
    _saved(result)


def register(app: typer.Typer) -> None:
    app.command()(confirm)
    app.command()(feedback)
