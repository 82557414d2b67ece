"""Parsers for the values people and exporters write into order files.

Every parser takes text as found in a cell and returns a normalised value, or
raises ``ValueError`` with a short message that quotes the input. The message
carries no field name or line number: the importer adds those, so the same
parser serves the CLI options (``--price``) and the file importers.

Only ``ValueError`` ever escapes (the property tests check it), so a caller
can turn any failure into ``InvalidInput`` without a catch-all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

__all__ = [
    "EARLIEST_DATE",
    "ISO_4217",
    "MAX_QUANTITY",
    "ORDER_ID_PATTERNS",
    "PLATFORM_ALIASES",
    "YEARS_AHEAD",
    "amount_currency",
    "check_amount",
    "check_date_range",
    "check_order_id",
    "minor_units",
    "parse_amount",
    "parse_attributes",
    "parse_currency",
    "parse_date",
    "parse_plain_amount",
    "parse_platform",
    "parse_quantity",
    "parse_url",
]

MAX_QUANTITY = 100_000
_MAX_AMOUNT = Decimal("1000000000000")  # a trillion: anything above is a typo or garbage


def _q(text: str) -> str:
    """Quote user input for a message, cut short so one bad cell cannot flood the screen."""
    text = text if len(text) <= 40 else text[:39] + "…"
    return f'"{text}"'


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\S.*", re.ASCII)
_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})\.?\s+([A-Za-z]+)\.?,?\s+(\d{4})", re.ASCII)
_YEAR_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
_DAY_DOT = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_AMBIGUOUS = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{2,4}", re.ASCII)


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{_q(text)} is not a valid date (no such day)") from None


#: The range every date given to orderctl must fall in (CLI options and every importer):
#: online shopping records start in the 1990s, and a date more than five years ahead is a
#: typo (or an attack: ``9999-12-31`` overflows every deadline computed from it).
EARLIEST_DATE = date(1990, 1, 1)
YEARS_AHEAD = 5


def latest_date(today: date) -> date:
    """``today`` plus :data:`YEARS_AHEAD` years (29 February falls back to the 28th)."""
    year = min(today.year + YEARS_AHEAD, date.max.year)
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def check_date_range(value: date, today: date) -> date:
    """``value`` if ``EARLIEST_DATE <= value <= today + 5 years``, else ``ValueError``."""
    latest = latest_date(today)
    if value < EARLIEST_DATE or value > latest:
        raise ValueError(
            f"{value.isoformat()} is out of range (dates from {EARLIEST_DATE.isoformat()}"
            f" to {latest.isoformat()} are accepted)"
        )
    return value


def parse_date(text: str, today: date | None = None) -> date:
    """Parse a calendar date as exporters and people write it.

    With ``today`` the date must also pass :func:`check_date_range` (every
    caller that takes dates from a user or a file passes it).

    Accepted: ``2026-02-21``; an ISO datetime such as ``2026-02-21T10:00:00+08:00``
    (the date as written, not converted to another zone: the marketplace's
    own calendar day is what its deadlines count from); ``Feb 21, 2026`` and
    ``February 21 2026``; ``21 Feb 2026``; ``2026/02/21``; ``21.02.2026``
    (dots mean day-first everywhere they are used).

    Refused: ``02/03/2026``, ``02-03-2026`` and two-digit years, even when the
    day is above 12 — the US and European readings differ and a file mixing
    both would import half its dates wrong without a word.
    """
    parsed = _parse_date(text)
    return parsed if today is None else check_date_range(parsed, today)


def _parse_date(text: str) -> date:
    if not isinstance(text, str):
        raise ValueError("a date must be text")
    s = text.strip()
    if not s:
        raise ValueError("empty date")
    if m := _ISO_DATE.fullmatch(s):
        return _make_date(s, int(m[1]), int(m[2]), int(m[3]))
    if _ISO_DATETIME.fullmatch(s):
        try:
            return datetime.fromisoformat(s).date()
        except ValueError:
            raise ValueError(f"{_q(s)} is not a valid date or time") from None
    if m := _MONTH_FIRST.fullmatch(s):
        return _named_month(s, m[1], int(m[2]), int(m[3]))
    if m := _DAY_FIRST.fullmatch(s):
        return _named_month(s, m[2], int(m[1]), int(m[3]))
    if m := _YEAR_SLASH.fullmatch(s):
        return _make_date(s, int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_DOT.fullmatch(s):
        return _make_date(s, int(m[3]), int(m[2]), int(m[1]))
    if _AMBIGUOUS.fullmatch(s):
        raise ValueError(f"{_q(s)} is ambiguous (day/month order); write it as YYYY-MM-DD")
    raise ValueError(f"{_q(s)} is not a valid date (use YYYY-MM-DD)")


def _named_month(text: str, month_name: str, day: int, year: int) -> date:
    month = _MONTHS.get(month_name.lower())
    if month is None:
        raise ValueError(f"{_q(text)} is not a valid date (unknown month {_q(month_name)})")
    return _make_date(text, year, month, day)


# ---------------------------------------------------------------------------
# Currencies
# ---------------------------------------------------------------------------

#: ISO 4217 codes of currencies a shop can charge in (2026 list). Fund codes,
#: precious metals, SDR and the test codes (XTS, XXX) are left out on purpose;
#: BGN stays while 2025 Bulgarian orders are still within their protection
#: windows; withdrawn codes (HRK, SLL, ZWL, ANG, CUC) are out.
_ISO_4217_TEXT = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
    ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD
    IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD
    OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
    SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
    UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
ISO_4217: frozenset[str] = frozenset(_ISO_4217_TEXT.split())

_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_MINOR_UNITS = {
    **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
    **dict.fromkeys(_THREE_DECIMALS.split(), 3),
}


def minor_units(currency: str | None) -> int:
    """Decimal places of a currency (ISO 4217 exponent); 2 when unknown."""
    return _MINOR_UNITS.get(currency or "", 2)


def parse_currency(text: str) -> str:
    """An ISO 4217 code in any case, returned upper-case.

    Symbols are refused here: ``$`` is not one currency, and a currency column
    should say which.
    """
    if not isinstance(text, str):
        raise ValueError("a currency must be text")
    code = text.strip().upper()
    if code not in ISO_4217:
        raise ValueError(
            f"{_q(text.strip())} is not an ISO 4217 currency code (e.g. USD, EUR, PLN)"
        )
    return code


# Markers seen around prices, compared after removing spaces and case-folding.
# ``None`` marks a symbol shared by several currencies: the caller must say which.
_MARKERS: dict[str, str | None] = {
    "$": None,
    "us$": "USD",
    "usd$": "USD",
    "€": "EUR",
    "£": "GBP",
    "zł": "PLN",
    "zl": "PLN",
    "r$": "BRL",
    "c$": "CAD",
    "ca$": "CAD",
    "can$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "mx$": "MXN",
    "nt$": "TWD",
    "₽": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "р.": "RUB",
    "₴": "UAH",
    "грн": "UAH",
    "грн.": "UAH",
    "₺": "TRY",
    "tl": "TRY",
    "kč": "CZK",
    "₩": "KRW",
    "¥": None,
    "￥": None,
    "円": "JPY",
    "元": "CNY",
    "₹": "INR",
    "₪": "ILS",
    "฿": "THB",
    "₫": "VND",
    "₱": "PHP",
    "₸": "KZT",
    "₦": "NGN",
    "rm": "MYR",
    "rp": "IDR",
    "ft": "HUF",
    "lei": "RON",
    "kr": None,
    "kr.": None,
    "fr.": "CHF",
    "лв": "BGN",
    "лв.": "BGN",
}

_UNKNOWN = object()
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_NUMBER = re.compile(r"[0-9]+(?:[.,' ][0-9]+)*", re.ASCII)


def _marker_currency(marker: str) -> str | object | None:
    key = marker.replace(" ", "").casefold()
    if key in _MARKERS:
        return _MARKERS[key]
    if key.upper() in ISO_4217:
        return key.upper()
    return _UNKNOWN


def parse_amount(text: str, currency: str | None = None) -> tuple[Decimal, str | None]:
    """Parse a price such as ``US $120.95``, ``129,46zł`` or ``1.234,56 €``.

    Returns the amount and the ISO code. An explicit ``currency`` wins over
    what the text shows (a file's Currency column is more reliable than a
    symbol); callers that want to warn on a mismatch compare it with
    :func:`amount_currency`. Ambiguous symbols (``$``, ``¥``, ``kr``) give
    ``None`` unless ``currency`` is given.

    Separators: with both ``.`` and ``,`` the last one is the decimal mark;
    with one kind only, a single mark followed by exactly three digits is a
    thousands separator (``1,234`` is 1234) except in 3-decimal currencies,
    and anything else after a single mark is decimals. At most two decimals
    (three for KWD, BHD, ...); negatives, NaN, exponents and stray text are
    refused.
    """
    given = parse_currency(currency) if currency not in (None, "") else None
    s, number, detected = _split_amount(text)
    code = given or detected
    return _parse_number(s, number, minor_units(code)), code


def amount_currency(text: str) -> str | None:
    """The ISO code an amount's own symbol or code names (``None`` if none or ambiguous)."""
    return _split_amount(text)[2]


