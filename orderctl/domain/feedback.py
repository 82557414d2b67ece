"""Feedback drafting: product stars, detailed seller ratings and a review text.

Pure: takes the order, the policy numbers and ``now``; no I/O, no clock. A
review is public and permanent, so it must be fair to the seller (derived
from what the inspection actually recorded, by fixed rules the buyer can
read) and must never leak the buyer's personal data.

Rules (the README repeats them):

Product stars (1-5), from the latest inspection:

- every check passed, no reservations (no notes beyond "ok")  -> 5
- passed, with one or two reservations (minor issues noted)   -> 4
- passed, with three or more reservations                     -> 3
- one failed check                                            -> 2
- two or more failed checks, or a failure meaning the item
  does not work (``not_working``) or is the wrong item
  (``wrong_item``)                                            -> 1
- no inspection recorded (a forced confirm)                   -> 3, neutral

Item as described: wrong item -> 1; not as described or missing parts -> 2;
failures that say nothing about the description (damage in transit, does
not work, poor workmanship) -> 3; passed with a reservation on a
description check (right item, complete, matches, specs, accessories,
measurements, colour, material) -> 4; otherwise 5; no inspection -> 3.

Communication, from the conversation log (``order.notes``): no conversation
is not a complaint -> 5 (there was nothing to discuss); only the seller
wrote -> 5; every message the buyer sent was answered by the seller within
48 hours -> 5; all answered, some later -> 4; some unanswered -> 2; none
answered -> 1. A buyer message younger than 48 hours with no answer yet is
not held against the seller. A failed contact (a message sent with
``contact --sent`` that still ended in a dispute) caps it at 3.

Shipping speed (AliExpress "shipping speed", eBay "shipping time": how fast
the seller dispatched): ordered -> shipped against the platform's
``handling_typical_days`` H: at most 0.6 H -> 5, at most H -> 4, at most
2 H -> 3, slower -> 2. The delivery time is given as context. Without a
shipment date, delivery days against ``shipping_typical_days`` T: at most
0.75 T -> 5, at most T -> 4, at most 1.5 T -> 3, slower -> 2; unknown -> 3.

Shipping charges (eBay): nothing in orderctl records a complaint about them
-> 5.

The form follows the platform (policy data ``feedback_form``): 1-5 stars, or
eBay's positive / neutral / negative (stars 4-5 positive, 3 neutral, 1-2
negative), and only the detailed ratings that platform asks for.

The review text follows the outcome, not the presence of a note: it opens
with a sentence for the stars (5: as described, 4: good with a minor issue,
3: some issues, 1-2: not as described); minor issues (explicit reservations)
are written only below 5 stars and problems only below 4, so ``--stars``
changes the stars and the text together.

Review text: the variant bought (item attributes), what the inspection
found (passed checks, reservations and failures with the buyer's notes),
the delivery time and, when there was a conversation, how the seller
answered; cut to the platform's length limit at a sentence (else word)
boundary. Every piece of buyer-written text is scrubbed of e-mail
addresses, phone-like digit runs, tracking numbers (any token
``detect_carrier`` recognises, plus the order's own numbers), street
addresses of the "12 Main Street" shape and any private words the buyer
configured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from orderctl.domain.carriers import detect_carrier
from orderctl.domain.models import Order
from orderctl.domain.records import ConversationNote, Inspection
from orderctl.domain.wording import plural

NEUTRAL = 3
TOP = 5
NO_INSPECTION_STARS = NEUTRAL
DEFAULT_RATINGS = ("item_as_described", "communication", "shipping_speed")
OPENINGS = {
    5: "Exactly as described.",
    4: "Good, with a minor issue.",
    3: "Acceptable, with some issues.",
    2: "Not as described.",
    1: "Not as described.",
}
SEVERE_REASONS = frozenset({"not_working", "wrong_item"})
FAST_REPLY = timedelta(hours=48)
DEFAULT_TEXT_MAX_CHARS = 1000
DEFAULT_PHOTOS_MAX = 6
REMOVED = "[removed]"

# Failure reasons that say the item differs from its description, with the rating they cap.
DESCRIPTION_REASONS = {"wrong_item": 1, "not_as_described": 2, "missing_parts": 2}
DESCRIPTION_CHECKS = frozenset(
    {
        "correct_item",
        "quantity_complete",
        "description_match",
        "specs_match",
        "accessories_present",
        "measurements",
        "colour",
        "material_label",
    }
)

# check id -> (what a pass says, what the check is about); bundled checklists' ids.
CHECK_WORDS: dict[str, tuple[str, str]] = {
    "package_condition": ("undamaged", "packaging"),
    "correct_item": ("right item and variant", "variant"),
    "quantity_complete": ("complete", "contents"),
    "description_match": ("matches the description", "description"),
    "functionality": ("works as described", "function"),
    "quality": ("well made", "workmanship"),
    "specs_match": ("specifications match the listing", "specifications"),
    "powers_on": ("powers on", "power"),
    "charges": ("charges properly", "charging"),
    "ports_and_buttons": ("ports and buttons work", "ports and buttons"),
    "accessories_present": ("all accessories included", "accessories"),
    "measurements": ("measurements match the size chart", "size"),
    "colour": ("colour as pictured", "colour"),
    "material_label": ("material as stated", "material"),
    "stitching": ("neat stitching", "stitching"),
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+(])[+(]?\d[\d ().\-/]{5,}\d(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
_TOKEN = re.compile(r"\b[A-Za-z0-9][A-Za-z0-9-]{6,}[A-Za-z0-9]\b")
_STREET = re.compile(
    r"\b\d{1,5}[a-zA-Z]?,?\s+(?:[A-Z][\w'-]*\.?\s+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl"
    r"|Square|Sq|Terrace|Close|Crescent)\b\.?"
    r"|\b[A-Z][\w'-]+(?:strasse|straße|str\.|weg|gasse|platz|allee)\s+\d{1,5}[a-zA-Z]?\b",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Rating:
    """A 1-5 value and the sentence that explains how it was derived."""

    value: int
    why: str


@dataclass(frozen=True)
class Delivery:
    """How long the parcel took, and from which date it was counted."""

    days: int
    counted_from: str  # "shipped" or "ordered"


@dataclass(frozen=True)
class FeedbackDraft:
    """Everything derived for one order; the service adds photos and timestamps."""

    stars: Rating
    ratings: dict[str, Rating]
    text: str
    delivery: Delivery | None
    scale: str = "stars5"

    @property
    def overall(self) -> str | None:
        """eBay's positive / neutral / negative for the stars (None on a star scale)."""
        if self.scale != "pnn":
            return None
        return pnn(self.stars.value)

    @property
    def delivery_days(self) -> int | None:
        return self.delivery.days if self.delivery else None


