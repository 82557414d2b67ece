"""Order book use cases: add, edit, remove, list (``show`` is in :mod:`.view`).

Services validate, decide and call the store; they never print or prompt.
Every field problem is gathered into one InvalidInput naming the option, so
the buyer fixes everything in one go, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from orderctl.domain.lifecycle import advance, transition
from orderctl.domain.models import Item, Order, OrderState
from orderctl.errors import InvalidInput

if TYPE_CHECKING:
    from orderctl.domain.policies import Policies
    from orderctl.services.context import AppContext

#: add/edit option name -> the order attribute it sets.
FIELD_OPTIONS: dict[str, str] = {
    "title": "title",
    "platform": "platform",
    "store": "store",
    "price": "price",
    "currency": "currency",
    "quantity": "quantity",
    "ordered": "ordered_at",
    "shipped": "shipped_at",
    "delivered": "delivered_at",
    "tracking": "tracking_number",
    "carrier": "carrier",
    "protection_ends": "protection_ends_at",
    "category": "category",
    "url": "url",
    "payment": "payment_method",
    "expected_by": "expected_delivery_by",
}
CLEARABLE = frozenset(FIELD_OPTIONS) - {"title", "platform", "quantity"}
#: Every raw field add/edit take: the options above plus ``expected`` ('Dec 3-12'), which
#: sets both ends of the expected delivery range.
RAW_FIELDS: tuple[str, ...] = (*FIELD_OPTIONS, "expected")
#: The order attributes those fields can change, in option order (what ``edit`` reports as
#: old → new); ``expected`` also sets the start of the range, listed before its end.
EDITABLE_ATTRIBUTES: tuple[str, ...] = tuple(
    name
    for attribute in FIELD_OPTIONS.values()
    for name in (
        ("expected_delivery_from", attribute)
        if attribute == "expected_delivery_by"
        else (attribute,)
    )
)


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


@dataclass
class Outcome:
    """An order after a change, with the warnings the buyer should read."""

    order: Order
    warnings: list[str] = field(default_factory=list)


def _parse_fields(
    raw: dict[str, str | None], policies: Policies, today: date | None = None
) -> dict[str, Any]:
    """Turn option strings into typed order attributes, reporting every bad one together.

    Dates are range-checked against ``today`` like every importer does.
    """
    from orderctl.domain import (
        field_parsers,  # parsers compile regexes: only when adding or editing
    )

    parsed: dict[str, Any] = {}
    problems: list[str] = []

    def attempt(name: str, fn: Callable[[str], Any]) -> None:
        text = raw.get(name)
        if text is None:
            return
        try:
            parsed[FIELD_OPTIONS[name]] = fn(text)
        except ValueError as exc:
            problems.append(f"{_option(name)}: {exc}")

    for name in ("title", "store", "category"):
        if raw.get(name) is not None:
            text = raw[name].strip()
            if not text and name == "title":
                problems.append("--title: must not be empty")
            parsed[FIELD_OPTIONS[name]] = text or None
    attempt("platform", lambda t: field_parsers.parse_platform(t, policies.platform_keys))
    attempt("currency", field_parsers.parse_currency)
    if raw.get("price") is not None:
        try:
            amount, currency = field_parsers.parse_amount(raw["price"], parsed.get("currency"))
            parsed["price"] = amount
            if currency and "currency" not in parsed:
                parsed["currency"] = currency
        except ValueError as exc:
            problems.append(f"--price: {exc}")
    attempt("quantity", field_parsers.parse_quantity)
    for name in ("ordered", "shipped", "delivered", "protection_ends", "expected_by"):
        attempt(name, lambda t: field_parsers.parse_date(t, today))
    if raw.get("expected") is not None:
        from orderctl.domain.expected import parse_expected

        reference = parsed.get("ordered_at") or today
        try:
            start, end = parse_expected(raw["expected"], reference)
        except ValueError as exc:
            problems.append(f"--expected: {exc}")
        else:
            if raw.get("expected_by") is not None:
                problems.append("--expected and --expected-by: give one of them")
            parsed["expected_delivery_from"] = start
            parsed["expected_delivery_by"] = end
    attempt("url", field_parsers.parse_url)
    if raw.get("tracking") is not None:
        number = raw["tracking"].strip()
        if number:
            from orderctl.domain.carriers import normalize_number

            parsed["tracking_number"] = normalize_number(number) or None
            if not parsed["tracking_number"]:
                problems.append(f"--tracking: {number!r} has no letters or digits")
    if raw.get("carrier") is not None:
        parsed["carrier"] = raw["carrier"].strip().lower() or None
    if raw.get("payment") is not None:
        parsed["payment_method"] = raw["payment"].strip().lower() or None
    if problems:
        raise InvalidInput(
            "Invalid value" + ("s" if len(problems) > 1 else "") + "; nothing was saved",
            details=problems,
        )
    return parsed


def fill_carrier(order: Order) -> list[str]:
    """Detect the carrier from the tracking number when none was given; warn on bad check digits."""
    if not order.tracking_number:
        return []
    from orderctl.domain.carriers import detect_carrier

    detection = detect_carrier(order.tracking_number)
    warnings: list[str] = []
    best = detection.best
    if best is None:
        warnings.append(
            f"{order.order_id}: tracking number {order.tracking_number} matches no known carrier"
            " format; check it for typos"
        )
        return warnings
    if not order.carrier:
        order.carrier = best.carrier
    chosen = next((c for c in detection.candidates if c.carrier == order.carrier), best)
    if chosen.check_digit == "bad":
        warnings.append(
            f"{order.order_id}: the check digit of {order.tracking_number} does not verify for"
            f" {chosen.name}; it is probably mistyped"
        )
    return warnings


def _sync_items(order: Order, parsed: dict[str, Any]) -> None:
    """A one-item order keeps its item in step with the order's title/price/url."""
    if len(order.items) != 1:
        return
    item = order.items[0]
    if parsed.get("title"):
        item.title = parsed["title"]
    if "quantity" in parsed:
        item.quantity = parsed["quantity"]
    if "url" in parsed:
        item.url = parsed["url"]
    if "price" in parsed or "quantity" in parsed or "currency" in parsed:
        price: Decimal | None = order.price
        item.unit_price = (price / item.quantity).quantize(Decimal("0.01")) if price else None
        item.currency = order.currency


