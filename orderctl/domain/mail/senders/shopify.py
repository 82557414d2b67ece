"""Shopify stores: any sender; recognised by links to the store's Shopify pages.

Order numbers are the store's own (``#1001``), so the id kept is qualified by
the store's domain (``shop.example.com#1001``) to keep two stores apart.
"""

import re

from orderctl.domain.mail.senders.spec import SenderSpec

SENDER = SenderSpec(
    key="shopify",
    name="Shopify store",
    domains=(),
    platform="shopify",
    order_id=re.compile(r"#\s?([A-Z]{0,5}-?\d{3,10})\b"),
    needs_context=True,
    markers=("myshopify.com", "shopify.com", "cdn.shopify", "shopifyemail.com"),
)
