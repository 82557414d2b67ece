"""The tracking use case in-process against a loopback 17TRACK: one write, concurrency, stops."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from orderctl.domain.models import Item, Order, OrderState
from orderctl.domain.records import ConversationNote
from orderctl.errors import CredentialsError, ProviderError
from orderctl.services.context import AppContext
from orderctl.services.tracking.refresh import fetch, plan_refresh, refresh_tracking, save
from tests.helpers.loopback import Hit, LoopbackServer, Reply, SeventeenTrackStandIn

TOKEN = "INTEGRATION-SENTINEL-TOKEN-77aa"


def number(i: int) -> str:
    return f"LP{i:014d}"


class PickyStandIn(SeventeenTrackStandIn):
    """The stand-in (one InTransit event per number) plus chosen failures.

    ``reject``: numbers answered with a carrier error; ``pending``: numbers
    with no information yet; ``deny_batch_with``: a gettrackinfo batch holding
    this number is answered 401, as if the key were revoked mid-run.
    """

    def __init__(self) -> None:
        super().__init__(TOKEN, rate=10)
        self.reject: set[str] = set()
        self.pending: set[str] = set()
        self.deny_batch_with: str | None = None

    def __call__(self, hit: Hit) -> Reply:
        numbers = [item["number"] for item in hit.json()] if hit.body else []
        if hit.path.endswith("/gettrackinfo") and self.deny_batch_with in numbers:
            return Reply(401, json={"code": 401})
        reply = super().__call__(hit)
        if reply.status != 200 or not hit.path.endswith("/gettrackinfo"):
            return reply
        data = reply.json["data"]
        data["accepted"] = [
            a for a in data["accepted"] if a["number"] not in self.reject | self.pending
        ]
        for n in numbers:
            if n in self.reject:
                error = {"code": -18019910, "message": "Carrier not detected."}
            elif n in self.pending:
                error = {"code": -18019909, "message": "No tracking information at the moment."}
            else:
                continue
            data["rejected"].append({"number": n, "error": error})
        return reply


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[PickyStandIn]:
    app = PickyStandIn()
    with LoopbackServer(app) as server:
        monkeypatch.setenv("ORDERCTL_17TRACK_URL", server.url + "/track/v2.2")
        monkeypatch.setenv("ORDERCTL_17TRACK_TOKEN", TOKEN)
        yield app


def seed(count: int) -> list[str]:
    """``count`` shipped orders with numbers, written in one transaction."""
    ctx = AppContext.from_env()
    ids = [f"81{i:014d}" for i in range(count)]
    with ctx.store.transaction(ctx.now) as txn:
        for i, order_id in enumerate(ids):
            txn.put(
                Order(
                    order_id=order_id,
                    title=f"Item {i}",
                    state=OrderState.SHIPPED,
                    tracking_number=number(i),
                    items=[Item(title=f"Item {i}")],
                )
            )
    return ids


def test_multi_order_refresh_is_one_index_write_with_mixed_outcomes(stand_in):
    ids = seed(90)  # 3 register + 3 gettrackinfo batches of at most 40
    stand_in.reject = {number(1), number(50)}
    stand_in.pending = {number(2)}
    ctx = AppContext.from_env()
    progress: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> None:
        progress.append((done, total))

    report = refresh_tracking(ctx, all_orders=True, on_progress=on_progress)

    assert ctx.store.index_writes == 1
    assert progress[-1] == (90, 90)
    rows = {o.order_id: o for o in report.orders}
    assert {o.order_id for o in report.failed} == {ids[1], ids[50]}
    assert rows[ids[2]].pending and rows[ids[2]].error is None
    assert rows[ids[0]].new_events == 1 and rows[ids[0]].status == "in_transit"
    error = report.error()
    assert isinstance(error, ProviderError) and "2 of 90" in error.message
    saved = {o.order_id: o for o in AppContext.from_env().store.orders()}
    assert saved[ids[0]].tracked_at == "2026-11-28T12:00:00Z"
    assert saved[ids[1]].tracked_at is None
    assert AppContext.from_env().store.details(ids[0])["events"][0]["location"] == "Guangzhou"
    # Registrations of every number were remembered in the same write.
    state = AppContext.from_env().store.snapshot().providers["17track"]
    assert len(state["registered"]) == 90


def test_changes_made_during_the_network_phase_are_kept(stand_in):
    ids = seed(4)
    ctx = AppContext.from_env()
    plan = plan_refresh(ctx, all_orders=True)
    outcome = fetch(plan)

    # Another orderctl edits while we were on the network.
    other = AppContext.from_env()
    with other.store.transaction(other.now) as txn:
        edited = txn.get(ids[0])
        edited.title = "Renamed meanwhile"
        edited.notes.append(ConversationNote(at="2026-11-28T11:59:00Z", sender="me", text="hi"))
        txn.put(edited)
        txn.delete(ids[1])
        moved = txn.get(ids[2])
        moved.tracking_number = "RB123456785CN"
        txn.put(moved)

    report = save(ctx, plan, outcome)

    rows = {o.order_id: o for o in report.orders}
    assert rows[ids[0]].error is None and rows[ids[0]].new_events == 1
    assert "deleted" in (rows[ids[1]].error or "")
    assert "number changed" in (rows[ids[2]].error or "")
    assert rows[ids[3]].error is None
    after = {o.order_id: o for o in AppContext.from_env().store.orders()}
    assert after[ids[0]].title == "Renamed meanwhile" and len(after[ids[0]].notes) == 1
    assert after[ids[0]].shipment_status == "in_transit"
    assert ids[1] not in after
    assert after[ids[2]].tracked_at is None and after[ids[2]].tracking_number == "RB123456785CN"


def test_key_revoked_mid_run_keeps_the_batches_that_succeeded(stand_in):
    seed(60)  # two gettrackinfo batches: numbers 0-39 and 40-59
    stand_in.deny_batch_with = number(45)
    ctx = AppContext.from_env()

    report = refresh_tracking(ctx, all_orders=True)

    assert isinstance(report.fatal, CredentialsError)
    assert isinstance(report.error(), CredentialsError)
    assert TOKEN not in report.fatal.message + (report.fatal.hint or "")
    good = [o for o in report.orders if o.error is None]
    bad = [o for o in report.orders if o.error is not None]
    assert len(good) == 40 and len(bad) == 20
    assert all(o.error.startswith("not refreshed") for o in bad)
    assert ctx.store.index_writes == 1
    tracked = [o for o in AppContext.from_env().store.orders() if o.tracked_at]
    assert len(tracked) == 40


def _events(ctx: AppContext, order_id: str) -> list[dict[str, Any]]:
    return list(ctx.store.details(order_id).get("events", []))


def test_unreadable_stored_events_are_kept_not_dropped(stand_in):
    ids = seed(1)
    ctx = AppContext.from_env()
    junk = {"time": "not a time", "description": 3}
    with ctx.store.transaction(ctx.now) as txn:
        txn.set_details(ids[0], {"events": [junk]})

    refresh_tracking(AppContext.from_env(), ids)

    events = _events(AppContext.from_env(), ids[0])
    assert junk in events and len(events) == 2
