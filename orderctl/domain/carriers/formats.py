"""Tracking-number formats other than UPU S10, as data.

Every pattern is written against the *normalised* number (``normalize.py``):
upper case, no spaces or dashes. Shapes and check digits follow the published
rules of jkeen/tracking_number_data v2 (MIT) and are verified against its test
numbers in ``tests/data/tracking-number-vectors.json``; the AliExpress-era shapes
(Cainiao, 4PX, Yanwen, YTO) come from community sources and are heuristics.

``rank`` is the prior used to order candidates whose check-digit status ties: it
grows with how constrained the shape is (literal prefixes beat bare digit runs)
and, for equally loose shapes, with how often marketplace buyers meet the carrier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from orderctl.domain.carriers import checksums as cs

Status = Literal["ok", "bad", "none"]
Classifier = Callable[[str], Status | None]
MatchCheck = Callable[[re.Match[str]], bool]

FEDEX_12_WEIGHTS = (3, 1, 7) * 3 + (3, 1)
FEDEX_34_WEIGHTS = (1, 7, 3) * 4 + (1,)


@dataclass(frozen=True)
class NumberFormat:
    """One number format: who issues it, how to recognise it, how much to trust it."""

    id: str
    carrier: str
    description: str
    algorithm: str
    rank: int
    classify: Classifier
    country: str | None = None


def shape(
    pattern: str, check: MatchCheck | None = None, guard: MatchCheck | None = None
) -> Classifier:
    """Build a classifier from a regex (compiled once, here) and a check-digit test.

    ``guard`` rejects numbers that fit the shape but cannot be real (all-zero
    serials), so they are "no match" rather than a misleading "ok".
    """
    compiled = re.compile(pattern)

    def classify(number: str) -> Status | None:
        match = compiled.fullmatch(number)
        if match is None or (guard is not None and not guard(match)):
            return None
        if check is None:
            return "none"
        return "ok" if check(match) else "bad"

    return classify


def _mod10(serial_group: str, evens: int, odds: int, prefix: str = "") -> MatchCheck:
    return lambda m: cs.mod10(prefix + m[serial_group], m["check"], evens=evens, odds=odds)


def _has_digits(group: str, minimum: int) -> MatchCheck:
    return lambda m: sum(ch.isdigit() for ch in m[group]) >= minimum


def _not_all_zero(group: str | int) -> MatchCheck:
    return lambda m: m[group].strip("0") != ""


def _ontrac(letter: str, implied: str) -> Classifier:
    """OnTrac C/D: the serial gets an implied leading 4 (C) or 5 (D) unless present."""

    def check(m: re.Match[str]) -> bool:
        serial = m["serial"]
        if not serial.startswith(implied):
            serial = implied + serial
        return cs.mod10(serial, m["check"], evens=1, odds=2)

    return shape(letter + r"(?P<serial>\d{13})(?P<check>\d)", check)


_USPS_BODY = re.compile(r"9[1-5]\d{20}|9[1-5]\d{24}")
_USPS_ROUTING = re.compile(r"420(?:\d{5}|\d{9})")


def _usps_impb(number: str) -> Status | None:
    """USPS IMpb: optional ``420`` + ZIP (5 or 9 digits) routing, then a 22/26-digit
    body starting 91-95 whose last digit is a mod 10 (3,1) check digit.

    The routing prefix has two possible lengths, so both splits are tried: the
    number is "ok" if either verifies.
    """
    bodies = [number] if _USPS_BODY.fullmatch(number) else []
    for cut in (8, 12):
        if _USPS_ROUTING.fullmatch(number[:cut]) and _USPS_BODY.fullmatch(number[cut:]):
            bodies.append(number[cut:])
    bodies = [b for b in bodies if b[2:-1].strip("0")]
    if not bodies:
        return None
    ok = any(cs.mod10(b[:-1], b[-1], evens=3, odds=1) for b in bodies)
    return "ok" if ok else "bad"


def _impb_legacy(number: str) -> Status | None:
    """USPS 20-digit legacy label (e.g. certified mail ``71…``): the check digit
    covers an implied ``91`` application identifier."""
    if not (len(number) == 20 and number.isdigit()) or number[:2] in ("91", "92", "93", "94", "95"):
        return None
    if not number[2:19].strip("0"):
        return None
    return "ok" if cs.mod10("91" + number[:19], number[19], evens=3, odds=1) else "bad"


def _fedex_smartpost(number: str) -> Status | None:
    """FedEx SmartPost / Ground Economy: IMpb-style 20 digits whose mod 10 (3,1) check digit
    covers an implied ``92`` application identifier (or 22 digits with the ``92`` printed).

    jkeen/tracking_number_data "FedEx SmartPost" (``prepend_if ^(?!92) → 92``); the
    20-digit form starts with the 3-digit service type (612, 748, 023, …).
    """
    if not number.isdigit():
        return None
    # "00" is the SSCC application identifier (DHL Paket 00340…), never a service type.
    if len(number) == 20 and not number.startswith(("00", "91", "92", "93", "94", "95")):
        body = "92" + number
    elif len(number) == 22 and number.startswith("92"):
        body = number
    else:
        return None
    if not body[2:-1].strip("0"):
        return None
    return "ok" if cs.mod10(body[:-1], body[-1], evens=3, odds=1) else "bad"


def _s10_shaped_yanwen(m: re.Match[str]) -> bool:
    return cs.s10(m["serial"], m["check"])


FORMATS: tuple[NumberFormat, ...] = (
    # --- marketplace / China cross-border -------------------------------------
    NumberFormat("yunexpress", "yunexpress", "YT + 16 digits", "none", 95, shape(r"YT\d{16}")),
    NumberFormat("4px", "4px", "4PX + 13 digits + CN", "none", 95, shape(r"4PX\d{13}CN")),
    NumberFormat(
        "yanwen",
        "yanwen",
        "S10-shaped with the non-ISO suffix YN",
        "s10",
        90,
        shape(r"[A-Z]{2}(?P<serial>\d{8})(?P<check>\d)YN", _s10_shaped_yanwen),
    ),
    NumberFormat(
        "yanwen-yp",
        "yanwen",
        "S10-shaped with the non-ISO suffix YP (UR…YP, VR…YP)",
        "none",
        88,
        shape(r"[A-Z]{2}\d{9}YP"),
    ),
    NumberFormat("cainiao-lp", "cainiao", "LP + 12-15 digits", "none", 85, shape(r"LP\d{12,15}")),
    NumberFormat(
        "cainiao-23", "cainiao", "23 digits (Cainiao parcel id)", "none", 20, shape(r"\d{23}")
    ),
    NumberFormat(
        "cainiao-cn",
        "cainiao",
        "CN + 12-17 letters/digits (at least 8 digits)",
        "none",
        70,
        shape(r"CN(?P<rest>[0-9A-Z]{12,17})", guard=_has_digits("rest", 8)),
    ),
    NumberFormat("cainiao-ae", "cainiao", "AE + 9 digits", "none", 70, shape(r"AE\d{9}")),
    NumberFormat("yto", "yto", "YT + 13 digits", "none", 60, shape(r"YT\d{13}")),
    # --- UPS --------------------------------------------------------------------
    NumberFormat(
        "ups-1z",
        "ups",
        "1Z + 15 letters/digits + check digit",
        "mod10 (1,2)",
        95,
        shape(r"1Z(?P<serial>[0-9A-Z]{15})(?P<check>[0-9A-Z])", _mod10("serial", 1, 2)),
    ),
    NumberFormat(
        "ups-waybill",
        "ups",
        "letter + 9 digits + check digit",
        "mod10 (1,2)",
        40,
        shape(r"[A-Z](?P<serial>\d{9})(?P<check>\d)", _mod10("serial", 1, 2)),
    ),
    # --- FedEx ------------------------------------------------------------------
    NumberFormat(
        "fedex-ground-96",
        "fedex",
        "96 + 19 digits + check digit (22)",
        "mod10 (1,3)",
        60,
        shape(r"96\d{5}(?P<serial>\d{14})(?P<check>\d)", _mod10("serial", 1, 3)),
    ),
    NumberFormat(
        "fedex-ground-gsn",
        "fedex",
        "96 + 31 digits + check digit (34)",
        "weighted 1,7,3 mod 11 mod 10",
        60,
        shape(
            r"96\d{18}(?P<serial>\d{13})(?P<check>\d)",
            lambda m: cs.weighted_mod(m["serial"], m["check"], FEDEX_34_WEIGHTS, 11, 10),
        ),
    ),
    NumberFormat(
        "fedex-express-12",
        "fedex",
        "12 digits",
        "weighted 3,1,7 mod 11 mod 10",
        30,
        shape(
            r"(?P<serial>\d{11})(?P<check>\d)",
            lambda m: cs.weighted_mod(m["serial"], m["check"], FEDEX_12_WEIGHTS, 11, 10),
        ),
    ),
    NumberFormat(
        "fedex-ground-15",
        "fedex",
        "15 digits",
        "mod10 (1,3)",
        30,
        shape(r"(?P<serial>\d{14})(?P<check>\d)", _mod10("serial", 1, 3)),
    ),
    NumberFormat(
        "fedex-sscc-18",
        "fedex",
        "18 digits (SSCC-18)",
        "mod10 (3,1)",
        25,
        shape(r"\d\d(?P<serial>\d{15})(?P<check>\d)", _mod10("serial", 3, 1)),
    ),
    NumberFormat(
        "fedex-astra-32",
        "fedex",
        "32 digits (ASTRA barcode, FedEx 12 inside)",
        "weighted 3,1,7 mod 11 mod 10",
        25,
        shape(
            r"\d{16}(?P<serial>\d{11})(?P<check>\d)\d{4}",
            lambda m: cs.weighted_mod(m["serial"], m["check"], FEDEX_12_WEIGHTS, 11, 10),
        ),
    ),
    NumberFormat(
        "fedex-express-34",
        "fedex",
        "34 digits",
        "weighted 1,7,3 mod 11 mod 10",
        25,
        shape(
            r"\d{20}(?P<serial>\d{13})(?P<check>\d)",
            lambda m: cs.weighted_mod(m["serial"], m["check"], FEDEX_34_WEIGHTS, 11, 10),
        ),
    ),
    NumberFormat(
        "fedex-smartpost",
        "fedex",
        "SmartPost / Ground Economy: 20 digits (implied 92) or 92 + 20 digits",
        "mod10 (3,1) with implied 92",
        50,
        _fedex_smartpost,
    ),
    # --- USPS -------------------------------------------------------------------
    NumberFormat(
        "usps-impb",
        "usps",
        "IMpb: [420 + ZIP] + 9[1-5] + 20 or 24 digits",
        "mod10 (3,1)",
        55,
        _usps_impb,
    ),
    NumberFormat(
        "usps-20",
        "usps",
        "20 digits",
        "mod10 (3,1)",
        35,
        shape(r"(?P<serial>\d{19})(?P<check>\d)", _mod10("serial", 3, 1), _not_all_zero("serial")),
    ),
    NumberFormat(
        "usps-legacy-20",
        "usps",
        "20 digits with an implied 91 prefix",
        "mod10 (3,1)",
        35,
        _impb_legacy,
    ),
    # --- DHL --------------------------------------------------------------------
    NumberFormat(
        "dhl-paket-20",
        "dhl-paket",
        "00340 + 15 digits (DHL Paket, 20 digits)",
        "mod10 (3,1)",
        80,
        shape(r"(?P<serial>00340\d{14})(?P<check>\d)", _mod10("serial", 3, 1)),
        country="DE",
    ),
    NumberFormat(
        "dhl-paket-jjd",
        "dhl-paket",
        "JJD + 13 digits (DHL Paket, 16 characters)",
        "none",
        85,
        shape(r"JJD\d{13}"),
        country="DE",
    ),
    NumberFormat(
        "dhl-express",
        "dhl",
        "10 or 11 digits",
        "mod7",
        30,
        shape(r"(?P<serial>\d{9,10})(?P<check>\d)", lambda m: cs.mod7(m["serial"], m["check"])),
    ),
    NumberFormat(
        "dhl-express-piece",
        "dhl",
        "J + 2-3 letters + 9-10 digits (piece ID)",
        "none",
        55,
        shape(r"J[A-Z]{2,3}\d{9,10}"),
    ),
    NumberFormat(
        "dhl-ecommerce",
        "dhl-ecommerce",
        "GM/LX/RX/UV/CN/SG/TH/IN/HK/MY + 8-39 digits, or GM + 10-39 letters/digits",
        "none",
        45,
        shape(
            r"(?:GM|LX|RX|UV|CN|SG|TH|IN|HK|MY)(?P<rest>\d{8,39})|GM(?P<alnum>[0-9A-Z]{10,39})",
            guard=lambda m: m["rest"] is not None or _has_digits("alnum", 8)(m),
        ),
    ),
    NumberFormat("dhl-ecommerce-14", "dhl-ecommerce", "14 digits", "none", 10, shape(r"\d{14}")),
    NumberFormat(
        "dhl-ecommerce-nl",
        "dhl-ecommerce",
        "DHL eCommerce Netherlands (DHL Parcel NL) barcode: JVGL + 16-20 digits or JJD + 18 digits",
        "none",
        85,
        shape(r"JVGL\d{16,20}|JJD\d{18}"),
        country="NL",
    ),
    NumberFormat(
        "dhl-ecommerce-nl-3s",
        "dhl-ecommerce",
        "DHL eCommerce Netherlands 3S barcode: 3S + 3 letters + 8 or 10 digits",
        "none",
        80,
        shape(r"3S[A-Z]{3}(?:\d{8}|\d{10})"),
        country="NL",
    ),
    NumberFormat(
        "dhl-express-jd01",
        "dhl",
        "DHL Express piece ID (licence plate): JD01 + 16 digits",
        "none",
        80,
        shape(r"JD01\d{16}"),
    ),
    # --- Amazon -----------------------------------------------------------------
    NumberFormat(
        "amazon-logistics", "amazon", "TBA/TBC/TBM + 12 digits", "none", 90, shape(r"TB[ACM]\d{12}")
    ),
    NumberFormat("amazon-international", "amazon", "C + 10 digits", "none", 40, shape(r"C\d{10}")),
    # --- Europe -----------------------------------------------------------------
    NumberFormat(
        "dpd-28",
        "dpd",
        "27 digits + check character",
        "mod 37,36",
        35,
        shape(
            r"(?P<serial>\d{27})(?P<check>[0-9A-Z])",
            lambda m: cs.mod37_36(m["serial"], m["check"]),
        ),
    ),
    NumberFormat(
        "dpd-14",
        "dpd",
        "14 digits + check character",
        "mod 37,36",
        30,
        shape(
            r"(?P<serial>\d{14})(?P<check>[0-9A-Z])",
            lambda m: cs.mod37_36(m["serial"], m["check"]),
        ),
    ),
    NumberFormat("yodel", "yodel", "JD or JJD + 16 digits", "none", 85, shape(r"J?JD\d{16}")),
    NumberFormat(
        "postnl-3s",
        "postnl",
        "PostNL 3S barcode: 3S + 4-letter customer code + 7 or 9 digits (13 or 15 characters)",
        "none",
        90,
        shape(r"3S[A-Z]{4}(?:\d{7}|\d{9})"),
        country="NL",
    ),
    NumberFormat(
        "gls-11",
        "gls",
        "11 digits (GLS parcel number)",
        "none",
        15,
        shape(r"\d{11}", guard=_not_all_zero(0)),
    ),
    NumberFormat(
        "gls-14",
        "gls",
        "14 digits (GLS parcel number with customer prefix, as GLS Netherlands shows it)",
        "none",
        5,
        shape(r"\d{14}", guard=_not_all_zero(0)),
    ),
    NumberFormat(
        "landmark-ltn", "landmark-global", "LTN + 8 digits + N1", "none", 90, shape(r"LTN\d{8}N1")
    ),
    # --- North America regional ---------------------------------------------------
    NumberFormat(
        "ontrac-c", "ontrac", "C + 13 digits + check digit", "mod10 (1,2)", 80, _ontrac("C", "4")
    ),
    NumberFormat(
        "ontrac-d", "ontrac", "D + 13 digits + check digit", "mod10 (1,2)", 80, _ontrac("D", "5")
    ),
    NumberFormat(
        "lasership-lx",
        "lasership",
        "L + letter + 8 digits (first 1-3)",
        "none",
        50,
        shape(r"L[A-Z][1-3]\d{7}"),
    ),
    NumberFormat(
        "lasership-1ls7-15", "lasership", "1LS7 + 11 digits", "none", 90, shape(r"1LS7[12]\d{10}")
    ),
    NumberFormat(
        "lasership-1ls7-18",
        "lasership",
        "1LS7 + 12 digits + -1",
        "none",
        90,
        shape(r"1LS7[12]\d\d01[1-4]\d{6}1"),
    ),
    NumberFormat(
        "lasership-1lscx",
        "lasership",
        "1LSCX + 10 letters/digits",
        "none",
        90,
        shape(r"1LSCX[0-9A-Z]{10}"),
    ),
    NumberFormat(
        "canada-post-16",
        "canada-post",
        "16 digits",
        "mod10 (3,1)",
        30,
        shape(r"(?P<serial>\d{15})(?P<check>\d)", _mod10("serial", 3, 1)),
    ),
    NumberFormat(
        "purolator-12",
        "purolator",
        "12 digits starting 0-5",
        "luhn",
        25,
        shape(r"(?P<serial>[0-5]\d{10})(?P<check>\d)", lambda m: cs.luhn(m["serial"], m["check"])),
    ),
    NumberFormat(
        "purolator-alpha", "purolator", "3 letters + 9 digits", "none", 35, shape(r"[A-Z]{3}\d{9}")
    ),
    NumberFormat(
        "canpar-22",
        "canpar",
        "C/D/K/L/S/U/X/Z + 21 digits",
        "none",
        55,
        shape(r"[CDKLSUXZ]\d{21}"),
    ),
    NumberFormat(
        "old-dominion",
        "old-dominion",
        "07/77/78 + 8 digits + check digit",
        "luhn",
        20,
        shape(
            r"(?P<serial>(?:07|77|78)\d{8})(?P<check>\d)",
            lambda m: cs.luhn(m["serial"], m["check"]),
        ),
    ),
    NumberFormat(
        "old-dominion-guaranteed",
        "old-dominion",
        "80 + 8 digits + check digit",
        "luhn",
        20,
        shape(r"(?P<serial>80\d{8})(?P<check>\d)", lambda m: cs.luhn(m["serial"], m["check"])),
    ),
    NumberFormat("speedee", "speedee", "SP + 18 digits", "none", 85, shape(r"SP\d{18}")),
    NumberFormat("gofo-us", "gofo", "GFUS + 14 digits", "none", 90, shape(r"GFUS\d{14}")),
)
