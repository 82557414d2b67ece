"""Header pass and full recognition of one message.

The header pass (:func:`header_candidate`) looks at the sender and subject
only, so a large mailbox is skimmed without decoding bodies. :func:`recognise`
reads a candidate in full: which sender module applies (by the sender's
address, or the forwarded original's; Shopify stores by their links), the
kind, order ids, tracking numbers, items and total. Messages from unknown
senders go through the generic fallback: order ids of any marketplace with
an order word next to them, and tracking numbers anywhere.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from orderctl.domain.mail.kinds import classify, looks_like_order_mail
from orderctl.domain.mail.message import ParsedMail
from orderctl.domain.mail.model import MailExtraction, TrackingHit
from orderctl.domain.mail.money import extract_money
from orderctl.domain.mail.senders import MARKETPLACES, by_key, sender_for
from orderctl.domain.mail.senders.spec import ORDER_LINK_PARAMS, ORDER_WORDS, SenderSpec
from orderctl.domain.mail.tracking import _carrier_of_host, find_tracking_numbers

_CONTEXT = 45  # characters before an id where an order word must stand


def header_candidate(sender: str, subject: str) -> bool:
    """Worth reading in full? A known sender, or an order/shipping phrase in the subject."""
    return sender_for(sender) is not None or looks_like_order_mail(subject)


def _ids_in_text(spec: SenderSpec, text: str) -> list[str]:
    assert spec.order_id is not None
    found: list[str] = []
    for match in spec.order_id.finditer(text):
        if spec.needs_context:
            before = text[max(0, match.start() - _CONTEXT) : match.start()]
            if not ORDER_WORDS.search(before):
                continue
        found.append(match.group(1))
    return found


def _ids_in_links(spec: SenderSpec, links: list[str]) -> list[str]:
    assert spec.order_id is not None
    found: list[str] = []
    for link in links:
        try:
            query = parse_qsl(urlsplit(link).query)
        except ValueError:
            continue
        for key, value in query:
            if key.lower() in ORDER_LINK_PARAMS and spec.order_id.fullmatch(value.strip()):
                found.append(value.strip())
    return found


def _order_ids(spec: SenderSpec, subject: str, text: str, links: list[str]) -> list[str]:
    ids = _ids_in_text(spec, subject) + _ids_in_text(spec, text) + _ids_in_links(spec, links)
    return list(dict.fromkeys(ids))


def _shopify_store(parsed: ParsedMail) -> str | None:
    for link in parsed.links:
        host = (urlsplit(link).hostname or "").lower()
        if host and "shopify" not in host and "/orders/" in link:
            return host.removeprefix("www.")
    domain = parsed.sender.rpartition("@")[2]
    return domain or None


def _generic_ids(subject: str, text: str, links: list[str]) -> tuple[str | None, list[str]]:
    """Order ids of any marketplace (context required for all): (platform, ids)."""
    for spec in MARKETPLACES:
        if spec.order_id is None or spec.key == "shopify":
            continue
        context_spec = SenderSpec(
            spec.key, spec.name, (), spec.platform, spec.order_id, needs_context=True
        )
        ids = _order_ids(context_spec, subject, text, links)
        if ids:
            return spec.platform, ids
    return None, []


def _spec_for(parsed: ParsedMail) -> SenderSpec | None:
    spec = sender_for(parsed.sender) or sender_for(parsed.headers.sender)
    if spec is not None:
        return spec
    shopify = by_key("shopify")
    if shopify and any(m in link for link in parsed.links for m in shopify.markers):
        return shopify
    return None


def recognise(parsed: ParsedMail) -> MailExtraction | None:
    """What the message says about an order, or None when it is not an order mail."""
    spec = _spec_for(parsed)
    subject, text = parsed.subject, parsed.text
    kind = classify(subject, text)
    platform = spec.platform if spec else None
    if spec is not None and spec.order_id is not None:
        order_ids = _order_ids(spec, subject, text, parsed.links)
    else:
        found_platform, order_ids = _generic_ids(subject, text, parsed.links)
        platform = platform or found_platform
    store = None
    if spec is not None and spec.key == "shopify":
        store = _shopify_store(parsed)
        order_ids = [f"{store}#{i}" for i in order_ids] if store else order_ids
    elif spec is not None and spec.key == "walmart":
        store = "Walmart"
    exclude = [i.split("#")[-1] for i in order_ids]
    tracking = find_tracking_numbers(f"{subject}\n{text}", parsed.links, exclude=exclude)
    if spec is not None and spec.carrier:
        tracking = [
            t if t.source == "link" else TrackingHit(t.number, spec.carrier, t.source)
            for t in tracking
        ]
    if kind == "other" and not tracking:
        return None
    if spec is None and not order_ids and not tracking:
        return None
    items, total, currency = ([], None, None)
    if kind in ("order_placed", "shipped", "refund"):
        items, total, currency = extract_money(text)
    links = [link for link in parsed.links if _carrier_of_host(urlsplit(link).hostname or "")[0]]
    return MailExtraction(
        message_id=parsed.headers.message_id,
        date=parsed.headers.date,
        sender=parsed.sender,
        subject=subject,
        sender_key=spec.key if spec else "generic",
        platform=platform,
        kind=kind,
        order_ids=order_ids,
        tracking=tracking,
        items=items,
        total=total,
        currency=currency,
        store=store,
        tracking_links=list(dict.fromkeys(links)),
        forwarded=parsed.original_sender is not None,
    )


__all__ = ["header_candidate", "recognise"]
