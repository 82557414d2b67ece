"""The deadline engine: every dated window of an order, computed in one place.

Pure: takes an order, the policy data, the buyer's calendar date and
(optionally) the buyer's and the platform's time zones, and returns a
:class:`Schedule`. ``show``, ``due``, ``dispute``, ``contact``, ``confirm``,
feedback and the dispute bundle all read a schedule; nothing else computes a
window.

Each rule in the policy data says which date a window counts from (its
anchor), how many days (calendar or business days), for which order states
and under which condition. This module finds the anchor dates, evaluates the
conditions, and adds what a buyer needs to trust the result: the source and
confidence of every number, whether the date is an estimate, and why a
deadline is missing.

Estimates lean early. AliExpress's protection end is read off the order
page's countdown when the buyer records it (``--protection-ends``);
otherwise it is estimated from the policy's *typical* protection length
(not the maximum) and shortened to a few days after a tracked delivery.
Reminders count from that early estimate; the dispute guard never refuses on
an estimate.

Time zones. ``today`` is the buyer's calendar date. Where a platform counts
its days in another zone, a deadline on the platform's day D is shown as the
buyer's last *whole* day inside the window (D, or D-1 when the platform's day
ends before the buyer's), and the deadline says so in ``zone_note``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from orderctl.domain.calendar import (
    Zones,
    add_business_days,
    last_overlapping_day,
    safe_day,
    shift,
)
from orderctl.domain.delivery import is_delivered
from orderctl.domain.models import Order
from orderctl.domain.policies import DeadlineRule, PlatformPolicy, Policies

__all__ = [
    "Deadline",
    "DisputeWindow",
    "Schedule",
    "Zones",
    "add_business_days",
    "last_overlapping_day",
    "order_deadlines",
    "safe_day",
    "schedule",
    "shift",
]

OVERDUE_VISIBLE_DAYS = 14
ACTIVE_STATES = frozenset({"ordered", "shipped", "delivered", "inspected"})
GENERIC_PROTECTION_ADVICE = (
    "Buyer protection ends (date you recorded): inspect and confirm, or claim before this date."
)
#: Kinds that end the chance to claim (the dispute window's close on platforms without
#: a completion-based window).
CLAIM_CLOSE_KINDS = ("dispute_closes", "claim_closes", "return_closes")
#: Kinds whose date is a day to open a dispute or claim by.
DISPUTE_KINDS = frozenset({"dispute_by", "protection_ends", *CLAIM_CLOSE_KINDS})
#: What a missing anchor date is called in ``missing``.
MISSING_LABELS = {
    "ordered": "ordered_at",
    "shipped": "shipped_at",
    "delivered": "delivered_at",
    "protection_ends": "shipped_at or protection_ends_at",
    "expected_by": "expected_delivery_by",
    "delivered_or_expected": "delivered_at or expected_delivery_by",
}
#: How a plain anchor date is named in a deadline's ``basis``.
_ANCHOR_WORDS = {
    "ordered": "ordered",
    "shipped": "shipped",
    "delivered": "delivered",
    "dispute_opened": "dispute opened",
    "expected_by": "latest estimated delivery",
    "contacted": "seller contacted",
}
_PLAIN_BASES = frozenset({*_ANCHOR_WORDS.values()})
#: Conditions under which a missing anchor is expected (no date yet is not a gap).
_NOT_MISSING_WHEN_UNDELIVERED = frozenset({"delivered"})


@dataclass(slots=True)
class Deadline:
    """One dated window with what to do about it, and how sure orderctl is of it."""

    kind: str
    date: date
    days_left: int
    advice: str
    source: str | None = None
    confidence: str | None = None
    estimated: bool = False
    basis: str | None = None
    zone_note: str | None = None
    task: bool = False
    missing: list[str] = field(default_factory=list)
    title: str | None = None
    checked: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "days_left": self.days_left,
            "advice": self.advice,
            "source": self.source,
            "confidence": self.confidence,
            "estimated": self.estimated,
            "basis": self.basis,
            "zone_note": self.zone_note,
            "task": self.task,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class OpeningSource:
    """One source's earliest day to open a dispute."""

    date: date
    days: int
    source: str
    confidence: str


