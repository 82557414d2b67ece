"""Import orders from mail: .eml, mbox, Maildir or an IMAP folder.

Merge rules (never clobber):

- an order confirmation creates the order (items, total, order date);
  shipping and delivery notices of a marketplace create it too when the
  confirmation was never seen, with what they say;
- a shipping notice adds the tracking number(s), carrier and ship date; a
  delivery notice sets the delivery date; a carrier's own notice is tied to
  an order by an order id in its text or by a tracking number the order
  already has, otherwise it is kept as an unassigned parcel;
- mail only fills fields that are empty: what the buyer typed (or imported)
  wins; an order never moves backwards (a late "shipped" after "delivered");
- every field taken from mail records its source (Message-ID, date, sender)
  in the order's history; importing the same message again changes nothing;
- orders that were in the book before this run change only with --update;
- --keep-mail stores an order confirmation's original message as evidence.

Only messages whose headers pass the header check are read past their
headers; nothing else from the mailbox is stored. Bodies never go into
warnings or errors.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from orderctl.clock import buyer_zone, iso
from orderctl.domain.lifecycle import advance
from orderctl.domain.mail.message import Headers
from orderctl.domain.mail.model import MailExtraction
from orderctl.domain.models import Item, Order, OrderState
from orderctl.domain.records import HistoryEntry, KeptMail, MailSource
from orderctl.errors import InvalidInput
from orderctl.services.context import AppContext

STATE_KEY = "mail"
DEFAULT_SINCE_DAYS = 120
# Marketplaces the order book has no platform of its own for.
BOOK_PLATFORM = {"walmart": "other", "shopify": "other"}
# Server-side narrowing: sender substrings and subject words (ASCII only, for any server).
SEARCH_SUBJECTS = (
    "order",
    "bestellung",
    "commande",
    "pedido",
    "ordine",
    "encomenda",
    "zamowienie",
    "shipped",
    "versandt",
    "delivered",
    "Fwd",
    "WG",
)


@dataclass
class MailImportOptions:
    dry_run: bool = False
    update: bool = False
    since: date | None = None  # None: files are read whole; IMAP uses the default window
    platforms: Sequence[str] = ()
    keep_mail: bool | None = None  # None: config mail.keep_mail
    insecure: bool = False
    timeout: float = 30.0
    ssl_context: Any = None  # tests pass a context trusting their own CA
    ca_file: Path | None = None  # --ca-file: trust only this CA (else mail.ca_file, else system)
    token_timeout: float | None = None  # mail.oauth2_token_command (None: the default)


@dataclass
class MailImportReport:
    format: str
    dry_run: bool
    messages_seen: int = 0
    messages_matched: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unassigned: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "dry_run": self.dry_run,
            "messages_seen": self.messages_seen,
            "messages_matched": self.messages_matched,
            "messages": self.messages,
            "orders": self.orders,
            "skipped": self.skipped,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unassigned": self.unassigned,
            "kept": self.kept,
            "warnings": self.warnings,
        }


@dataclass
class _Found:
    extraction: MailExtraction
    data: bytes | None  # kept only for confirmations when --keep-mail


# -- reading ---------------------------------------------------------------------------------


def _platform_filter(ctx: AppContext, platforms: Sequence[str]) -> set[str]:
    from orderctl.domain.mail.senders import MARKETPLACES

    known = {s.key for s in MARKETPLACES}
    chosen: set[str] = set()
    for raw in platforms:
        key = raw.strip().lower()
        if key not in known:
            raise InvalidInput(
                f"--platform: {raw!r} is not a sender orderctl reads mail from",
                hint="Known: " + ", ".join(sorted(known)),
            )
        chosen.add(key)
    return chosen


def _tls_context(ctx: AppContext, options: MailImportOptions) -> Any:
    """The TLS context: the caller's, or one trusting only --ca-file / mail.ca_file."""
    if options.ssl_context is not None:
        return options.ssl_context
    ca_file: Any = options.ca_file
    where = "--ca-file"
    if ca_file is None:
        mail = ctx.config.get("mail") or {}
        configured = mail.get("ca_file") if isinstance(mail, dict) else None
        if not isinstance(configured, str) or not configured.strip():
            return None  # the system's trusted authorities
        ca_file, where = configured.strip(), "mail.ca_file"
    import ssl

    path = Path(ca_file).expanduser()
    try:
        return ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        raise InvalidInput(f"{where}: no such file: {path}") from None
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"{where}: {path} holds no PEM certificate ({type(exc).__name__})",
            hint="Give the server's certificate, or the authority that signed it, in PEM form.",
        ) from None