def _warn_order_id(order: Order) -> list[str]:
    from orderctl.domain import field_parsers

    message = field_parsers.check_order_id(order.order_id, order.platform)
    return [f"{order.order_id}: {message}"] if message else []


def _default_platform(ctx: AppContext) -> str:
    """``default_platform`` from config.toml (checked like --platform), else AliExpress."""
    from orderctl.domain import field_parsers

    configured = ctx.config.get("default_platform")
    if configured is None:
        return "aliexpress"
    try:
        return field_parsers.parse_platform(str(configured), ctx.policies.platform_keys)
    except ValueError as exc:
        raise InvalidInput(
            f"config.toml: default_platform: {exc}",
            hint="Run `orderctl config set default_platform ebay` (or unset it).",
        ) from None


def add_order(ctx: AppContext, order_id: str, raw: dict[str, str | None]) -> Outcome:
    """Create one order with one item."""
    order_id = order_id.strip()
    if not order_id:
        raise InvalidInput("ORDER_ID must not be empty")
    parsed = _parse_fields(raw, ctx.policies, ctx.today)
    if parsed.get("protection_ends_at"):
        parsed["protection_ends_recorded_on"] = ctx.today
    parsed.setdefault("platform", _default_platform(ctx))
    order = Order(order_id=order_id, **parsed)
    quantity = order.quantity
    unit = (order.price / quantity).quantize(Decimal("0.01")) if order.price else None
    order.items = [
        Item(
            title=order.title,
            quantity=quantity,
            unit_price=unit,
            currency=order.currency,
            url=order.url,
        )
    ]
    if order.delivered_at:
        order.state = OrderState.DELIVERED
    elif order.shipped_at or order.tracking_number:
        order.state = OrderState.SHIPPED
    warnings = _warn_order_id(order) + fill_carrier(order)
    with ctx.store.transaction(ctx.now) as txn:
        if txn.find(order_id):
            raise InvalidInput(
                f"Order {order_id} already exists; nothing was saved",
                hint=f"Change it with `orderctl edit {order_id} --FIELD VALUE`.",
            )
        txn.put(order)
    return Outcome(order, warnings)


