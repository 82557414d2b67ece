"""AfterShip and Cainiao adapters: recorded payloads through the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from orderctl.domain.tracking import ShipmentStatus
from orderctl.errors import CredentialsError
from orderctl.providers.engine import EngineConfig, refresh
from orderctl.providers.settings import ProviderSettings

DATA = Path(__file__).parents[1] / "data" / "providers"
FAST = EngineConfig(backoff_base=0.0)
AS = ProviderSettings("aftership", "as-key-SENTINEL", "https://as.test/tracking/2026-07")
CN = ProviderSettings("cainiao", None, "https://cainiao.test")


def recorded(name):
    return json.loads((DATA / name).read_text())


def test_aftership_create_then_list():
    calls = []

    def handler(request):
        assert request.headers["as-api-key"] == AS.token
        calls.append((request.method, request.url.path, dict(request.url.params)))
        if request.method == "POST":
            return httpx.Response(400, json=recorded("aftership_create_exists.json"))
        return httpx.Response(200, json=recorded("aftership_trackings.json"))

    numbers = ["9400111899223197428490", "1Z999AA10123456784"]
    out = refresh(
        numbers, AS, transport=httpx.MockTransport(handler), config=FAST, sleep=lambda s: None
    )
    assert [c[0] for c in calls] == ["POST", "POST", "GET"]
    assert calls[-1][2]["tracking_numbers"] == ",".join(numbers)
    assert out.registered == set(numbers)  # 4003 already exists counts as registered
    usps = out.results["9400111899223197428490"]
    assert usps.status is ShipmentStatus.DELIVERED and usps.detail == "Delivered_001"
    assert len(usps.events) == 3  # the doubled checkpoint collapsed
    assert usps.events[0].location == "Chicago, IL"
    assert usps.events[-1].time_utc == "2026-11-04T18:37:00Z"
    assert usps.carrier == "usps"
    assert out.results["1Z999AA10123456784"].pending


def test_aftership_401_is_credentials_error():
    out = refresh(
        ["X12345"], AS, transport=httpx.MockTransport(lambda r: httpx.Response(401)), config=FAST
    )
    assert isinstance(out.fatal, CredentialsError)
    assert "AfterShip" in out.fatal.message
    assert "SENTINEL" not in repr(out.fatal) + str(out.failures)


def test_cainiao_batches_and_parses():
    calls = []

    def handler(request):
        calls.append(request.url.params["mailNos"].split(","))
        assert "17token" not in request.headers and "as-api-key" not in request.headers
        return httpx.Response(200, json=recorded("cainiao_detail.json"))

    numbers = ["LP00987654321098", "LP00000000000001"] + [f"LP{i:014d}" for i in range(10, 20)]
    out = refresh(
        numbers, CN, transport=httpx.MockTransport(handler), config=FAST, sleep=lambda s: None
    )
    assert [len(c) for c in calls] == [10, 2]
    lp = out.results["LP00987654321098"]
    assert lp.status is ShipmentStatus.OUT_FOR_DELIVERY and lp.detail == "DELIVERING"
    assert lp.aliases == ["UV123456785ES"] and lp.carrier == "Correos"
    times = [e.time for e in lp.events]
    assert times == [
        "2025-11-10T10:00:00+08:00",
        "2025-11-13T10:00:00+08:00",
        "2025-11-18T10:00:00+01:00",  # blank timeZone: offset from timeStr vs epoch
        "2025-11-20T10:00:00+01:00",
    ]
    assert lp.events[0].status is ShipmentStatus.INFO_RECEIVED
    assert lp.events[0].description == "Order received"
    assert out.results["LP00000000000001"].pending
    assert out.registered == set()  # Cainiao needs no registration
    assert "nothing" in out.failures["LP00000000000010"]


def test_cainiao_unsuccessful_response_fails_batch():
    out = refresh(
        ["LP00987654321098"],
        CN,
        config=FAST,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"success": False})),
    )
    assert out.fatal is None and "unsuccessful" in out.failures["LP00987654321098"]
