"""Item lines and the order total in a message's text.

A line with an amount on it is the order total when it says so (in any of
the supported languages), is skipped when it is a subtotal, shipping, tax or
discount line, and is otherwise an item: its title is the rest of the line
(or the line above, when the amount stands alone), with a quantity when one
is given (``Qty: 2``, ``Menge: 2``, ``2 x``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from orderctl.domain import field_parsers
from orderctl.domain.mail.model import MailItem

_AMOUNT = re.compile(
    r"(?:(?:US|CA|AU|NZ|HK|C|A|R)?\s?\$|€|£|EUR|USD|GBP|PLN|CHF|BRL|CAD|AUD)\s?\d[\d.,]*\d?"
    r"|\d[\d.,]*\d?\s?(?:€|zł|EUR|USD|GBP|PLN|CHF|BRL|kr)(?![A-Za-z])",
)
_TOTAL = re.compile(
    r"\b(?:order total|grand total|total paid|total|gesamtbetrag|gesamtsumme|gesamt|summe|"
    r"total de la commande|montant total|importe total|totale|razem|suma|do zapłaty|"
    r"total do pedido|valor total)\b",
    re.IGNORECASE,
)
_NOT_ITEM = re.compile(
    r"subtotal|sub-total|zwischensumme|sous-total|shipping|postage|delivery fee|versand|"
    r"livraison|frais de port|env[íi]o|spedizione|wysyłka|dostawa|frete|portes|"
    r"\btax|vat\b|mwst|ust\.|tva|\biva\b|podatek|discount|rabatt|remise|descuento|sconto|"
    r"rabat|desconto|coupon|gutschein|savings|promo|refund|erstattung|balance|saldo",
    re.IGNORECASE,
)
_QTY_WORD = (
    r"(?:qty|quantity|menge|anzahl|quantité|qté|cantidad|cant\.|quantità|ilość|quantidade)"
    r"\s*[:.]?\s*(\d{1,3})"
)
_QTY = re.compile(
    _QTY_WORD + r"|\b(\d{1,3})\s*[x×]\s|\s[x×]\s?(\d{1,3})\b",
    re.IGNORECASE,
)
_QTY_LINE = re.compile(r"^\W*" + _QTY_WORD + r"\W*$", re.IGNORECASE)
_CODE = re.compile(r"\b(USD|EUR|GBP|PLN|CHF|BRL|CAD|AUD)\b")
_PRICE_LABEL = re.compile(
    r"\b(?:price|preis|prix|precio|prezzo|cena|preço|item price|unit price)\s*[:.]?\s*$",
    re.IGNORECASE,
)


def _amount(text: str) -> tuple[Decimal, str | None] | None:
    try:
        return field_parsers.parse_amount(text.strip())
    except ValueError:
        return None


def _title(text: str) -> str:
    text = _AMOUNT.sub(" ", text)
    text = _QTY.sub(" ", text)
    text = _PRICE_LABEL.sub(" ", text)
    text = re.sub(r"\s*\|\s*(?=\||$)", " ", text)
    return " ".join(text.replace("|", " ").split()).strip(" -–:·•*")


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _quantity(line: str) -> int:
    found = _QTY.search(line)
    if not found:
        return 1
    number = next(g for g in found.groups() if g)
    return max(1, int(number))


def extract_money(text: str) -> tuple[list[MailItem], Decimal | None, str | None]:
    """(items, order total, currency) found in ``text``."""
    items: list[MailItem] = []
    total: Decimal | None = None
    currency: str | None = None
    previous = ""
    pending_quantity: int | None = None
    for raw in text.splitlines():
        line = raw.strip()
        found = _AMOUNT.search(line)
        if not found:
            if _QTY_LINE.match(line):
                pending_quantity = _quantity(line)
            elif _letters(line) >= 3:
                previous, pending_quantity = line, None
            continue
        parsed = _amount(found.group(0))
        if parsed is None:
            continue
        amount, code = parsed
        if _NOT_ITEM.search(line):
            previous = ""
            continue
        if _TOTAL.search(line):
            total, currency = amount, code or currency
            previous = ""
            continue
        title = _title(line)
        if _letters(title) < 3 and _letters(previous) >= 3 and not _TOTAL.search(previous):
            title = _title(previous)
        if _letters(title) >= 3 and len(title) <= 300:
            quantity = _quantity(line) if _QTY.search(line) else pending_quantity or 1
            items.append(MailItem(title, quantity, amount, code))
            currency = currency or code
        previous, pending_quantity = "", None
    if currency is None:  # "$" alone is ambiguous; a code elsewhere in the mail settles it
        named = _CODE.search(text)
        currency = named.group(1) if named else None
    for item in items:
        item.currency = item.currency or currency
    return items, total, currency
