"""17TRACK Tracking API v2.2 adapter: ``/register`` then ``/gettrackinfo``.

17TRACK is asynchronous: registering a number costs one quota unit and data
arrives later, so the engine registers only numbers the caller has not
registered before, treats "already registered" (-18019901) as success, and
reports "no tracking info at the moment" (-18019909) as *pending*, not as an
error. Limits: 40 numbers per request, 3 requests/s per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from orderctl.domain.tracking import ShipmentStatus, TrackingEvent, TrackResult, utc_iso
from orderctl.domain.tracking import parse_instant as _instant
from orderctl.errors import CredentialsError, ProviderError
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, RetryLater, chunks, short
from orderctl.providers.base import join_base as _join

NAME = "17track"
LABEL = "17TRACK"

STATUS = {
    "NotFound": ShipmentStatus.NOT_FOUND,
    "InfoReceived": ShipmentStatus.INFO_RECEIVED,
    "InTransit": ShipmentStatus.IN_TRANSIT,
    "Expired": ShipmentStatus.EXPIRED,
    "AvailableForPickup": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "OutForDelivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "DeliveryFailure": ShipmentStatus.FAILED_ATTEMPT,
    "Delivered": ShipmentStatus.DELIVERED,
    "Exception": ShipmentStatus.EXCEPTION,
}
# Milestone vocabulary used by ``event.stage`` (always 9 key stages).
STAGE = {
    "InfoReceived": ShipmentStatus.INFO_RECEIVED,
    "PickedUp": ShipmentStatus.IN_TRANSIT,
    "Departure": ShipmentStatus.IN_TRANSIT,
    "Arrival": ShipmentStatus.IN_TRANSIT,
    "AvailableForPickup": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "OutForDelivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "Delivered": ShipmentStatus.DELIVERED,
    "Returning": ShipmentStatus.EXCEPTION,
    "Returned": ShipmentStatus.EXCEPTION,
}
# A few carrier codes seen on AliExpress routes (apicarrier.all.json); others
# fall back to the provider name in the payload.
CARRIERS = {
    3011: "China Post",
    3013: "China EMS",
    190271: "Cainiao",
    191076: "Cainiao(CN)",
    101469: "Cainiao HK",
    190625: "AliExpress",
    190008: "YunExpress",
    190012: "YANWEN",
    190094: "4PX",
    14041: "PostNL",
    14044: "PostNL International Mail",
    7041: "DHL Paket",
    7044: "Deutsche Post Mail",
    21051: "USPS",
    11031: "Royal Mail",
}

ALREADY_REGISTERED = -18019901
NOT_REGISTERED = -18019902
NO_INFO_YET = -18019909
KEY_CODES = {
    -18010001: "calls from this IP address are not allowed (IP whitelist)",
    -18010002: "the API key is invalid",
    -18010004: "the account is disabled",
    -18010005: "access is not authorised",
}
QUOTA_CODES = {
    -18019907: "the daily tracking limit is exceeded",
    -18019908: "the tracking quota has run out",
}
RETRY_CODES = {-18010003}


def sub_status_to_status(sub_status: str | None) -> ShipmentStatus | None:
    """``InTransit_Arrival`` → in_transit; ``None`` or unknown → None."""
    if not sub_status:
        return None
    return STATUS.get(sub_status.split("_", 1)[0])


class SeventeenTrack:
    """Adapter for https://api.17track.net/track/v2.2 (header ``17token``)."""

    name = NAME
    label = LABEL
    batch_size = 40
    register_batch_size = 40
    rate_per_second = 3.0
    needs_registration = True

    def __init__(self, token: str, base_url: str):
        self.token = token
        self.base_url = base_url
        self.secrets = (token,)

    def headers(self) -> dict[str, str]:
        return {"17token": self.token, "Accept": "application/json"}

    def url(self, path: str) -> str:
        return _join(self.base_url, path)

    def register_requests(self, numbers: Sequence[str]) -> list[ApiRequest]:
        return [
            ApiRequest(
                "POST", "register", batch, json=[{"number": n} for n in batch], kind="register"
            )
            for batch in chunks(numbers, self.register_batch_size)
        ]

    def fetch_requests(self, numbers: Sequence[str]) -> list[ApiRequest]:
        return [
            ApiRequest("POST", "gettrackinfo", batch, json=[{"number": n} for n in batch])
            for batch in chunks(numbers, self.batch_size)
        ]

    def credentials_error(self, status_code: int) -> CredentialsError:
        return CredentialsError(
            f"17TRACK rejected the API key (HTTP {status_code}): bad key, IP not whitelisted "
            "or account disabled",
            hint="Check ORDERCTL_17TRACK_TOKEN / tracking.17track.token (Settings → Security → "
            "Access Key); a changed key takes up to 5 minutes to work.",
        )

    # -- parsing ---------------------------------------------------------------

    def parse(self, request: ApiRequest, status_code: int, payload: Any) -> BatchResult:
        data = self._envelope(status_code, payload)
        accepted = data.get("accepted") or []
        rejected = data.get("rejected") or []
        if not isinstance(accepted, list) or not isinstance(rejected, list):
            raise BatchError("17TRACK sent a malformed response (accepted/rejected not lists)")
        wanted = set(request.numbers)
        out = BatchResult()
        for item in rejected:
            number, code, message = _rejection(item)
            if number not in wanted:
                continue
            if code in QUOTA_CODES:
                out.fatal = _quota_error(code)
                out.failures[number] = f"17TRACK: {QUOTA_CODES[code]}"
            elif request.kind == "register" and code == ALREADY_REGISTERED:
                out.registered.add(number)
            elif code == NOT_REGISTERED:
                out.unregistered.add(number)
            elif code == NO_INFO_YET:
                out.results[number] = TrackResult(
                    number, NAME, ShipmentStatus.NOT_FOUND, detail="NotFound_Other", pending=True
                )
            else:
                out.failures[number] = f"17TRACK: {short(message)} (code {code})"
        if request.kind == "register":
            for item in accepted:
                number = item.get("number") if isinstance(item, dict) else None
                if number in wanted:
                    out.registered.add(number)
        else:
            self._parse_accepted(accepted, wanted, out)
        for number in wanted - out.registered - out.unregistered - set(out.results):
            if number not in out.failures and request.kind == "fetch":
                out.failures[number] = "17TRACK returned nothing for this number"
            elif number not in out.failures:
                out.failures[number] = "17TRACK did not confirm the registration"
        return out

    def _envelope(self, status_code: int, payload: Any) -> dict[str, Any]:
        if not isinstance(payload, dict) or not isinstance(payload.get("code"), int):
            raise BatchError(f"17TRACK sent an unexpected response (HTTP {status_code})")
        code = payload["code"]
        data = payload.get("data")
        if code != 0:
            errors = data.get("errors") if isinstance(data, dict) else None
            first = errors[0] if isinstance(errors, list) and errors else {}
            inner = first.get("code") if isinstance(first, dict) else None
            code = inner if isinstance(inner, int) else code
            message = first.get("message", "") if isinstance(first, dict) else ""
            if code in KEY_CODES:
                raise CredentialsError(
                    f"17TRACK refused the request: {KEY_CODES[code]} (code {code})",
                    hint="Check ORDERCTL_17TRACK_TOKEN / tracking.17track.token and the "
                    "17TRACK dashboard (Settings → Security).",
                )
            if code in QUOTA_CODES:
                raise _quota_error(code)
            if code in RETRY_CODES:
                raise RetryLater(f"17TRACK internal error (code {code})")
            raise BatchError(f"17TRACK rejected the request: {short(message)} (code {code})")
        if not isinstance(data, dict):
            raise BatchError("17TRACK sent a response without data")
        return data

    def _parse_accepted(self, accepted: list[Any], wanted: set[str], out: BatchResult) -> None:
        # One number registered under several carriers comes back once per
        # carrier: keep the entry that actually has data.
        for item in accepted:
            if not isinstance(item, dict) or item.get("number") not in wanted:
                continue
            number = item["number"]
            try:
                result = parse_track_info(number, item)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                out.failures[number] = f"17TRACK sent a malformed record ({type(exc).__name__})"
                continue
            previous = out.results.get(number)
            if previous is None or (previous.pending and not result.pending):
                out.results[number] = result
                out.failures.pop(number, None)