@dataclass(frozen=True)
class DisputeWindow:
    """When a dispute can be opened.

    ``opens`` is the earliest day any source allows (the platform's button
    decides; orderctl only warns before it). ``closes`` is the last day;
    ``closes_estimated`` means completion is not known yet, so it never
    refuses. ``refuse_after`` is the buyer's last calendar day that still
    overlaps the platform's last day (time zones).
    """

    opens: date | None
    closes: date | None
    closes_estimated: bool = False
    opens_days: int | None = None
    opens_sources: tuple[OpeningSource, ...] = ()
    refuse_after: date | None = None

    @property
    def opens_latest(self) -> date | None:
        """The day every source agrees the dispute can be opened."""
        return max((s.date for s in self.opens_sources), default=self.opens)

    def problem(self, today: date) -> str | None:
        """Why ``today`` is after the window (naming both dates), or None.

        The only refusal: a day before the earliest opening day is a warning
        (:meth:`warning`), because the sources disagree on it.
        """
        last = self.refuse_after or self.closes
        if last is not None and not self.closes_estimated and today > last:
            return f"The dispute window has closed: {self._dates()}."
        return None

    def warning(self, today: date) -> str | None:
        """A warning when ``today`` is before a source's earliest opening day."""
        latest = self.opens_latest
        if latest is None or today >= latest:
            return None
        early = [s for s in self.opens_sources if s.date > today]
        said = "; ".join(
            f"{s.days} days after shipping ({s.date.isoformat()}) per {s.source} [{s.confidence}]"
            for s in sorted(early, key=lambda s: s.date)
        )
        return (
            "The platform may not offer a dispute yet: sources disagree on the earliest day. "
            f"Not yet open according to: {said}. If the button is missing, wait until "
            f"{latest.isoformat()}; the window closes {self._closes_text()}."
        )

    def _closes_text(self) -> str:
        if self.closes is None:
            return "at a date not known yet (the order has not completed)"
        if self.closes_estimated:
            return (
                f"around {self.closes.isoformat()} (estimated: if the order completes when buyer "
                "protection ends)"
            )
        return self.closes.isoformat()

    def _dates(self) -> str:
        opens = self.opens.isoformat() if self.opens else "unknown (no shipment date)"
        return f"it opens {opens} and closes {self._closes_text()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "opens": self.opens.isoformat() if self.opens else None,
            "opens_latest": self.opens_latest.isoformat() if self.opens_latest else None,
            "closes": self.closes.isoformat() if self.closes else None,
            "closes_estimated": self.closes_estimated,
            "opens_sources": [
                {
                    "date": s.date.isoformat(),
                    "days": s.days,
                    "source": s.source,
                    "confidence": s.confidence,
                }
                for s in self.opens_sources
            ],
        }


@dataclass(slots=True)
class Anchor:
    """A date a window counts from, whether it is an estimate, and how it was found."""

    date: date | None
    estimated: bool = False
    basis: str | None = None
    source: str | None = None
    confidence: str | None = None


@dataclass(slots=True)
class Schedule:
    """Everything the engine knows about one order's dates."""

    order_id: str
    today: date
    deadlines: list[Deadline]
    window: DisputeWindow
    protection_ends: date | None
    protection_estimated: bool
    completed: date | None
    completed_estimated: bool
    missing: list[str]
    tasks: list[Deadline]

    def first(self, *kinds: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind in kinds), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "deadlines": [d.to_dict() for d in self.deadlines],
            "tasks": [t.to_dict() for t in self.tasks],
            "missing": list(self.missing),
            "dispute_window": self.window.to_dict(),
        }


# --------------------------------------------------------------------------- anchors


