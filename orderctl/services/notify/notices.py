"""What the buyer must hear: deadlines (the same answer as ``orderctl due``) and order events.

Deadlines come from :func:`orderctl.services.orders.due.due_entries`, so the table,
the calendar and the notices never disagree; :func:`notice_from_deadline` is
the one adapter to a deadline's public shape (kind, date, days_left,
estimated, source, confidence). Order events — a parcel status change, a
parcel stuck for ``stuck_days``, a seller reply date passed, a refund not seen
``refund_days`` after a dispute won — are read off the stored orders.

Every notice has a ledger ``key``: order, kind and threshold, plus the date it
is about for deadlines and dated events, so a deadline that moves (a recorded
protection end, a new scan after a stuck parcel) is a new notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import Dispute
from orderctl.services.notify.settings import NotifySettings

MISSED = -1
#: Order events older than this many days are history, not news (a first run stays quiet).
EVENT_NEWS_DAYS = 14
DEFAULT_SELLER_RESPONSE_DAYS = 5
DISPUTE_STEP_KINDS = frozenset({"dispute_by", "escalate_by"})
PARCEL_KINDS = {
    "info_received": "parcel_shipped",
    "in_transit": "parcel_shipped",
    "out_for_delivery": "parcel_out_for_delivery",
    "available_for_pickup": "parcel_available_for_pickup",
    "failed_attempt": "parcel_failed_attempt",
    "delivered": "parcel_delivered",
    "exception": "parcel_exception",
    "expired": "parcel_exception",
}
PARCEL_TITLES = {
    "parcel_shipped": "Parcel on its way",
    "parcel_out_for_delivery": "Parcel out for delivery",
    "parcel_available_for_pickup": "Parcel ready for pick-up",
    "parcel_failed_attempt": "Delivery attempt failed",
    "parcel_delivered": "Parcel delivered",
    "parcel_exception": "Parcel problem (exception, returning or tracking expired)",
}
OPEN_STATES = frozenset(
    {OrderState.ORDERED, OrderState.SHIPPED, OrderState.DELIVERED, OrderState.INSPECTED}
)


@dataclass
class Notice:
    order_id: str
    kind: str
    threshold: int
    date: str
    title: str
    body: str
    days_left: int
    is_deadline: bool = False
    dated: bool = True  # the date is part of the ledger key
    link: str | None = None
    channels: list[str] = field(default_factory=list)
    sent: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.order_id}|{self.kind}|{self.threshold}|{self.date if self.dated else ''}"

    @property
    def due_today(self) -> bool:
        """Deadlines due today go out even in quiet hours."""
        return self.is_deadline and self.days_left == 0

    def to_dict(self, *, with_sent: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "order_id": self.order_id,
            "kind": self.kind,
            "threshold": self.threshold,
            "date": self.date,
            "title": self.title,
            "body": self.body,
            "channels": list(self.channels),
        }
        if with_sent:
            out["sent"] = dict(self.sent)
        return out

    def markdown(self) -> str:
        link = f"\n\nOrder page: [{self.link}]({self.link})" if self.link else ""
        return f"{self.body}{link}"


def crossed_threshold(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The warning threshold a deadline is in: the smallest one ≥ days_left; -1 once missed."""
    if days_left < 0:
        return MISSED
    inside = [t for t in thresholds if t >= days_left]
    return min(inside) if inside else None


def _label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def notice_from_deadline(
    entry: dict[str, Any], settings: NotifySettings, link: str | None = None
) -> Notice | None:
    """The adapter to the deadline engine: one deadline (as ``due`` lists it) → a notice or None."""
    kind, days_left = str(entry["kind"]), int(entry["days_left"])
    threshold = crossed_threshold(days_left, settings.thresholds_for(kind))
    if threshold is None:
        return None
    order_id, when = str(entry["order_id"]), str(entry["date"])
    label = ("Dispute step due: " if kind in DISPUTE_STEP_KINDS else "") + _label(kind)
    # A task ("record the protection end", "missing dates") is dated today on every run:
    # it is said once per order, not once a day.
    task = bool(entry.get("task"))
    if task:
        title = f"To do: {label}, order {order_id}"
    elif days_left < 0:
        title = f"Missed: {label} ({when}), order {order_id}"
    elif days_left == 0:
        title = f"Today: {label}, order {order_id}"
    else:
        title = f"{label} in {days_left} day{'s' * (days_left != 1)}, order {order_id}"
    estimate = " (estimated from policy data)" if entry.get("estimated") else ""
    lines = [str(entry.get("title") or ""), f"Date: {when}{estimate}"]
    if entry.get("advice"):
        lines.append(str(entry["advice"]))
    return Notice(
        order_id=order_id,
        kind=kind,
        threshold=threshold,
        date=when,
        title=title,
        body="\n".join(line for line in lines if line),
        days_left=days_left,
        is_deadline=not task,
        dated=not task,
        link=link,
    )


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _event(order: Order, kind: str, threshold: int, when: date, today: date, title: str, body: str):
    return Notice(
        order_id=order.order_id,
        kind=kind,
        threshold=threshold,
        date=when.isoformat(),
        title=f"{title}, order {order.order_id}",
        body="\n".join(x for x in (order.title, body) if x),
        days_left=(when - today).days,
    )


