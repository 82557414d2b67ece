"""Demo step: import the bundled sample mailbox (an mbox written for the demo).

Two Amazon mails (confirmation, then shipped with a UPS link), an eBay order
with its Royal Mail delivery notice (tied by the tracking number), a
newsletter and a private message that are never read past their headers.
"""

from __future__ import annotations

from pathlib import Path

from orderctl.cli.commands.demo import Step


def steps(data: Path) -> list[Step]:
    return [
        Step(
            "Orders from your mailbox",
            ["import", str(data / "mail" / "sample.mbox")],
            "Order confirmations create orders, shipping and delivery notices add tracking "
            "numbers and dates. Only order mail is read past its headers; the same works for "
            ".eml files, Maildir folders and imaps:// (read-only).",
        ),
    ]