def _split_amount(text: str) -> tuple[str, str, str | None]:
    """Split ``text`` into (cleaned text, number part, currency named by its marker)."""
    if not isinstance(text, str):
        raise ValueError("an amount must be text")
    s = text.translate(_SPACES).strip()
    if not s:
        raise ValueError("empty amount")
    digits = [i for i, ch in enumerate(s) if "0" <= ch <= "9"]
    if not digits:
        raise ValueError(f"{_q(s)} is not a valid amount")
    prefix, number, suffix = s[: digits[0]], s[digits[0] : digits[-1] + 1], s[digits[-1] + 1 :]
    prefix = prefix.strip()
    if prefix[-1:] in ("-", "−") or prefix[:1] in ("-", "−", "("):
        raise ValueError(f"{_q(s)} is negative; amounts must be zero or more")
    prefix, suffix = prefix.removeprefix("+").strip(), suffix.strip()
    if prefix and suffix:
        raise ValueError(f"{_q(s)} is not a valid amount (text on both sides of the number)")
    marker = prefix or suffix
    if not marker:
        return s, number, None
    found = _marker_currency(marker)
    if found is _UNKNOWN:
        raise ValueError(f"{_q(s)} is not a valid amount (unknown currency {_q(marker)})")
    return s, number, found  # type: ignore[return-value]


