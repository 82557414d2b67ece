"""eBay: ebay.<tld>; order numbers NN-NNNNN-NNNNN."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="ebay",
    name="eBay",
    domains=("ebay.",),
    platform="ebay",
    order_id=re.compile(r"(?<![\w-])(\d{2}-\d{5}-\d{5})(?![\w-])"),
)
