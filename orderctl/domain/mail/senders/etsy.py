"""Etsy: etsy.com / mail.etsy.com; receipt (order) numbers are 9-11 digits after an order word."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="etsy",
    name="Etsy",
    domains=("etsy.com",),
    platform="etsy",
    order_id=re.compile(r"(?<![\w-])(\d{9,11})(?![\w-])"),
    needs_context=True,
)
