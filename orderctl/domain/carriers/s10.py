"""UPU S10 numbers (``RR123456785CN``): the backbone of AliExpress shipping.

Layout: 2-letter service indicator + 8-digit serial + check digit + 2-letter ISO
country of the *issuing* post (not the destination). The suffix names the post
that owns the number, so ``UB…CN``, ``LV…CN`` and ``RR…CN`` are all China Post.

A suffix that is no ISO 3166 country at all (``XX``; Yanwen's ``YN``) means the
number is not S10, whatever its shape; a real country without an entry in
``registry.POSTS`` still is S10 and falls back to the generic "upu-s10" slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from orderctl.domain.carriers.checksums import s10
from orderctl.domain.carriers.registry import POSTS

# ISO 3166-1 alpha-2, officially assigned codes.
_ISO_3166_ALPHA2 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_COUNTRIES = frozenset(_ISO_3166_ALPHA2.split())

S10_PATTERN = re.compile(
    r"(?P<service>[A-Z]{2})(?P<serial>\d{8})(?P<check>\d)(?P<country>[A-Z]{2})"
)

FALLBACK_SLUG = "upu-s10"


@dataclass(frozen=True)
class S10Number:
    """A parsed S10 number and the carrier it points to."""

    service: str
    serial: str
    check: str
    country: str
    carrier: str
    check_ok: bool


def issuing_carrier(country: str, service: str) -> str:
    """Slug of the post behind a suffix; China's EMS numbers belong to China EMS."""
    if country == "CN" and service.startswith("E"):
        return "china-ems"
    entry = POSTS.get(country)
    return entry[0] if entry else FALLBACK_SLUG


def parse_s10(number: str) -> S10Number | None:
    """Parse a normalised number as S10, or None if it is not one."""
    match = S10_PATTERN.fullmatch(number)
    if match is None or match["country"] not in ISO_COUNTRIES:
        return None
    return S10Number(
        service=match["service"],
        serial=match["serial"],
        check=match["check"],
        country=match["country"],
        carrier=issuing_carrier(match["country"], match["service"]),
        check_ok=s10(match["serial"], match["check"]),
    )
