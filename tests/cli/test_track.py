"""`orderctl track` end to end: real CLI, engine and 17TRACK adapter, loopback stand-in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from orderctl.services.context import AppContext
from tests.helpers.loopback import Hit, LoopbackServer, Reply, SeventeenTrackStandIn
from tests.helpers.providers import seventeen_track_data

TOKEN = "SENTINEL-17TRACK-TOKEN-9f3ac1d7"
A, B, C = "8208460785972844", "3065355286098390", "5019241171106742"
NUM_A, NUM_B, NUM_C = "LP00123456789012", "LP00999888777666", "RB123456785CN"
ALIAS_A = "RR473124829NL"

TRACK_KEYS = {
    "order_id",
    "tracking_number",
    "provider",
    "status",
    "previous_status",
    "new_events",
    "error",
    "pending",
    "changed",
    "stuck",
    "days_since_event",
    "state",
    "previous_state",
    "delivered_at",
    "last_event_at",
    "latest_event",
    "aliases_added",
    "warnings",
    "carrier",
    "carrier_source",
}
EVENT_KEYS = {
    "time",
    "time_utc",
    "time_zone",
    "status",
    "description",
    "description_std",
    "location",
    "provider",
    "detail",
}


def event(local: str, utc: str, text: str, where: str, sub: str) -> dict[str, Any]:
    return {
        "time_iso": local,
        "time_utc": utc,
        "description": text,
        "location": where,
        "sub_status": sub,
    }


E1 = event(
    "2026-11-11T09:15:00+08:00",
    "2026-11-11T01:15:00Z",
    "Order received",
    "Shenzhen",
    "InfoReceived",
)
E2 = event(
    "2026-11-17T07:55:00+01:00",
    "2026-11-17T06:55:00Z",
    "Arrived at destination",
    "Amsterdam",
    "InTransit_Arrival",
)
E3 = event(
    "2026-11-25T14:32:00+01:00",
    "2026-11-25T13:32:00Z",
    "Delivered at the door",
    "Utrecht",
    "Delivered_Other",
)
E_NEW = event(
    "2026-11-26T10:00:00+01:00",
    "2026-11-26T09:00:00Z",
    "Proof of delivery available",
    "Utrecht",
    "Delivered_Other",
)
OLD_SCAN = event(
    "2026-11-05T10:00:00+08:00",
    "2026-11-05T02:00:00Z",
    "Departed from sorting center",
    "Guangzhou",
    "InTransit_Departure",
)


def record(
    number: str, status: str, events: list[dict[str, Any]], local_number: str | None = None
) -> dict[str, Any]:
    return {
        "number": number,
        "carrier": 190271,
        "track_info": {
            "latest_status": {"status": status, "sub_status": events[-1]["sub_status"]},
            "misc_info": {"local_number": local_number},
            "tracking": {"providers": [{"provider": {"name": "Cainiao"}, "events": events}]},
        },
    }


class ScriptedStandIn(SeventeenTrackStandIn):
    """The stand-in's limits and key check, with per-number scripted gettrackinfo answers.

    Numbers without a script get "No tracking information at the moment"
    (pending), as a freshly registered real parcel does.
    """

    def __init__(self, token: str):
        super().__init__(token, rate=10)
        self.records: dict[str, dict[str, Any]] = {}
        self.rejected: dict[str, tuple[int, str]] = {}
        self.register_hits: list[str] = []
        self.fetch_hits: list[str] = []
        self.url = ""

    def __call__(self, hit: Hit) -> Reply:
        reply = super().__call__(hit)
        if reply.status != 200:
            return reply
        numbers = [item["number"] for item in hit.json()]
        if hit.path.endswith("/register"):
            self.register_hits += numbers
            return reply
        self.fetch_hits += numbers
        data = seventeen_track_data(numbers, self.records, self.rejected)
        reply.json = {"code": 0, "data": data}
        return reply


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedStandIn]:
    app = ScriptedStandIn(TOKEN)
    with LoopbackServer(app) as server:
        app.url = server.url
        monkeypatch.setenv("ORDERCTL_17TRACK_URL", server.url + "/track/v2.2")
        monkeypatch.setenv("ORDERCTL_17TRACK_TOKEN", TOKEN)
        app.server = server  # type: ignore[attr-defined]
        yield app


def add(cli, order_id: str, number: str | None, *extra: str) -> None:
    args = ["add", order_id, "--title", f"Item {order_id[-4:]}", "--shipped", "2026-11-02"]
    if number:
        args += ["--tracking", number]
    result = cli(*args, *extra)
    assert result.exit_code == 0, result.stderr


def show(cli, order_id: str) -> dict[str, Any]:
    result = cli("show", order_id, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["order_id"]: row for row in rows}


def protection_end(order: dict[str, Any]) -> str:
    return next(d["date"] for d in order["deadlines"] if d["kind"] == "protection_ends")


# -- the happy path ---------------------------------------------------------------------------


def test_refresh_marks_delivered_saves_timeline_alias_and_moves_protection(cli, stand_in):
    add(cli, A, NUM_A)
    before = protection_end(show(cli, A))
    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [E1, E2, E3], local_number=ALIAS_A)

    result = cli("track", "--json")

    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert len(rows) == 1 and set(rows[0]) == TRACK_KEYS
    row = rows[0]
    assert row["order_id"] == A and row["tracking_number"] == NUM_A
    assert row["provider"] == "17track" and row["error"] is None
    assert (row["previous_status"], row["status"]) == (None, "delivered")
    assert (row["previous_state"], row["state"]) == ("shipped", "delivered")
    assert row["new_events"] == 3 and row["changed"] is True and row["pending"] is False
    assert row["delivered_at"] == "2026-11-25" and row["aliases_added"] == [ALIAS_A]
    assert set(row["latest_event"]) == EVENT_KEYS
    assert row["latest_event"]["description"] == "Delivered at the door"

    order = show(cli, A)
    assert order["state"] == "delivered" and order["delivered_at"] == "2026-11-25"
    assert order["shipment_status"] == "delivered"
    assert order["tracked_at"] == "2026-11-28T12:00:00Z"
    assert order["last_event_at"] == "2026-11-25T13:32:00Z"
    assert order["tracking_number"] == NUM_A and ALIAS_A in order["tracking_numbers"]
    assert [e["description"] for e in order["events"]] == [
        "Order received",
        "Arrived at destination",
        "Delivered at the door",
    ]
    assert all(set(e) == EVENT_KEYS for e in order["events"])
    assert order["events"][0]["time"] == "2026-11-11T09:15:00+08:00"
    assert order["events"][0]["time_utc"] == "2026-11-11T01:15:00Z"
    # AliExpress protection now counts from delivery (5 days in the policy data).
    assert protection_end(order) == "2026-11-30" and protection_end(order) < before


def test_repeat_refresh_never_duplicates_and_fewer_events_keep_history(cli, stand_in):
    add(cli, A, NUM_A)
    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [E1, E2, E3], local_number=ALIAS_A)
    assert cli("track").exit_code == 0

    # Same answer again (named: refreshed although it is fresh): nothing new.
    again = cli("track", A, "--json")
    assert again.exit_code == 0
    assert again.json()[0]["new_events"] == 0 and again.json()[0]["changed"] is False
    assert len(show(cli, A)["events"]) == 3

    # The provider now sends fewer events, one of them new, and forgets the alias.
    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [E3, E_NEW])
    fewer = cli("track", A, "--json")
    assert fewer.exit_code == 0
    assert fewer.json()[0]["new_events"] == 1
    order = show(cli, A)
    assert [e["description"] for e in order["events"]] == [
        "Order received",
        "Arrived at destination",
        "Delivered at the door",
        "Proof of delivery available",
    ]
    assert ALIAS_A in order["tracking_numbers"]
    assert order["delivered_at"] == "2026-11-25"  # the first delivery date stays


def test_pending_parcel_reads_as_no_information_yet_and_exits_0(cli, stand_in):
    add(cli, A, NUM_A)
    result = cli("track")
    assert result.exit_code == 0
    assert "no information yet" in result.stderr and "Error" not in result.stderr
    assert result.stdout == ""  # nothing changed: no table
    row = cli("track", A, "--json").json()[0]
    assert row["pending"] is True and row["status"] == "not_found" and row["error"] is None
    assert show(cli, A)["state"] == "shipped"


def test_human_output_shows_changes_and_stuck_parcels(cli, stand_in, home):
    add(cli, A, NUM_A)
    add(cli, C, NUM_C)
    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [E1, E2, E3])
    stand_in.records[NUM_C] = record(NUM_C, "InTransit", [OLD_SCAN])

    result = cli("track")

    assert result.exit_code == 0, result.stderr
    assert "Changes since the last refresh" in result.stdout
    assert "order now delivered" in result.stdout and "Delivered at the door" in result.stdout
    assert "Stuck" in result.stdout and "message the seller" in result.stdout
    stuck_part = result.stdout.split("Stuck", 1)[1]
    assert C in stuck_part and A not in stuck_part  # delivered parcels are never stuck
    assert "2 parcels refreshed" in result.stderr

    # [tracking] stuck_days raises the bar: 23 days without a scan is fine at 30.
    config = home / "config.toml"
    config.write_text("[tracking]\nstuck_days = 30\n", encoding="utf-8")
    os.chmod(config, 0o600)
    row = by_id(cli("track", C, "--json").json())[C]
    assert row["stuck"] is False and row["days_since_event"] == 23


# -- which orders -----------------------------------------------------------------------------


def test_skip_rules_stale_finished_and_named_orders(cli, stand_in, monkeypatch):
    add(cli, A, NUM_A)
    add(cli, B, NUM_B)
    add(cli, C, NUM_C)
    assert cli("edit", B, "--delivered", "2026-11-20").exit_code == 0
    assert cli("edit", B, "--state", "confirmed").exit_code == 0

    first = cli("track", "--json")
    assert first.exit_code == 0
    assert set(by_id(first.json())) == {A, C}  # B is confirmed

    # Refreshed a moment ago: skipped unless --stale allows, or named.
    assert cli("track", "--all", "--json").json() == []
    assert "refreshed recently" in cli("track", "--all").stderr
    assert set(by_id(cli("track", "--stale", "0", "--json").json())) == {A, C}
    assert set(by_id(cli("track", B, "--json").json())) == {B}
    assert set(by_id(cli("track", B, "--all", "--json").json())) == {B}

    monkeypatch.setenv("ORDERCTL_NOW", "2026-11-28T19:00:00Z")  # 7 hours later
    assert set(by_id(cli("track", "--json").json())) == {A, C}
    assert set(by_id(cli("track", "--stale", "8", "--json").json())) == set()


def test_named_order_without_number_is_a_per_order_error(cli, stand_in):
    add(cli, A, NUM_A)
    add(cli, B, None)
    stand_in.records[NUM_A] = record(NUM_A, "InTransit", [E1, E2])

    result = cli("track", B, A, "--json")

    assert result.exit_code == 5
    rows = by_id(result.json())
    assert "no tracking number" in rows[B]["error"] and rows[B]["tracking_number"] is None
    assert rows[A]["error"] is None and rows[A]["new_events"] == 2
    assert len(show(cli, A)["events"]) == 2
    assert f"{B}: no tracking number" in result.stderr


def test_unknown_order_exits_3_before_any_network_call(cli, stand_in):
    add(cli, A, NUM_A)
    result = cli("track", A, "NOPE-123")
    assert result.exit_code == 3
    assert "NOPE-123" in result.stderr and result.stdout == ""
    assert stand_in.server.hits == []
    assert show(cli, A)["tracked_at"] is None


def test_bad_provider_name_exits_2(cli, stand_in, monkeypatch):
    add(cli, A, NUM_A)
    assert cli("track", "--provider", "ups-magic").exit_code == 2
    monkeypatch.setenv("ORDERCTL_TRACKING_PROVIDER", "bogus")
    result = cli("track")
    assert result.exit_code == 2 and "bogus" in result.stderr
    assert stand_in.server.hits == []


# -- failures ---------------------------------------------------------------------------------


def test_partial_failure_exits_5_and_saves_the_good_ones(cli, stand_in):
    add(cli, A, NUM_A)
    add(cli, B, NUM_B)
    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [E1, E2, E3])
    stand_in.rejected[NUM_B] = (-18019910, "The carrier could not be detected.")

    result = cli("track", "--json")

    assert result.exit_code == 5
    rows = by_id(result.json())
    assert rows[A]["error"] is None and rows[A]["status"] == "delivered"
    assert "carrier could not be detected" in rows[B]["error"]
    assert "1 of 2 orders could not be refreshed" in result.stderr
    assert show(cli, A)["state"] == "delivered"
    b = show(cli, B)
    assert b["events"] == [] and b["tracked_at"] is None  # retried next run, not stale-skipped


def test_quota_stop_exits_5_with_its_message_and_keeps_what_arrived(cli, stand_in):
    add(cli, A, NUM_A)
    add(cli, B, NUM_B)
    stand_in.records[NUM_A] = record(NUM_A, "InTransit", [E1, E2])
    stand_in.rejected[NUM_B] = (-18019907, "Daily limit exceeded.")

    result = cli("track")

    assert result.exit_code == 5
    assert "daily tracking limit is exceeded" in result.stderr
    assert len(show(cli, A)["events"]) == 2


def test_rejected_key_exits_4_and_never_shows_the_key(cli, stand_in, monkeypatch):
    sentinel = "WRONG-KEY-SENTINEL-5e1d0b77c2"
    monkeypatch.setenv("ORDERCTL_17TRACK_TOKEN", sentinel)
    add(cli, A, NUM_A)

    human = cli("track")
    as_json = cli("track", A, "--json")

    for result in (human, as_json):
        assert result.exit_code == 4
        assert "rejected the API key" in result.stderr
        assert sentinel not in result.stdout + result.stderr
    assert as_json.json()[0]["error"].startswith("not refreshed")
    assert any(hit.headers.get("17token") == sentinel for hit in stand_in.server.hits)
    assert show(cli, A)["tracked_at"] is None


def test_retry_after_beyond_the_cap_blocks_later_runs_until_then(cli, monkeypatch):
    throttling = SeventeenTrackStandIn(TOKEN, rate=0, retry_after="3600")
    with LoopbackServer(throttling) as server:
        monkeypatch.setenv("ORDERCTL_17TRACK_URL", server.url + "/track/v2.2")
        monkeypatch.setenv("ORDERCTL_17TRACK_TOKEN", TOKEN)
        add(cli, A, NUM_A)
        first = cli("track")
        assert first.exit_code == 5 and "rate limiting" in first.stderr
        hits = len(server.hits)

        second = cli("track", A)
        assert second.exit_code == 5
        assert "skipped until 2026-11-28T13:00:00Z" in second.stderr
        assert len(server.hits) == hits  # no request at all

        monkeypatch.setenv("ORDERCTL_NOW", "2026-11-28T13:00:01Z")
        third = cli("track", A)
        assert third.exit_code == 5 and len(server.hits) > hits  # allowed to try again


# -- cron and quota ---------------------------------------------------------------------------


def test_quiet_prints_nothing_when_nothing_changed(cli, stand_in):
    add(cli, A, NUM_A)
    stand_in.records[NUM_A] = record(NUM_A, "InTransit", [E1, E2])
    changed = cli("track", "--quiet")
    assert changed.exit_code == 0 and "Changes since the last refresh" in changed.stdout

    unchanged = cli("track", "--quiet", "--stale", "0")
    assert unchanged.exit_code == 0
    assert (unchanged.stdout, unchanged.stderr) == ("", "")

    stand_in.records[NUM_A] = record(NUM_A, "Delivered", [E1, E2, E3])
    news = cli("track", "--quiet", "--stale", "0")
    assert news.exit_code == 0 and "order now delivered" in news.stdout


def test_registration_is_remembered_and_quota_spent_once(cli, stand_in):
    add(cli, A, NUM_A)
    add(cli, B, NUM_B)
    assert cli("track").exit_code == 0
    assert sorted(stand_in.register_hits) == sorted([NUM_A, NUM_B])

    assert cli("track", "--stale", "0").exit_code == 0
    assert cli("track", A).exit_code == 0
    assert sorted(stand_in.register_hits) == sorted([NUM_A, NUM_B])  # no new registration
    assert stand_in.fetch_hits.count(NUM_A) == 3

    state = AppContext.from_env().store.snapshot().providers["17track"]
    assert state["registered"] == sorted([NUM_A, NUM_B])


def test_nothing_to_refresh_is_success(cli, stand_in):
    assert cli("track", "--all").exit_code == 0
    result = cli("track", "--json")
    assert result.exit_code == 0 and result.json() == []
    assert stand_in.server.hits == []
