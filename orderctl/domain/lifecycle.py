"""The order lifecycle: which state changes are possible, and why not.

Every state change goes through :func:`transition`, so a command can never
move an order somewhere that makes no sense (a closed order back to shipped,
a confirmed order re-inspected). A refusal is a GuardrailRefused (exit 6)
that names the current state and what is possible from it.
"""

from __future__ import annotations

from orderctl.domain.models import Order, OrderState
from orderctl.errors import GuardrailRefused

S = OrderState

ALLOWED: dict[OrderState, frozenset[OrderState]] = {
    S.ORDERED: frozenset({S.SHIPPED, S.DELIVERED, S.INSPECTED, S.DISPUTED, S.CLOSED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.INSPECTED, S.DISPUTED, S.CLOSED}),
    S.DELIVERED: frozenset({S.INSPECTED, S.CONFIRMED, S.DISPUTED, S.CLOSED}),
    S.INSPECTED: frozenset({S.INSPECTED, S.CONFIRMED, S.DISPUTED, S.CLOSED}),
    S.CONFIRMED: frozenset({S.DISPUTED, S.CLOSED}),
    S.DISPUTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# Order of progress, used when tracking or an import moves an order forward only.
PROGRESS = [S.ORDERED, S.SHIPPED, S.DELIVERED, S.INSPECTED, S.CONFIRMED, S.DISPUTED, S.CLOSED]


def can_transition(current: OrderState, target: OrderState) -> bool:
    return target in ALLOWED[current]


def transition(order: Order, target: OrderState | str) -> None:
    """Move ``order`` to ``target`` or raise GuardrailRefused with the reason."""
    target = OrderState(target)
    if target == order.state and target is not S.INSPECTED:
        return
    if not can_transition(order.state, target):
        possible = ", ".join(sorted(s.value for s in ALLOWED[order.state])) or "nothing"
        raise GuardrailRefused(
            f"Order {order.order_id} is {order.state.value}; it cannot become {target.value}"
            f" (possible from {order.state.value}: {possible})",
        )
    order.state = target


def advance(order: Order, target: OrderState) -> bool:
    """Move forward to ``target`` if that is progress and allowed; never move backwards."""
    if PROGRESS.index(target) <= PROGRESS.index(order.state):
        return False
    if not can_transition(order.state, target):
        return False
    order.state = target
    return True