def _rejection(item: Any) -> tuple[str | None, int | None, str]:
    if not isinstance(item, dict):
        return None, None, ""
    error = item.get("error") if isinstance(item.get("error"), dict) else {}
    code = error.get("code")
    return (
        item.get("number"),
        code if isinstance(code, int) else None,
        str(error.get("message", "")),
    )


def _quota_error(code: int) -> ProviderError:
    return ProviderError(
        f"17TRACK stopped the run: {QUOTA_CODES[code]} (code {code})",
        hint="Wait for the quota to reset or buy more at 17track.net; numbers already "
        "registered can still be refreshed (gettrackinfo is free).",
    )


def _event_times(event: dict[str, Any]) -> tuple[str, str]:
    """(local ISO with offset, UTC ISO). Raises ValueError when no time is usable."""
    local = event.get("time_iso")
    utc = event.get("time_utc")
    raw = event.get("time_raw") or {}
    if not local and raw.get("date") and raw.get("time"):
        local = f"{raw['date']}T{raw['time']}{raw.get('timezone') or ''}"
    if not utc and local:
        utc = utc_iso(_instant(local))
    if not local:
        local = utc
    if not utc:
        raise ValueError("event without a time")
    return str(local), utc_iso(_instant(str(utc)))


def _location(event: dict[str, Any]) -> str | None:
    location = event.get("location")
    if isinstance(location, str) and location.strip():
        return location.strip()
    address = event.get("address")
    if isinstance(address, dict):
        parts = [address.get(k) for k in ("city", "state", "country")]
        text = ", ".join(p for p in parts if isinstance(p, str) and p)
        return text or None
    return None