# -- the numbers ---------------------------------------------------------------------------


def pnn(stars: int) -> str:
    """Stars as eBay's overall feedback: 4-5 positive, 3 neutral, 1-2 negative."""
    return "positive" if stars >= 4 else "neutral" if stars == NEUTRAL else "negative"


def delivery_days(
    *, ordered: date | None, shipped: date | None, delivered: date | None
) -> Delivery | None:
    """Delivered minus shipped (or ordered); None when unknown or impossible."""
    if delivered is None:
        return None
    for start, name in ((shipped, "shipped"), (ordered, "ordered")):
        if start is not None:
            days = (delivered - start).days
            return Delivery(days, name) if days >= 0 else None
    return None


def _failed(inspection: Inspection) -> list[str]:
    if inspection.failed is not None:
        return [str(i) for i in inspection.failed]
    return [str(c.id) for c in inspection.checks if c.result == "fail"]


def _reservations(inspection: Inspection) -> list[str]:
    return [check_id for check_id, _note in inspection.reserved()]


def product_stars(inspection: Inspection | None) -> Rating:
    """Overall stars from the inspection (rule in the module docstring)."""
    if not inspection:
        return Rating(NO_INSPECTION_STARS, "no inspection recorded: neutral 3")
    failed = _failed(inspection)
    if failed or inspection.verdict == "fail":
        severe = sorted(SEVERE_REASONS & set(inspection.suggested_reasons))
        if len(failed) >= 2:
            return Rating(1, f"{len(failed)} checks failed")
        if severe:
            return Rating(1, f"failed check: {', '.join(severe)}")
        return Rating(2, "one check failed")
    reservations = _reservations(inspection)
    if not reservations:
        return Rating(5, "every check passed with no reservations")
    if len(reservations) <= 2:
        return Rating(4, f"passed with {len(reservations)} minor issue(s) noted")
    return Rating(3, f"passed with {len(reservations)} minor issues noted")


