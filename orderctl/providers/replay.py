"""Offline 17TRACK: answer register/gettrackinfo from recorded JSON files.

The demo runs through the real 17TRACK adapter and engine, only the transport
is replaced, so what users see offline is exactly what a live run would show.
``register.json`` and ``gettrackinfo.json`` in the recordings folder are full
v2.2 responses; each request gets back the entries for the numbers in its
body. A number with no recording registers fine and then has "no tracking
info at the moment" (-18019909), as a freshly registered real parcel would.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from orderctl.providers.settings import ProviderSettings

DEMO_TOKEN = "demo-replay-token"
DEMO_BASE_URL = "https://api.17track.invalid/track/v2.2"


def demo_recordings_dir() -> Path:
    """The packaged recordings for the demo's sample parcels."""
    return Path(str(resources.files("orderctl") / "data" / "demo" / "17track"))


def demo_settings() -> ProviderSettings:
    """Settings that route the 17TRACK adapter to :func:`replay_transport`."""
    return ProviderSettings("17track", DEMO_TOKEN, DEMO_BASE_URL, source="demo")


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"code": 0, "data": {"accepted": [], "rejected": []}}
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a 17TRACK response object")
    return data


def _by_number(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    index: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        index.setdefault(str(entry.get("number", "")).upper(), []).append(entry)
    return index


def replay_transport(recordings_dir: Path) -> httpx.MockTransport:
    """A transport answering ``POST …/register`` and ``POST …/gettrackinfo`` from recordings."""
    recorded = {}
    for endpoint in ("register", "gettrackinfo"):
        data = _load(recordings_dir / f"{endpoint}.json").get("data") or {}
        recorded[endpoint] = (
            _by_number(data.get("accepted") or []),
            _by_number(data.get("rejected") or []),
        )

    def handler(request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        if request.method != "POST" or endpoint not in recorded:
            return httpx.Response(404, json={"code": 404, "data": {"errors": []}})
        if not request.headers.get("17token"):
            return httpx.Response(401)
        try:
            body = json.loads(request.content)
            numbers = [str(item["number"]).upper() for item in body]
        except (ValueError, TypeError, KeyError):
            return httpx.Response(
                200,
                json={
                    "code": -18010012,
                    "data": {
                        "errors": [
                            {"code": -18010012, "message": "The format of the request is invalid."}
                        ]
                    },
                },
            )
        if len(numbers) > 40:
            return httpx.Response(
                200,
                json={
                    "code": -18010014,
                    "data": {
                        "errors": [
                            {"code": -18010014, "message": "Tracking numbers exceed the 40 limit."}
                        ]
                    },
                },
            )
        accepted_index, rejected_index = recorded[endpoint]
        accepted: list[dict[str, Any]] = []
        rejected: list[dict[str, Any]] = []
        for number in numbers:
            if number in accepted_index or number in rejected_index:
                accepted += accepted_index.get(number, [])
                rejected += rejected_index.get(number, [])
            elif endpoint == "register":
                accepted.append({"origin": 3, "number": number, "carrier": 0})
            else:
                rejected.append(
                    {
                        "number": number,
                        "error": {
                            "code": -18019909,
                            "message": "No tracking information at the moment.",
                        },
                    }
                )
        return httpx.Response(
            200, json={"code": 0, "data": {"accepted": accepted, "rejected": rejected}}
        )

    return httpx.MockTransport(handler)
