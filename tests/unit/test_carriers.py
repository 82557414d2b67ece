"""Offline carrier detection: published test numbers, S10, ranking, JSON shape.

The vectors are jkeen/tracking_number_data's published test numbers (MIT, see
the ``source`` and ``license`` fields of the JSON copy in tests/data).
"""

from __future__ import annotations

import ast
import dataclasses
import json
import time
from pathlib import Path

import pytest

from orderctl.domain.carriers import (
    CarrierCandidate,
    Detection,
    carrier_display_name,
    detect_carrier,
    normalize_number,
)
from orderctl.domain.carriers.checksums import s10_check_digit
from orderctl.domain.carriers.detect import match_formats
from orderctl.domain.carriers.formats import FORMATS
from orderctl.domain.carriers.registry import known_slugs
from orderctl.domain.carriers.s10 import ISO_COUNTRIES

REPO = Path(__file__).resolve().parents[2]
VECTORS_PATH = REPO / "tests" / "data" / "tracking-number-vectors.json"
VECTORS = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))

# jkeen format name -> (carrier slug, our format ids, whether the format has a check digit).
# The S10 slug depends on the suffix and is resolved per number (None here).
FORMAT_MAP: dict[str, tuple[str | None, tuple[str, ...], bool]] = {
    "Amazon Logistics": ("amazon", ("amazon-logistics",), False),
    "Amazon International": ("amazon", ("amazon-international",), False),
    "Canada Post (16)": ("canada-post", ("canada-post-16",), True),
    "Canpar (22)": ("canpar", ("canpar-22",), False),
    "DHL Express": ("dhl", ("dhl-express",), True),
    "DHL Express (Piece ID)": ("dhl", ("dhl-express-piece",), False),
    "DHL E-Commerce": ("dhl-ecommerce", ("dhl-ecommerce",), False),
    "DHL E-Commerce (14)": ("dhl-ecommerce", ("dhl-ecommerce-14",), False),
    "DPD (28)": ("dpd", ("dpd-28",), True),
    "DPD (14)": ("dpd", ("dpd-14",), True),
    "FedEx Express (12)": ("fedex", ("fedex-express-12",), True),
    "FedEx Express (34)": ("fedex", ("fedex-express-34",), True),
    "FedEx ASTRA (32)": ("fedex", ("fedex-astra-32",), True),
    "FedEx Ground": ("fedex", ("fedex-ground-15",), True),
    "FedEx Ground (SSCC-18)": ("fedex", ("fedex-sscc-18",), True),
    "FedEx Ground 96 (22)": ("fedex", ("fedex-ground-96",), True),
    "FedEx Ground GSN": ("fedex", ("fedex-ground-gsn",), True),
    "GOFO Express (US)": ("gofo", ("gofo-us",), False),
    "Landmark Global LTN": ("landmark-global", ("landmark-ltn",), False),
    "LaserShip LX": ("lasership", ("lasership-lx",), False),
    "LaserShip 1LS7 (15)": ("lasership", ("lasership-1ls7-15",), False),
    "LaserShip 1LS7 (18)": ("lasership", ("lasership-1ls7-18",), False),
    "LaserShip 1LSCX (15)": ("lasership", ("lasership-1lscx",), False),
    "Old Dominion": ("old-dominion", ("old-dominion",), True),
    "Old Dominion Guaranteed Shipment": ("old-dominion", ("old-dominion-guaranteed",), True),
    "OnTrac": ("ontrac", ("ontrac-c",), True),
    "OnTrac D": ("ontrac", ("ontrac-d",), True),
    "Purolator (12)": ("purolator", ("purolator-12",), True),
    "Purolator (alpha + 9)": ("purolator", ("purolator-alpha",), False),
    "S10": (None, ("s10",), True),
    "Spee-Dee (20)": ("speedee", ("speedee",), False),
    "UPS": ("ups", ("ups-1z",), True),
    "UPS Waybill": ("ups", ("ups-waybill",), True),
    "USPS 20": ("usps", ("usps-20",), True),
    # Our IMpb format covers both jkeen IMpb variants and the 420-routed legacy labels.
    "USPS IMpb N": ("usps", ("usps-impb",), True),
    "USPS IMpb C": ("usps", ("usps-impb",), True),
    "USPS Legacy": ("usps", ("usps-impb", "usps-legacy-20"), True),
    "Yodel": ("yodel", ("yodel",), False),
    "YunExpress": ("yunexpress", ("yunexpress",), False),
}

S10_SUFFIX_SLUGS = {"GB": "royal-mail", "US": "usps", "CV": "upu-s10", "CF": "upu-s10"}

