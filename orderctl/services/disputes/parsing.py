"""Turn the dispute commands' option text into checked values.

``contact``, ``dispute`` and ``dispute-progress`` take the same kinds of
options (a reason code, a remedy, an amount of money); parsing them in one
place gives every command the same spellings, the same error messages and
the same hints (InvalidInput, exit 2).
"""

from __future__ import annotations

from decimal import Decimal

from orderctl.domain import dispute as dispute_rules
from orderctl.domain.models import Order
from orderctl.errors import InvalidInput


def parse_reason(text: str | None) -> str | None:
    if text is None:
        return None
    reason = text.strip().lower().replace("-", "_").replace(" ", "_")
    if reason not in dispute_rules.REASONS:
        raise InvalidInput(
            f"--reason: {text!r} is not a reason code",
            hint="Reasons: " + ", ".join(dispute_rules.REASONS),
        )
    return reason


def parse_remedy(text: str | None) -> str | None:
    if text is None:
        return None
    remedy = text.strip().lower().replace("_", "-")
    if remedy not in dispute_rules.REMEDIES:
        raise InvalidInput(
            f"--remedy: {text!r} is not a remedy",
            hint="Remedies: " + ", ".join(dispute_rules.REMEDIES),
        )
    return remedy


def parse_money(text: str | None, currency: str | None, option: str = "--amount") -> Decimal | None:
    """A decimal amount in the order's currency (``9.20``, ``9,20``, ``US $9.20``)."""
    if text is None:
        return None
    from orderctl.domain.field_parsers import amount_currency, parse_amount

    try:
        named = amount_currency(text)
        amount, _ = parse_amount(text, currency)
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None
    if named and currency and named != currency:
        raise InvalidInput(
            f"{option}: {text!r} is in {named}, but the order was paid in {currency}"
        )
    return amount


def claim_amount(remedy: str, text: str | None, order: Order) -> Decimal | None:
    """The amount claimed for ``remedy``, checked against what the order cost."""
    amount = parse_money(text, order.currency)
    try:
        return dispute_rules.check_amount(remedy, amount, order.price)
    except ValueError as exc:
        raise InvalidInput(f"--amount: {exc}") from None


def money_text(value: Decimal | None) -> str | None:
    """An amount as stored on the order and printed in JSON (a decimal string, or None)."""
    return None if value is None else str(value)


__all__ = ["claim_amount", "money_text", "parse_money", "parse_reason", "parse_remedy"]
