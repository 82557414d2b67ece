"""Wish: wish.com; order / transaction ids are 24 hexadecimal characters."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="wish",
    name="Wish",
    domains=("wish.com", "wishmail.com"),
    platform="wish",
    order_id=re.compile(r"(?<![0-9a-f])([0-9a-f]{24})(?![0-9a-f])"),
)
