"""SHEIN: shein.com and regional domains; order numbers are letters and digits (GSH...)."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="shein",
    name="SHEIN",
    domains=("shein.com", "sheinemail.com", "shein.co.uk", "shein.de", "shein.fr", "shein.es"),
    platform="shein",
    order_id=re.compile(r"(?<![\w-])([A-Z]{2,6}\d[A-Z0-9]{7,16})(?![\w-])"),
    needs_context=True,
)
