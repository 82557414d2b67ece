"""A kept message as plain text for a dispute bundle: headers, body, what was recognised.

The body is the decoded text (HTML rendered to text by the parser, no remote
content fetched); the recognised items and totals are listed after it.
"""

from __future__ import annotations

from orderctl.domain.mail.message import ParsedMail
from orderctl.domain.mail.model import MailExtraction


def render_text(parsed: ParsedMail, extraction: MailExtraction) -> str:
    h = parsed.headers
    lines = [
        f"Message-ID: {h.message_id}",
        f"Date: {'' if h.date is None else h.date.isoformat()}",
        f"From: {h.sender_name} <{h.sender}>" if h.sender_name else f"From: {h.sender}",
        f"Subject: {h.subject}",
    ]
    if parsed.original_sender:
        lines.append(f"Forwarded; original sender: {parsed.original_sender}")
    lines += ["", parsed.text.strip(), "", "--- recognised by orderctl ---"]
    lines.append(f"Kind: {extraction.kind}; order ids: {', '.join(extraction.order_ids) or '-'}")
    for item in extraction.items:
        price = "" if item.price is None else f" {item.price} {item.currency or ''}".rstrip()
        lines.append(f"Item: {item.title} x{item.quantity}{price}")
    if extraction.total is not None:
        lines.append(f"Total: {extraction.total} {extraction.currency or ''}".rstrip())
    return "\n".join(lines) + "\n"
