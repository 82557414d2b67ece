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

from orderctl.domain.tracking import ShipmentStatus, TrackResult, status_from_events
from orderctl.errors import CredentialsError
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, chunks, join_base, short
from orderctl.providers.events import (
    RawEvent,
    build_events,
    parse_raw_events,
    parse_time_text,
    text,
)
from orderctl.providers.timezones import country_code

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
                message = short(text(meta.get("message")) or "")
                out.failures[number] = f"AfterShip: {message} (code {code})"
            return out
        if code != 200:
            raise BatchError(f"AfterShip: {short(text(meta.get('message')) or '')} (code {code})")
        data = payload.get("data")
        trackings = data.get("trackings") if isinstance(data, dict) else None
        if not isinstance(trackings, list):
            raise BatchError("AfterShip sent a response without data.trackings")
        wanted = set(request.numbers)
        for item in trackings:
            if not isinstance(item, dict) or not isinstance(item.get("tracking_number"), str):
                continue
            number = item["tracking_number"]
            if number not in wanted:
                continue
            try:
                out.results[number] = parse_tracking(number, item)
            except Exception as exc:  # one bad item never costs the batch its other numbers
                out.failures[number] = f"AfterShip sent a malformed record ({type(exc).__name__})"
        # Not in the list: AfterShip does not know it (deleted, or never created).
        out.unregistered = wanted - set(out.results) - set(out.failures)
        return out


def _location(cp: dict[str, Any]) -> str | None:
    location = text(cp.get("location"))
    if location:
        return location
    parts = [text(cp.get(k)) for k in ("city", "state", "country_region_name", "country_region")]
    joined = ", ".join(dict.fromkeys(p for p in parts if p))
    return joined or None


def _checkpoint(cp: dict[str, Any]) -> RawEvent:
    """One checkpoint as given: ``checkpoint_time`` is the checkpoint's local time,
    with an offset only when AfterShip knows it (documented); naive is never UTC."""
    parsed = parse_time_text(cp.get("checkpoint_time"))
    if parsed is None:
        raise ValueError("checkpoint_time is missing or unreadable")
    local, date_only = parsed
    cp_tag = text(cp.get("tag"))
    country = None
    for key in ("country_region", "country_iso3", "country_region_name", "country_name"):
        country = country_code(cp.get(key))
        if country:
            break
    message = text(cp.get("message"))
    standard = text(cp.get("subtag_message"))
    return RawEvent(
        local=local,
        utc=None,
        date_only=date_only,
        country=country,
        status=TAGS.get(cp_tag) if cp_tag else None,
        description=message or standard or "",
        description_std=standard if message else None,
        location=_location(cp),
        detail=text(cp.get("subtag")),
    )


def parse_tracking(number: str, item: dict[str, Any]) -> TrackResult:
    """One AfterShip tracking object → TrackResult.

    A malformed checkpoint is skipped with a warning; the rest of the parcel is kept.
    """
    from orderctl.domain.carriers.registry import carrier_info

    tag = text(item.get("tag")) or "Pending"
    warnings: list[str] = []
    if tag not in TAGS:
        warnings.append(f"{number}: unknown AfterShip tag {short(tag, 40)!r}; read from events")
    slug = text(item.get("slug"))
    info = carrier_info(slug.casefold()) if slug else None
    home = info.country if info else None
    raws = parse_raw_events(
        number,
        item.get("checkpoints"),
        _checkpoint,
        lambda cp: cp.get("message"),
        warnings.append,
    )
    events = build_events(number, NAME, raws, home, warnings.append)
    status = TAGS.get(tag) or status_from_events(events) or ShipmentStatus.NOT_FOUND
    return TrackResult(
        number=number,
        provider=NAME,
        status=status,
        detail=text(item.get("subtag")),
        events=events,
        carrier=slug,
        pending=tag == "Pending" and not events,
        warnings=warnings,
    )
