"""RFC 5322 bytes to what recognition needs: headers, plain text, link targets.

Real mail is often broken: wrong charset labels, 8-bit bytes in headers, bad
MIME boundaries. Every decode step falls back to ``errors="replace"`` and
carries on; nothing here raises on bad input.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

_HEADER_PARSER = BytesHeaderParser(policy=email.policy.compat32)

# Markers mail clients put above an inline-forwarded message (en, de, fr, es, it, pl, pt).
_FORWARD_MARKERS = re.compile(
    r"-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|"
    r"ursprüngliche nachricht|message transféré|message d'origine|mensaje reenviado|"
    r"mensaje original|messaggio inoltrato|messaggio originale|wiadomość przekazana dalej|"
    r"oryginalna wiadomość|mensagem encaminhada|mensagem original)\s*-{0,}|"
    r"begin forwarded message:|anfang der weitergeleiteten nachricht:|"
    r"début du message réexpédié\s*:",
    re.IGNORECASE,
)
_FORWARD_FIELD = re.compile(
    r"^\s*\**(from|von|de|da|od|subject|betreff|objet|asunto|oggetto|temat|assunto)\**\s*:\s*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_SUBJECT_FIELDS = {"subject", "betreff", "objet", "asunto", "oggetto", "temat", "assunto"}
_ADDRESS = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)


@dataclass
class Headers:
    """The few headers the header pass reads."""

    message_id: str
    sender: str  # lower-case address
    sender_name: str
    subject: str
    date: datetime | None


@dataclass
class ParsedMail:
    headers: Headers
    text: str  # plain text of the body (HTML rendered), forwarded original included
    links: list[str] = field(default_factory=list)
    original_sender: str | None = None  # set for forwarded mail
    original_subject: str | None = None

    @property
    def sender(self) -> str:
        return self.original_sender or self.headers.sender

    @property
    def subject(self) -> str:
        return self.original_subject or self.headers.subject


def _decode_header(value: object) -> str:
    if value is None:
        return ""
    try:
        from email.header import decode_header, make_header

        return str(make_header(decode_header(str(value))))
    except Exception:  # broken encoded words: show them as they are
        return str(value)


def _clean(text: str) -> str:
    return " ".join(text.split())


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None  # a date without a zone cannot be placed on the buyer's calendar
    return parsed


def _address(value: str) -> tuple[str, str]:
    pairs = getaddresses([value])
    for name, addr in pairs:
        if "@" in addr:
            return addr.strip().lower(), _clean(name)
    found = _ADDRESS.search(value)
    return (found.group(0).lower() if found else "", _clean(value))


def headers_from_message(msg: Message) -> Headers:
    sender, name = _address(_decode_header(msg.get("From")))
    message_id = str(msg.get("Message-ID") or "").strip()
    return Headers(
        message_id=_clean(message_id),
        sender=sender,
        sender_name=name,
        subject=_clean(_decode_header(msg.get("Subject"))),
        date=parse_date(str(msg.get("Date") or "")),
    )


def parse_headers(data: bytes) -> Headers:
    """Only the header block: cheap, for the first pass over a large mailbox."""
    end = data.find(b"\r\n\r\n")
    alt = data.find(b"\n\n")
    cut = min(x for x in (end, alt, len(data)) if x >= 0)
    return headers_from_message(_HEADER_PARSER.parsebytes(data[:cut] + b"\n\n"))


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # unknown charset label
        return payload.decode("utf-8", errors="replace")


def _bodies(msg: Message) -> tuple[list[str], list[str], list[Message]]:
    """(plain parts, html parts, attached messages) in document order."""
    plain: list[str] = []
    html: list[str] = []
    attached: list[Message] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                attached.append(inner[0])
            continue
        if part.is_multipart():
            continue
        if str(part.get("Content-Disposition", "")).lower().startswith("attachment"):
            continue
        if ctype == "text/plain":
            plain.append(_part_text(part))
        elif ctype == "text/html":
            html.append(_part_text(part))
    return plain, html, attached


def _message_text(msg: Message) -> tuple[str, list[str], list[Message]]:
    from orderctl.domain.mail.html import html_to_text

    plain, html, attached = _bodies(msg)
    links: list[str] = []
    texts: list[str] = []
    for doc in html:
        text, found = html_to_text(doc)
        links += found
        if not plain:
            texts.append(text)
    texts = plain + texts
    joined = "\n".join(texts)
    links += _URL.findall(joined)
    return joined, links, attached


def _inline_forward(text: str) -> tuple[str | None, str | None]:
    marker = _FORWARD_MARKERS.search(text)
    if marker is None:
        return None, None
    block = text[marker.end() : marker.end() + 1500]
    sender = subject = None
    for found in _FORWARD_FIELD.finditer(block):
        name, value = found.group(1).lower(), found.group(2).strip()
        if name in _SUBJECT_FIELDS:
            subject = subject or _clean(value)
        elif sender is None:
            address = _ADDRESS.search(value)
            if address:
                sender = address.group(0).lower()
    return sender, subject


def parse_message(data: bytes) -> ParsedMail:
    """Decode the whole message (quoted-printable, base64, charsets, forwarded parts)."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    headers = headers_from_message(msg)
    text, links, attached = _message_text(msg)
    original_sender = original_subject = None
    for inner in attached:  # a forward as attachment: the original is the real message
        inner_headers = headers_from_message(inner)
        inner_text, inner_links, _ = _message_text(inner)
        text = f"{text}\n{inner_text}"
        links += inner_links
        original_sender = original_sender or inner_headers.sender or None
        original_subject = original_subject or inner_headers.subject or None
    if original_sender is None:
        original_sender, original_subject = _inline_forward(text)
    if original_sender == headers.sender:
        original_sender = None
    unique_links = list(dict.fromkeys(link.rstrip(".,;") for link in links))
    return ParsedMail(headers, text, unique_links, original_sender, original_subject)


__all__ = ["EmailMessage", "Headers", "ParsedMail", "parse_headers", "parse_message"]