def _iso_date(value: Any, zone: tzinfo | None = None) -> date | None:
    """The calendar date of an ISO date or timestamp; a timestamp in the buyer's ``zone``."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    if zone is not None and len(value) > 10:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(zone).date()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dispute_open(order: Order) -> bool:
    return order.dispute is not None and order.dispute.is_open


def protection_estimate(order: Order, policy: PlatformPolicy) -> Anchor:
    """The protection end: recorded, or the earliest plausible estimate from the policy.

    A recorded end that predates a tracked delivery may have been shortened by
    the platform: the earlier of it and delivery + the shortened period is
    used (and marked estimated) until the buyer records it again.
    """
    after = policy.values.get("protection_after_delivered_days")
    shortened = (
        shift(order.delivered_at, after) if after is not None and order.delivered_at else None
    )
    if order.protection_ends_at:
        if shortened is not None and _reread_needed(order) and shortened < order.protection_ends_at:
            return Anchor(
                shortened,
                True,
                f"delivered {order.delivered_at} + {after.value} days (may have shortened the "
                f"end you recorded, {order.protection_ends_at})",
                after.source,
                after.confidence,
            )
        return Anchor(
            order.protection_ends_at,
            False,
            "read off the order page countdown (recorded by you)",
            "order page countdown (recorded by you)",
            "user",
        )
    value = policy.values.get("protection_days")
    if value is None or order.shipped_at is None:
        return Anchor(None, True)
    days = value.early
    end = order.shipped_at + timedelta(days=days)
    spread = ""
    if value.typical_days is not None:
        upper = max(value.value, value.max_days or value.value)
        spread = f" (typical; up to {upper})"
    basis = f"shipped {order.shipped_at} + {days} days{spread}"
    source, confidence = value.source, value.confidence
    if shortened is not None and shortened < end:
        end = shortened
        basis = f"delivered {order.delivered_at} + {after.value} days (shortened after delivery)"
        source, confidence = after.source, after.confidence
    return Anchor(end, True, basis, source, confidence)


def _first_contact(order: Order, zone: tzinfo | None) -> date | None:
    sent = [n.at for n in order.notes if n.sender == "me" and n.kind == "contact_sent" and n.at]
    return _iso_date(min(sent), zone) if sent else None


def _reread_needed(order: Order) -> bool:
    """A delivery after the protection end was recorded: the countdown may have changed."""
    recorded = order.protection_ends_recorded_on
    return bool(
        order.protection_ends_at
        and order.delivered_at
        and recorded is not None
        and order.delivered_at > recorded
    )


def _completion(order: Order, protection: Anchor, today: date) -> Anchor:
    if order.completed_at:
        return Anchor(order.completed_at, False, f"confirmed {order.completed_at}")
    ended = protection.date is not None and protection.date < today
    if order.state.value in ACTIVE_STATES and ended:
        return Anchor(
            protection.date,
            protection.estimated,
            f"completed automatically when protection ended ({protection.basis})",
            protection.source,
            protection.confidence,
        )
    return Anchor(None, True)


def _anchors(
    order: Order, policy: PlatformPolicy, today: date, zone: tzinfo | None = None
) -> dict[str, Anchor]:
    """Every date a window can count from (computed once per order)."""
    protection = protection_estimate(order, policy)
    expected = order.expected_delivery_by
    if expected is not None:
        by = Anchor(expected)
    elif order.delivered_at is not None:
        # without the platform's estimate, the delivery date stands in (marked estimated)
        by = Anchor(
            order.delivered_at,
            True,
            f"delivered {order.delivered_at} (no estimated delivery date recorded)",
        )
    else:
        by = Anchor(None)
    if order.delivered_at:
        either = Anchor(order.delivered_at, False, "delivered")
    elif expected:
        either = Anchor(expected, False, "latest estimated delivery")
    else:
        either = Anchor(None)
    return {
        "ordered": Anchor(order.ordered_at),
        "shipped": Anchor(order.shipped_at),
        "delivered": Anchor(order.delivered_at),
        "protection_ends": protection,
        "completed": _completion(order, protection, today),
        "dispute_opened": Anchor(
            _iso_date(order.dispute.opened_at if order.dispute else None, zone)
        ),
        "expected_by": by,
        "contacted": Anchor(_first_contact(order, zone)),
        "delivered_or_expected": either,
    }


# --------------------------------------------------------------------------- rules


def _condition(name: str | None, order: Order) -> bool:
    if name is None:
        return True
    if name == "not_delivered":
        return not is_delivered(order)
    if name == "not_received_or_failed":
        failed = bool(order.inspection) and order.inspection.verdict == "fail"
        return not is_delivered(order) or failed
    if name == "feedback_pending":
        return not (order.feedback and order.feedback.posted_at)
    if name == "dispute_open":
        return _dispute_open(order)
    if name == "payment_dispute_open":
        channel = str((order.dispute.channel if order.dispute else None) or "").lower()
        paid = (order.payment_method or "").lower()
        return _dispute_open(order) and (order.platform == "other" or channel == paid)
    raise ValueError(f"unknown condition {name}")


def _apply(
    rule: DeadlineRule,
    order: Order,
    policy: PlatformPolicy,
    today: date,
    anchor: Anchor,
    zones: Zones,
    zone_key: str | None,
) -> Deadline:
    assert anchor.date is not None
    value = policy.values.get(rule.value) if rule.value else None
    when = shift(anchor.date, value, rule.sign) if value else anchor.date
    source, confidence = (value.source, value.confidence) if value else (None, None)
    own = value is None or (rule.anchor == "protection_ends" and not anchor.estimated)
    if rule.anchor in ("protection_ends", "completed") and anchor.source and own:
        source, confidence = anchor.source, anchor.confidence
    basis = anchor.basis or _ANCHOR_WORDS.get(rule.anchor, rule.anchor)
    if basis in _PLAIN_BASES:
        basis = f"{basis} {anchor.date.isoformat()}"
    if value is not None:
        unit = "business days" if value.unit == "business_days" else "days"
        basis += f" {'-' if rule.sign < 0 else '+'} {value.value} {unit}"
    platform_zone = zones.platforms.get(zone_key) if zone_key else None
    shown, note = safe_day(when, platform_zone, zones.buyer)
    advice = rule.advice
    if rule.anchor == "completed" and anchor.estimated:
        advice += (
            " (Estimated: the order is assumed to have completed when a typical protection "
            f"period ended; record the real end with `orderctl edit {order.order_id} "
            "--protection-ends DATE`.)"
        )
    return Deadline(
        kind=rule.kind,
        date=shown,
        days_left=(shown - today).days,
        advice=advice,
        source=source,
        confidence=confidence,
        estimated=anchor.estimated,
        basis=basis,
        zone_note=note,
        title=value.title if value else None,
        checked=value.checked if value else None,
    )


def _rules(order: Order, policies: Policies) -> list[tuple[DeadlineRule, PlatformPolicy, str]]:
    policy = policies.platform(order.platform)
    rules = [(r, p, policy.key) for r, p in policy.rule_pairs]
    payment = policies.payments.get((order.payment_method or "").lower())
    if payment:
        rules += [(r, p, payment.key) for r, p in payment.rule_pairs]
    return rules


def _missing_label(rule: DeadlineRule, order: Order) -> str | None:
    if rule.optional or rule.anchor in ("completed", "dispute_opened", "contacted"):
        return None  # not yet, not missing
    if order.state.value == "ordered" and rule.anchor in ("shipped", "protection_ends"):
        return None  # not shipped yet: its windows start when it ships
    if rule.anchor in _NOT_MISSING_WHEN_UNDELIVERED and not is_delivered(order):
        return None
    return MISSING_LABELS.get(rule.anchor)


def _dispute_window(
    order: Order,
    policy: PlatformPolicy,
    anchors: dict[str, Anchor],
    deadlines: list[Deadline],
    zones: Zones,
) -> DisputeWindow:
    """Opening: at once once delivered, else each source's day after shipping.

    Closing: ``dispute_closes_after_days`` after completion; before completion
    it is estimated (never refuses). Platforms without that value use their
    first claim-closing deadline.
    """
    platform_zone = zones.platforms.get(policy.key)
    open_value = policy.values.get("dispute_opens_after_days")
    sources: tuple[OpeningSource, ...] = ()
    opens: date | None = None
    if order.delivered_at is not None:
        opens = order.delivered_at
    elif open_value is not None and order.shipped_at and not is_delivered(order):
        sources = tuple(
            OpeningSource(shift(order.shipped_at, v), v.value, v.source, v.confidence)
            for v in (open_value, *open_value.alternatives)
        )
        opens = min(s.date for s in sources)
    open_days = open_value.value if open_value else None
    close_value = policy.values.get("dispute_closes_after_days")
    if close_value is None:
        closing = next((d for d in deadlines if d.kind in CLAIM_CLOSE_KINDS), None)
        if closing is None:
            return DisputeWindow(opens, None, False, open_days, sources)
        raw = _platform_day(closing)
        return DisputeWindow(
            opens,
            closing.date,
            closing.estimated,
            open_days,
            sources,
            last_overlapping_day(raw, platform_zone, zones.buyer),
        )
    completed = anchors["completed"]
    base = completed.date if completed.date is not None else anchors["protection_ends"].date
    if base is None:
        return DisputeWindow(opens, None, False, open_days, sources)
    estimated = completed.date is None or completed.estimated
    close = shift(base, close_value)
    shown, _ = safe_day(close, platform_zone, zones.buyer)
    return DisputeWindow(
        opens,
        shown,
        estimated,
        open_days,
        sources,
        last_overlapping_day(close, platform_zone, zones.buyer),
    )


def _platform_day(deadline: Deadline) -> date:
    """Undo the safe-side rounding: the platform's own last day."""
    return deadline.date if deadline.zone_note is None else deadline.date + timedelta(days=1)


