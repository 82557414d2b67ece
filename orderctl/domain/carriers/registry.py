"""Carrier slugs, display names, home countries and public tracking pages.

Slugs are AfterShip-style (lowercase, dashes) because that is what users and the
tracking providers' docs already use. Carriers whose own tracking page does not
take the number in its URL point at 17TRACK's universal page instead, which
tracks every postal operator and most couriers.
"""

from __future__ import annotations

from dataclasses import dataclass

UNIVERSAL_TRACKING_URL = "https://t.17track.net/en#nums={number}"


@dataclass(frozen=True)
class CarrierInfo:
    """Static facts about a carrier; ``url`` has a ``{number}`` placeholder."""

    name: str
    country: str | None = None
    url: str = UNIVERSAL_TRACKING_URL

    def tracking_url(self, number: str) -> str:
        return self.url.format(number=number)


_COURIERS: dict[str, CarrierInfo] = {
    "ups": CarrierInfo("UPS", None, "https://www.ups.com/track?tracknum={number}"),
    "fedex": CarrierInfo("FedEx", None, "https://www.fedex.com/fedextrack/?trknbr={number}"),
    "usps": CarrierInfo(
        "USPS", "US", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"
    ),
    "dhl": CarrierInfo(
        "DHL Express", None, "https://www.dhl.com/en/express/tracking.html?AWB={number}&brand=DHL"
    ),
    "dhl-ecommerce": CarrierInfo(
        "DHL eCommerce",
        None,
        "https://www.dhl.com/global-en/home/tracking/tracking-ecommerce.html?tracking-id={number}",
    ),
    "dhl-paket": CarrierInfo(
        "DHL Paket (Deutsche Post DHL)",
        "DE",
        "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
    ),
    "amazon": CarrierInfo("Amazon Logistics", None, "https://track.amazon.com/tracking/{number}"),
    "dpd": CarrierInfo("DPD", None, "https://tracking.dpd.de/status/en_US/parcel/{number}"),
    "ontrac": CarrierInfo("OnTrac", "US", "https://www.ontrac.com/tracking/?number={number}"),
    "lasership": CarrierInfo("LaserShip", "US", "https://www.ontrac.com/tracking/?number={number}"),
    "canada-post": CarrierInfo(
        "Canada Post",
        "CA",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
    ),
    "purolator": CarrierInfo(
        "Purolator", "CA", "https://www.purolator.com/en/shipping/tracker?pin={number}"
    ),
    "canpar": CarrierInfo(
        "Canpar Express",
        "CA",
        "https://www.canpar.com/en/track/tracking.jsp?reference={number}&locale=en",
    ),
    "old-dominion": CarrierInfo(
        "Old Dominion Freight Line",
        "US",
        "https://www.odfl.com/Trace/standardResult.faces?pro={number}",
    ),
    "speedee": CarrierInfo(
        "Spee-Dee Delivery", "US", "https://www.speedeedelivery.com/track/?tracking={number}"
    ),
    "gofo": CarrierInfo(
        "GOFO Express", "US", "https://www.gofoexpress.com/tracking.html?searchID={number}"
    ),
    "gls": CarrierInfo("GLS", None, "https://gls-group.eu/EU/en/parcel-tracking?match={number}"),
    "landmark-global": CarrierInfo(
        "Landmark Global", None, "https://track.landmarkglobal.com/?search={number}"
    ),
    "yodel": CarrierInfo("Yodel", "GB", "https://www.yodel.co.uk/tracking/{number}"),
    "yunexpress": CarrierInfo(
        "YunExpress", "CN", "https://www.yuntrack.com/parcelTracking?id={number}"
    ),
    "cainiao": CarrierInfo(
        "Cainiao", "CN", "https://global.cainiao.com/newDetail.htm?mailNoList={number}"
    ),
    "4px": CarrierInfo("4PX", "CN"),
    "yanwen": CarrierInfo("Yanwen", "CN"),
    "yto": CarrierInfo("YTO Express", "CN"),
    "china-ems": CarrierInfo("China EMS", "CN"),
    "upu-s10": CarrierInfo("UPU S10 (national post)"),
}

