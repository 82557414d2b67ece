"""What a sender looks like: :class:`SenderSpec` and the words around order ids.

Its own module so the sender data modules do not import the package that lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that introduce an order id (en, de, fr, es, it, pl, pt, nl).
ORDER_WORDS = re.compile(
    r"(?:order|bestellung|bestellnummer|auftrag|commande|pedido|ordine|zamówieni[ae]|"
    r"encomenda|bestelling|receipt|purchase|transaction)",
    re.IGNORECASE,
)
ORDER_LINK_PARAMS = ("orderid", "order_id", "parent_order_sn", "ordernumber", "order")


@dataclass(frozen=True)
class SenderSpec:
    key: str
    name: str
    domains: tuple[str, ...]  # sender domain suffixes ("amazon." matches any Amazon locale)
    platform: str | None = None  # the order book's platform key; None for carriers
    order_id: re.Pattern[str] | None = None  # group 1 is the id
    needs_context: bool = False  # ids only next to an order word (else any match counts)
    carrier: str | None = None  # carriers' own notices: the slug
    markers: tuple[str, ...] = ()  # body/link markers for senders without fixed domains

    def matches_address(self, address: str) -> bool:
        domain = address.rpartition("@")[2].lower()
        for suffix in self.domains:
            if suffix.endswith("."):  # any top-level domain: "amazon." matches amazon.co.uk
                if f".{domain}".find(f".{suffix}") >= 0:
                    return True
            elif domain == suffix or domain.endswith("." + suffix):
                return True
        return False
