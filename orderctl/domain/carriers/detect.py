"""Run every format over a number, then rank and de-duplicate the matches.

Ranking, in order: check digit verified ("ok") before formats without one
("none") before a failed check ("bad"); then context — a carrier the order's
platform usually ships with (AliExpress → Cainiao, Yanwen, YunExpress, …)
before others; then the format's ``rank`` (specific shapes before bare digit
runs); then declaration order, so the result is deterministic. Each carrier
appears once, with its best-ranked format, and a ``reason`` saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from orderctl.domain.carriers.formats import FORMATS, Status
from orderctl.domain.carriers.model import CarrierCandidate, Detection
from orderctl.domain.carriers.normalize import normalize_number
from orderctl.domain.carriers.registry import UNIVERSAL_TRACKING_URL, carrier_info
from orderctl.domain.carriers.s10 import FALLBACK_SLUG, parse_s10

# Longer than any known format (USPS with 9-digit ZIP routing is 38); anything
# beyond is not a tracking number and is not worth running regexes over.
MAX_NUMBER_LENGTH = 40

_STATUS_ORDER: dict[Status, int] = {"ok": 0, "none": 1, "bad": 2}
_S10_RANK = 90
_S10_FALLBACK_RANK = 75


# Carriers each platform's sellers commonly ship with: context for ranking ties.
_CROSS_BORDER = frozenset(
    {"cainiao", "yanwen", "yunexpress", "4px", "china-post", "china-ems", "yto", "upu-s10"}
)
PLATFORM_CARRIERS: dict[str, frozenset[str]] = {
    "aliexpress": _CROSS_BORDER,
    "temu": _CROSS_BORDER,
    "shein": _CROSS_BORDER,
    "amazon": frozenset({"amazon", "ups", "usps", "fedex", "dhl-paket", "royal-mail"}),
    "ebay": frozenset({"usps", "ups", "fedex", "royal-mail", "dhl-paket", "yanwen"}),
}


@dataclass(frozen=True)
class FormatMatch:
    """One format that fits the number (internal; tests use it for per-format checks)."""

    format_id: str
    carrier: str
    check_digit: Status
    country: str | None
    rank: int
    order: int
    reason: str = ""


def match_formats(number: str) -> list[FormatMatch]:
    """Every format the *normalised* number fits, unranked, one entry per format."""
    if not number or len(number) > MAX_NUMBER_LENGTH or not number.isascii():
        return []
    matches: list[FormatMatch] = []
    parsed = parse_s10(number)
    if parsed is not None:
        rank = _S10_FALLBACK_RANK if parsed.carrier == FALLBACK_SLUG else _S10_RANK
        status: Status = "ok" if parsed.check_ok else "bad"
        why = (
            f"UPU S10 number; the suffix {parsed.country} names the issuing post; "
            + _check_words(status, "s10")
        )
        matches.append(FormatMatch("s10", parsed.carrier, status, parsed.country, rank, -1, why))
    for order, fmt in enumerate(FORMATS):
        status_or_none = fmt.classify(number)
        if status_or_none is None:
            continue
        info = carrier_info(fmt.carrier)
        country = fmt.country or (info.country if info else None)
        why = f"{fmt.description}; " + _check_words(status_or_none, fmt.algorithm)
        matches.append(
            FormatMatch(fmt.id, fmt.carrier, status_or_none, country, fmt.rank, order, why)
        )
    return matches


def _check_words(status: Status, algorithm: str) -> str:
    if status == "ok":
        return f"check digit verifies ({algorithm})"
    if status == "bad":
        return f"check digit does not verify ({algorithm}): mistyped, or another carrier's number"
    return "no published check digit for this format"


def rank_matches(matches: list[FormatMatch], platform: str | None = None) -> list[FormatMatch]:
    """Best first; each carrier kept once, with its best format."""
    usual = PLATFORM_CARRIERS.get((platform or "").strip().casefold(), frozenset())
    ordered = sorted(
        matches,
        key=lambda m: (_STATUS_ORDER[m.check_digit], m.carrier not in usual, -m.rank, m.order),
    )
    seen: set[str] = set()
    best: list[FormatMatch] = []
    for match in ordered:
        if match.carrier not in seen:
            seen.add(match.carrier)
            best.append(match)
    return best


def _candidate(match: FormatMatch, number: str, platform: str | None) -> CarrierCandidate:
    info = carrier_info(match.carrier)
    reason = match.reason
    usual = PLATFORM_CARRIERS.get((platform or "").strip().casefold(), frozenset())
    if match.carrier in usual:
        reason += f"; a usual carrier for {platform} orders"
    if info is None:  # every emitted slug is registered; stay total anyway
        return CarrierCandidate(
            match.carrier,
            match.carrier,
            match.check_digit,
            match.country,
            UNIVERSAL_TRACKING_URL.format(number=number),
            reason,
        )
    return CarrierCandidate(
        carrier=match.carrier,
        name=info.name,
        check_digit=match.check_digit,
        country=match.country,
        tracking_url=info.tracking_url(number),
        reason=reason,
    )


def detect_carrier(raw: str, platform: str | None = None) -> Detection:
    """Guess the carrier(s) of a tracking number; never raises.

    ``platform`` (the order's marketplace) breaks ties towards the carriers its
    sellers usually ship with. Empty, blank or absurd input yields a Detection
    with no candidates, which the CLI reports as "not found".
    """
    number = normalize_number(raw) if isinstance(raw, str) else ""
    ranked = rank_matches(match_formats(number), platform)
    return Detection(
        input=raw,
        number=number,
        candidates=tuple(_candidate(m, number, platform) for m in ranked),
    )