def parcel_notices(order: Order, settings: NotifySettings, today: date) -> list[Notice]:
    """The parcel's current status (once per status), and whether it is stuck."""
    status = order.shipment_status
    kind = PARCEL_KINDS.get(status or "")
    if kind is None or order.state not in OPEN_STATES | {OrderState.DISPUTED}:
        return []
    last = _day(order.last_event_at) or _day(order.tracked_at) or today
    detail = f"Last scan {last.isoformat()}" + (
        f": {order.shipment_detail}" if order.shipment_detail else ""
    )
    found: list[Notice] = []
    if (today - last).days <= EVENT_NEWS_DAYS:
        status_notice = _event(order, kind, 0, last, today, PARCEL_TITLES[kind], detail)
        # Keyed without a date: a new scan in the same status is not news.
        status_notice.dated = False
        found.append(status_notice)
    stuck_for = (today - last).days
    if kind == "parcel_shipped" and order.last_event_at and stuck_for >= settings.stuck_days:
        found.append(
            _event(
                order,
                "parcel_stuck",
                settings.stuck_days,
                last,
                today,
                f"Parcel stuck for {stuck_for} days",
                f"No new scan since {last.isoformat()}. Check the carrier, or ask the seller.",
            )
        )
    return found


def seller_reply_notice(order: Order, response_days: int | None, today: date) -> Notice | None:
    """The seller was asked (``orderctl contact --sent``) and the reply date has passed."""
    if order.state is OrderState.CLOSED:
        return None
    asked = [n for n in order.notes if n.kind == "contact_sent" and _day(n.at)]
    if not asked:
        return None
    last = max(asked, key=lambda n: str(n.at))
    asked_at = str(last.at)
    due = _day(last.reply_by) or (
        _day(asked_at)
        + timedelta(days=DEFAULT_SELLER_RESPONSE_DAYS if response_days is None else response_days)
    )
    answered = any(n.sender == "seller" and str(n.at or "") > asked_at for n in order.notes)
    if answered or due >= today or (today - due).days > EVENT_NEWS_DAYS:
        return None
    return _event(
        order,
        "seller_reply_overdue",
        0,
        due,
        today,
        "Seller reply date passed",
        f"You asked the seller on {asked_at[:10]} to reply by {due.isoformat()}; no reply is "
        "recorded. Consider opening a dispute (`orderctl dispute`).",
    )


def refund_notice(order: Order, settings: NotifySettings, today: date) -> Notice | None:
    """A dispute resolved in the buyer's favour, and no refund seen ``refund_days`` later."""
    dispute = order.dispute or Dispute()
    if dispute.status != "resolved" or dispute.outcome not in (
        "refunded",
        "partially_refunded",
    ):
        return None
    if dispute.refund_received_at:
        return None
    resolved = _day(dispute.resolved_at)
    if resolved is None:
        return None
    due = resolved + timedelta(days=settings.refund_days)
    if due > today or (today - due).days > EVENT_NEWS_DAYS:
        return None
    amount = dispute.refund_amount
    money = f" of {amount} {order.currency or ''}".rstrip() if amount else ""
    return _event(
        order,
        "refund_missing",
        settings.refund_days,
        due,
        today,
        "Refund not seen yet",
        f"The dispute was resolved in your favour on {resolved.isoformat()}; check that the "
        f"refund{money} reached your payment method, and ask the platform if it did not.",
    )


def urgency(notice: Notice) -> tuple[int, int, str, str]:
    """Most urgent first: missed and due-today deadlines, then soonest, then events."""
    return (0 if notice.is_deadline else 1, notice.days_left, notice.order_id, notice.kind)