def edit_order(
    ctx: AppContext,
    order_id: str,
    raw: dict[str, str | None],
    *,
    clear: list[str] | None = None,
    state: str | None = None,
) -> Outcome:
    """Change fields; ``clear`` empties optional ones; ``state`` obeys the lifecycle."""
    parsed = _parse_fields(raw, ctx.policies, ctx.today)
    for name in clear or []:
        key = name.replace("-", "_")
        if key not in CLEARABLE:
            raise InvalidInput(
                f"--clear {name}: not a field that can be cleared",
                hint="Clearable: " + ", ".join(sorted(CLEARABLE)),
            )
        parsed[FIELD_OPTIONS[key]] = None
        if key == "expected_by":
            parsed["expected_delivery_from"] = None
    if "protection_ends_at" in parsed:
        # when the countdown was read: a delivery after it may have shortened it
        parsed["protection_ends_recorded_on"] = ctx.today if parsed["protection_ends_at"] else None
    if not parsed and state is None:
        raise InvalidInput(
            "Nothing to change",
            hint="Give at least one --FIELD VALUE; see `orderctl edit --help`.",
        )
    warnings: list[str] = []
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        tracking_changed = "tracking_number" in parsed and parsed["tracking_number"] != (
            order.tracking_number
        )
        for attr, value in parsed.items():
            setattr(order, attr, value)
        if tracking_changed and "carrier" not in parsed:
            order.carrier = None
        _sync_items(order, parsed)
        if state is not None:
            transition(order, state)
        elif order.delivered_at:
            advance(order, OrderState.DELIVERED)
        elif order.tracking_number or order.shipped_at:
            advance(order, OrderState.SHIPPED)
        if tracking_changed or "carrier" in parsed:
            warnings += fill_carrier(order)
        if "platform" in parsed:
            warnings += _warn_order_id(order)
        txn.put(order)
    return Outcome(order, warnings)


def remove_order(ctx: AppContext, order_id: str) -> Order:
    """Delete an order and its details (evidence files stay on disk)."""
    with ctx.store.transaction(ctx.now) as txn:
        return txn.delete(order_id)


def summary(order: Order, policies: Policies, ctx: AppContext) -> dict[str, Any]:
    """The ``list --json`` element: stable keys, cheap to compute (no events)."""
    from orderctl.domain.deadlines import next_deadline

    upcoming = next_deadline(ctx.schedule(order).deadlines)
    return {
        "order_id": order.order_id,
        "platform": order.platform,
        "title": order.title,
        "store": order.store,
        "state": order.state.value,
        "price": None if order.price is None else str(order.price),
        "currency": order.currency,
        "tracking_number": order.tracking_number,
        "carrier": order.carrier,
        "shipment_status": order.shipment_status,
        "ordered_at": _iso(order.ordered_at),
        "shipped_at": _iso(order.shipped_at),
        "delivered_at": _iso(order.delivered_at),
        "protection_ends_at": _iso(order.protection_ends_at),
        "dispute": None
        if not order.dispute
        else {
            "status": order.dispute.status,
            "outcome": order.dispute.outcome,
            "refund_amount": order.dispute.refund_amount,
        },
        "next_deadline": None
        if upcoming is None
        else {
            "kind": upcoming.kind,
            "date": upcoming.date.isoformat(),
            "days_left": upcoming.days_left,
        },
    }


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def list_orders(
    ctx: AppContext, *, state: str | None = None, platform: str | None = None
) -> list[dict[str, Any]]:
    if state is not None:
        try:
            OrderState(state)
        except ValueError:
            raise InvalidInput(
                f"--state: {state!r} is not an order state",
                hint="States: " + ", ".join(s.value for s in OrderState),
            ) from None
    if platform is not None:
        from orderctl.domain import field_parsers

        try:
            platform = field_parsers.parse_platform(platform, ctx.policies.platform_keys)
        except ValueError as exc:
            raise InvalidInput(f"--platform: {exc}") from None
    rows = ctx.store.derived(
        "list",
        {"today": ctx.today.isoformat(), "settings": ctx.settings_fingerprint},
        lambda snapshot: [summary(order, ctx.policies, ctx) for order in snapshot.orders()],
    )
    return [
        row
        for row in rows
        if (state is None or row["state"] == state)
        and (platform is None or row["platform"] == platform)
    ]