# Invalid vectors that have the exact shape of their format but a wrong check
# digit: they must match that format with check_digit "bad". Every other invalid
# vector must not match its format at all.
INVALID_WITH_BAD_CHECK: frozenset[tuple[str, str]] = frozenset(
    {
        ("Canada Post (16)", "0073938000549292"),
        ("Canada Post (16)", "7035114477138471"),
        ("Canada Post (16)", "5002847016405018"),
        ("DHL Express", "3318810010"),
        ("DHL Express", "3318810034"),
        ("DHL Express", "3318810011"),
        ("DPD (28)", "008182709980000020033350276A"),
        ("DPD (28)", "0081 827 0998 0000 0200 45 000 000 N"),
        ("DPD (14)", "09980000020033D"),
        ("FedEx Express (12)", "996578788855"),
        ("FedEx Express (34)", "1001901781990001000300617767839438"),
        ("FedEx ASTRA (32)", "32971514560102447849175802852014"),
        ("FedEx Ground", "5682 8361 0012 732"),
        ("FedEx Ground (SSCC-18)", "000000000000000001"),
        ("FedEx Ground 96 (22)", "9600000000000000000001"),
        ("FedEx Ground GSN", "9622001560001234567100794808390595"),
        ("FedEx Ground GSN", "9622001560001234567100794808390597"),
        ("Old Dominion", "07209562773"),
        ("Old Dominion Guaranteed Shipment", "80003280389"),
        ("OnTrac", "C10000000000000"),
        ("OnTrac", "C11031500001889"),
        ("OnTrac D", "D10011345983012"),
        ("OnTrac D", "D10011342332144"),
        ("Purolator (12)", "320595463939"),
        ("Purolator (12)", "287809468875"),
        ("S10", "RB123456786US"),
        ("UPS", "1Z1111111111111111"),
        ("UPS Waybill", "K1506235622"),
        ("UPS Waybill", "K2479825492"),
        ("UPS Waybill", "J4603636538"),
        ("UPS Waybill", "V0411335627"),
        ("UPS Waybill", "V0423305841"),
        ("USPS 20", "0307 1790 0005 2348 3742"),
        ("USPS IMpb N", "9434611206206407667131"),
        ("USPS IMpb N", "9434611306206407667222"),
        ("USPS Legacy", "9101 1234 5678 9000 0000 14"),
        ("USPS Legacy", "7196 9010 7560 0307 7386"),
        ("USPS IMpb C", "4201028200009261290113185417468511"),
    }
)

# Invalid vectors of one format that fit *another* format of the same carrier; the
# carrier-level result then comes from that other format.
SAME_CARRIER_OTHER_FORMAT = {
    ("Purolator (alpha + 9)", "331426749957"): "ok",  # a valid Purolator (12)
    ("USPS IMpb C", "61299998820821171811"): "bad",  # USPS 20 shape, wrong check digit
}


def _vectors(kind: str) -> list[tuple[str, str, str]]:
    rows = []
    for formats in VECTORS["couriers"].values():
        for fmt, numbers in formats.items():
            rows.extend((fmt, number, kind) for number in numbers[kind])
    return rows


VALID = _vectors("valid")
INVALID = _vectors("invalid")


def _expected_slug(fmt: str, number: str) -> str:
    slug = FORMAT_MAP[fmt][0]
    return slug if slug is not None else S10_SUFFIX_SLUGS[normalize_number(number)[-2:]]


def _format_status(fmt: str, number: str) -> str | None:
    """Best status among our formats that implement jkeen format ``fmt``."""
    ids = FORMAT_MAP[fmt][1]
    statuses = {
        m.check_digit for m in match_formats(normalize_number(number)) if m.format_id in ids
    }
    for status in ("ok", "none", "bad"):
        if status in statuses:
            return status
    return None


def _candidate(detection: Detection, slug: str) -> CarrierCandidate | None:
    return next((c for c in detection.candidates if c.carrier == slug), None)


# --- the vector file --------------------------------------------------------------------


def test_vector_copy_keeps_source_and_license():
    assert "jkeen/tracking_number_data" in VECTORS["source"]
    assert VECTORS["license"].startswith("MIT License")
    assert "Copyright (c) 2017 Jeff Keen" in VECTORS["license"]


def test_vector_counts_and_every_format_is_mapped():
    assert len(VALID) == 192
    assert len(INVALID) == 88
    names = {fmt for formats in VECTORS["couriers"].values() for fmt in formats}
    assert names == set(FORMAT_MAP)
    ids = {f.id for f in FORMATS} | {"s10"}
    assert {i for _, fids, _ in FORMAT_MAP.values() for i in fids} <= ids


