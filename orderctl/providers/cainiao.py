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
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from orderctl import __version__
from orderctl.domain.tracking import ShipmentStatus, TrackingEvent, TrackResult, status_from_events
from orderctl.errors import CredentialsError
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, chunks, join_base

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
_GMT = re.compile(r"(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


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


def _offset(zone: str | None, local: str | None, utc: datetime) -> timezone:
    match = _GMT.search((zone or "").strip())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        return timezone(sign * timedelta(minutes=minutes))
    if local:
        naive = datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
        diff = naive - utc.replace(tzinfo=None)
        quarter = round(diff.total_seconds() / 900) * 900
        if abs(quarter) <= 14 * 3600:
            return timezone(timedelta(seconds=quarter))
    return timezone(timedelta(hours=8))  # Cainiao's home zone, as other clients assume


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
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                out.failures[number] = f"Cainiao sent a malformed record ({type(exc).__name__})"
        for number in wanted - set(out.results) - set(out.failures):
            out.failures[number] = "Cainiao returned nothing for this number"
        return out


def parse_module(number: str, item: dict[str, Any]) -> TrackResult:
    """One ``module[]`` entry → TrackResult (raises on bad shapes)."""
    events = []
    for row in item.get("detailList") or []:
        millis = row["time"]
        if isinstance(millis, bool) or not isinstance(millis, int | float | str):
            raise TypeError("time must be epoch milliseconds")
        utc = datetime.fromtimestamp(int(millis) / 1000, tz=UTC)
        local = utc.astimezone(_offset(row.get("timeZone"), row.get("timeStr"), utc))
        code = row.get("actionCode") or None
        events.append(
            TrackingEvent(
                time=local.replace(microsecond=0).isoformat(),
                time_utc=utc.isoformat(),
                status=action_to_status(code),
                description=str(row.get("standerdDesc") or row.get("desc") or ""),
                location=None,
                provider=NAME,
                detail=code,
            )
        )
    raw_status = item.get("status") or None
    # The module-level status wins when it is one we know exactly (e.g. SIGNED);
    # otherwise the newest event decides.
    known = ACTIONS.get(str(raw_status).upper()) if raw_status else None
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
        carrier=cp.get("cpName") or None,
        pending=not events,
    )
