"""AfterShip Tracking API adapter (date-versioned API, header ``as-api-key``).

AfterShip must know a tracking before it reports on it: ``POST /trackings``
creates one per request (an existing one answers meta code 4003, which counts
as success, so a retry never double-creates), then ``GET /trackings`` with the
``tracking_numbers`` filter fetches several at once. Statuses come from the
documented ``tag``/``subtag`` enums.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from orderctl.domain.tracking import ShipmentStatus, TrackingEvent, TrackResult, utc_iso
from orderctl.domain.tracking import parse_instant as _instant
from orderctl.errors import CredentialsError
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, chunks, join_base, short

NAME = "aftership"
LABEL = "AfterShip"

TAGS = {
    "Pending": ShipmentStatus.NOT_FOUND,
    "InfoReceived": ShipmentStatus.INFO_RECEIVED,
    "InTransit": ShipmentStatus.IN_TRANSIT,
    "OutForDelivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "AttemptFail": ShipmentStatus.FAILED_ATTEMPT,
    "Delivered": ShipmentStatus.DELIVERED,
    "AvailableForPickup": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "Exception": ShipmentStatus.EXCEPTION,
    "Expired": ShipmentStatus.EXPIRED,
}
ALREADY_EXISTS = 4003


class AfterShip:
    """Adapter for ``https://api.aftership.com/tracking/<version>``."""

    name = NAME
    label = LABEL
    batch_size = 25  # numbers per GET /trackings?tracking_numbers=… (kept well under a page)
    register_batch_size = 1  # POST /trackings takes one tracking
    rate_per_second = 5.0  # strictest per-endpoint limit we use (GET/PUT /trackings/:id = 5 r/s)
    needs_registration = True

    def __init__(self, key: str, base_url: str):
        self.key = key
        self.base_url = base_url
        self.secrets = (key,)

    def headers(self) -> dict[str, str]:
        return {"as-api-key": self.key, "Accept": "application/json"}

    def url(self, path: str) -> str:
        return join_base(self.base_url, path)

    def register_requests(self, numbers: Sequence[str]) -> list[ApiRequest]:
        return [
            ApiRequest("POST", "trackings", (n,), json={"tracking_number": n}, kind="register")
            for n in numbers
        ]

    def fetch_requests(self, numbers: Sequence[str]) -> list[ApiRequest]:
        return [
            ApiRequest(
                "GET",
                "trackings",
                batch,
                params={"tracking_numbers": ",".join(batch), "limit": "200"},
            )
            for batch in chunks(numbers, self.batch_size)
        ]

    def credentials_error(self, status_code: int) -> CredentialsError:
        return CredentialsError(
            f"AfterShip rejected the API key (HTTP {status_code})",
            hint="Check ORDERCTL_AFTERSHIP_KEY / tracking.aftership.key "
            "(AfterShip admin → Settings → API keys).",
        )

    def parse(self, request: ApiRequest, status_code: int, payload: Any) -> BatchResult:
        if not isinstance(payload, dict) or not isinstance(payload.get("meta"), dict):
            raise BatchError(f"AfterShip sent an unexpected response (HTTP {status_code})")
        meta = payload["meta"]
        code = meta.get("code")
        if code == 401:
            raise self.credentials_error(401)
        out = BatchResult()
        if request.kind == "register":
            number = request.numbers[0]
            if code in (200, 201, ALREADY_EXISTS):
                out.registered.add(number)
            else:
                out.failures[number] = f"AfterShip: {short(meta.get('message', ''))} (code {code})"
            return out
        if code != 200:
            raise BatchError(f"AfterShip: {short(meta.get('message', ''))} (code {code})")
        data = payload.get("data")
        trackings = data.get("trackings") if isinstance(data, dict) else None
        if not isinstance(trackings, list):
            raise BatchError("AfterShip sent a response without data.trackings")
        wanted = set(request.numbers)
        for item in trackings:
            if not isinstance(item, dict) or item.get("tracking_number") not in wanted:
                continue
            number = item["tracking_number"]
            try:
                out.results[number] = parse_tracking(number, item)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                out.failures[number] = f"AfterShip sent a malformed record ({type(exc).__name__})"
        # Not in the list: AfterShip does not know it (deleted, or never created).
        out.unregistered = wanted - set(out.results) - set(out.failures)
        return out


def _location(cp: dict[str, Any]) -> str | None:
    location = cp.get("location")
    if isinstance(location, str) and location.strip():
        return location.strip()
    parts = [cp.get(k) for k in ("city", "state", "country_region_name", "country_region")]
    text = ", ".join(dict.fromkeys(p for p in parts if isinstance(p, str) and p))
    return text or None


def parse_tracking(number: str, item: dict[str, Any]) -> TrackResult:
    """One AfterShip tracking object → TrackResult (raises on bad shapes)."""
    tag = item.get("tag") or "Pending"
    if tag not in TAGS:
        raise ValueError(f"unknown AfterShip tag {tag!r}")
    events = []
    for cp in item.get("checkpoints") or []:
        local = cp["checkpoint_time"]  # carrier-local; offset present when AfterShip knows it
        cp_tag = cp.get("tag")
        events.append(
            TrackingEvent(
                time=str(local),
                time_utc=utc_iso(_instant(str(local))),
                status=TAGS.get(cp_tag) if cp_tag else None,
                description=str(cp.get("message") or cp.get("subtag_message") or ""),
                location=_location(cp),
                provider=NAME,
                detail=cp.get("subtag") or None,
            )
        )
    status = TAGS[tag]
    return TrackResult(
        number=number,
        provider=NAME,
        status=status,
        detail=item.get("subtag") or None,
        events=events,
        carrier=item.get("slug") or None,
        pending=tag == "Pending" and not events,
    )
