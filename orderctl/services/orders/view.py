"""``show``: one order with everything read for it, typed, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orderctl.domain.deadlines import Schedule
from orderctl.domain.models import Order
from orderctl.domain.records import Inspection, inspection_history_data
from orderctl.domain.tracking import TrackingEvent

if TYPE_CHECKING:
    from orderctl.services.context import AppContext


@dataclass(frozen=True)
class OrderView:
    """An order, its deadlines, its stored tracking events and its earlier inspections.

    ``events`` are the stored events this release can read, in stored order;
    ``stored_events`` every stored event exactly as stored (``show --json``
    gives them all, an unreadable one included, so nothing is hidden).
    """

    order: Order
    plan: Schedule
    events: tuple[TrackingEvent, ...]
    stored_events: tuple[Any, ...]
    inspections: tuple[Inspection | None, ...]
    order_page: str | None

    @property
    def unreadable_events(self) -> int:
        return len(self.stored_events) - len(self.events)

    def to_dict(self) -> dict[str, Any]:
        """The ``show --json`` object: the stored order plus what was computed for it."""
        data = self.order.to_dict()
        data["deadlines"] = [d.to_dict() for d in self.plan.deadlines]
        data["tasks"] = [t.to_dict() for t in self.plan.tasks]
        data["missing"] = list(self.plan.missing)
        data["dispute_window"] = self.plan.window.to_dict()
        data["events"] = list(self.stored_events)
        data["inspections"] = inspection_history_data(self.inspections)
        data["order_page"] = self.order_page
        return data


def show_order(ctx: AppContext, order_id: str) -> OrderView:
    """Everything about one order: fields, items, deadlines, events, inspection history."""
    from orderctl.services.inspection.history import earlier_inspections
    from orderctl.services.tracking.merge import stored_events

    order = ctx.store.get(order_id)
    details = ctx.store.details(order_id)
    events, _unreadable = stored_events(details)
    return OrderView(
        order=order,
        plan=ctx.schedule(order),
        events=tuple(events),
        stored_events=tuple(details.get("events") or ()),
        inspections=earlier_inspections(details),
        order_page=ctx.policies.platform(order.platform).order_page(order.order_id),
    )


__all__ = ["OrderView", "show_order"]
