"""17TRACK Tracking API v2.2 adapter: ``/register`` then ``/gettrackinfo``.

17TRACK is asynchronous: registering a number costs one quota unit and data
arrives later, so the engine registers only numbers the caller has not
registered before, treats "already registered" (-18019901) as success, and
reports "no tracking info at the moment" (-18019909) as *pending*, not as an
error. Limits: 40 numbers per request, 3 requests/s per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from orderctl.domain.tracking import ShipmentStatus, TrackResult, status_from_events
from orderctl.errors import CredentialsError, ProviderError
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, RetryLater, chunks, short
from orderctl.providers.base import join_base as _join
from orderctl.providers.events import (
    RawEvent,
    build_events,
    parse_offset,
    parse_raw_events,
    parse_time_text,
    text,
)
from orderctl.providers.timezones import country_code

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
            if not isinstance(number, str) or number not in wanted:
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
                if isinstance(number, str) and number in wanted:
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
            if not isinstance(item, dict) or not isinstance(item.get("number"), str):
                continue
            number = item["number"]
            if number not in wanted:
                continue
            try:
                result = parse_track_info(number, item)
            except Exception as exc:  # one bad item never costs the batch its other numbers
                out.failures.setdefault(
                    number, f"17TRACK sent a malformed record ({type(exc).__name__})"
                )
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
    if isinstance(code, bool):
        code = None
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


def _event_raw(event: dict[str, Any], home: str | None = None) -> RawEvent:
    """One 17TRACK event as given. ``time_iso`` carries the offset; ``time_raw`` may not.

    A ``time_raw`` with a null ``timezone`` is the carrier's local time (never UTC);
    a date without a time of day is kept as a date. Raises ValueError when no time
    at all is usable.
    """
    local: datetime | None = None
    date_only = False
    parsed = parse_time_text(event.get("time_iso"))
    raw = event.get("time_raw") if isinstance(event.get("time_raw"), dict) else {}
    if parsed is None and raw:
        day, clock = text(raw.get("date")), text(raw.get("time"))
        zone = parse_offset(raw.get("timezone"))
        if day and clock:
            parsed = parse_time_text(f"{day}T{clock}")
            if parsed is not None and zone is not None and parsed[0].tzinfo is None:
                parsed = (parsed[0].replace(tzinfo=zone), False)
        if parsed is None and day:
            parsed = parse_time_text(day[:10])
    if parsed is not None:
        local, date_only = parsed
    utc_parsed = parse_time_text(event.get("time_utc"))
    utc = None
    if utc_parsed is not None and not utc_parsed[1]:
        value = utc_parsed[0]
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if local is None and utc is None:
        raise ValueError("no usable time")
    sub = text(event.get("sub_status"))
    stage = text(event.get("stage"))
    status = sub_status_to_status(sub) or STAGE.get(stage or "")
    address = event.get("address") if isinstance(event.get("address"), dict) else {}
    return RawEvent(
        local=local,
        utc=utc,
        date_only=date_only,
        country=country_code(address.get("country")),
        status=status,
        description=text(event.get("description")) or "",
        location=_location(event),
        detail=sub or stage,
        home=home,
    )


def _location(event: dict[str, Any]) -> str | None:
    location = text(event.get("location"))
    if location:
        return location
    address = event.get("address")
    if isinstance(address, dict):
        parts = [text(address.get(k)) for k in ("city", "state", "country")]
        joined = ", ".join(p for p in parts if p)
        return joined or None
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def parse_track_info(number: str, item: dict[str, Any]) -> TrackResult:
    """One ``data.accepted[]`` entry of gettrackinfo → TrackResult.

    A malformed event is skipped with a warning (the rest of the parcel is
    kept); only a record without a usable ``track_info`` or status raises.
    """
    info = item.get("track_info")
    if info is None:  # accepted but nothing fetched yet
        return TrackResult(number, NAME, ShipmentStatus.NOT_FOUND, pending=True)
    if not isinstance(info, dict):
        raise TypeError("track_info is not an object")
    latest = info.get("latest_status") if isinstance(info.get("latest_status"), dict) else {}
    main = text(latest.get("status")) or "NotFound"
    warnings: list[str] = []
    if main not in STATUS:
        warnings.append(f"{number}: unknown 17TRACK status {short(main, 40)!r}; read from events")
    raws: list[tuple[str, RawEvent]] = []
    names: list[tuple[Any, str]] = []
    tracking = info.get("tracking") if isinstance(info.get("tracking"), dict) else {}
    index = 0
    for provider in _dicts(tracking.get("providers")):
        block = provider.get("provider") if isinstance(provider.get("provider"), dict) else {}
        pname = text(block.get("name"))
        if pname:
            names.append((block.get("key"), pname))
        home = country_code(block.get("country"))
        events = provider.get("events")
        raws += parse_raw_events(
            number,
            events,
            lambda ev, home=home: _event_raw(ev, home),
            lambda ev: ev.get("description"),
            warnings.append,
            start=index,
        )
        index += len(events) if isinstance(events, list) else 0
    events_out = build_events(number, NAME, raws, None, warnings.append)
    misc = info.get("misc_info") if isinstance(info.get("misc_info"), dict) else {}
    local_number = text(misc.get("local_number"))
    aliases = [local_number.upper()] if local_number else []
    raw_code = item.get("carrier")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
    # The provider's own words win over our code table: the block whose key is
    # the item's carrier code names it; otherwise the first block does (a
    # top-level 3011 with only a UPS block is UPS); the table is the last resort.
    own = [name for key, name in names if code is not None and key == code]
    carrier = (own or [name for _, name in names] or [None])[0]
    if carrier is None and code is not None:
        carrier = CARRIERS.get(code)
    status = STATUS.get(main) or status_from_events(events_out) or ShipmentStatus.NOT_FOUND
    return TrackResult(
        number=number,
        provider=NAME,
        status=status,
        detail=text(latest.get("sub_status")),
        events=events_out,
        aliases=aliases,
        carrier=carrier,
        carrier_code=None if code is None else str(code),
        pending=status is ShipmentStatus.NOT_FOUND and not events_out,
        warnings=warnings,
    )
