"""One small data module per sender; :data:`SENDERS` lists them, most specific first.

A :class:`~orderctl.domain.mail.senders.spec.SenderSpec` (in ``spec.py``, which
the sender modules import, so none imports this package back) says which
addresses a sender writes from, what its order ids look like (and whether
they need an "order" word next to them to be told apart from other numbers),
and, for carriers, which carrier it is.
"""

from __future__ import annotations

from orderctl.domain.mail.senders.spec import SenderSpec


def _load() -> tuple[SenderSpec, ...]:
    from orderctl.domain.mail.senders import (
        aliexpress,
        amazon,
        carriers,
        ebay,
        etsy,
        shein,
        shopify,
        temu,
        walmart,
        wish,
    )

    marketplaces = [
        m.SENDER for m in (aliexpress, amazon, ebay, temu, etsy, shein, wish, walmart, shopify)
    ]
    return (*marketplaces, *carriers.SENDERS)


SENDERS: tuple[SenderSpec, ...] = _load()
MARKETPLACES = tuple(s for s in SENDERS if s.platform is not None)


def sender_for(address: str) -> SenderSpec | None:
    for spec in SENDERS:
        if spec.domains and spec.matches_address(address):
            return spec
    return None


def by_key(key: str) -> SenderSpec | None:
    return next((s for s in SENDERS if s.key == key), None)
