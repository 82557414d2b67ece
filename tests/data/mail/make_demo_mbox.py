"""Writes orderctl/data/demo/mail/sample.mbox, the demo's sample mailbox (invented data).

python tests/data/mail/make_demo_mbox.py
"""

from __future__ import annotations

import sys
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

from make_corpus import message, table  # noqa: E402

from tests.helpers.mail import mbox_bytes  # noqa: E402

TARGET = HERE.parents[2] / "orderctl" / "data" / "demo" / "mail" / "sample.mbox"

MESSAGES = [
    message(
        "demo-amazon-placed",
        '"Amazon.com" <auto-confirm@amazon.com>',
        'Your Amazon.com order of "Wireless earbuds with charging case"',
        "Fri, 20 Nov 2026 18:02:11 -0800",
        text="Hello Alex,\n\nThank you for your order.\n\nOrder #113-5550123-7788990\n\n"
        "Wireless earbuds with charging case\nQuantity: 1\n$39.99\n\nOrder Total: $39.99 USD\n",
    ),
    message(
        "demo-amazon-shipped",
        '"Amazon.com" <shipment-tracking@amazon.com>',
        "Your Amazon.com order #113-5550123-7788990 has shipped",
        "Sun, 22 Nov 2026 07:41:00 -0800",
        html="<p>Your package is on the way.</p><p>Order #113-5550123-7788990</p>"
        '<p>Carrier: UPS. <a href="https://www.ups.com/track?tracknum=1Z5R89390357567127">'
        "Track package</a></p>",
    ),
    message(
        "demo-ebay-placed",
        "eBay <ebay@ebay.co.uk>",
        "Order confirmed: Brass desk bell",
        "Wed, 18 Nov 2026 20:10:00 +0000",
        html="<p>Thanks for your order.</p><p>Order number: 04-12345-67890</p>"
        + table([["Brass desk bell", "£12.50"], ["Postage", "£3.20"], ["Total", "£15.70"]]),
        cte="quoted-printable",
    ),
    message(
        "demo-ebay-shipped",
        "eBay <ebay@ebay.co.uk>",
        "Your order's on its way: Brass desk bell",
        "Thu, 19 Nov 2026 09:45:00 +0000",
        text="Order number: 04-12345-67890\nRoyal Mail tracking number: RB 1234 5678 5GB\n",
    ),
    message(
        "demo-royalmail-delivered",
        "Royal Mail <no-reply@royalmail.com>",
        "Your Royal Mail item has been delivered",
        "Mon, 23 Nov 2026 12:30:00 +0000",
        text="Your item RB123456785GB was delivered today.\n",
    ),
    message(
        "demo-newsletter",
        "AliExpress <newsletter@notice.aliexpress.com>",
        "Black Friday picks for you",
        "Tue, 24 Nov 2026 10:00:00 +0800",
        html="<p>Up to 70% off! Shop now.</p>",
    ),
    message(
        "demo-private",
        "Sam <sam@example.net>",
        "Dinner on Saturday?",
        "Wed, 25 Nov 2026 19:00:00 +0000",
        text="Are you free at eight?\n",
    ),
]


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(mbox_bytes([m.as_bytes(policy=SMTP) for m in MESSAGES]))
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
