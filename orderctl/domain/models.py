"""The order book's data model: plain dataclasses with a stable dict form.

Dates are ``datetime.date`` in memory and ``YYYY-MM-DD`` in storage and JSON;
money is ``Decimal`` in memory and a decimal string in storage and JSON, so a
round trip through the store or an export never changes a value.

The records an order carries are typed (frozen dataclasses in
:mod:`orderctl.domain.records`, each with one ``to_dict``/``from_dict`` used
only here, at the store boundary): ``Order.dispute`` is a ``Dispute`` with
its ``DisputeStep`` progress, ``Order.feedback`` a ``Feedback``,
``Order.notes`` a list of ``ConversationNote``, ``Order.inspection`` an
``Inspection`` with its ``InspectionCheck`` results, ``Order.history`` a list
of ``HistoryEntry``, ``Order.mail_evidence`` a list of ``KeptMail``; evidence
files are ``EvidenceRef``. They keep the stored key order and any unknown
keys, so the stored JSON is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when an order carrying them is loaded (start-up time)
    from orderctl.domain.records import (
        ConversationNote,
        Dispute,
        Feedback,
        HistoryEntry,
        Inspection,
        KeptMail,
    )


class OrderState(StrEnum):
    """Where an order stands from the buyer's point of view."""

    ORDERED = "ordered"  # paid, no tracking yet
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    INSPECTED = "inspected"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    CLOSED = "closed"


# Bulky per-order data kept outside the order index (see orderctl.store.shards);
# exports carry them inline under these keys.
DETAIL_KEYS = ("events", "inspections", "inspection_draft")

DATE_FIELDS = (
    "ordered_at",
    "shipped_at",
    "delivered_at",
    "protection_ends_at",
    "completed_at",
    "expected_delivery_from",
    "expected_delivery_by",
    "protection_ends_recorded_on",
)


@dataclass
class Item:
    """One line of an order: what was bought, how many, at what unit price."""

    title: str
    quantity: int = 1
    unit_price: Decimal | None = None
    currency: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    product_id: str | None = None
    sku_id: str | None = None
    image_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "quantity": self.quantity,
            "unit_price": None if self.unit_price is None else str(self.unit_price),
            "currency": self.currency,
            "attributes": dict(self.attributes),
            "url": self.url,
            "product_id": self.product_id,
            "sku_id": self.sku_id,
            "image_url": self.image_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        if not isinstance(data, dict):
            raise TypeError("each item must be an object")
        price = data.get("unit_price")
        attributes = data.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise TypeError("item attributes must be an object")
        return cls(
            title=_str("item title", data["title"]),
            quantity=int(data.get("quantity", 1)),
            unit_price=None if price in (None, "") else Decimal(str(price)),
            currency=data.get("currency"),
            attributes={str(k): str(v) for k, v in attributes.items()},
            url=data.get("url"),
            product_id=data.get("product_id"),
            sku_id=data.get("sku_id"),
            image_url=data.get("image_url"),
        )