def test_bad_check_table_only_names_real_invalid_vectors():
    assert INVALID_WITH_BAD_CHECK.issubset({(fmt, number) for fmt, number, _ in INVALID})


# --- valid and invalid vectors ----------------------------------------------------------


@pytest.mark.parametrize(("fmt", "number", "kind"), VALID, ids=lambda v: str(v))
def test_valid_vector_detects_expected_carrier(fmt, number, kind):
    slug = _expected_slug(fmt, number)
    expected = "ok" if FORMAT_MAP[fmt][2] else "none"
    detection = detect_carrier(number)
    candidate = _candidate(detection, slug)
    assert candidate is not None, [c.carrier for c in detection.candidates]
    assert candidate.check_digit == expected
    assert _format_status(fmt, number) == expected


@pytest.mark.parametrize(("fmt", "number", "kind"), INVALID, ids=lambda v: str(v))
def test_invalid_vector_is_bad_or_unmatched(fmt, number, kind):
    expected_format = "bad" if (fmt, number) in INVALID_WITH_BAD_CHECK else None
    assert _format_status(fmt, number) == expected_format
    slug = FORMAT_MAP[fmt][0]
    if slug is None:  # S10 with an unknown suffix: nothing at all
        if expected_format is None:
            assert detect_carrier(number).candidates == ()
        return
    candidate = _candidate(detect_carrier(number), slug)
    expected_carrier = SAME_CARRIER_OTHER_FORMAT.get((fmt, number), expected_format)
    assert (candidate.check_digit if candidate else None) == expected_carrier


# --- UPU S10 ----------------------------------------------------------------------------


def _s10(service: str, serial: str, country: str) -> str:
    return f"{service}{serial}{s10_check_digit(serial)}{country}"


@pytest.mark.parametrize(
    ("country", "slug"),
    [
        ("CN", "china-post"),
        ("HK", "hong-kong-post"),
        ("SG", "singapore-post"),
        ("MY", "malaysia-post"),
        ("TH", "thailand-post"),
        ("NL", "postnl"),
        ("LT", "lithuania-post"),
        ("LV", "latvia-post"),
        ("EE", "omniva"),
        ("BE", "bpost"),
        ("SE", "sweden-posten"),
        ("CH", "swiss-post"),
        ("GB", "royal-mail"),
        ("US", "usps"),
        ("DE", "deutsche-post"),
        ("FR", "la-poste"),
        ("ES", "correos-spain"),
        ("IT", "poste-italiane"),
        ("PL", "poczta-polska"),
        ("RU", "russian-post"),
        ("UA", "ukrposhta"),
        ("IL", "israel-post"),
        ("CA", "canada-post"),
        ("AU", "australia-post"),
        ("BR", "brazil-correios"),
        ("JP", "japan-post"),
        ("KR", "korea-post"),
    ],
)
def test_s10_suffix_names_the_issuing_post(country, slug):
    detection = detect_carrier(_s10("RR", "12345678", country))
    assert [(c.carrier, c.check_digit, c.country) for c in detection.candidates] == [
        (slug, "ok", country)
    ]
    assert detection.best.name == carrier_display_name(slug)


def test_s10_known_check_digits_from_the_reference():
    # 47312482 -> S = 200 -> C = 9 (worked example of the UPU standard).
    assert s10_check_digit("47312482") == 9
    assert s10_check_digit("12345678") == 5
    for number in ("RR123456785CN", "UB123456785CN", "LV123456785CN", "EB123456785CN"):
        assert detect_carrier(number).best.check_digit == "ok"
    assert detect_carrier("LT123456785NL").best.carrier == "postnl"
    assert detect_carrier("UG251542831MV").best.carrier == "upu-s10"


def test_s10_bad_check_digit_is_reported_not_rejected():
    # 17TRACK's own documentation example fails the check: warn, never hide it.
    detection = detect_carrier("RR123456789CN")
    assert [(c.carrier, c.check_digit) for c in detection.candidates] == [("china-post", "bad")]


def test_s10_ems_service_indicator():
    assert detect_carrier("EB123456785CN").best.carrier == "china-ems"
    assert detect_carrier("EB123456785CN").best.country == "CN"
    # Elsewhere EMS is run by the post itself.
    assert detect_carrier("EE123456785HK").best.carrier == "hong-kong-post"


def test_s10_unknown_but_real_country_falls_back_to_upu_s10():
    best = detect_carrier("RB123456785CV").best
    assert (best.carrier, best.country, best.check_digit) == ("upu-s10", "CV", "ok")
    assert best.tracking_url == "https://t.17track.net/en#nums=RB123456785CV"


