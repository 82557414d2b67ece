"""AliExpress: notice.aliexpress.com / aliexpress.com; ids are 12-20 digits, needing context."""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="aliexpress",
    name="AliExpress",
    domains=("aliexpress.com", "aliexpress.ru", "aliexpress.us", "alibaba.com"),
    platform="aliexpress",
    order_id=re.compile(r"(?<![\w-])(\d{12,20})(?![\w-])"),
    needs_context=True,
)