@dataclass
class Order:
    """An order and everything orderctl knows about it.

    ``price`` is the order total as the buyer paid it. ``tracking_numbers``
    keeps every number the parcel was known by (first mile, last mile), with
    ``tracking_number`` the one the buyer gave. ``extra`` preserves fields a
    newer orderctl or a later issue wrote, so nothing is dropped on a rewrite.
    """

    order_id: str
    title: str
    platform: str = "aliexpress"
    store: str | None = None
    store_url: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    quantity: int = 1
    category: str | None = None
    url: str | None = None
    payment_method: str | None = None
    platform_status: str | None = None
    state: OrderState = OrderState.ORDERED
    ordered_at: date | None = None
    shipped_at: date | None = None
    delivered_at: date | None = None
    protection_ends_at: date | None = None
    completed_at: date | None = None
    # The platform's estimated delivery window (its latest date anchors eBay, Amazon,
    # Etsy and Wish windows) and the day the buyer recorded protection_ends_at.
    expected_delivery_from: date | None = None
    expected_delivery_by: date | None = None
    protection_ends_recorded_on: date | None = None
    confirmed_at: str | None = None
    tracking_number: str | None = None
    carrier: str | None = None
    tracking_numbers: list[str] = field(default_factory=list)
    shipment_status: str | None = None
    shipment_detail: str | None = None
    last_event_at: str | None = None
    tracked_at: str | None = None
    items: list[Item] = field(default_factory=list)
    inspection: Inspection | None = None
    feedback: Feedback | None = None
    dispute: Dispute | None = None
    notes: list[ConversationNote] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None
    # Later fields (see _TAIL_FIELDS): who named ``carrier`` (``detected``, ``user``
    # or a provider) while it is still ``carrier_source_for``; order e-mails kept
    # as evidence by ``import --keep-mail``.
    carrier_source: str | None = None
    carrier_source_for: str | None = None
    mail_evidence: list[KeptMail] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # The loaded order of the tail keys (later fields and unknown keys), so a
    # rewrite keeps them where they were.
    tail_keys: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The stored and exported form (JSON-safe, stable key names)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in _NOT_IN_ORDER:
                continue
            value = getattr(self, f.name)
            if f.name in _RECORD_LIST_FIELDS:
                value = [entry.to_dict() for entry in value]
            elif f.name in _RECORD_FIELDS:
                value = None if value is None else value.to_dict()
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, OrderState):
                value = value.value
            elif isinstance(value, list):
                value = list(value)
            out[f.name] = value
        tail: dict[str, Any] = {}
        for name in _TAIL_FIELDS:
            value = getattr(self, name)
            if value not in (None, []):  # absent, as when they were unknown keys
                tail[name] = [e.to_dict() for e in value] if isinstance(value, list) else value
        tail.update((k, v) for k, v in self.extra.items() if k not in tail)
        for key in (*self.tail_keys, *tail):
            if key in tail and key not in out:
                out[key] = tail[key]
        return out

    def to_storage(self) -> dict[str, Any]:
        """The stored form: :meth:`to_dict` without empty values.

        Most fields of most orders are empty; leaving them out halves the index
        file, which every command parses (``from_dict`` restores the defaults).
        """
        return {k: v for k, v in self.to_dict().items() if v is not None and v != [] and v != {}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Order:
        """Inverse of :meth:`to_dict`; raises KeyError/ValueError/TypeError on bad shapes.

        Types are checked here because the store and JSON imports read files a
        person may have edited: a wrong type must be refused on load, not crash
        a command later.
        """
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            convert = _CONVERTERS.get(name)
            if convert is None:
                continue  # not a field: kept in ``extra`` below
            if value is None:
                if name in _REQUIRED_STR:
                    raise TypeError(f"{name} must not be null")
                kwargs[name] = [] if name in _LIST_FIELDS else None
            else:
                kwargs[name] = convert(name, value)
        if "order_id" not in kwargs or "title" not in kwargs:
            raise KeyError("order_id and title are required")
        order = cls(**kwargs)
        order.extra = {
            k: v for k, v in data.items() if k not in _ORDER_FIELDS and k not in DETAIL_KEYS
        }
        order.tail_keys = tuple(k for k in data if k in _TAIL_FIELDS or k in order.extra)
        return order

    def all_tracking_numbers(self) -> list[str]:
        """The buyer's number first, then every other number the parcel carried."""
        numbers = [self.tracking_number] if self.tracking_number else []
        numbers += [n for n in self.tracking_numbers if n not in numbers]
        return numbers


def _records() -> Any:
    """:mod:`orderctl.domain.records`, imported on first use: commands that never load an
    order's records (``list`` from its cache, completion, ``--version``) skip the ~9 ms it
    takes to build its dataclasses."""
    from orderctl.domain import records

    return records


def _str(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    return value


def _date(name: str, value: Any) -> date | None:
    return None if value == "" else date.fromisoformat(_str(name, value))


def _list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{name} must be a list")
    return list(value)


def _items(name: str, value: Any) -> list[Item]:
    return [Item.from_dict(i) for i in _list(name, value)]


def _order_id(name: str, value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise TypeError("order_id must be a string")
    return str(value)


# Fields added after the first release, which older releases kept among the
# unknown keys (written after every field, and only when set): they are written
# the same way, among the unknown keys in their loaded order.
_TAIL_FIELDS = ("carrier_source", "carrier_source_for", "mail_evidence")
_NOT_IN_ORDER = frozenset({"extra", "tail_keys", *_TAIL_FIELDS})
_ORDER_FIELDS = frozenset(f.name for f in fields(Order)) - {"extra", "tail_keys"}
_RECORD_FIELDS = frozenset({"inspection", "feedback", "dispute"})
_RECORD_LIST_FIELDS = frozenset({"items", "notes", "history", "mail_evidence"})
_LIST_FIELDS = _RECORD_LIST_FIELDS | {"tracking_numbers"}
_REQUIRED_STR = frozenset({"title", "platform", "state", "order_id"})
# One converter per stored field (checked once per document on every load: keep it cheap).
_CONVERTERS: dict[str, Any] = {name: _str for name in _ORDER_FIELDS}
_CONVERTERS.update(dict.fromkeys(DATE_FIELDS, _date))
_CONVERTERS["tracking_numbers"] = _list
_CONVERTERS.update(
    items=_items,
    order_id=_order_id,
    inspection=lambda _n, v: _records().Inspection.from_dict(v) if v != {} else None,
    dispute=lambda _n, v: _records().Dispute.from_dict(v) if v != {} else None,
    feedback=lambda _n, v: _records().Feedback.from_dict(v) if v != {} else None,
    notes=lambda n, v: [_records().ConversationNote.from_dict(e) for e in _list(n, v)],
    history=lambda n, v: [_records().HistoryEntry.from_dict(e) for e in _list(n, v)],
    mail_evidence=lambda n, v: [_records().KeptMail.from_dict(e) for e in _list(n, v)],
    price=lambda _n, v: None if v == "" else Decimal(str(v)),
    state=lambda _n, v: OrderState(v),
    quantity=lambda _n, v: int(v),
)
