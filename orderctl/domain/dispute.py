"""Disputes as rules: reasons, the window, the statement and the message to the seller.

Pure: every function takes the order, its platform policy and ``today``
(or ``now``) and returns values; the service does the I/O. Keeping the words
here means the contact draft, the statement in the bundle and the tests all
agree on what a discrepancy sounds like.

What the buyer-protection guides agree on shapes the text: lead with the most
objective defect, list every discrepancy, stay factual, state the remedy and
the amount, and give the seller a reply-by date that still leaves time to
open a dispute before the window closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from orderctl.domain.deadlines import DisputeWindow as DisputeWindow
from orderctl.domain.deadlines import Schedule
from orderctl.domain.delivery import is_delivered
from orderctl.domain.models import Item, Order
from orderctl.domain.records import ConversationNote
from orderctl.domain.tracking import TrackingEvent, latest_event

#: Reason codes, in the order a buyer should consider them.
REASONS: tuple[str, ...] = (
    "not_received",
    "not_as_described",
    "damaged",
    "missing_parts",
    "wrong_item",
    "not_working",
    "counterfeit",
    "quality",
)

REASON_LABELS: dict[str, str] = {
    "not_received": "Item not received",
    "not_as_described": "Item not as described",
    "damaged": "Item arrived damaged",
    "missing_parts": "Missing items or parts",
    "wrong_item": "Wrong item received",
    "not_working": "Item does not work",
    "counterfeit": "Counterfeit item",
    "quality": "Unsatisfactory quality",
}

REMEDIES: tuple[str, ...] = ("refund", "partial-refund", "return-refund")

REMEDY_LABELS: dict[str, str] = {
    "refund": "Refund only (full refund)",
    "partial-refund": "Refund only (partial refund, keep the item)",
    "return-refund": "Return and refund",
}

#: Progress steps a buyer records after opening, and the outcomes of ``resolved``.
PROGRESS_STEPS: tuple[str, ...] = ("seller_responded", "escalated", "resolved")
OUTCOMES: tuple[str, ...] = ("refunded", "partially_refunded", "rejected")
STATUS_RANK = {"opened": 0, "seller_responded": 1, "escalated": 2, "resolved": 3}

#: Parcel statuses that mean it will not arrive (returned to sender, lost, tracking expired).
LOST_STATUSES = frozenset({"expired", "exception"})

#: Default when a platform's policy data lacks a value.
DEFAULT_SELLER_RESPONSE_DAYS = 5
#: Reply-by leaves this many days before the window closes to open the dispute.
REPLY_MARGIN_DAYS = 3
#: Deadlines whose day having come makes "not received" the default reason.
_OVERDUE_KINDS = frozenset({"dispute_by", "protection_ends", "claim_opens"})


# --------------------------------------------------------------------------- reasons


@dataclass(frozen=True)
class ReasonChoice:
    """The default reason (or None) and why, so the CLI can say where it came from."""

    reason: str | None
    why: str


def default_reason(order: Order, schedule: Schedule) -> ReasonChoice:
    """The reason a dispute should use when the buyer gives none.

    1. A failed inspection: its first suggested reason (the inspection lists
       them strongest case first).
    2. Not delivered and the parcel is ``expired`` or ``exception``
       (returned, lost, tracking dead): ``not_received``.
    3. Not delivered and the engine's ``dispute_by`` day (protection end −
       ``dispute_lead_days``), the protection end, or a ``claim_opens`` day
       (past the latest estimated delivery) has come: ``not_received``.
    Otherwise there is no default: the buyer must choose.
    """
    inspection = order.inspection
    if inspection is not None and inspection.verdict == "fail":
        for reason in inspection.suggested_reasons:
            if reason in REASONS:
                return ReasonChoice(reason, "the first reason suggested by the failed inspection")
    if is_delivered(order):
        return ReasonChoice(None, "the parcel was delivered and no inspection failed")
    status = order.shipment_status
    if status in LOST_STATUSES:
        return ReasonChoice("not_received", f"tracking shows the parcel as {status}")
    due = next(
        (d for d in schedule.deadlines if d.kind in _OVERDUE_KINDS and d.days_left <= 0), None
    )
    if due is not None:
        end = schedule.first("protection_ends")
        when = (
            f"buyer protection ends on {end.date.isoformat()}"
            if end is not None
            else f"{due.kind.replace('_', ' ')} was {due.date.isoformat()}"
        )
        return ReasonChoice("not_received", f"the parcel is not delivered and {when}")
    return ReasonChoice(None, "the parcel is not delivered yet and protection is still running")


# --------------------------------------------------------------------------- reply-by


def reply_by_date(schedule: Schedule, *, response_days: int | None) -> date:
    """The date to ask the seller to answer by, from the engine's schedule.

    The earliest of: today + the policy's ``seller_response_days`` (5 on
    AliExpress), the dispute window's close − 3 days, and the next upcoming
    ``dispute_by`` day (while protection runs), so a silent seller still
    leaves time to open the dispute. Never before today.
    """
    today = schedule.today
    days = DEFAULT_SELLER_RESPONSE_DAYS if response_days is None else response_days
    candidates = [today + timedelta(days=days)]
    if schedule.window.closes is not None:
        candidates.append(schedule.window.closes - timedelta(days=REPLY_MARGIN_DAYS))
    end = schedule.first("protection_ends")
    dispute_by = schedule.first("dispute_by")
    running = schedule.completed is None and end is not None and end.days_left >= 0
    if running and dispute_by is not None:
        candidates.append(dispute_by.date)
    return max(today, min(candidates))


# --------------------------------------------------------------------------- amounts


def check_amount(remedy: str, amount: Decimal | None, price: Decimal | None) -> Decimal | None:
    """The amount to claim, or ValueError saying what is wrong.

    ``refund`` and ``return-refund`` default to the full price; a
    ``partial-refund`` needs an amount. Any amount is > 0 and not above the
    order price (when the price is known).
    """
    if amount is None:
        if remedy == "partial-refund":
            raise ValueError("a partial refund needs --amount (the part of the price you claim)")
        return price
    if amount <= 0:
        raise ValueError(f"the amount must be more than 0 (got {amount})")
    if price is not None and amount > price:
        raise ValueError(f"the amount {amount} is more than the order price {price}")
    return amount


def parse_moment(text: str) -> datetime:
    """An ISO date or datetime as aware UTC (a date means midnight UTC); ValueError otherwise."""
    raw = text.strip()
    if not raw:
        raise ValueError("empty date")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not an ISO date or datetime (e.g. 2026-11-26T08:15:00Z)"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first representable moment
        raise ValueError(f"{text!r} is out of range") from None


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class Finding:
    """One inspection check to talk about: its label, result, note and evidence names."""

    check_id: str
    label: str
    result: str
    note: str
    evidence: tuple[str, ...] = ()


def _money(amount: Decimal | str | None, currency: str | None) -> str:
    if amount is None:
        return ""
    return f"{amount} {currency or ''}".strip()


def describe_item(item: Item, currency: str | None) -> str:
    """``2 × USB-C cable (Color: Black; Length: 2m), 3.50 EUR each``."""
    text = f"{item.quantity or 1} × {item.title or 'item'}"
    if item.attributes:
        text += " (" + "; ".join(f"{k}: {v}" for k, v in item.attributes.items()) + ")"
    if item.unit_price:
        text += f", {_money(item.unit_price, item.currency or currency)} each"
    return text


NAME_PLACEHOLDER = "[YOUR NAME]"
SUB_BULLET = "   - "  # nested under "- " or "1. " in Markdown, and readable as plain text


def note_lines(note: str) -> list[str]:
    """The lines of a note, each on its own, without blank lines or a closing full stop."""
    return [" ".join(line.split()).rstrip(".") for line in note.splitlines() if line.strip()]


def _finding_sentence(finding: Finding, tag: str = "") -> str:
    """``Label: note.`` — or, for a note of several lines, one sub-bullet per line."""
    lines = note_lines(finding.note)
    label = f"{finding.label} ({tag})" if tag else finding.label
    evidence = f"Evidence: {', '.join(finding.evidence)}." if finding.evidence else ""
    if len(lines) > 1:
        text = f"{label}:" + "".join(f"\n{SUB_BULLET}{line}." for line in lines)
        return text + (f"\n{SUB_BULLET[:-2]}{evidence}" if evidence else "")
    text = f"{label}: {lines[0]}." if lines else f"{label}: failed."
    return text + (f" {evidence}" if evidence else "")


def _parcel_facts(order: Order, events: Sequence[TrackingEvent]) -> list[str]:
    facts = []
    shipped = f" on {order.shipped_at.isoformat()}" if order.shipped_at else ""
    number = f" with tracking number {order.tracking_number}" if order.tracking_number else ""
    facts.append(f"The seller shipped the parcel{shipped}{number}.")
    last = latest_event(events)
    if last is not None:
        when = last.time[:10]
        where = f" in {last.location}" if last.location else ""
        facts.append(
            f"Tracking shows no delivery; the last event{where} on {when} reads: "
            f"{last.description or last.status}."
        )
    elif order.shipment_status:
        facts.append(f"Tracking shows no delivery (status: {order.shipment_status}).")
    else:
        facts.append("Tracking shows no delivery.")
    return facts


def remedy_sentence(remedy: str, amount: Decimal | None, currency: str | None) -> str:
    money = _money(amount, currency)
    if remedy == "partial-refund":
        return f"I request a partial refund of {money} and will keep the item."
    if remedy == "return-refund":
        tail = f" of {money}" if money else ""
        return (
            f"I request to return the item for a full refund{tail}, with the return "
            "shipping paid by the seller."
        )
    return f"I request a full refund{' of ' + money if money else ''}."


def statement(
    order: Order,
    *,
    reason: str,
    remedy: str,
    amount: Decimal | None,
    findings: Sequence[Finding],
    reservations: Sequence[Finding] = (),
    events: Sequence[TrackingEvent] = (),
    notes: Sequence[ConversationNote] = (),
    extra_evidence: Sequence[str] = (),
) -> list[str]:
    """The factual statement: what was ordered, every discrepancy, contact so far, the request."""
    currency = order.currency
    items = "; ".join(describe_item(i, currency) for i in order.items) or order.title
    store = f" from {order.store}" if order.store else ""
    when = f" on {order.ordered_at.isoformat()}" if order.ordered_at else ""
    paid = f" and paid {_money(order.price, currency)}" if order.price is not None else ""
    sentences = [f"I ordered {items}{store}{when}{paid} (order {order.order_id})."]
    if reason == "not_received" or not is_delivered(order):
        sentences += _parcel_facts(order, events)
    elif order.delivered_at:
        sentences.append(f"The parcel was delivered on {order.delivered_at.isoformat()}.")
    sentences += [_finding_sentence(f, "check failed") for f in findings]
    sentences += [_finding_sentence(f, "passed, with a remark") for f in reservations]
    if extra_evidence:
        sentences.append(f"Additional evidence in this bundle: {', '.join(extra_evidence)}.")
    mine = [n for n in notes if n.sender == "me"]
    theirs = [n for n in notes if n.sender == "seller"]
    if mine:
        first = str(mine[0].at or "")[:10]
        reply = (
            f" The seller replied {len(theirs)} time{'s' if len(theirs) != 1 else ''}"
            " without resolving it."
            if theirs
            else " The seller has not resolved it."
        )
        sentences.append(
            f"I contacted the seller on {first}; the conversation is in this report.{reply}"
        )
    sentences.append(remedy_sentence(remedy, amount, currency))
    return sentences


def contact_message(
    order: Order,
    *,
    reason: str | None,
    remedy: str,
    amount: Decimal | None,
    reply_by: date,
    findings: Sequence[Finding],
    evidence: Sequence[str],
    events: Sequence[TrackingEvent] = (),
    platform_name: str = "the marketplace",
    name: str | None = None,
) -> str:
    """A polite, specific message to the seller, ready to paste into the order's chat.

    Signed with ``name`` (config.toml ``name``), else with :data:`NAME_PLACEHOLDER`.
    Evidence is only mentioned when there is some.
    """
    currency = order.currency
    greeting = f"Hello {order.store}," if order.store else "Hello,"
    lines = [greeting, ""]
    if reason == "not_received" or (reason is None and not is_delivered(order)):
        lines.append(f"My order {order.order_id} ({order.title}) has not arrived.")
        lines += [" ".join(_parcel_facts(order, events))]
    else:
        on = f" on {order.delivered_at.isoformat()}" if order.delivered_at else ""
        problem = REASON_LABELS.get(reason or "", "not what I ordered").lower()
        if reason is None:
            problem = "not what I ordered"
        lines.append(
            f"I received my order {order.order_id} ({order.title}){on}. Unfortunately it is "
            f"not right ({problem})."
        )
    lines += ["", "What I ordered:"]
    lines += [f"- {describe_item(i, currency)}" for i in order.items] or [f"- {order.title}"]
    if order.price is not None:
        lines.append(f"Total paid: {_money(order.price, currency)}.")
    if findings:
        lines += ["", "What arrived, check by check:"]
        lines += [f"- {_finding_sentence(f)}" for f in findings]
    if evidence:
        lines += [
            "",
            f"I have photos/videos of this and can send them here: {', '.join(evidence)}.",
        ]
    lines += ["", remedy_sentence(remedy, amount, currency)]
    backing = " with this evidence" if evidence else ""
    lines += [
        "",
        f"Please reply by {reply_by.isoformat()}. If we cannot agree by then, I will open a "
        f"dispute on {platform_name}{backing}, as buyer protection allows. I will "
        "not confirm receipt before this is resolved.",
        "",
        "Thank you,",
        (name or "").strip() or NAME_PLACEHOLDER,
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- seller red flags

_RED_FLAGS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        ("confirm",),
        ("receipt", "received", "receive", "delivery"),
        "The seller asks you to confirm receipt: confirming releases your money and shortens "
        "your protection. Do not confirm until the problem is solved (a known scam pattern).",
    ),
    (
        ("cancel", "close", "withdraw"),
        ("dispute", "refund request", "claim", "case"),
        "The seller asks you to cancel or close the dispute: a closed dispute usually cannot "
        "be reopened. Keep it open until the money is back.",
    ),
    (
        ("paypal", "whatsapp", "telegram", "wechat", "bank transfer", "western union"),
        ("",),
        "The seller suggests paying or talking outside the platform: that is not covered by "
        "buyer protection. Keep everything in the order's chat.",
    ),
)


def seller_red_flags(text: str) -> list[str]:
    """Warnings for known seller tricks in a message (matched on plain words, no guessing)."""
    lowered = " ".join(text.lower().split())
    found = []
    for verbs, objects, warning in _RED_FLAGS:
        if any(v in lowered for v in verbs) and any(o in lowered for o in objects):
            found.append(warning)
    return found
