"""17TRACK adapter: recorded payloads through the real adapter and engine (MockTransport)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from orderctl.domain.tracking import ShipmentStatus
from orderctl.errors import CredentialsError, ExitCode, ProviderError
from orderctl.providers.engine import EngineConfig, refresh
from orderctl.providers.replay import demo_recordings_dir, demo_settings, replay_transport
from orderctl.providers.settings import ProviderSettings

DATA = Path(__file__).parents[1] / "data" / "providers"
SETTINGS = ProviderSettings("17track", "tok-17-SENTINEL", "https://api.test/track/v2.2")
FAST = EngineConfig(backoff_base=0.0, retry_after_default=0.0)


def recorded(name: str) -> dict:
    return json.loads((DATA / name).read_text())


class Api:
    """Answers from recorded payloads and records every call."""

    def __init__(self, register: dict | str | None = None, track: dict | None = None):
        self.register = register or recorded("17track_register.json")
        self.track = track or recorded("17track_gettrackinfo.json")
        self.calls: list[tuple[str, list[str]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["17token"] == SETTINGS.token
        assert "SENTINEL" not in str(request.url)
        numbers = [i["number"] for i in json.loads(request.content)]
        endpoint = request.url.path.rsplit("/", 1)[-1]
        self.calls.append((endpoint, numbers))
        if endpoint == "register" and self.register == "echo":
            accepted = [{"number": n, "carrier": 3011, "origin": 1} for n in numbers]
            return httpx.Response(200, json={"code": 0, "data": {"accepted": accepted}})
        return httpx.Response(200, json=self.register if endpoint == "register" else self.track)


def run(api, numbers, **kw):
    kw.setdefault("config", FAST)
    return refresh(
        numbers, SETTINGS, transport=httpx.MockTransport(api), sleep=lambda s: None, **kw
    )


NUMBERS = ["UB123456785CN", "LV123456785CN", "RR123456785CN", "EB123456785CN"]


def test_recorded_payloads_parse_into_domain_results():
    out = run(Api(), NUMBERS, registered={"RR123456785CN", "EB123456785CN"})
    assert out.fatal is None
    ub = out.results["UB123456785CN"]
    assert ub.status is ShipmentStatus.AVAILABLE_FOR_PICKUP
    assert ub.detail == "AvailableForPickup_Other"
    assert ub.aliases == ["CE123456785LT"]
    assert ub.carrier == "China Post"
    # duplicate event from both providers collapsed; time_raw-only event rebuilt
    assert [e.time_utc for e in ub.events] == [
        "2026-11-06T08:30:00Z",
        "2026-11-20T05:00:00Z",
        "2026-11-25T08:12:00Z",
    ]
    assert ub.events[0].time == "2026-11-06T16:30:00+08:00"
    assert ub.events[1].location == "Vilnius, LT"  # from address when location is null
    # multi-carrier registration: the entry with data wins over NotFound
    lv = out.results["LV123456785CN"]
    assert lv.status is ShipmentStatus.EXCEPTION and lv.detail == "Exception_Returning"
    pending = out.results["RR123456785CN"]
    assert pending.pending and pending.status is ShipmentStatus.NOT_FOUND
    assert "incorrect" in out.failures["EB123456785CN"]
    assert out.registered == {"UB123456785CN", "LV123456785CN"}  # already-registered = success


def test_registers_only_unregistered_numbers_in_batches_of_40():
    api = Api(register="echo")
    numbers = [f"LP{i:014d}" for i in range(95)]
    run(api, numbers, registered=set(numbers[:10]))
    reg = [n for e, n in api.calls if e == "register"]
    fetch = [n for e, n in api.calls if e == "gettrackinfo"]
    assert [len(b) for b in reg] == [40, 40, 5]
    assert not set(numbers[:10]) & {n for b in reg for n in b}
    assert [len(b) for b in fetch] == [40, 40, 15]


def test_unregistered_on_fetch_is_registered_once_and_refetched():
    state = {"registered": False}

    def handler(request):
        endpoint = request.url.path.rsplit("/", 1)[-1]
        if endpoint == "register":
            state["registered"] = True
            return httpx.Response(
                200,
                json={
                    "code": 0,
                    "data": {
                        "accepted": [{"number": "RB123456785CN", "carrier": 3011, "origin": 1}],
                        "rejected": [],
                    },
                },
            )
        if not state["registered"]:
            return httpx.Response(
                200,
                json={
                    "code": 0,
                    "data": {
                        "accepted": [],
                        "rejected": [
                            {
                                "number": "RB123456785CN",
                                "error": {"code": -18019902, "message": "x"},
                            }
                        ],
                    },
                },
            )
        return httpx.Response(
            200,
            json={
                "code": 0,
                "data": {
                    "accepted": [],
                    "rejected": [
                        {
                            "number": "RB123456785CN",
                            "error": {"code": -18019909, "message": "No info"},
                        }
                    ],
                },
            },
        )

    out = refresh(
        ["RB123456785CN"],
        SETTINGS,
        registered={"RB123456785CN"},
        transport=httpx.MockTransport(handler),
        config=FAST,
        sleep=lambda s: None,
    )
    assert out.results["RB123456785CN"].pending
    assert out.registered == {"RB123456785CN"}
    assert out.requests == 3


@pytest.mark.parametrize(
    ("code", "error", "exit_code"),
    [
        (-18010002, CredentialsError, ExitCode.CREDENTIALS),
        (-18010001, CredentialsError, ExitCode.CREDENTIALS),
        (-18019908, ProviderError, ExitCode.PROVIDER),
        (-18019907, ProviderError, ExitCode.PROVIDER),
    ],
)
def test_key_and_quota_errors_stop_the_run(code, error, exit_code):
    api = Api(register={"code": code, "data": {"errors": [{"code": code, "message": "no"}]}})
    numbers = [f"LP{i:014d}" for i in range(90)]
    out = run(api, numbers, config=EngineConfig(concurrency=1, backoff_base=0))
    assert isinstance(out.fatal, error) and out.fatal.exit_code == exit_code
    assert "17TRACK" in out.fatal.message and out.fatal.hint
    assert len(api.calls) == 1  # stopped: no further batches, no gettrackinfo
    assert set(out.failures) == set(numbers)
    assert all(r.startswith("not refreshed") for r in out.failures.values())


def test_per_item_quota_rejection_keeps_accepted_and_stops():
    register = {
        "code": 0,
        "data": {
            "accepted": [{"number": "A0000001", "carrier": 3011}],
            "rejected": [{"number": "A0000002", "error": {"code": -18019908, "message": "quota"}}],
        },
    }
    out = run(Api(register=register), ["A0000001", "A0000002"])
    assert out.registered == {"A0000001"}
    assert isinstance(out.fatal, ProviderError)


def test_internal_error_is_retried_then_succeeds():
    answers = iter(
        [
            {"code": -18010003, "data": {"errors": [{"code": -18010003, "message": "busy"}]}},
            recorded("17track_gettrackinfo.json"),
        ]
    )
    out = refresh(
        ["UB123456785CN"],
        SETTINGS,
        registered={"UB123456785CN"},
        config=FAST,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=next(answers))),
        sleep=lambda s: None,
    )
    assert out.results["UB123456785CN"].status is ShipmentStatus.AVAILABLE_FOR_PICKUP


def test_malformed_json_fails_that_batch_only():
    def handler(request):
        return httpx.Response(200, content=b"{not json")

    out = refresh(
        ["UB123456785CN"],
        SETTINGS,
        registered={"UB123456785CN"},
        transport=httpx.MockTransport(handler),
        config=FAST,
    )
    assert out.fatal is None
    assert "malformed" in out.failures["UB123456785CN"]


def test_one_event_without_any_usable_time_is_skipped_with_a_warning_not_the_parcel():
    track = recorded("17track_gettrackinfo.json")
    good = run(
        Api(track=recorded("17track_gettrackinfo.json")),
        ["UB123456785CN"],
        registered={"UB123456785CN"},
    ).results["UB123456785CN"]
    bad = track["data"]["accepted"][0]["track_info"]["tracking"]["providers"][0]["events"][0]
    bad.update(time_utc="garbage", time_iso="garbage", time_raw={"date": None, "time": None})
    out = run(Api(track=track), ["UB123456785CN"], registered={"UB123456785CN"})
    result = out.results["UB123456785CN"]
    assert "UB123456785CN" not in out.failures
    assert len(result.events) == len(good.events) - 1
    assert [w for w in result.warnings if w.startswith("UB123456785CN: skipped event 1")]
    assert result.status is good.status


def test_demo_replay_runs_offline_through_the_real_adapter():
    numbers = ["LP00123456789012", "YT2412345678901234", "RB123456785CN", "LP00000000000099"]
    seen = []
    out = refresh(
        numbers,
        demo_settings(),
        transport=replay_transport(demo_recordings_dir()),
        on_progress=lambda d, t: seen.append((d, t)),
    )
    assert out.ok and out.registered == set(numbers)
    lp = out.results["LP00123456789012"]
    assert lp.status is ShipmentStatus.DELIVERED and lp.delivered_at == date(2026, 11, 25)
    assert lp.aliases == ["RR473124829NL"] and len(lp.events) == 13
    assert {e.time[-6:] for e in lp.events} == {"+08:00", "+01:00"}
    assert out.results["YT2412345678901234"].delivered_at == date(2026, 11, 22)
    assert out.results["RB123456785CN"].status is ShipmentStatus.IN_TRANSIT
    assert out.results["LP00000000000099"].pending
    assert seen[-1] == (4, 4)