def item_as_described(inspection: Inspection | None) -> Rating:
    """How well the item matched its listing (rule in the module docstring)."""
    if not inspection:
        return Rating(NEUTRAL, "no inspection recorded: neutral 3")
    failed = _failed(inspection)
    if failed or inspection.verdict == "fail":
        reasons = inspection.suggested_reasons
        caps = [DESCRIPTION_REASONS[r] for r in reasons if r in DESCRIPTION_REASONS]
        caps += [1 if i == "correct_item" else 2 for i in failed if i in DESCRIPTION_CHECKS]
        if caps:
            return Rating(min(caps), "the item differs from its description")
        return Rating(NEUTRAL, "a check failed, but not one about the description")
    if any(r in DESCRIPTION_CHECKS for r in _reservations(inspection)):
        return Rating(4, "as described, with a minor difference noted")
    return Rating(5, "matches the description")


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def communication(
    notes: Sequence[ConversationNote], now: datetime, *, disputed: bool = False
) -> Rating:
    """Seller communication from the conversation log (rule in the module docstring)."""
    rating = _communication(notes, now)
    contacted = any(n.kind == "contact_sent" for n in notes)
    if disputed and contacted and rating.value > NEUTRAL:
        return Rating(NEUTRAL, "your request to the seller still ended in a dispute")
    return rating


def _communication(notes: Sequence[ConversationNote], now: datetime) -> Rating:
    mine: list[datetime] = []
    theirs: list[datetime] = []
    for note in notes:
        at = _instant(note.at)
        if at is None:
            continue
        if note.sender == "seller":
            theirs.append(at)
        elif note.sender == "me" and (note.kind or "message") != "contact_draft":
            mine.append(at)
    theirs.sort()
    judged = []
    for sent in mine:
        reply = next((t for t in theirs if t >= sent), None)
        if reply is None and now - sent < FAST_REPLY:
            continue  # still waiting; too early to count against the seller
        judged.append(None if reply is None else reply - sent)
    if not judged:
        if theirs:
            return Rating(TOP, "the seller wrote; nothing of yours awaited an answer")
        return Rating(TOP, "no conversation needed: nothing to hold against the seller")
    unanswered = sum(1 for gap in judged if gap is None)
    if unanswered == len(judged):
        return Rating(1, "the seller answered none of your messages")
    if unanswered:
        return Rating(2, f"{unanswered} of {len(judged)} messages unanswered")
    if all(gap is not None and gap <= FAST_REPLY for gap in judged):
        return Rating(5, "every message answered within 48 hours")
    return Rating(4, "every message answered, some after more than 48 hours")


def dispatch_speed(
    *,
    ordered: date | None,
    shipped: date | None,
    handling_days: int | None,
    delivery: Delivery | None,
    typical_days: int | None,
) -> Rating:
    """How fast the seller shipped: ordered -> shipped, delivery time as context."""
    if ordered is None or shipped is None or not handling_days or shipped < ordered:
        return shipping_speed(delivery, typical_days)
    days = (shipped - ordered).days
    context = ""
    if delivery is not None and delivery.counted_from == "shipped":
        context = f"; delivery then took {delivery.days} days"
    against = f"shipped {plural(days, 'day')} after ordering (typical {handling_days}){context}"
    return _against_typical(days, handling_days, _DISPATCH_LADDER, against)


