"""Carriers' own notices: no order ids of their own; the carrier is known from the sender."""

from orderctl.domain.mail.senders.spec import SenderSpec


def _carrier(key: str, name: str, *domains: str) -> SenderSpec:
    return SenderSpec(key=key, name=name, domains=domains, carrier=key)


SENDERS = (
    _carrier("ups", "UPS", "ups.com"),
    _carrier("fedex", "FedEx", "fedex.com"),
    _carrier("usps", "USPS", "usps.com", "usps.gov"),
    _carrier("dhl", "DHL", "dhl.com", "dhl.de", "dhl.co.uk", "dhl.fr", "dhl.es", "dhl.it"),
    _carrier("royal-mail", "Royal Mail", "royalmail.com", "royalmail.co.uk"),
    _carrier("evri", "Evri", "evri.com", "myhermes.co.uk"),
    _carrier("postnl", "PostNL", "postnl.nl", "postnl.com"),
    _carrier("gls", "GLS", "gls-group.eu", "gls-group.com", "gls-pakete.de", "gls-italy.com"),
    _carrier("inpost", "InPost", "inpost.pl", "inpost.eu", "inpost.co.uk", "inpost.es"),
    _carrier("dpd", "DPD", "dpd.de", "dpd.co.uk", "dpd.com", "dpd.fr", "dpd.pl"),
    _carrier("cainiao", "Cainiao", "cainiao.com"),
)