def _since(ctx: AppContext, options: MailImportOptions, imap: bool) -> date | None:
    if options.since is not None:
        return options.since
    if not imap:
        return None
    mail = ctx.config.get("mail") or {}
    days = mail.get("since_days", DEFAULT_SINCE_DAYS) if isinstance(mail, dict) else None
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        days = DEFAULT_SINCE_DAYS
    return ctx.today - timedelta(days=days)


def _search_senders(platforms: set[str]) -> list[str]:
    """Substrings of every known sender domain (``FROM`` matches substrings), shortest kept."""
    from orderctl.domain.mail.senders import SENDERS

    labels: list[str] = []
    for spec in SENDERS:
        if platforms and spec.platform is not None and spec.key not in platforms:
            continue
        labels += [domain.split(".")[0] for domain in spec.domains]
        if spec.carrier:
            labels.append(spec.key)
    labels.sort(key=len)
    kept: list[str] = []
    for label in labels:
        if label and not any(k in label for k in kept):
            kept.append(label)
    return kept


def _state_key(mailbox: str, platforms: set[str]) -> str:
    """A run narrowed by --platform searched fewer senders: it keeps its own high-water mark."""
    return mailbox if not platforms else f"{mailbox}?platform={','.join(sorted(platforms))}"


def _open(ctx: AppContext, targets: Sequence[str], options: MailImportOptions, platforms: set[str]):
    from orderctl.mailbox.source import IMAP_SCHEMES, open_file_source

    if targets[0].lower().startswith(IMAP_SCHEMES):
        from orderctl.mailbox.imap import ImapSource, parse_imap_url
        from orderctl.services.mail.credentials import imap_login

        if len(targets) > 1:
            raise InvalidInput("Give one IMAP URL at a time")
        target = parse_imap_url(targets[0])
        state = ctx.store.snapshot().providers.get(STATE_KEY, {})
        boxes = state.get("mailboxes") if isinstance(state.get("mailboxes"), dict) else {}
        since = _since(ctx, options, True)
        assert since is not None
        context = _tls_context(ctx, options)
        login = imap_login(ctx, target.key, options.token_timeout)
        return ImapSource(
            target=target,
            password=login.secret,
            oauth2=login.method == "xoauth2",
            since=since,
            senders=_search_senders(platforms),
            subjects=SEARCH_SUBJECTS,
            state=dict(boxes.get(_state_key(target.key, platforms)) or {}),
            insecure=options.insecure,
            timeout=options.timeout,
            ssl_context=context,
        )
    return open_file_source(targets)


def _wanted(since: date | None, platforms: set[str]):
    from orderctl.domain.mail import header_candidate
    from orderctl.domain.mail.senders import sender_for

    def wanted(headers: Headers) -> bool:
        if since is not None and headers.date is not None and headers.date.date() < since:
            return False
        if platforms:
            spec = sender_for(headers.sender)
            if spec is not None and spec.platform is not None and spec.key not in platforms:
                return False
        return header_candidate(headers.sender, headers.subject)

    return wanted


