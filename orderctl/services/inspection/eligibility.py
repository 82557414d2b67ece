"""When an order may be inspected, and whether its parcel counts as delivered.

Split from :mod:`orderctl.services.inspection.run` because the same rules are
checked twice: when the inspection is prepared (no lock, to refuse early) and
again inside the saving transaction (the order may have changed meanwhile).
"""

from __future__ import annotations

from orderctl.domain.lifecycle import can_transition
from orderctl.domain.models import Order, OrderState
from orderctl.errors import GuardrailRefused
from orderctl.services.context import AppContext

DELIVERED = "delivered"


def ensure_inspectable(order: Order) -> None:
    """Refuse orders past the point where an inspection changes anything (exit 6)."""
    if can_transition(order.state, OrderState.INSPECTED):
        return
    hints = {
        OrderState.CONFIRMED: "Receipt is already confirmed. If the item is faulty, open a "
        f"dispute while protection lasts: `orderctl dispute {order.order_id}`.",
        OrderState.DISPUTED: f"A dispute is open; follow it with `orderctl show {order.order_id}`.",
        OrderState.CLOSED: "The order is closed.",
    }
    raise GuardrailRefused(
        f"Order {order.order_id} is {order.state.value}; it can no longer be inspected",
        hint=hints.get(order.state),
    )


def not_delivered_warning(order: Order, ctx: AppContext) -> str:
    status = order.shipment_status or "no delivery recorded"
    return (
        f"Order {order.order_id} is not delivered according to tracking ({status}); "
        f"inspecting anyway and recording {ctx.today.isoformat()} as the delivery date"
    )