def _parse_number(text: str, number: str, places: int) -> Decimal:
    if not _NUMBER.fullmatch(number):
        raise ValueError(f"{_q(text)} is not a valid amount")
    integer, fraction = number, ""
    seps = [ch for ch in number if ch in ".,' "]
    if seps and seps[-1] in ".,":
        mark = seps[-1]
        head, _, tail = number.rpartition(mark)
        both_marks = "." in seps and "," in seps
        if (both_marks or (seps.count(mark) == 1 and _is_decimal(head, tail, places))) and (
            mark not in head
        ):
            integer, fraction = head, tail
        elif both_marks:
            raise ValueError(f"{_q(text)} is not a valid amount (check the separators)")
    groups = re.split(r"[.,' ]", integer)
    if len(groups) > 1 and (
        len(set(re.findall(r"[.,' ]", integer))) > 1
        or not 1 <= len(groups[0]) <= 3
        or any(len(g) != 3 for g in groups[1:])
    ):
        raise ValueError(f"{_q(text)} is not a valid amount (check the separators)")
    digits = "".join(groups)
    return check_amount(Decimal(f"{digits}.{fraction}" if fraction else digits), places, text)


def check_amount(value: Decimal, places: int, text: str) -> Decimal:
    """The bounds every amount must meet, whatever format it came from.

    Finite, zero or more, below a trillion, at most ``max(places, 2)``
    decimals. ``parse_amount`` (CLI options, CSV cells) and the JSON importer
    both end here, so ``1e999999999`` is refused everywhere.
    """
    if not value.is_finite():
        raise ValueError(f"{_q(text)} is not a valid amount")
    if value < 0:
        raise ValueError(f"{_q(text)} is negative; amounts must be zero or more")
    if value >= _MAX_AMOUNT:
        raise ValueError(f"{_q(text)} is too large to be a price")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > max(places, 2):
        raise ValueError(f"{_q(text)} has too many decimals")
    return value


# Decimal's own str() writes 100 as "1E+2": a short exponent is allowed, then bounded.
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,13})?(?:[eE][+-]?[0-9]{1,2})?", re.ASCII)


