"""One ``notify`` run: build the notices, hold them in quiet hours, send, record.

Send-once: the ledger (``orderctl.store.notify_ledger``) is locked for the
whole run and records each send's outcome right after it; a channel that
failed is retried on the next run while the others are not sent again.
Quiet hours are read in the buyer's zone (``orderctl.clock.buyer_zone``):
notices are held (not recorded) and go out on the first run after them,
except deadlines due today, which go out at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from orderctl.clock import buyer_zone
from orderctl.services.context import AppContext
from orderctl.services.notify.notices import (
    Notice,
    notice_from_deadline,
    parcel_notices,
    refund_notice,
    seller_reply_notice,
    urgency,
)
from orderctl.services.notify.settings import Channel, NotifyConfigError, NotifySettings
from orderctl.services.notify.settings import load_settings as _load

Sender = Callable[[Channel, str, str], str]


@dataclass
class NotifyReport:
    notices: list[Notice]
    held: list[Notice]
    already_sent: int
    dry_run: bool
    quiet: bool

    @property
    def failed(self) -> list[str]:
        """``order kind → channel: reason`` for every failed send."""
        return [
            f"{n.order_id} {n.kind} → {channel}: {result}"
            for n in self.notices
            for channel, result in n.sent.items()
            if result != "ok"
        ]

    def summary(self) -> str:
        sent = sum(1 for n in self.notices if n.sent and all(r == "ok" for r in n.sent.values()))
        return (
            f"{len(self.notices)} notice(s), {sent} sent, {len(self.failed)} failed send(s), "
            f"{len(self.held)} held, {self.already_sent} already sent"
        )

    def to_dict(self) -> dict[str, Any]:
        with_sent = not self.dry_run
        return {
            "notices": [n.to_dict(with_sent=with_sent) for n in self.notices],
            "held": [n.to_dict(with_sent=False) for n in self.held],
            "already_sent": self.already_sent,
        }


def load_settings(ctx: AppContext) -> NotifySettings:
    return _load(ctx.config)


def in_quiet_hours(moment: datetime, zone: Any, hours: tuple[time, time] | None) -> bool:
    """Is ``moment`` inside the quiet hours, read on the buyer's wall clock (DST-aware)?"""
    if hours is None:
        return False
    start, end = hours
    local = moment.astimezone(zone).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def build_notices(ctx: AppContext, settings: NotifySettings) -> list[Notice]:
    """Everything worth telling the buyer today, most urgent first."""
    from orderctl.services.orders.due import due_entries

    orders = {o.order_id: o for o in ctx.store.orders()}
    found: list[Notice] = []
    for entry in due_entries(ctx):
        order = orders.get(str(entry["order_id"]))
        notice = notice_from_deadline(entry, settings, _link(ctx, order))
        if notice is not None:
            found.append(notice)
    for order in orders.values():
        link = _link(ctx, order)
        response_days = ctx.policies.platform(order.platform).days("seller_response_days")
        events = [
            *parcel_notices(order, settings, ctx.today),
            seller_reply_notice(order, response_days, ctx.today),
            refund_notice(order, settings, ctx.today),
        ]
        for notice in events:
            if notice is not None:
                notice.link = link
                found.append(notice)
    found.sort(key=urgency)
    return found


def _link(ctx: AppContext, order: Any) -> str | None:
    if order is None:
        return None
    if order.url:
        return str(order.url)
    return ctx.policies.platform(order.platform).order_page(order.order_id)


def digest_message(notices: list[Notice]) -> tuple[str, str]:
    """One title and Markdown body listing every notice, most urgent first."""
    if len(notices) == 1:
        return notices[0].title, notices[0].markdown()
    title = f"orderctl: {len(notices)} things need your attention"
    blocks = [f"**{n.title}**\n{n.markdown()}" for n in notices]
    return title, "\n\n".join(blocks)


def run_notify(
    ctx: AppContext,
    *,
    dry_run: bool = False,
    each: bool | None = None,
    sender: Sender | None = None,
) -> NotifyReport:
    """Build, hold, send and record; see the module docstring."""
    from orderctl.store.notify_ledger import open_ledger, read_ledger

    settings = load_settings(ctx)
    if not settings.channels and not dry_run:
        raise NotifyConfigError(
            "No notification channels: notify.urls is not set in config.toml",
            hint="Run e.g. `orderctl config set notify.urls ntfys://ntfy.sh/your-topic` "
            "(see the README's notify recipes); `--dry-run` shows what would be sent.",
        )
    if settings.channels:
        from orderctl.services.notify.channels import check_channels

        check_channels(settings.channels)
    each = (not settings.digest) if each is None else each
    quiet = in_quiet_hours(ctx.now, buyer_zone(ctx.env, ctx.config), settings.quiet_hours)
    notices = build_notices(ctx, settings)
    if dry_run:
        return _plan(settings, notices, read_ledger(ctx.paths.home), quiet, dry_run=True)
    if sender is None:
        from orderctl.services.notify.channels import send as sender
    with open_ledger(ctx.paths.home, ctx.lock_timeout) as ledger:
        report = _plan(settings, notices, ledger, quiet, dry_run=False)
        for channel in settings.channels:
            pending = [n for n in report.notices if channel.name in n.channels]
            batches = [[n] for n in pending] if each else ([pending] if pending else [])
            for batch in batches:
                title, body = digest_message(batch)
                result = sender(channel, title, body)
                result = settings.scrub(result)
                ledger.record(
                    [n.key for n in batch],
                    channel.id,
                    ctx.now,
                    None if result == "ok" else result,
                )
                for n in batch:
                    n.sent[channel.name] = result
    return report


def _plan(
    settings: NotifySettings, notices: list[Notice], ledger: Any, quiet: bool, *, dry_run: bool
) -> NotifyReport:
    report = NotifyReport(
        notices=[],
        held=[],
        already_sent=0,
        dry_run=dry_run,
        quiet=quiet,
    )
    for notice in notices:
        pending = [c for c in settings.channels if not ledger.was_sent(notice.key, c.id)]
        if settings.channels and not pending:
            report.already_sent += 1
            continue
        notice.channels = [c.name for c in pending]
        if quiet and not notice.due_today:
            report.held.append(notice)
        else:
            report.notices.append(notice)
    return report


def send_test(ctx: AppContext, sender: Sender | None = None) -> list[dict[str, str]]:
    """A test message to every channel; one ``{"channel", "result"}`` per channel."""
    settings = load_settings(ctx)
    if not settings.channels:
        raise NotifyConfigError(
            "No notification channels: notify.urls is not set in config.toml",
            hint="Run e.g. `orderctl config set notify.urls ntfys://ntfy.sh/your-topic` "
            "(see the README's notify recipes).",
        )
    from orderctl.services.notify.channels import check_channels

    check_channels(settings.channels)
    if sender is None:
        from orderctl.services.notify.channels import send as sender
    results = []
    for channel in settings.channels:
        result = sender(
            channel,
            "orderctl test message",
            "If you can read this, orderctl can reach you here.",
        )
        results.append({"channel": channel.name, "result": settings.scrub(result)})
    return results
