"""track: refresh parcels from a tracking provider; show what changed and what is stuck.

Cron-friendly by design: it never prompts, ``--quiet`` prints nothing when
nothing changed, progress only appears on an interactive terminal, and the
exit code tells a script whether every parcel was refreshed (0), some were
not (5) or the key was refused (4). Whatever succeeded is saved either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.completion import order_ids
from orderctl.cli.context import app_context
from orderctl.cli.options import JsonOpt

if TYPE_CHECKING:
    from orderctl.services.tracking.refresh import OrderTrack, TrackPlan, TrackReport

PENDING_TEXT = "no information yet"


def track(
    ctx: typer.Context,
    order_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ORDER_ID]...",
            help="Orders to refresh, whatever their state or last refresh.",
            show_default=False,
            autocompletion=order_ids,
        ),
    ] = None,
    all_orders: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every order with a tracking number, except confirmed, disputed or closed "
            "ones and those refreshed within --stale hours (the default without ORDER_IDs).",
        ),
    ] = False,
    provider: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="17track, aftership or cainiao [env ORDERCTL_TRACKING_PROVIDER; config "
            "tracking.provider; default: a configured key, else cainiao].",
            show_default=False,
        ),
    ] = None,
    stale: Annotated[
        float,
        typer.Option(
            min=0,
            metavar="HOURS",
            help="With --all, skip parcels refreshed less than this many hours ago.",
        ),
    ] = 6.0,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print nothing when nothing changed (for cron)."),
    ] = False,
    ignore_backoff: Annotated[
        bool,
        typer.Option(
            "--ignore-backoff",
            help="Ask the provider now even if it asked orderctl to wait (Retry-After, "
            "never stored for more than 24 h), and forget that wait.",
        ),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Refresh parcel tracking, save it, and show what changed and which parcels are stuck."""
    from orderctl.services.tracking.refresh import refresh_tracking

    app = app_context(ctx)
    replay = bool((ctx.find_root().obj or {}).get("tracking_replay"))
    progress = _Progress(enabled=output.is_interactive() and not quiet)
    try:
        report = refresh_tracking(
            app,
            order_ids or [],
            all_orders=all_orders,
            provider=provider,
            stale_hours=stale,
            replay=replay,
            on_plan=progress.start,
            on_progress=progress.advance,
            ignore_backoff=ignore_backoff,
        )
    finally:
        progress.stop()
    if report.warning and not quiet:
        output.warn(report.warning)
    for order in report.orders:
        if not quiet or order.changed:  # cron stays quiet about the same skipped event
            output.warnings(order.warnings)
    if json_output:
        output.print_json([o.to_dict() for o in report.orders])
    else:
        _render(report, quiet=quiet)
    error = report.error()
    if error is not None:
        raise error


class _Progress:
    """A transient Rich progress bar on stderr, only when a person is watching."""

    def __init__(self, *, enabled: bool):
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def start(self, plan: TrackPlan) -> None:
        if not self.enabled or not plan.targets:
            return
        from rich.progress import Progress

        self.bar = Progress(console=output.err(), transient=True)
        self.bar.start()
        self.task = self.bar.add_task(f"Tracking with {plan.label}", total=len(plan.numbers))

    def advance(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _status_text(o: OrderTrack) -> str:
    now = PENDING_TEXT if o.pending else (o.status or "")
    if o.status != o.previous_status and o.previous_status and not o.pending:
        now = f"{o.previous_status} → {now}"
    if o.state != o.previous_state:
        now += f"\norder now {o.state}"
        if o.state == "delivered" and o.delivered_at:
            now += f" ({o.delivered_at.isoformat()})"
    return now


def _event_text(o: OrderTrack) -> str:
    event = o.latest_event
    if event is None:
        return ""
    where = f" ({event.location})" if event.location else ""
    return f"{event.time[:16].replace('T', ' ')}  {event.description}{where}"


def _skipped_text(skipped: dict[str, int]) -> str:
    parts = []
    if skipped.get("fresh"):
        parts.append(f"{skipped['fresh']} refreshed recently")
    if skipped.get("finished"):
        parts.append(f"{skipped['finished']} confirmed, disputed or closed")
    if skipped.get("no_number"):
        parts.append(f"{skipped['no_number']} without a tracking number")
    return ", ".join(parts)


def _render(report: TrackReport, *, quiet: bool) -> None:
    from rich.text import Text

    changed = report.changed
    refreshed = [o for o in report.orders if o.error is None]
    if quiet and not changed:
        return
    console = output.out()
    if changed:
        table = output.table(
            title="Changes since the last refresh", title_justify="left", box=None, pad_edge=False
        )
        # On a narrow terminal: New goes first, then Parcel (README: "Output").
        table.add_column("Order", overflow="fold")
        table.add_column("Parcel", no_wrap=True, drop=2)
        table.add_column("Status", overflow="fold", min_width=10)
        table.add_column("New", justify="right", drop=1)
        table.add_column("Latest event", overflow="fold")
        for o in changed:
            table.add_row(
                f"{o.order_id}\n{o.title}",
                o.tracking_number or "",
                _status_text(o),
                str(o.new_events),
                _event_text(o),
            )
        output.print_table(table)
    stuck = report.stuck
    if stuck:
        table = output.table(
            title=f"Stuck: no new scan for {output.plural(report.stuck_days, 'day')} or more, "
            "not delivered",
            title_justify="left",
            box=None,
            pad_edge=False,
        )
        table.add_column("Order", overflow="fold")
        table.add_column("Parcel", no_wrap=True, drop=2)
        table.add_column("Last scan", overflow="fold")
        table.add_column("Days", no_wrap=True)
        table.add_column("What to do", overflow="fold", drop=1)
        for o in stuck:
            table.add_row(
                f"{o.order_id}\n{o.title}",
                o.tracking_number or "",
                _event_text(o),
                str(o.days_since_event),
                "message the seller",
            )
        if changed:
            output.plain("")
        output.print_table(table)
        console.print(
            Text(
                "Message the seller: ask them to check with the carrier, and keep an eye on "
                "the buyer-protection deadline (`orderctl due`) so you can open a dispute in time."
            )
        )
    if quiet:
        return
    pending = sum(o.pending for o in refreshed)
    summary = (
        f"{report.label}: {output.plural(len(refreshed), 'parcel')} refreshed, "
        f"{len(changed)} changed"
    )
    if pending:
        summary += f", {pending} with {PENDING_TEXT} (normal for a few days after shipping)"
    skipped = _skipped_text(report.skipped)
    if skipped:
        summary += f"; skipped {skipped}"
    if not report.orders:
        summary = "Nothing to refresh" + (f" (skipped {skipped})" if skipped else "") + "."
    elif not changed and refreshed:
        summary += ". No changes since the last refresh"
    output.say(summary + ("" if summary.endswith(".") else "."))


def register(app: typer.Typer) -> None:
    app.command()(track)
