"""Run every format over a number, then rank and de-duplicate the matches.

Ranking, in order: check digit verified ("ok") before formats without one
("none") before a failed check ("bad"); then the format's ``rank`` (specific
shapes before bare digit runs); then declaration order, so the result is
deterministic. Each carrier appears once, with its best-ranked format.
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


@dataclass(frozen=True)
class FormatMatch:
    """One format that fits the number (internal; tests use it for per-format checks)."""

    format_id: str
    carrier: str
    check_digit: Status
    country: str | None
    rank: int
    order: int


def match_formats(number: str) -> list[FormatMatch]:
    """Every format the *normalised* number fits, unranked, one entry per format."""
    if not number or len(number) > MAX_NUMBER_LENGTH or not number.isascii():
        return []
    matches: list[FormatMatch] = []
    parsed = parse_s10(number)
    if parsed is not None:
        rank = _S10_FALLBACK_RANK if parsed.carrier == FALLBACK_SLUG else _S10_RANK
        status: Status = "ok" if parsed.check_ok else "bad"
        matches.append(FormatMatch("s10", parsed.carrier, status, parsed.country, rank, -1))
    for order, fmt in enumerate(FORMATS):
        status_or_none = fmt.classify(number)
        if status_or_none is None:
            continue
        info = carrier_info(fmt.carrier)
        country = fmt.country or (info.country if info else None)
        matches.append(FormatMatch(fmt.id, fmt.carrier, status_or_none, country, fmt.rank, order))
    return matches


def rank_matches(matches: list[FormatMatch]) -> list[FormatMatch]:
    """Best first; each carrier kept once, with its best format."""
    ordered = sorted(matches, key=lambda m: (_STATUS_ORDER[m.check_digit], -m.rank, m.order))
    seen: set[str] = set()
    best: list[FormatMatch] = []
    for match in ordered:
        if match.carrier not in seen:
            seen.add(match.carrier)
            best.append(match)
    return best


def _candidate(match: FormatMatch, number: str) -> CarrierCandidate:
    info = carrier_info(match.carrier)
    if info is None:  # every emitted slug is registered; stay total anyway
        return CarrierCandidate(
            match.carrier,
            match.carrier,
            match.check_digit,
            match.country,
            UNIVERSAL_TRACKING_URL.format(number=number),
        )
    return CarrierCandidate(
        carrier=match.carrier,
        name=info.name,
        check_digit=match.check_digit,
        country=match.country,
        tracking_url=info.tracking_url(number),
    )


def detect_carrier(raw: str) -> Detection:
    """Guess the carrier(s) of a tracking number; never raises.

    Empty, blank or absurd input yields a Detection with no candidates, which
    the CLI reports as "not found".
    """
    number = normalize_number(raw)
    ranked = rank_matches(match_formats(number))
    return Detection(
        input=raw,
        number=number,
        candidates=tuple(_candidate(m, number) for m in ranked),
    )