def parse_track_info(number: str, item: dict[str, Any]) -> TrackResult:
    """One ``data.accepted[]`` entry of gettrackinfo → TrackResult (raises on bad shapes)."""
    info = item.get("track_info")
    if info is None:  # accepted but nothing fetched yet
        return TrackResult(number, NAME, ShipmentStatus.NOT_FOUND, pending=True)
    latest = info.get("latest_status") or {}
    main = latest.get("status") or "NotFound"
    if main not in STATUS:
        raise ValueError(f"unknown 17TRACK status {main!r}")
    events: list[TrackingEvent] = []
    names: list[str] = []
    for provider in (info.get("tracking") or {}).get("providers") or []:
        pname = (provider.get("provider") or {}).get("name")
        if pname:
            names.append(str(pname))
        for ev in provider.get("events") or []:
            local, utc = _event_times(ev)
            sub = ev.get("sub_status")
            stage = ev.get("stage")
            status = sub_status_to_status(sub) or STAGE.get(stage or "")
            events.append(
                TrackingEvent(
                    time=local,
                    time_utc=utc,
                    status=status,
                    description=str(ev.get("description") or ""),
                    location=_location(ev),
                    provider=NAME,
                    detail=sub or stage or None,
                )
            )
    misc = info.get("misc_info") or {}
    aliases = [str(misc["local_number"])] if misc.get("local_number") else []
    carrier_code = item.get("carrier")
    carrier = CARRIERS.get(carrier_code) if isinstance(carrier_code, int) else None
    carrier = carrier or (names[0] if names else None)
    status = STATUS[main]
    return TrackResult(
        number=number,
        provider=NAME,
        status=status,
        detail=latest.get("sub_status") or None,
        events=events,
        aliases=aliases,
        carrier=carrier,
        pending=status is ShipmentStatus.NOT_FOUND and not events,
    )
