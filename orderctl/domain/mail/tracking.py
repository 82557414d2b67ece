"""Tracking numbers in a message: in carrier links first, then in the text.

Links name the carrier outright (``ups.com/track?tracknum=…``). In text a
number is taken when offline detection recognises it with a verified check
digit or a specific shape, or, next to a "tracking number" phrase in one of
the supported languages, when it is a plausible code at all. Numbers split by
spaces for readability (``1Z 999 AA1 01 2345 6784``) are joined before they
are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from orderctl.domain.carriers.detect import match_formats, rank_matches
from orderctl.domain.carriers.normalize import normalize_number
from orderctl.domain.mail.model import TrackingHit

# Host suffix -> carrier slug. None: a tracking aggregator (carrier from the number).
CARRIER_HOSTS: dict[str, str | None] = {
    "ups.com": "ups",
    "fedex.com": "fedex",
    "usps.com": "usps",
    "dhl.com": "dhl",
    "dhl.de": "dhl",
    "royalmail.com": "royal-mail",
    "evri.com": "evri",
    "myhermes.co.uk": "evri",
    "postnl.nl": "postnl",
    "postnl.com": "postnl",
    "gls-group.eu": "gls",
    "gls-group.com": "gls",
    "gls-pakete.de": "gls",
    "inpost.pl": "inpost",
    "inpost.eu": "inpost",
    "inpost.co.uk": "inpost",
    "dpd.de": "dpd",
    "dpd.co.uk": "dpd",
    "track.amazon.com": "amazon",
    "cainiao.com": None,
    "17track.net": None,
    "parcelsapp.com": None,
    "aftership.com": None,
}
_PARAMS = {
    "tracknum",
    "trknbr",
    "tlabels",
    "tracking-id",
    "trackingid",
    "trackingnumber",
    "tracking_number",
    "trackingno",
    "tracking",
    "awb",
    "mailnolist",
    "mailno",
    "idc",
    "piececode",
    "match",
    "number",
    "parcelnumber",
    "barcode",
    "logisticsno",
    "nums",
    "tn",
    "id",
    "search",
}
# Phrases that introduce a tracking number (en, de, fr, es, it, pl, pt, nl).
_KEYWORD = re.compile(
    r"(?:tracking\s*(?:number|no\.?|id|code|#)|track\s*(?:&|and)\s*trace|package\s*number|"
    r"parcel\s*(?:number|id)|sendungsnummer|sendungs-?nr\.?|paketnummer|trackingnummer|"
    r"numéro\s*de\s*suivi|n°\s*de\s*suivi|num[ée]ro\s*de\s*colis|"
    r"n[úu]mero\s*de\s*seguimiento|n[úu]mero\s*de\s*env[íi]o|"
    r"numero\s*di\s*(?:tracciamento|spedizione|tracking)|codice\s*di\s*tracciamento|"
    r"numer\s*(?:przesyłki|śledzenia|nadania)|"
    r"c[óo]digo\s*de\s*(?:rastreio|rastreamento|seguimento)|n[úu]mero\s*de\s*rastreio|"
    r"trackingcode|zendingnummer)",
    re.IGNORECASE,
)
_RUN = re.compile(r"[A-Z0-9]+(?:[ \u00a0-][A-Z0-9]+)*")
_NEAR = 60  # characters after a keyword where the number may start
_MAX_GROUPS = 8
_STRONG_RANK = 85


def _has_digits(number: str, least: int) -> bool:
    return sum(ch.isdigit() for ch in number) >= least


def _detected(number: str) -> tuple[str, str, int] | None:
    """(carrier, check status, rank) of the best format match, or None."""
    ranked = rank_matches(match_formats(number))
    if not ranked:
        return None
    best = ranked[0]
    return best.carrier, best.check_digit, best.rank


def _carrier_of_host(host: str) -> tuple[bool, str | None]:
    host = host.lower().split(":")[0]
    for suffix, slug in CARRIER_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return True, slug
    return False, None


def _plausible(number: str) -> bool:
    return (
        8 <= len(number) <= 40 and number.isalnum() and number.isascii() and _has_digits(number, 5)
    )


def numbers_in_link(url: str) -> list[TrackingHit]:
    """Tracking numbers a carrier's (or tracker's) link carries."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    known, slug = _carrier_of_host(parts.hostname or "")
    if not known:
        return []
    values = [v for k, v in parse_qsl(parts.query) if k.lower() in _PARAMS]
    values += [v for k, v in parse_qsl(parts.fragment.lstrip("#/")) if k.lower() in _PARAMS]
    for segment in (parts.path + "/" + parts.fragment).split("/")[-3:]:
        values.append(unquote(segment).split("-")[0])
    hits: list[TrackingHit] = []
    for value in values:
        for piece in re.split(r"[,;|\s]+", value):
            number = normalize_number(piece)
            if not _plausible(number):
                continue
            carrier = slug
            if carrier is None:
                found = _detected(number)
                carrier = found[0] if found else None
            hits.append(TrackingHit(number, carrier, "link"))
    return hits