def shipping_speed(delivery: Delivery | None, typical_days: int | None) -> Rating:
    """Delivery days against the platform's typical shipping time."""
    if delivery is None:
        return Rating(NEUTRAL, "delivery time unknown: neutral 3")
    if not typical_days:
        return Rating(NEUTRAL, "no typical shipping time for this platform: neutral 3")
    days = delivery.days
    against = f"{days} days against a typical {typical_days}"
    return _against_typical(days, typical_days, _DELIVERY_LADDER, against)


# (at most this many times the typical days, words) for 5, 4 and 3 stars; 2 beyond.
_DISPATCH_LADDER = (
    (0.6, "dispatched fast"),
    (1.0, "dispatched in the typical time"),
    (2.0, "dispatched slowly"),
    (None, "dispatched very slowly"),
)
_DELIVERY_LADDER = (
    (0.75, "faster than typical"),
    (1.0, "within the typical time"),
    (1.5, "slower than typical"),
    (None, "much slower than typical"),
)


def _against_typical(
    days: float, typical: int, ladder: tuple[tuple[float | None, str], ...], against: str
) -> Rating:
    """5 to 2 stars: the first rung of ``ladder`` that ``days`` stays within."""
    for stars, (factor, words) in zip((5, 4, 3, 2), ladder, strict=True):
        if factor is None or days <= factor * typical:
            return Rating(stars, f"{words}: {against}")
    raise AssertionError("the last rung has no limit")


# -- privacy -------------------------------------------------------------------------------


def _is_tracking_number(token: str) -> bool:
    return any(ch.isdigit() for ch in token) and bool(detect_carrier(token).candidates)


def _phone_or_keep(match: re.Match[str]) -> str:
    text = match.group(0)
    if sum(ch.isdigit() for ch in text) < 7 or _DATE.fullmatch(text.strip()):
        return text
    return REMOVED


