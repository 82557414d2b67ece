"""`orderctl track` end to end against a provider answering damaged copies of recorded bodies.

Whatever the body, the run ends with a documented exit code (0 or 5), stdout is
one JSON document, there is no traceback, and no event stored by an earlier good
run is lost (issue 9 "fuzzing as a habit", at the CLI level).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.fuzz import damaged
from tests.helpers.loopback import LoopbackServer, Reply
from tests.helpers.providers import SeventeenScript

CASE = json.loads(
    (
        Path(__file__).parents[1]
        / "data"
        / "providers"
        / "corpus"
        / "17track-brazil-local-times-without-zone.json"
    ).read_text(encoding="utf-8")
)
ORDER_ID = "8208460785972844"


class Damaging(SeventeenScript):
    """The scripted stand-in, but gettrackinfo bodies can be swapped for damaged ones."""

    def __init__(self) -> None:
        super().__init__()
        self.body: object = None

    def __call__(self, hit):
        reply = super().__call__(hit)
        if self.body is not None and hit.path.endswith("/gettrackinfo"):
            return Reply(json=self.body)
        return reply


@pytest.fixture
def stand_in(cli, monkeypatch):
    app = Damaging()
    app.records[CASE["number"]] = CASE["record"]
    with LoopbackServer(app) as server:
        app.use(monkeypatch, server)
        assert (
            cli("add", ORDER_ID, "--title", "Parcel", "--tracking", CASE["number"]).exit_code == 0
        )
        first = cli("track", "--json")
        assert first.exit_code == 0, first.stderr
        yield app


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_damaged_answers_never_crash_track_nor_lose_stored_events(cli, stand_in, data):
    good = {"code": 0, "data": {"accepted": [copy.deepcopy(CASE["record"])], "rejected": []}}
    stand_in.body = data.draw(damaged(good))
    before = cli("show", ORDER_ID, "--json").json()["events"]

    result = cli("track", ORDER_ID, "--json")

    assert result.exit_code in (0, 5), result.stderr
    assert "Traceback" not in result.stderr
    (row,) = json.loads(result.stdout)
    assert row["order_id"] == ORDER_ID
    after = cli("show", ORDER_ID, "--json").json()["events"]
    kept = {(e["time_utc"], e["description"], e["location"]) for e in after}
    assert {(e["time_utc"], e["description"], e["location"]) for e in before} <= kept
