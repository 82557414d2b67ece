"""What recognition found in one message, with the JSON shape ``import --json`` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

KINDS = (
    "order_placed",
    "shipped",
    "out_for_delivery",
    "delivered",
    "exception",
    "refund",
    "other",
)


@dataclass(frozen=True)
class TrackingHit:
    """One tracking number, its carrier slug (None when unknown) and where it was seen."""

    number: str
    carrier: str | None
    source: str = "text"  # "text" or "link"

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "carrier": self.carrier}


@dataclass
class MailItem:
    title: str
    quantity: int = 1
    price: Decimal | None = None  # as shown on the line (quantity x unit)
    currency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "quantity": self.quantity,
            "price": None if self.price is None else str(self.price),
            "currency": self.currency,
        }


@dataclass
class MailExtraction:
    """Everything read from one recognised message."""

    message_id: str
    date: datetime | None
    sender: str  # the address the message (or the forwarded original) came from
    subject: str
    sender_key: str  # which sender module recognised it ("generic" for the fallback)
    platform: str | None  # marketplace key (aliexpress, amazon, ..., walmart, shopify) or None
    kind: str
    order_ids: list[str] = field(default_factory=list)
    tracking: list[TrackingHit] = field(default_factory=list)
    items: list[MailItem] = field(default_factory=list)
    total: Decimal | None = None
    currency: str | None = None
    store: str | None = None
    tracking_links: list[str] = field(default_factory=list)
    forwarded: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "date": None if self.date is None else self.date.isoformat(),
            "from": self.sender,
            "subject": self.subject,
            "platform": self.platform,
            "kind": self.kind,
            "order_ids": list(self.order_ids),
            "tracking_numbers": [t.to_dict() for t in self.tracking],
            "items": [i.to_dict() for i in self.items],
            "total": None if self.total is None else str(self.total),
            "currency": self.currency,
            "store": self.store,
            "tracking_links": list(self.tracking_links),
            "forwarded": self.forwarded,
        }