def test_s10_suffix_that_is_no_country_is_not_s10():
    assert "XX" not in ISO_COUNTRIES
    assert detect_carrier("RB123456785XX").candidates == ()
    # Yanwen's own numbers are S10-shaped with a non-ISO suffix.
    detection = detect_carrier("AC550032883YN")
    assert [(c.carrier, c.check_digit) for c in detection.candidates] == [("yanwen", "ok")]
    assert detect_carrier("AC550032884YN").best.check_digit == "bad"


def test_iso_country_list_is_complete_and_well_formed():
    assert len(ISO_COUNTRIES) == 249
    assert all(len(c) == 2 and c.isalpha() and c.isupper() for c in ISO_COUNTRIES)


# --- AliExpress-era shapes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "slug"),
    [
        ("LP00123456789012", "cainiao"),
        ("CNFR9010123456789HD", "cainiao"),
        ("CNUSUP00016597663", "cainiao"),
        ("AE010698498", "cainiao"),
        ("4PX3003088587125CN", "4px"),
        ("YT2229521272164446", "yunexpress"),
        ("YT5555508965056", "yto"),
    ],
)
def test_marketplace_shapes(number, slug):
    best = detect_carrier(number).best
    assert (best.carrier, best.check_digit, best.country) == (slug, "none", "CN")


def test_numeric_23_digit_cainiao_ids_are_a_cainiao_candidate_without_check_digit():
    # Issue 12: a parcel Cainiao tracks fine must not read "matches no known format".
    # The 23-digit ids have no published check digit, so the candidate says "none".
    (candidate,) = detect_carrier("63590000017347601815002").candidates
    assert (candidate.carrier, candidate.check_digit) == ("cainiao", "none")
    assert "no published check digit" in candidate.reason


# --- normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("rr 123-456 785 cn", "RR123456785CN"),
        ("  RR123456785CN\n", "RR123456785CN"),
        ("rr.123.456.785.cn", "RR123456785CN"),
        ("rr_123_456_785_cn", "RR123456785CN"),
        ("RR\u00a0123\u2009456\u200b785\tCN", "RR123456785CN"),  # nbsp, thin space, zero-width
        ("RR123456785CN", "RR123456785CN"),
        ("ＲＲ１２３４５６７８５ＣＮ", "RR123456785CN"),  # full-width, as pasted from Chinese pages
        ("RR\u2013123\u2014456785CN", "RR123456785CN"),  # en and em dashes
        ("1z 8v9 2a7 036 720 302 4", "1Z8V92A70367203024"),
        ("", ""),
        ("   \t\n", ""),
    ],
)
def test_normalize_number(raw, expected):
    assert normalize_number(raw) == expected


@pytest.mark.parametrize("raw", ["\u1100 \u1161", "e \u0301", "A-\u0308"])
def test_normalize_stays_idempotent_when_removing_a_separator_joins_characters(raw):
    # Removing the separator lets NFKC compose the neighbours; normalise to the fixpoint.
    once = normalize_number(raw)
    assert normalize_number(once) == once
    assert len(once) == 1


def test_detection_reports_input_and_normalised_number():
    detection = detect_carrier("rr 123-456 785 cn")
    assert detection.input == "rr 123-456 785 cn"
    assert detection.number == "RR123456785CN"
    assert detection.best.carrier == "china-post"
    assert "RR123456785CN" in detection.best.tracking_url


# --- ranking ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        # Same string valid for two formats (reference §5.3): keep both, ranked.
        ("287809468872", [("fedex", "ok"), ("purolator", "ok")]),
        ("78045768393", [("dhl", "ok"), ("old-dominion", "ok"), ("gls", "none")]),
        ("JFV247545960", [("dhl", "none"), ("purolator", "none")]),
        ("LX 176 35035", [("lasership", "none"), ("dhl-ecommerce", "none")]),
        ("4201028200009261290113185417468510", [("usps", "ok"), ("fedex", "ok")]),
        # A verified check digit ranks above "none", which ranks above "bad".
        ("C1004444443", [("ups", "ok"), ("amazon", "none")]),
        ("C1004444444", [("amazon", "none"), ("ups", "bad")]),
        ("331426749957", [("purolator", "ok"), ("fedex", "bad")]),
        ("07209562763", [("old-dominion", "ok"), ("gls", "none"), ("dhl", "bad")]),
        # Any 11 digits also fit GLS, which publishes no check digit: when every check
        # digit fails, the format without one comes first (docs/carriers.md, collisions).
        ("07209562773", [("gls", "none"), ("dhl", "bad"), ("old-dominion", "bad")]),
        ("50346007538", [("gls", "none"), ("dhl", "bad")]),
        # Shapes added from published numbers (issue 12): PostNL 3S vs DHL NL 3S differ in
        # the length of the customer code; JD01 + 16 digits is longer than Yodel's JD + 16.
        ("3SDEVC172649258", [("postnl", "none")]),
        ("3SMPK30698136", [("dhl-ecommerce", "none")]),
        ("JD014600004444917061", [("dhl", "none")]),
        ("JVGL06244768002038487552", [("dhl-ecommerce", "none")]),
        ("JJD149990200039892279", [("dhl-ecommerce", "none")]),
        ("57250013150034", [("dhl-ecommerce", "none"), ("gls", "none")]),
    ],
)
def test_ranking_when_several_carriers_match(number, expected):
    assert [(c.carrier, c.check_digit) for c in detect_carrier(number).candidates] == expected


