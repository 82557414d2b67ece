"""Temu: temu.com / temuemail.com; order ids PO-NNN-NNNNNNNNNNNNNNNNN."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="temu",
    name="Temu",
    domains=("temu.com", "temuemail.com", "temu.de"),
    platform="temu",
    order_id=re.compile(r"(?<![\w-])(PO-\d{3}-\d{14,20})(?![\w-])"),
)