# Issuing posts of UPU S10 numbers, keyed by the country suffix. Countries that
# are valid ISO codes but not listed here fall back to "upu-s10".
POSTS: dict[str, tuple[str, CarrierInfo]] = {
    "CN": ("china-post", CarrierInfo("China Post", "CN")),
    "HK": ("hong-kong-post", CarrierInfo("Hong Kong Post", "HK")),
    "SG": ("singapore-post", CarrierInfo("Singapore Post", "SG")),
    "MY": ("malaysia-post", CarrierInfo("Pos Malaysia", "MY")),
    "TH": ("thailand-post", CarrierInfo("Thailand Post", "TH")),
    "TW": ("taiwan-post", CarrierInfo("Chunghwa Post", "TW")),
    "JP": ("japan-post", CarrierInfo("Japan Post", "JP")),
    "KR": ("korea-post", CarrierInfo("Korea Post", "KR")),
    "IN": ("india-post", CarrierInfo("India Post", "IN")),
    "NL": ("postnl", CarrierInfo("PostNL", "NL")),
    "LT": ("lithuania-post", CarrierInfo("Lietuvos Paštas (Lithuania Post)", "LT")),
    "LV": ("latvia-post", CarrierInfo("Latvijas Pasts (Latvia Post)", "LV")),
    "EE": ("omniva", CarrierInfo("Omniva (Estonian Post)", "EE")),
    "BE": ("bpost", CarrierInfo("bpost", "BE")),
    "SE": ("sweden-posten", CarrierInfo("PostNord Sweden", "SE")),
    "DK": ("danmark-post", CarrierInfo("PostNord Denmark", "DK")),
    "NO": ("posten-norge", CarrierInfo("Posten Norge", "NO")),
    "FI": ("posti", CarrierInfo("Posti (Finland)", "FI")),
    "CH": ("swiss-post", CarrierInfo("Swiss Post", "CH")),
    "AT": ("austrian-post", CarrierInfo("Austrian Post", "AT")),
    "GB": (
        "royal-mail",
        CarrierInfo(
            "Royal Mail",
            "GB",
            "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
        ),
    ),
    "IE": ("an-post", CarrierInfo("An Post", "IE")),
    "US": ("usps", _COURIERS["usps"]),
    "CA": ("canada-post", _COURIERS["canada-post"]),
    "DE": ("deutsche-post", CarrierInfo("Deutsche Post", "DE")),
    "FR": ("la-poste", CarrierInfo("La Poste (Colissimo)", "FR")),
    "ES": ("correos-spain", CarrierInfo("Correos (Spain)", "ES")),
    "PT": ("portugal-ctt", CarrierInfo("CTT (Portugal)", "PT")),
    "IT": ("poste-italiane", CarrierInfo("Poste Italiane", "IT")),
    "PL": ("poczta-polska", CarrierInfo("Poczta Polska", "PL")),
    "CZ": ("czech-post", CarrierInfo("Česká pošta", "CZ")),
    "RU": ("russian-post", CarrierInfo("Russian Post", "RU")),
    "UA": ("ukrposhta", CarrierInfo("Ukrposhta", "UA")),
    "BY": ("belpost", CarrierInfo("Belpost", "BY")),
    "TR": ("ptt-turkey", CarrierInfo("PTT (Turkey)", "TR")),
    "IL": ("israel-post", CarrierInfo("Israel Post", "IL")),
    "AE": ("emirates-post", CarrierInfo("Emirates Post", "AE")),
    "AU": (
        "australia-post",
        CarrierInfo("Australia Post", "AU", "https://auspost.com.au/mypost/track/details/{number}"),
    ),
    "NZ": ("new-zealand-post", CarrierInfo("NZ Post", "NZ")),
    "BR": ("brazil-correios", CarrierInfo("Correios (Brazil)", "BR")),
    "MX": ("correos-mexico", CarrierInfo("Correos de México", "MX")),
}

_BY_SLUG: dict[str, CarrierInfo] = {
    **_COURIERS,
    **{slug: info for slug, info in POSTS.values()},
}


def carrier_info(slug: str) -> CarrierInfo | None:
    """Facts about a carrier slug, or None for a slug this package never emits."""
    return _BY_SLUG.get(slug)


def carrier_display_name(slug: str) -> str | None:
    """Human name for a slug (``"ups"`` → ``"UPS"``), or None if unknown."""
    info = _BY_SLUG.get(slug)
    return info.name if info else None


def known_slugs() -> frozenset[str]:
    """Every slug detection can emit; documentation tests walk this."""
    return frozenset(_BY_SLUG)