def _read(source: Any, report: MailImportReport, since, platforms, keep: bool) -> list[_Found]:
    from orderctl.domain.mail import recognise
    from orderctl.domain.mail.message import parse_message

    found: list[_Found] = []
    for key, headers, data in source.messages(_wanted(since, platforms)):
        report.messages_seen += 1
        if data is None:
            continue
        message_id = headers.message_id or key
        try:
            extraction = recognise(parse_message(data))
        except Exception as exc:  # broken MIME beyond repair: skip, never stop the run
            report.skipped.append(
                {"message_id": message_id, "reason": f"cannot decode: {type(exc).__name__}"}
            )
            continue
        if extraction is None:
            report.skipped.append(
                {"message_id": message_id, "reason": "not an order or shipping notice"}
            )
            continue
        if not extraction.message_id:
            extraction.message_id = message_id
        if platforms and extraction.platform not in platforms:
            report.skipped.append(
                {"message_id": message_id, "reason": f"platform {extraction.platform} not selected"}
            )
            continue
        report.messages_matched += 1
        report.messages.append(extraction.to_dict())
        kept = data if keep and extraction.kind == "order_placed" else None
        found.append(_Found(extraction, kept))
    return found


# -- merging ---------------------------------------------------------------------------------


def _source(ex: MailExtraction) -> MailSource:
    return MailSource(
        message_id=ex.message_id,
        date=None if ex.date is None else ex.date.isoformat(),
        sender=ex.sender,
    )


class _Merger:
    def __init__(self, ctx: AppContext, txn: Any, report: MailImportReport, update: bool):
        self.ctx, self.txn, self.report, self.update = ctx, txn, report, update
        self.zone = buyer_zone(ctx.env, ctx.config)
        self.touched: dict[str, Order] = {}  # order id -> working copy
        self.created: set[str] = set()
        self.fresh: set[str] = set()  # created by the message being merged
        self.messages_for: dict[str, list[str]] = {}  # order id -> messages that touched it
        self.numbers: dict[str, str] | None = None  # tracking number -> order id in the book
        self.blocked: set[str] = set()
        self.parcels: list[dict[str, Any]] = []

    def day(self, ex: MailExtraction) -> date | None:
        return None if ex.date is None else ex.date.astimezone(self.zone).date()

    def working(self, order_id: str) -> Order | None:
        if order_id in self.touched:
            return self.touched[order_id]
        stored = self.txn.find(order_id)
        if stored is None:
            return None
        copy = Order.from_dict(stored.to_dict())
        self.touched[order_id] = copy
        return copy

    def by_tracking(self, number: str) -> Order | None:
        if self.numbers is None:  # built once: a big book and many carrier mails stay linear
            self.numbers = {}
            for order in self.txn.orders():
                for known in order.all_tracking_numbers():
                    self.numbers.setdefault(known, order.order_id)
        for order in self.touched.values():
            if number in order.all_tracking_numbers():
                return order
        order_id = self.numbers.get(number)
        return None if order_id is None else self.working(order_id)

    def record(self, order: Order, ex: MailExtraction, name: str, value: Any) -> None:
        shown = value.isoformat() if isinstance(value, date) else value
        order.history.append(
            HistoryEntry(
                at=iso(self.ctx.now),
                event="mail",
                kind=ex.kind,
                field_name=name,
                value=str(shown),
                source=_source(ex),
            )
        )

    def fill(self, order: Order, ex: MailExtraction, name: str, value: Any) -> bool:
        if value in (None, "", []) or getattr(order, name) not in (None, "", []):
            return False
        setattr(order, name, value)
        self.record(order, ex, name, value)
        return True

    def create(self, ex: MailExtraction, order_id: str) -> Order:
        from orderctl.domain.mail.senders import by_key

        platform = ex.platform or "other"
        spec = by_key(platform)
        title = ex.items[0].title if ex.items else f"{spec.name if spec else platform} order"
        order = Order(order_id=order_id, title=title)
        order.platform = BOOK_PLATFORM.get(platform, platform)
        if order.platform not in self.ctx.policies.platform_keys:
            order.platform = "other"
        self.record(order, ex, "order_id", order_id)
        self.touched[order_id] = order
        self.created.add(order_id)
        self.fresh.add(order_id)
        return order

    def apply(self, order: Order, ex: MailExtraction) -> None:
        day = self.day(ex)
        if ex.kind == "order_placed" or order.order_id in self.created:
            self.fill(order, ex, "store", ex.store)
            self.fill(order, ex, "price", ex.total)
            self.fill(order, ex, "currency", ex.currency)
            if ex.kind == "order_placed":
                self.fill(order, ex, "ordered_at", day)
            if ex.items and not order.items:
                order.items = [
                    Item(
                        title=i.title,
                        quantity=i.quantity,
                        unit_price=None
                        if i.price is None
                        else (i.price / i.quantity).quantize(Decimal("0.01")),
                        currency=i.currency,
                    )
                    for i in ex.items
                ]
                order.quantity = sum(i.quantity for i in ex.items)
                self.record(order, ex, "items", "; ".join(i.title for i in ex.items))
        for hit in ex.tracking:
            if not order.tracking_number:
                order.tracking_number = hit.number
                self.record(order, ex, "tracking_number", hit.number)
                self.fill(order, ex, "carrier", hit.carrier)
            elif hit.number not in order.all_tracking_numbers():
                order.tracking_numbers.append(hit.number)
                self.record(order, ex, "tracking_numbers", hit.number)
        if ex.kind in ("shipped", "out_for_delivery"):
            self.fill(order, ex, "shipped_at", day)
            if advance(order, OrderState.SHIPPED):
                self.record(order, ex, "state", OrderState.SHIPPED.value)
        elif ex.kind == "delivered":
            self.fill(order, ex, "delivered_at", day)
            if advance(order, OrderState.DELIVERED):
                self.record(order, ex, "state", OrderState.DELIVERED.value)
        elif ex.tracking and advance(order, OrderState.SHIPPED):
            self.record(order, ex, "state", OrderState.SHIPPED.value)

    def targets(self, ex: MailExtraction) -> list[Order]:
        orders: list[Order] = []
        for order_id in ex.order_ids:
            order = self.working(order_id)
            if order is None and ex.platform is not None and ex.kind != "refund":
                order = self.create(ex, order_id)
            if order is not None:
                orders.append(order)
        if not orders:
            for hit in ex.tracking:
                order = self.by_tracking(hit.number)
                if order is not None and order not in orders:
                    orders.append(order)
        return orders

    def merge(self, ex: MailExtraction) -> list[str]:
        orders = self.targets(ex)
        if not orders:
            for hit in ex.tracking:
                self.parcels.append(
                    {
                        "number": hit.number,
                        "carrier": hit.carrier,
                        "kind": ex.kind,
                        **_source(ex).to_dict(),
                    }
                )
            if not ex.tracking:
                self.report.skipped.append(
                    {"message_id": ex.message_id, "reason": "no order id or tracking number"}
                )
            return []
        for order in orders:
            fresh = order.order_id in self.fresh
            self.fresh.discard(order.order_id)
            if not fresh and any(
                h.source is not None and h.source.message_id == ex.message_id for h in order.history
            ):
                continue  # this message was imported before
            self.messages_for.setdefault(order.order_id, []).append(ex.message_id)
            self.apply(order, ex)
        return [o.order_id for o in orders]


