"""Amazon, every locale (amazon.com, .de, .co.uk, .fr, .es, .it, .pl, .com.br, ...)."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="amazon",
    name="Amazon",
    domains=("amazon.",),
    platform="amazon",
    order_id=re.compile(r"(?<![\w-])((?:\d{3}|D\d{2})-\d{7}-\d{7})(?![\w-])"),
)