def _accept(number: str, anchored: bool, joined: bool) -> str | bool | None:
    """Carrier slug (or None for unknown) when ``number`` is taken, False otherwise."""
    if not (8 <= len(number) <= 40) or not _has_digits(number, 5):
        return False
    found = _detected(number)
    if found is not None:
        carrier, status, rank = found
        if status == "ok" and (anchored or not number.isdigit() or not joined):
            return carrier
        if status == "none" and rank >= _STRONG_RANK:
            return carrier
        if anchored and status != "bad":
            return carrier
    if anchored and _plausible(number):
        return None
    return False


def _scan_run(run: str, anchored: bool, exclude: set[str]) -> list[TrackingHit]:
    groups = re.split(r"[ \u00a0-]", run)
    hits: list[TrackingHit] = []
    i = 0
    while i < len(groups):
        taken = False
        for j in range(min(len(groups), i + _MAX_GROUPS), i, -1):
            number = normalize_number("".join(groups[i:j]))
            if number in exclude:
                continue
            carrier = _accept(number, anchored, j - i > 1)
            if carrier is not False:
                hits.append(TrackingHit(number, carrier if isinstance(carrier, str) else None))
                i, taken = j, True
                break
        if not taken:
            i += 1
    return hits


def find_tracking_numbers(
    text: str, links: Iterable[str] = (), *, exclude: Iterable[str] = ()
) -> list[TrackingHit]:
    """Every tracking number in ``text`` and ``links``, links first, each number once.

    ``exclude`` holds numbers known to be something else (the order ids).
    Never raises, whatever the text.
    """
    excluded = {normalize_number(e) for e in exclude}
    hits: list[TrackingHit] = []
    for link in links:
        hits += numbers_in_link(link)
    anchored_spans: list[tuple[int, int]] = []
    for keyword in _KEYWORD.finditer(text):
        window = text[keyword.end() : keyword.end() + _NEAR + 60]
        head = re.match(r"[\s:#.\-–—=|*]*(?:(?:is|ist|est|es|è|to|é|:)\s+)?[\s:#|*]*", window)
        start = keyword.end() + (head.end() if head else 0)
        run = _RUN.match(text, start)
        if run is None or run.start() - keyword.end() > _NEAR:
            continue
        anchored_spans.append(run.span())
        hits += _scan_run(run.group(0), True, excluded)
    for run in _RUN.finditer(text):
        if any(a <= run.start() < b for a, b in anchored_spans):
            continue
        hits += _scan_run(run.group(0), False, excluded)
    unique: dict[str, TrackingHit] = {}
    for hit in hits:
        if hit.number in excluded:
            continue
        known = unique.get(hit.number)
        if known is None or (known.carrier is None and hit.carrier is not None):
            unique[hit.number] = hit
    return list(unique.values())