@pytest.mark.parametrize(("fmt", "number", "kind"), VALID + INVALID, ids=lambda v: str(v))
def test_candidates_are_unique_and_ordered_by_check_status(fmt, number, kind):
    candidates = detect_carrier(number).candidates
    order = {"ok": 0, "none": 1, "bad": 2}
    assert len({c.carrier for c in candidates}) == len(candidates)
    statuses = [order[c.check_digit] for c in candidates]
    assert statuses == sorted(statuses)


# --- JSON shape and API -----------------------------------------------------------------


def test_json_shape():
    detection = detect_carrier("1Z5R89390357567127")
    data = detection.to_dict()
    assert list(data) == ["input", "number", "candidates"]
    assert data["input"] == "1Z5R89390357567127"
    assert data["number"] == "1Z5R89390357567127"
    assert data["candidates"] == [
        {
            "carrier": "ups",
            "name": "UPS",
            "check_digit": "ok",
            "country": None,
            "tracking_url": "https://www.ups.com/track?tracknum=1Z5R89390357567127",
            "reason": "1Z + 15 letters/digits + check digit; check digit verifies (mod10 (1,2))",
        }
    ]
    assert json.loads(json.dumps(data)) == data


def test_candidate_to_dict_keys_exactly():
    candidate = detect_carrier("RR123456785CN").best
    assert set(candidate.to_dict()) == {
        "carrier",
        "name",
        "check_digit",
        "country",
        "tracking_url",
        "reason",
    }
    assert candidate.to_dict()["country"] == "CN"


def test_results_are_frozen_and_best_is_first():
    detection = detect_carrier("287809468872")
    assert detection.best is detection.candidates[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        detection.number = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        detection.best.carrier = "x"  # type: ignore[misc, union-attr]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        " ",
        "\t\n",
        "-",
        "hello world",
        "0",
        "x" * 10_000,
        "9" * 41,
        "🙂" * 5,
        "\x00\x01",
        "\ud800",
    ],
)
def test_empty_blank_or_absurd_input_has_no_candidates(raw):
    detection = detect_carrier(raw)
    assert detection.candidates == ()
    assert detection.best is None
    assert detection.to_dict()["candidates"] == []


def test_display_names():
    assert carrier_display_name("ups") == "UPS"
    assert carrier_display_name("china-post") == "China Post"
    assert carrier_display_name("upu-s10") == "UPU S10 (national post)"
    assert carrier_display_name("no-such-carrier") is None
    assert carrier_display_name("") is None


def test_every_emitted_slug_has_a_name_and_an_https_url():
    for _, number, _ in VALID:
        for candidate in detect_carrier(number).candidates:
            assert candidate.carrier in known_slugs()
            assert candidate.name == carrier_display_name(candidate.carrier)
            assert candidate.tracking_url.startswith("https://")
            assert normalize_number(number) in candidate.tracking_url


def test_docs_table_lists_every_slug_and_format():
    docs = (REPO / "docs" / "carriers.md").read_text(encoding="utf-8")
    names = known_slugs() | {f.id for f in FORMATS} | {"s10"}
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert missing == []


def test_carrier_modules_stay_pure():
    allowed = {"re", "unicodedata", "dataclasses", "typing", "collections.abc", "__future__"}
    package = REPO / "orderctl" / "domain" / "carriers"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name in allowed or name.startswith("orderctl.domain.carriers"), (path, name)


def test_detection_is_fast():
    numbers = [number for _, number, _ in VALID + INVALID]
    detect_carrier(numbers[0])  # warm up
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for number in numbers:
            detect_carrier(number)
    per_call = (time.perf_counter() - start) / (rounds * len(numbers))
    assert per_call < 0.001, f"{per_call * 1e6:.0f} µs per number"