def _tasks(
    order: Order,
    policy: PlatformPolicy,
    today: date,
    anchors: dict[str, Anchor],
    deadlines: list[Deadline],
    missing: list[str],
) -> list[Deadline]:
    """Things to do today that no deadline covers (each rule below, in this order)."""
    found = (
        _record_protection_task(order, policy, today, anchors),
        _reread_task(order, today, anchors),
        _missing_dates_task(order, today, deadlines, missing),
    )
    return [task for task in found if task is not None]


def _task(kind: str, today: date, advice: str, **facts: Any) -> Deadline:
    """A task is a deadline dated today with nothing left."""
    facts.setdefault("source", "orderctl")
    facts.setdefault("confidence", "user")
    return Deadline(kind=kind, date=today, days_left=0, advice=advice, task=True, **facts)


def _record_protection_task(
    order: Order, policy: PlatformPolicy, today: date, anchors: dict[str, Anchor]
) -> Deadline | None:
    """The protection end is estimated while the countdown runs: ask the buyer to read it."""
    has_protection = any(r.kind == "protection_ends" for r in policy.deadlines)
    completed = anchors["completed"]
    running = completed.date is None or completed.estimated
    if not (
        has_protection
        and order.state.value in ("shipped", "delivered", "inspected")
        and order.protection_ends_at is None
        and order.completed_at is None
        and running
    ):
        return None
    return _task(
        "record_protection_end",
        today,
        "Read the buyer-protection countdown on the order page and record it: "
        f"`orderctl edit {order.order_id} --protection-ends DATE`. Until then the "
        "protection dates are estimates.",
    )


