"""Words a person reads instead of rule ids (ids stay in JSON).

Deadline entries may carry their own ``label`` (from the policy data); when
they do not, the rule kind maps to a short label here. Anything unknown
becomes its id with spaces ("return_closes" → "Return closes").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

DEADLINE_LABELS: dict[str, str] = {
    "extend_protection": "Extend protection",
    "dispute_by": "Last safe dispute day",
    "protection_ends": "Protection ends",
    "dispute_closes": "Refund request closes",
    "feedback_closes": "Feedback closes",
    "escalate_by": "Escalate the dispute",
    "claim_closes": "Claim window closes",
    "return_closes": "Return window closes",
    "paypal_dispute_closes": "PayPal dispute closes",
}

OUTCOME_LABELS: dict[str, str] = {
    "refunded": "refunded",
    "partially_refunded": "partially refunded",
    "rejected": "rejected",
}


def humanise(identifier: str) -> str:
    return identifier.replace("_", " ").replace("-", " ").strip().capitalize()


def _reader(entry: Mapping[str, Any] | Any) -> Callable[[str], Any]:
    """``entry``'s values by name, whether it is a JSON row or a typed record."""
    if isinstance(entry, Mapping):
        return entry.get
    return lambda name: getattr(entry, name, None)


def deadline_label(entry: Mapping[str, Any] | Any) -> str:
    """The short label of a deadline (a ``due``/``list`` row, or a domain Deadline)."""
    get = _reader(entry)
    label = get("label")
    if label:
        return str(label)
    kind = str(get("kind") or "")
    return DEADLINE_LABELS.get(kind) or humanise(kind)


def dispute_summary(dispute: Mapping[str, Any] | Any, currency: str | None = None) -> str:
    """``resolved: refunded 9.50 USD`` — the status, and for a resolved dispute its outcome.

    ``dispute`` is a Dispute record or the ``dispute`` object of a ``list`` row.
    """
    get = _reader(dispute)
    status = str(get("status") or "")
    outcome = get("outcome")
    if not outcome:
        return status
    text = f"{status}: {OUTCOME_LABELS.get(outcome, humanise(str(outcome)))}"
    amount = get("refund_amount")
    if amount not in (None, ""):
        text += f" {amount} {currency or ''}".rstrip()
    return text


def bullets(text: str) -> str:
    """A multi-line note as one ``- `` bullet per line; a one-line note as it is."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return "\n".join(f"- {line}" for line in lines)