def _keep(ctx: AppContext, order: Order, ex: MailExtraction, data: bytes) -> dict[str, Any]:
    from orderctl.domain.mail.message import parse_message
    from orderctl.domain.mail.render import render_text
    from orderctl.evidence.store import add_evidence

    safe = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in ex.message_id)[:80]
    safe = safe.strip("_") or "message"
    text = render_text(parse_message(data), ex).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="orderctl-mail-") as folder:
        path = Path(folder) / f"mail-{safe}.eml"
        path.write_bytes(data)
        rendered = Path(folder) / f"mail-{safe}.txt"
        rendered.write_bytes(text)
        for written in (path, rendered):
            os.chmod(written, 0o600)
        record = add_evidence(ctx.paths.evidence_dir, order.order_id, path, now=ctx.now)
        as_text = add_evidence(ctx.paths.evidence_dir, order.order_id, rendered, now=ctx.now)
    source = _source(ex)
    entry = KeptMail(
        sha256=record.sha256,
        name=record.name,
        size=record.size,
        stored_path=record.stored_path,
        text_sha256=as_text.sha256,
        text_name=as_text.name,
        subject=ex.subject,
        message_id=source.message_id,
        date=source.date,
        sender=source.sender,
    )
    if all(k.sha256 != record.sha256 for k in order.mail_evidence):
        order.mail_evidence.append(entry)
    return {"order_id": order.order_id, **entry.to_dict()}


