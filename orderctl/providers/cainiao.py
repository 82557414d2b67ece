"""Cainiao global public tracking endpoint (no key; undocumented, community-observed).

``GET {base}/global/detail.json?mailNos=A,B,…`` answers several numbers at
once. An unknown number is a *success* with an empty ``detailList``: that is
"pending", not an error. Times come as epoch milliseconds (exact UTC) plus a
local ``timeStr``; the offset is taken from ``timeZone`` ("GMT+8") or, when it
is blank, from the difference between the two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from orderctl import __version__
from orderctl.domain.tracking import ShipmentStatus, TrackResult, status_from_events
from orderctl.errors import CredentialsError
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, chunks, join_base
from orderctl.providers.events import (
    RawEvent,
    build_events,
    parse_offset,
    parse_raw_events,
    parse_time_text,
    text,
)

NAME = "cainiao"
LABEL = "Cainiao"

ACTIONS = {
    "WAIT_ACCEPT": ShipmentStatus.INFO_RECEIVED,
    "GWMS_ACCEPT": ShipmentStatus.INFO_RECEIVED,
    "GWMS_PACKAGE": ShipmentStatus.INFO_RECEIVED,
    "PRE_READY_TO_SHIP": ShipmentStatus.INFO_RECEIVED,
    "PU_PRE_PICKUP_SUCCESS": ShipmentStatus.INFO_RECEIVED,
    "DELIVERING": ShipmentStatus.OUT_FOR_DELIVERY,
    "GTMS_DO_DEPART": ShipmentStatus.OUT_FOR_DELIVERY,
    "GTMS_STA_SIGNED": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "GSTA_INBOUND": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "GTMS_DEL_FAILURE": ShipmentStatus.FAILED_ATTEMPT,
    "GTMS_SIGNED": ShipmentStatus.DELIVERED,
    "SIGNED": ShipmentStatus.DELIVERED,
}


def action_to_status(code: str | None) -> ShipmentStatus | None:
    """Cainiao action/status code → normalised status.

    Unknown codes are transit scans in practice (LH_*, CC_*, SC_*, TD_*, …);
    failure/return codes are exceptions. The raw code stays in ``detail``.
    """
    if not code:
        return None
    code = code.upper()
    if code in ACTIONS:
        return ACTIONS[code]
    if code.startswith(("FAILED", "RETURN")) or "RETURN" in code:
        return ShipmentStatus.EXCEPTION
    return ShipmentStatus.IN_TRANSIT


def _real_number(raw: Any) -> str | None:
    """``realMailNo`` may carry a carrier prefix ("PostNL: RR…"): keep the number."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    tokens = re.findall(r"[A-Za-z0-9]{6,}", raw)
    return tokens[-1].upper() if tokens else None


class Cainiao:
    """Adapter for ``https://global.cainiao.com/global/detail.json``."""

    name = NAME
    label = LABEL
    batch_size = 10  # no published limit; community clients send a handful at once
    register_batch_size = 10
    rate_per_second = 1.0  # no published limit: stay polite on a public endpoint
    needs_registration = False
    secrets: tuple[str, ...] = ()

    def __init__(self, base_url: str, lang: str = "en-US"):
        self.base_url = base_url
        self.lang = lang

    def headers(self) -> dict[str, str]:
        return {"Accept": "application/json", "User-Agent": f"orderctl/{__version__}"}

    def url(self, path: str) -> str:
        return join_base(self.base_url, path)

    def register_requests(self, numbers: Sequence[str]) -> list[ApiRequest]:
        return []

    def fetch_requests(self, numbers: Sequence[str]) -> list[ApiRequest]:
        return [
            ApiRequest(
                "GET",
                "global/detail.json",
                batch,
                params={"mailNos": ",".join(batch), "lang": self.lang, "language": self.lang},
            )
            for batch in chunks(numbers, self.batch_size)
        ]

    def credentials_error(self, status_code: int) -> CredentialsError:
        return CredentialsError(
            f"Cainiao refused access (HTTP {status_code})",
            hint="The public endpoint may be blocking this network; try --provider 17track.",
        )

    def parse(self, request: ApiRequest, status_code: int, payload: Any) -> BatchResult:
        if not isinstance(payload, dict) or payload.get("success") is not True:
            raise BatchError(f"Cainiao sent an unsuccessful response (HTTP {status_code})")
        module = payload.get("module")
        if not isinstance(module, list):
            raise BatchError("Cainiao sent a response without a module list")
        wanted = set(request.numbers)
        out = BatchResult()
        for item in module:
            if not isinstance(item, dict):
                continue
            number = str(item.get("mailNo") or "").upper()
            if number not in wanted:
                continue
            try:
                out.results[number] = parse_module(number, item)
            except Exception as exc:  # one bad item never costs the batch its other numbers
                out.failures[number] = f"Cainiao sent a malformed record ({type(exc).__name__})"
        for number in wanted - set(out.results) - set(out.failures):
            out.failures[number] = "Cainiao returned nothing for this number"
        return out


