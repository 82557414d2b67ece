"""Issue 9 regressions for `track`: a key echoed by a provider, and waits that never end.

Each test is named after the case it reproduces. They run the real CLI, engine and
adapter against a loopback provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from orderctl.providers.engine import MAX_STORED_WAIT, parse_retry_after
from orderctl.services.context import AppContext
from tests.helpers.loopback import LoopbackServer, Reply
from tests.helpers.providers import TOKEN, SeventeenScript

A, B = "8208460785972844", "3065355286098390"
NUM_A, NUM_B = "LP00123456789012", "LP00999888777666"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def seventeen(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SeventeenScript, LoopbackServer]]:
    app = SeventeenScript()
    with LoopbackServer(app) as server:
        app.use(monkeypatch, server)
        yield app, server


def add(cli, order_id: str, number: str) -> None:
    args = ["add", order_id, "--title", "Hub", "--shipped", "2026-11-02", "--tracking", number]
    assert cli(*args).exit_code == 0


def provider_state() -> dict:
    return AppContext.from_env().store.snapshot().providers.get("17track", {})


# -- 1. the API key is printed ---------------------------------------------------------------


def test_17track_echoing_the_key_in_a_per_parcel_rejection_never_prints_it(cli, seventeen):
    app, _ = seventeen
    add(cli, A, NUM_A)
    add(cli, B, NUM_B)
    app.rejected[NUM_A] = (-18019910, f"Invalid request: 17token={TOKEN} not allowed")
    app.rejected[NUM_B] = (-18010012, f"key {TOKEN} rejected for this number")

    human = cli("track")
    as_json = cli("track", A, B, "--json")

    for result in (human, as_json):
        assert result.exit_code == 5
        assert TOKEN not in result.stdout
        assert TOKEN not in result.stderr
    rows = {row["order_id"]: row for row in as_json.json()}
    assert "***" in rows[A]["error"] and "***" in rows[B]["error"]
    assert "not allowed" in rows[A]["error"]  # the rest of the message is still shown
    assert "***" in human.stderr


def test_17track_echoing_the_key_in_event_text_never_stores_or_prints_it(cli, seventeen):
    app, _ = seventeen
    add(cli, A, NUM_A)
    event = {
        "time_iso": "2026-11-20T10:00:00+08:00",
        "time_utc": "2026-11-20T02:00:00Z",
        "description": f"Debug: token {TOKEN}",
        "location": "Shenzhen",
        "sub_status": "InTransit_Other",
    }
    app.records[NUM_A] = {
        "number": NUM_A,
        "carrier": 3011,
        "track_info": {
            "latest_status": {"status": "InTransit"},
            "tracking": {"providers": [{"provider": {"name": "China Post"}, "events": [event]}]},
        },
    }
    result = cli("track", "--json")
    shown = cli("show", A, "--json")
    assert result.exit_code == 0
    assert TOKEN not in result.stdout + result.stderr + shown.stdout
    assert shown.json()["events"][0]["description"] == "Debug: token ***"


# -- 2. one 429 switches tracking off for years ----------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_STORED_WAIT),
        ("99999", MAX_STORED_WAIT),
        ("1e400", MAX_STORED_WAIT),
        ("99999999999999999999999999", MAX_STORED_WAIT),
        ("inf", MAX_STORED_WAIT),
        ("nan", 0.0),
        ("-5", 0.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
        ("30", 30.0),
    ],
)
def test_retry_after_is_capped_at_24_hours_whatever_the_header(header, expected):
    assert parse_retry_after(header, NOW) == expected


@pytest.mark.parametrize(
    "header", ["Fri, 31 Dec 9999 23:59:59 GMT", "99999", "1e400", "99999999999999999999"]
)
def test_retry_after_9999_or_huge_is_stored_for_at_most_24_hours(cli, monkeypatch, header):
    throttling = lambda hit: Reply(429, headers={"Retry-After": header}, json={"code": 429})  # noqa: E731
    with LoopbackServer(throttling) as server:
        SeventeenScript().use(monkeypatch, server)
        add(cli, A, NUM_A)
        first = cli("track")
        assert first.exit_code == 5 and "rate limiting" in first.stderr
        assert provider_state()["next_allowed_at"] == "2026-11-29T12:00:00Z"

        second = cli("track", A)
        assert second.exit_code == 5
        assert "skipped until 2026-11-29T12:00:00Z" in second.stderr
        assert "--ignore-backoff" in second.stderr

        monkeypatch.setenv("ORDERCTL_NOW", "2026-11-29T12:00:01Z")
        hits = len(server.hits)
        third = cli("track", A)
        assert third.exit_code == 5 and len(server.hits) > hits  # a day later it asks again


def test_wait_until_9999_stored_by_an_older_version_is_not_honoured(cli, seventeen):
    _app, server = seventeen
    add(cli, A, NUM_A)
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        txn.set_provider_state("17track", {"next_allowed_at": "9999-12-29T00:00:00Z"})

    result = cli("track", A)

    assert result.exit_code == 0, result.stderr
    assert "skipped until" not in result.stderr
    assert any(hit.path.endswith("/gettrackinfo") for hit in server.hits)
    assert "next_allowed_at" not in provider_state()


def test_track_ignore_backoff_asks_now_and_clears_the_stored_wait(cli, seventeen):
    _app, server = seventeen
    add(cli, A, NUM_A)
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        txn.set_provider_state("17track", {"next_allowed_at": "2026-11-28T18:00:00Z"})
    blocked = cli("track", A)
    assert blocked.exit_code == 5 and "skipped until 2026-11-28T18:00:00Z" in blocked.stderr
    assert server.hits == []

    forced = cli("track", A, "--ignore-backoff")

    assert forced.exit_code == 0, forced.stderr
    assert server.hits
    assert "next_allowed_at" not in provider_state()
    assert cli("track", A).exit_code == 0  # no longer blocked


def test_track_ignore_backoff_clears_the_wait_even_with_nothing_to_refresh(cli, seventeen):
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        txn.set_provider_state("17track", {"next_allowed_at": "2026-11-28T18:00:00Z"})
    result = cli("track", "--ignore-backoff")
    assert result.exit_code == 0
    assert "next_allowed_at" not in provider_state()