def parse_plain_amount(value: object, currency: str | None = None) -> Decimal:
    """An amount as a machine format writes it: ``"120.95"`` or a JSON number.

    No symbols or grouping, at most a two-digit exponent (``1e999999999`` is
    refused before any arithmetic), then the same bounds as :func:`parse_amount`.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("an amount must be a number or text")
    text = value.strip() if isinstance(value, str) else repr(value)
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(f"{_q(text)} is not a valid amount (write it like 120.95)")
    return check_amount(Decimal(text), minor_units(currency), text)


def _is_decimal(head: str, tail: str, places: int) -> bool:
    """One separator: three digits after it is grouping, unless the currency has three
    decimals or the part before it starts with 0 (``0.001`` is never a thousand)."""
    return len(tail) != 3 or places == 3 or head.startswith("0")


# ---------------------------------------------------------------------------
# Quantities, URLs, platforms, ids, attributes
# ---------------------------------------------------------------------------


def parse_quantity(text: str) -> int:
    """A whole number of pieces from 1 to 100000 (more is a typo, not an order)."""
    if not isinstance(text, str):
        raise ValueError("a quantity must be text")
    s = text.strip()
    if not re.fullmatch(r"[0-9]{1,9}", s, re.ASCII) or not 1 <= int(s) <= MAX_QUANTITY:
        raise ValueError(
            f"{_q(s)} is not a valid quantity (use a whole number from 1 to {MAX_QUANTITY})"
        )
    return int(s)


def parse_url(text: str) -> str:
    """An http(s) URL with a host. ``//host/path`` (as scraped pages write links) gets ``https:``.

    Anything else — ``javascript:``, ``file:``, a bare ``www.…`` — is refused
    because the URL ends up as a clickable link in reports.
    """
    if not isinstance(text, str):
        raise ValueError("a URL must be text")
    s = text.strip()
    if not s:
        raise ValueError("empty URL")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in s):
        raise ValueError(f"{_q(s)} is not a valid URL (it contains spaces or control characters)")
    if s.startswith("//"):
        s = "https:" + s
    try:
        parts = urlsplit(s)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        raise ValueError(f"{_q(s)} is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"{_q(s)} is not a valid URL (it must start with https:// or http://)")
    if not host:
        raise ValueError(f"{_q(s)} is not a valid URL (no host name)")
    return s


#: Other names people and exporters use for a platform.
PLATFORM_ALIASES: dict[str, str] = {
    "ali": "aliexpress",
    "ae": "aliexpress",
    "aliexpresscom": "aliexpress",
    "amzn": "amazon",
    "etsycom": "etsy",
}


def parse_platform(text: str, known: Iterable[str]) -> str:
    """A known platform's id: case-insensitive, ignoring spaces, dashes and ``www.``/``.com``."""
    if not isinstance(text, str):
        raise ValueError("a platform must be text")
    known_ids = {k.strip().lower() for k in known}
    key = text.strip().lower()
    key = re.sub(r"^www\.", "", key)
    key = re.sub(r"\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$", "", key)
    key = re.sub(r"[\s_.\-]", "", key)
    key = PLATFORM_ALIASES.get(key, key)
    if key in known_ids:
        return key
    shown = ", ".join(sorted(known_ids)) or "none configured"
    raise ValueError(f"unknown platform {_q(text.strip())} (known: {shown})")


#: Order-id shapes per platform (marketplace-rules §2.10, §3.2) and how to describe them.
ORDER_ID_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "aliexpress": (re.compile(r"\d{12,20}", re.ASCII), "12 to 20 digits"),
    "ebay": (re.compile(r"\d{2}-\d{5}-\d{5}", re.ASCII), "like 27-11068-77489"),
    "amazon": (
        re.compile(r"(?:\d{3}|D\d{2})-\d{7}-\d{7}", re.ASCII),
        "like 123-1234567-1234567",
    ),
    "temu": (re.compile(r"PO-\d{3}-\d{17}", re.ASCII), "like PO-162-21726517842553634"),
}

_PLATFORM_NAMES = {"aliexpress": "AliExpress", "ebay": "eBay", "amazon": "Amazon", "temu": "Temu"}


def check_order_id(order_id: str, platform: str) -> str | None:
    """A warning when an id does not look like the platform's ids, else ``None``.

    Only a warning: the patterns come from public code, not the platforms,
    and a mistyped id is still worth tracking. Platforms without a known
    pattern (Etsy's is low-confidence) are never warned about.
    """
    entry = ORDER_ID_PATTERNS.get(platform)
    if entry is None or entry[0].fullmatch(order_id):
        return None
    name = _PLATFORM_NAMES.get(platform, platform)
    return f"order id {_q(order_id)} does not match {name} order ids ({entry[1]})"


def parse_attributes(text: str) -> dict[str, str]:
    """``"Color: 6L, Ships From: GERMANY"`` → ``{"Color": "6L", "Ships From": "GERMANY"}``.

    Pairs are split on ``,`` or ``;``; a piece without a colon belongs to the
    previous value (``Color: Black, White`` keeps ``Black, White``). Text
    before the first ``key:`` goes under ``"Option"`` so nothing is lost. A
    repeated key gets its values joined. Never fails on text: attributes are
    informative, not worth rejecting an order over.
    """
    if not isinstance(text, str):
        raise ValueError("attributes must be text")
    result: dict[str, str] = {}
    current: str | None = None
    for piece in re.split(r"[,;]", text):
        piece = piece.strip()
        if not piece:
            continue
        key, colon, value = piece.partition(":")
        if colon and key.strip():
            current = key.strip()
            value = value.strip()
            result[current] = f"{result[current]}, {value}" if result.get(current) else value
        else:
            current = current or "Option"
            result[current] = f"{result[current]}, {piece}" if result.get(current) else piece
    return result
