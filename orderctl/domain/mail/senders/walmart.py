"""Walmart: walmart.com; order numbers 13-15 digits or NNNNNNN-NNNNNNNN (book platform "other")."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="walmart",
    name="Walmart",
    domains=("walmart.com", "walmart.ca"),
    platform="walmart",
    order_id=re.compile(r"(?<![\w-])(\d{7}-\d{6,8}|\d{13,15})(?![\w-])"),
    needs_context=True,
)