def scrub(text: str, private: Iterable[str] = ()) -> str:
    """``text`` without e-mails, phone numbers, tracking numbers, street addresses or ``private``.

    Over-removal is the safe failure: a model number that looks like a
    tracking number is dropped rather than a real tracking number kept.
    """
    for word in sorted({w.strip() for w in private if w and w.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(word), REMOVED, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(REMOVED, text)
    text = _STREET.sub(REMOVED, text)
    text = _TOKEN.sub(lambda m: REMOVED if _is_tracking_number(m.group(0)) else m.group(0), text)
    text = _PHONE.sub(_phone_or_keep, text)
    return _SPACES.sub(" ", text).strip()


def fit(text: str, max_chars: int) -> str:
    """Cut ``text`` to ``max_chars`` at a sentence boundary, else a word boundary (with …)."""
    if len(text) <= max_chars:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > max_chars:
            break
        kept = candidate
    if kept:
        return kept
    cut = text[: max(0, max_chars - 1)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return (cut.rstrip(" ,;:-") + "…")[:max_chars]


# -- the text ------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _variant(order: Order, private: Sequence[str]) -> str:
    parts = []
    for item in order.items:
        attrs = [
            f"{scrub(k, private)} {scrub(v, private)}"
            for k, v in item.attributes.items()
            if v and "ship" not in k.lower()
        ]
        if attrs:
            parts.append(", ".join(attrs))
    return _sentence("Variant: " + "; ".join(parts)) if parts else ""


def _notes(inspection: Inspection) -> dict[str, str]:
    return {str(c.id): str(c.note or "") for c in inspection.checks}


def _findings(inspection: Inspection | None, private: Sequence[str], stars: int = TOP) -> list[str]:
    """What the inspection found, as the outcome (``stars``) warrants.

    Minor issues (explicit reservations) are written below 5 stars and
    problems below 4; a check that is not written about counts as passed.
    A plain pass with a note is a pass: the note is never quoted.
    """
    if not inspection:
        return []
    notes = _notes(inspection)
    failed = _failed(inspection) if stars < 4 else []
    reservations = [r for r in _reservations(inspection) if r not in failed] if stars < TOP else []
    passed = [
        str(c.id)
        for c in inspection.checks
        if c.result == "pass" and str(c.id) not in reservations + failed
    ]
    out = []
    if passed:
        words = [CHECK_WORDS.get(i, (i.replace("_", " ") + " fine", ""))[0] for i in passed]
        out.append(_sentence("On arrival: " + ", ".join(words)))
    for label, ids in (("Problem", failed), ("Minor issue", reservations)):
        for check_id in ids:
            topic = CHECK_WORDS.get(check_id, ("", check_id.replace("_", " ")))[1]
            note = scrub(notes.get(check_id, ""), private).rstrip(".!? ")
            out.append(_sentence(f"{label} ({topic})" + (f": {note}" if note else "")))
    return out


def _delivery_sentence(delivery: Delivery | None) -> str:
    if delivery is None:
        return ""
    unit = "day" if delivery.days == 1 else "days"
    if delivery.counted_from == "shipped":
        return f"Arrived in {delivery.days} {unit}."
    return f"Arrived {delivery.days} {unit} after ordering."


def _communication_sentence(rating: Rating, had_conversation: bool) -> str:
    if not had_conversation:
        return ""
    return {
        5: "The seller answered quickly.",
        4: "The seller answered.",
        2: "The seller did not answer every message.",
        1: "The seller did not answer.",
    }.get(rating.value, "")


def review_text(
    order: Order,
    *,
    delivery: Delivery | None,
    communication_rating: Rating,
    max_chars: int,
    private: Sequence[str] = (),
    stars: int | None = None,
) -> str:
    """A factual review within ``max_chars``, most useful facts first, matching ``stars``."""
    had_conversation = any(n.sender in ("me", "seller") for n in order.notes)
    outcome = product_stars(order.inspection).value if stars is None else stars
    opening = OPENINGS.get(outcome, "") if order.inspection else ""
    sentences = [
        opening,
        _variant(order, private),
        *_findings(order.inspection, private, outcome),
        _delivery_sentence(delivery),
        _communication_sentence(communication_rating, had_conversation),
    ]
    text = " ".join(s for s in sentences if s) or "Item received."
    # A last pass over the whole text catches anything the pieces let through.
    return fit(scrub(text, private), max_chars)


def private_strings(order: Order, extra: Iterable[str] = ()) -> list[str]:
    """Strings that identify the buyer's parcel: tracking numbers and the order id."""
    found = [*order.all_tracking_numbers(), order.order_id, *extra]
    return [s for s in found if s and len(s.strip()) >= 4]


def draft_feedback(
    order: Order,
    *,
    now: datetime,
    typical_days: int | None,
    max_chars: int | None,
    delivered: date | None = None,
    stars: int | None = None,
    private: Iterable[str] = (),
    handling_days: int | None = None,
    scale: str = "stars5",
    rating_keys: Sequence[str] = DEFAULT_RATINGS,
) -> FeedbackDraft:
    """Stars, ratings and text for ``order``; ``stars`` overrides the derived stars.

    ``delivered`` stands in for ``order.delivered_at`` when only the tracking
    timeline knows the delivery date. ``scale`` and ``rating_keys`` come from
    the platform's feedback form (policy data).
    """
    delivery = delivery_days(
        ordered=order.ordered_at,
        shipped=order.shipped_at,
        delivered=order.delivered_at or delivered,
    )
    comm = communication(order.notes, now, disputed=bool(order.dispute))
    derived = product_stars(order.inspection)
    chosen = derived if stars is None else Rating(stars, "set with --stars")
    text = review_text(
        order,
        delivery=delivery,
        communication_rating=comm,
        max_chars=max_chars or DEFAULT_TEXT_MAX_CHARS,
        private=private_strings(order, private),
        stars=chosen.value,
    )
    speed = dispatch_speed(
        ordered=order.ordered_at,
        shipped=order.shipped_at,
        handling_days=handling_days,
        delivery=delivery,
        typical_days=typical_days,
    )
    available = {
        "item_as_described": item_as_described(order.inspection),
        "communication": comm,
        "shipping_speed": speed,
        "shipping_time": speed,
        "shipping_charges": Rating(TOP, "nothing recorded against the shipping charges"),
    }
    return FeedbackDraft(
        stars=chosen,
        ratings={key: available[key] for key in rating_keys if key in available},
        text=text,
        delivery=delivery,
        scale=scale,
    )