def _reread_task(order: Order, today: date, anchors: dict[str, Anchor]) -> Deadline | None:
    """Delivery came after the recorded protection end: the countdown may have changed."""
    if not (
        _reread_needed(order) and order.completed_at is None and order.state.value in ACTIVE_STATES
    ):
        return None
    return _task(
        "reread_countdown",
        today,
        f"Tracking shows delivery on {order.delivered_at}, after you recorded the "
        f"protection end ({order.protection_ends_at}): the platform may have "
        "shortened the countdown. Re-read it and record it again: "
        f"`orderctl edit {order.order_id} --protection-ends DATE`.",
        source=anchors["protection_ends"].source,
        confidence=anchors["protection_ends"].confidence,
    )


def _missing_dates_task(
    order: Order, today: date, deadlines: list[Deadline], missing: list[str]
) -> Deadline | None:
    """No deadline could be computed: name the date that is missing and how to give it."""
    if deadlines or not missing or order.state.value not in ACTIVE_STATES | {"confirmed"}:
        return None
    if missing == ["delivered_at"]:
        advice = (
            "Its windows count from delivery: record it when the parcel arrives "
            f"(`orderctl edit {order.order_id} --delivered DATE`, or `orderctl track`)."
        )
    else:
        flag = "--expected-by" if any("expected" in m for m in missing) else "--shipped"
        advice = (
            "No deadline can be computed without "
            + " and ".join(missing)
            + f": record it (`orderctl edit {order.order_id} {flag} DATE`)."
        )
    return _task("missing_dates", today, advice, missing=list(missing))