def _row(row: dict[str, Any]) -> RawEvent:
    """One ``detailList`` row as given.

    ``time`` is epoch milliseconds (the exact instant); ``timeStr`` is the local
    time it was written in — Beijing time even where ``timeZone`` says GMT+0 —
    so the offset comes from their difference; ``timeZone`` only when there is
    no ``timeStr``; Beijing (inferred) when there is neither.
    """
    millis = row.get("time")
    utc = None
    if not isinstance(millis, bool) and isinstance(millis, int | float | str):
        try:
            value = float(millis)
            if value == value and abs(value) < 1e15:
                utc = datetime.fromtimestamp(int(value) / 1000, tz=UTC)
        except (ValueError, OverflowError, OSError):
            utc = None
    parsed = parse_time_text(row.get("timeStr"))
    local = parsed[0] if parsed is not None and not parsed[1] else None
    if local is not None and local.tzinfo is None and utc is None:
        zone = parse_offset(row.get("timeZone"))
        if zone is not None:
            local = local.replace(tzinfo=zone)
    if local is None and utc is not None:
        zone = parse_offset(row.get("timeZone"))
        if zone is not None:
            local = utc.astimezone(zone)
    if local is None and utc is None:
        raise ValueError("no usable time")
    code = text(row.get("actionCode"))
    specific, standard = text(row.get("desc")), text(row.get("standerdDesc"))
    return RawEvent(
        local=local,
        utc=utc,
        date_only=False,
        country=None,
        status=action_to_status(code),
        description=specific or standard or "",
        description_std=standard if specific else None,
        detail=code,
        home="CN",
    )


def parse_module(number: str, item: dict[str, Any]) -> TrackResult:
    """One ``module[]`` entry → TrackResult; a malformed row is skipped with a warning."""
    warnings: list[str] = []
    rows = item.get("detailList")
    raws = parse_raw_events(
        number,
        rows,
        _row,
        lambda row: row.get("desc") or row.get("standerdDesc"),
        warnings.append,
    )
    events = build_events(number, NAME, raws, "CN", warnings.append)
    raw_status = text(item.get("status"))
    # The module-level status wins when it is one we know exactly (e.g. SIGNED);
    # otherwise the newest event decides.
    known = ACTIONS.get(raw_status.upper()) if raw_status else None
    status = (known or status_from_events(events)) if events else ShipmentStatus.NOT_FOUND
    real = _real_number(item.get("realMailNo"))
    cp = item.get("destCpInfo") if isinstance(item.get("destCpInfo"), dict) else {}
    return TrackResult(
        number=number,
        provider=NAME,
        status=status or ShipmentStatus.NOT_FOUND,
        detail=raw_status if events else None,
        events=events,
        aliases=[real] if real else [],
        carrier=text(cp.get("cpName")),
        carrier_code=text(cp.get("cpCode")),
        pending=not events,
        warnings=warnings,
    )
