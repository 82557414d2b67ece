"""Scripted loopback stand-ins for 17TRACK, AfterShip and Cainiao.

Each answers from a dict of recorded per-number records (``records``) in the
provider's own wire format, so a test can run ``orderctl track`` end to end —
real CLI, engine, adapter and store — against exactly the payload it wants.
``use(monkeypatch, server)`` points orderctl at the stand-in.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.loopback import Hit, LoopbackServer, Reply

TOKEN = "SENTINEL-PROVIDER-KEY-4c1e9a77d0"


PENDING = {"code": -18019909, "message": "No tracking information at the moment."}


def seventeen_track_data(
    numbers: list[str],
    records: dict[str, dict[str, Any]],
    rejected: dict[str, tuple[int, str]],
) -> dict[str, Any]:
    """A ``/gettrackinfo`` ``data`` object: scripted records, scripted rejections, else pending
    (what a freshly registered real parcel gets)."""
    accepted, refused = [], []
    for number in numbers:
        if number in rejected:
            code, message = rejected[number]
            refused.append({"number": number, "error": {"code": code, "message": message}})
        elif number in records:
            accepted.append(records[number])
        else:
            refused.append({"number": number, "error": dict(PENDING)})
    return {"accepted": accepted, "rejected": refused}


class SeventeenScript:
    """``/register`` accepts all; ``/gettrackinfo`` answers ``records`` or ``rejected``."""

    name = "17track"

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.rejected: dict[str, tuple[int, str]] = {}

    def __call__(self, hit: Hit) -> Reply:
        if hit.headers.get("17token") != TOKEN:
            return Reply(401, json={"code": 401})
        numbers = [item["number"] for item in hit.json()]
        if hit.path.endswith("/register"):
            accepted = [{"origin": 1, "number": n, "carrier": 3011} for n in numbers]
            return Reply(json={"code": 0, "data": {"accepted": accepted, "rejected": []}})
        data = seventeen_track_data(numbers, self.records, self.rejected)
        return Reply(json={"code": 0, "data": data})

    def use(self, monkeypatch: pytest.MonkeyPatch, server: LoopbackServer) -> None:
        monkeypatch.setenv("ORDERCTL_17TRACK_URL", server.url + "/track/v2.2")
        monkeypatch.setenv("ORDERCTL_17TRACK_TOKEN", TOKEN)
        monkeypatch.setenv("ORDERCTL_TRACKING_PROVIDER", "17track")


class AfterShipScript:
    """``POST /trackings`` creates (or "already exists"); ``GET /trackings`` lists ``records``."""

    name = "aftership"

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def __call__(self, hit: Hit) -> Reply:
        if hit.headers.get("as-api-key") != TOKEN:
            return Reply(401, json={"meta": {"code": 401, "message": "Invalid API key."}})
        if hit.method == "POST":
            return Reply(201, json={"meta": {"code": 201}, "data": {"tracking": hit.json()}})
        wanted = (hit.query.get("tracking_numbers") or [""])[0].split(",")
        trackings = [self.records[n] for n in wanted if n in self.records]
        return Reply(json={"meta": {"code": 200}, "data": {"trackings": trackings}})

    def use(self, monkeypatch: pytest.MonkeyPatch, server: LoopbackServer) -> None:
        monkeypatch.setenv("ORDERCTL_AFTERSHIP_URL", server.url + "/tracking/2024-10")
        monkeypatch.setenv("ORDERCTL_AFTERSHIP_KEY", TOKEN)
        monkeypatch.setenv("ORDERCTL_TRACKING_PROVIDER", "aftership")


class CainiaoScript:
    """``GET /global/detail.json?mailNos=…`` answers ``records`` (unknown: empty detailList)."""

    name = "cainiao"

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def __call__(self, hit: Hit) -> Reply:
        wanted = (hit.query.get("mailNos") or [""])[0].split(",")
        module = [self.records.get(n, {"mailNo": n, "detailList": []}) for n in wanted]
        return Reply(json={"success": True, "module": module})

    def use(self, monkeypatch: pytest.MonkeyPatch, server: LoopbackServer) -> None:
        monkeypatch.setenv("ORDERCTL_CAINIAO_URL", server.url)
        monkeypatch.setenv("ORDERCTL_TRACKING_PROVIDER", "cainiao")