def import_mail(
    ctx: AppContext, targets: Sequence[str], options: MailImportOptions
) -> MailImportReport:
    """Read the mail, recognise order mails, merge them into the book (one store write)."""
    from orderctl.services.orders.book import summary

    if not targets:
        raise InvalidInput("Give an .eml file, an mbox file, a Maildir folder or an imaps:// URL")
    platforms = _platform_filter(ctx, options.platforms)
    source = _open(ctx, targets, options, platforms)
    imap = source.format == "imap"
    since = _since(ctx, options, imap)
    mail_config = ctx.config.get("mail") or {}
    keep = options.keep_mail
    if keep is None:
        keep = bool(isinstance(mail_config, dict) and mail_config.get("keep_mail"))
    report = MailImportReport(format=source.format, dry_run=options.dry_run)
    found = _read(source, report, None if imap else since, platforms, keep)
    report.warnings += list(getattr(source, "warnings", []))
    found.sort(key=lambda f: (f.extraction.date is None, f.extraction.date or 0))
    with ctx.store.transaction(ctx.now) as txn:
        merger = _Merger(ctx, txn, report, options.update)
        for item in found:
            merger.merge(item.extraction)
        state = txn.provider_state(STATE_KEY)
        parcels = list(state.get("parcels") or [])
        for parcel in merger.parcels:
            if all(p.get("number") != parcel["number"] for p in parcels):
                parcels.append(parcel)
                report.unassigned.append(parcel)
        changed_orders: list[Order] = []
        for order_id, order in merger.touched.items():
            before = txn.find(order_id)
            if before is not None and _same(before, order):
                report.unchanged.append(order_id)
                continue
            if before is not None and not options.update:
                for message_id in merger.messages_for.get(order_id) or [None]:
                    report.skipped.append(
                        {
                            "message_id": message_id,
                            "order_id": order_id,
                            "reason": f"order {order_id} is already in the book; add --update"
                            " to merge what the mail says",
                        }
                    )
                continue
            (report.added if before is None else report.updated).append(order_id)
            changed_orders.append(order)
        if not options.dry_run and keep:
            for item in found:
                if item.data is not None:
                    _keep_for(ctx, merger, item, report, changed_orders)
        report.orders = [summary(o, ctx.policies, ctx) for o in changed_orders]
        if options.dry_run:
            txn.discard()
            return report
        for order in changed_orders:
            txn.put(order)
        new_state = dict(state)
        if parcels != list(state.get("parcels") or []):
            new_state["parcels"] = parcels
        if imap:
            boxes = dict(state.get("mailboxes") or {})
            boxes[_state_key(source.target.key, platforms)] = source.new_state
            new_state["mailboxes"] = boxes
        if new_state != state:
            txn.set_provider_state(STATE_KEY, new_state)
    return report


def _same(a: Order, b: Order) -> bool:
    left, right = a.to_dict(), b.to_dict()
    for data in (left, right):
        data.pop("updated_at", None)
        data.pop("created_at", None)
    return left == right


def _keep_for(
    ctx: AppContext,
    merger: _Merger,
    item: _Found,
    report: MailImportReport,
    changed: list[Order],
) -> None:
    """Store a confirmation as evidence with each of its orders (not with refused ones)."""
    assert item.data is not None
    ex = item.extraction
    for order_id in ex.order_ids:
        order = merger.touched.get(order_id)
        if order is None or order_id not in (*report.added, *report.updated, *report.unchanged):
            continue
        if any(k.message_id == ex.message_id for k in order.mail_evidence):
            continue
        report.kept.append(_keep(ctx, order, ex, item.data))
        if order_id in report.unchanged:
            report.unchanged.remove(order_id)
            report.updated.append(order_id)
            changed.append(order)