def schedule(order: Order, policies: Policies, today: date, zones: Zones | None = None) -> Schedule:
    """Every deadline, task and the dispute window of ``order`` on the buyer's ``today``."""
    zones = zones or Zones()
    policy = policies.platform(order.platform)
    state = order.state.value
    anchors = _anchors(order, policy, today, zones.buyer)
    rules = _rules(order, policies)
    completed = anchors["completed"]
    if order.completed_at is None and completed.date is not None:
        # Protection ran out, so the order completed on its own: the reminders that led up
        # to that date are moot; the end itself stays visible (as passed) with what follows.
        rules = [
            (r, p, z)
            for r, p, z in rules
            if r.anchor != "protection_ends" or r.kind == "protection_ends"
        ]
    found: list[Deadline] = []
    missing: list[str] = []
    for rule, rule_policy, zone_key in rules:
        if state not in rule.states or not _condition(rule.when, order):
            continue
        anchor = anchors[rule.anchor]
        if rule.when == "feedback_pending" and rule.anchor == "completed" and anchor.estimated:
            continue  # no feedback reminder on a guessed completion (only a known one)
        if anchor.date is None:
            label = _missing_label(rule, order)
            if label and label not in missing:
                missing.append(label)
            continue
        found.append(_apply(rule, order, rule_policy, today, anchor, zones, zone_key))
    if (
        order.protection_ends_at
        and state in ACTIVE_STATES
        and not any(r.kind == "protection_ends" for r, _, _ in rules)
    ):
        found.append(
            Deadline(
                kind="protection_ends",
                date=order.protection_ends_at,
                days_left=(order.protection_ends_at - today).days,
                advice=GENERIC_PROTECTION_ADVICE,
                source="recorded by you",
                confidence="user",
                basis="recorded by you",
            )
        )
    found.sort(key=lambda d: (d.date, d.kind))
    if "expected_delivery_by" in missing and not is_delivered(order):
        # one date answers both: the estimated delivery date
        missing = [m for m in missing if m != "delivered_at or expected_delivery_by"]
    if (
        not found
        and not missing
        and any(r.anchor == "delivered" and state in r.states for r, _, _ in rules)
    ):
        missing.append("delivered_at")  # its windows count from a delivery still to come
    window = _dispute_window(order, policy, anchors, found, zones)
    protection = anchors["protection_ends"]
    tasks = _tasks(order, policy, today, anchors, found, missing)
    return Schedule(
        order_id=order.order_id,
        today=today,
        deadlines=found,
        window=window,
        protection_ends=protection.date,
        protection_estimated=protection.estimated,
        completed=completed.date,
        completed_estimated=completed.estimated,
        missing=missing,
        tasks=tasks,
    )


def order_deadlines(
    order: Order, policies: Policies, today: date, zones: Zones | None = None
) -> list[Deadline]:
    """Every deadline that applies to the order now, soonest first (past ones included)."""
    return schedule(order, policies, today, zones).deadlines


def protection_end(order: Order, policy: PlatformPolicy) -> tuple[date | None, bool]:
    """The protection end date and whether it is an estimate (not read off the platform)."""
    anchor = protection_estimate(order, policy)
    return anchor.date, anchor.estimated


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The soonest deadline that has not passed yet."""
    return next((d for d in deadlines if d.days_left >= 0), None)


def visible_in_due_days(days_left: int, within: int | None) -> bool:
    """``due`` shows upcoming deadlines (up to ``within`` days) and recently missed ones."""
    if days_left < -OVERDUE_VISIBLE_DAYS:
        return False
    return within is None or days_left <= within
