"""Writes the test corpus of order and shipping e-mails (run once; the .eml files are committed).

Every message is written for these tests after the public shape of each
sender's notices (subjects, order-id formats, link patterns as described in
the project's reference notes); names, addresses, order ids and tracking
numbers are invented or taken from the MIT-licensed tracking_number_data test
vectors (see ../tracking-number-vectors.json). No real personal data.
License: same as orderctl (MIT).

    python tests/data/mail/make_corpus.py
"""

from __future__ import annotations

from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"


def message(
    name, sender, subject, date, *, text=None, html=None, cte=None, charset="utf-8", attach=None
):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Alex Buyer <alex.buyer@example.org>"
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{name}@corpus.orderctl.test>"
    if text is not None and html is not None:
        msg.set_content(text, charset=charset, cte=cte)
        msg.add_alternative(html, subtype="html", charset=charset, cte=cte)
    elif html is not None:
        msg.set_content(html, subtype="html", charset=charset, cte=cte)
    else:
        msg.set_content(text, charset=charset, cte=cte)
    if attach is not None:
        msg.make_mixed()
        part = MIMEPart()
        part.set_content(attach)
        msg.attach(part)
    if msg.is_multipart():  # fixed boundaries: the files are the same on every run
        msg.set_boundary(f"=_orderctl_{name}")
        for index, sub in enumerate(msg.iter_parts()):
            if sub.is_multipart():
                sub.set_boundary(f"=_orderctl_{name}_{index}")
    return msg


def table(rows):
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{cells}</table>"


MESSAGES = {}


def add(name, *args, **kwargs):
    MESSAGES[name] = message(name, *args, **kwargs)


add(
    "aliexpress-placed-en",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Order 8208460785972844: order confirmed",
    "Mon, 02 Nov 2026 09:14:03 +0800",
    html="<html><head><style>p{color:red}</style></head><body><h1>Thanks for your order!</h1>"
    "<p>Order ID: 8208460785972844</p>"
    + table(
        [
            ["USB-C Hub 7-in-1, 4K HDMI", "Qty: 1", "US $23.99"],
            ["Silicone phone case", "Qty: 2", "US $7.00"],
            ["Shipping", "", "US $0.00"],
            ["Order total", "", "US $30.99"],
        ]
    )
    + '<p><a href="https://www.aliexpress.com/p/order/detail.html?orderId=8208460785972844">'
    "View order</a></p></body></html>",
    cte="base64",
)
add(
    "aliexpress-shipped-de",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Bestellung 3065355286098390: Bestellung versandt",
    "Thu, 05 Nov 2026 11:02:00 +0800",
    html="<p>Hallo Alex,</p><p>Ihre Bestellung 3065355286098390 wurde versandt.</p>"
    "<p>Sendungsnummer: LP00123456789012</p>"
    '<p><a href="https://global.cainiao.com/newDetail.htm?mailNoList=LP00123456789012">'
    "Sendung verfolgen</a></p>",
    cte="quoted-printable",
)
add(
    "aliexpress-delivered-fr",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Commande 5019241171106742 : votre colis a été livré",
    "Tue, 10 Nov 2026 15:40:00 +0100",
    text="Bonjour,\n\nVotre commande n° 5019241171106742 a été livrée.\n"
    "Confirmez la réception dans les 7 jours.\n",
    cte="quoted-printable",
)
add(
    "aliexpress-placed-pl",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Zamówienie 3031265788145237: potwierdzenie zamówienia",
    "Wed, 04 Nov 2026 08:00:00 +0100",
    text="Dziękujemy za zamówienie!\nNumer zamówienia: 3031265788145237\n\n"
    "Słuchawki bezprzewodowe Qty: 1 129,46 zł\nRazem: 129,46 zł\n",
    cte="quoted-printable",
    charset="iso-8859-2",
)
add(
    "amazon-placed-de",
    '"Amazon.de" <auto-confirm@amazon.de>',
    'Ihre Amazon.de Bestellung von "Kaffeemühle, elektrisch"',
    "Fri, 06 Nov 2026 18:22:10 +0100",
    text="Hallo Alex,\n\nvielen Dank für Ihre Bestellung bei Amazon.de.\n\n"
    "Bestellnummer 302-1234567-1234567\n\nKaffeemühle, elektrisch, Edelstahl\n"
    "Menge: 1\nEUR 34,99\n\nZwischensumme: EUR 34,99\nVersand: EUR 0,00\n"
    "Gesamtbetrag: EUR 34,99\n",
    cte="quoted-printable",
    charset="iso-8859-1",
)
add(
    "amazon-shipped-en-us",
    '"Amazon.com" <shipment-tracking@amazon.com>',
    "Your Amazon.com order #112-9876543-2109876 has shipped",
    "Sat, 07 Nov 2026 07:30:00 -0800",
    text="Hello Alex,\n\nYour package is on the way.\n\nOrder #112-9876543-2109876\n"
    "Carrier: UPS\nTracking number: 1Z 5R8 939 035 756 712 7\n\n"
    "Arriving: Tuesday, November 10\n",
)
add(
    "amazon-delivered-fr",
    '"Amazon.fr" <expedition@amazon.fr>',
    "Livré : votre colis Amazon.fr",
    "Mon, 09 Nov 2026 14:05:00 +0100",
    html="<p>Bonjour,</p><p>Votre colis a été livré.</p>"
    "<p>Commande n° 405-1111111-2222222</p>"
    '<p><a href="https://www.amazon.fr/gp/your-account/order-details?orderID=405-1111111-2222222">'
    "Détails de la commande</a></p>",
    cte="base64",
)
add(
    "amazon-placed-es",
    '"Amazon.es" <confirmar-envio@amazon.es>',
    "Confirmación de pedido de Amazon.es",
    "Sun, 08 Nov 2026 10:00:00 +0100",
    html="<p>Gracias por tu pedido.</p><p>Pedido n.º 403-7654321-7654321</p>"
    + table(
        [
            ["Funda para portátil 14 pulgadas", "Cantidad: 1", "19,90 €"],
            ["Importe total", "", "19,90 €"],
        ]
    ),
    cte="quoted-printable",
)
add(
    "amazon-shipped-it",
    '"Amazon.it" <spedizione@amazon.it>',
    "Il tuo ordine è stato spedito",
    "Tue, 10 Nov 2026 09:00:00 +0100",
    text="Ciao Alex,\nil tuo pacco è in viaggio.\n\nOrdine n. 171-2345678-3456789\n"
    "Numero di tracciamento: TBA010000000000\n",
)
add(
    "amazon-placed-pl",
    '"Amazon.pl" <zamowienia@amazon.pl>',
    "Potwierdzenie zamówienia Amazon.pl",
    "Wed, 11 Nov 2026 12:00:00 +0100",
    text="Dziękujemy za zamówienie.\nZamówienie nr 407-2222222-3333333\n\n"
    "Lampka biurkowa LED\nIlość: 2\n99,98 zł\n\nSuma: 99,98 zł\n",
    charset="iso-8859-2",
    cte="base64",
)
add(
    "amazon-shipped-br",
    '"Amazon.com.br" <envio@amazon.com.br>',
    "Seu pedido foi enviado",
    "Thu, 12 Nov 2026 16:00:00 -0300",
    html="<p>Olá Alex, seu pacote está a caminho.</p><p>Pedido 701-3333333-4444444</p>"
    '<p><a href="https://track.amazon.com/tracking/TBA502887274000">Rastrear pacote</a></p>',
)
add(
    "ebay-placed-en-gb",
    "eBay <ebay@ebay.co.uk>",
    "Order confirmed: Vintage 50mm camera lens",
    "Fri, 13 Nov 2026 20:10:00 +0000",
    text="Hi Alex,\nThanks for your order.\n\nOrder number: 27-11068-77489\n\n"
    "Vintage 50mm camera lens\nItem price: £45.00\nPostage: £4.50\nTotal: £49.50\n",
)
add(
    "ebay-shipped-de",
    "eBay <ebay@ebay.de>",
    "Ihr Artikel wurde versandt: Bluetooth-Lautsprecher",
    "Sat, 14 Nov 2026 09:45:00 +0100",
    html="<p>Gute Nachrichten! Ihr Artikel ist unterwegs.</p>"
    "<p>Bestellnummer: 12-34567-89012</p>"
    '<p>Versand mit DHL Express. <a href="https://www.dhl.com/de-de/home/tracking.html?tracking-id=3318810025">'
    "Sendung verfolgen</a></p>",
    cte="quoted-printable",
)
add(
    "temu-placed-en",
    "Temu <orders@temuemail.com>",
    "Your Temu order confirmation",
    "Sun, 15 Nov 2026 13:00:00 -0500",
    html="<p>Thank you for your order!</p><p>Order ID: PO-162-21726517842553634</p>"
    + table(
        [
            ["LED strip lights 5m", "x1", "$8.49"],
            ["Kitchen scale", "x1", "$11.98"],
            ["Order total:", "", "$20.47"],
        ]
    ),
)
add(
    "temu-shipped-es",
    "Temu <pedidos@temuemail.com>",
    "Tu pedido ha sido enviado",
    "Mon, 16 Nov 2026 10:00:00 +0100",
    text="¡Buenas noticias! Tu pedido PO-162-21726517842553634 ha sido enviado.\n"
    "Número de seguimiento: YT2229521272164446\n",
)
add(
    "etsy-placed-en",
    "Etsy Transactions <transaction@etsy.com>",
    "Your Etsy Purchase from WoodenToysShop (3123456789)",
    "Tue, 17 Nov 2026 18:00:00 +0000",
    text="Hi Alex,\nThanks for your purchase from WoodenToysShop.\n\n"
    "Order number: 3123456789\n\nHandmade wooden train set\nQuantity: 1\nPrice: $42.00\n"
    "Order total: $48.50\n",
)
add(
    "shein-shipped-fr",
    "SHEIN <noreply@sheinemail.com>",
    "Votre commande a été expédiée",
    "Wed, 18 Nov 2026 08:30:00 +0100",
    html="<p>Bonjour Alex,</p><p>Votre commande GSH12345678901 a été expédiée.</p>"
    "<p>Numéro de suivi : RB123456785FR</p>",
)
add(
    "wish-placed-en",
    "Wish <no-reply@wish.com>",
    "Thank you for your order!",
    "Thu, 19 Nov 2026 22:00:00 +0000",
    text="Order ID: 5f3a1b2c9d8e7f6a5b4c3d2e\n\nSmart watch band\nQty: 1\n$6.00\nTotal: $6.00\n",
)
add(
    "walmart-shipped-en",
    "Walmart.com <help@walmart.com>",
    "Your order has shipped",
    "Fri, 20 Nov 2026 11:00:00 -0600",
    html="<p>Order# 2000123-45678901</p><p>Your items are on the way.</p>"
    '<p><a href="https://www.fedex.com/fedextrack/?trknbr=986578788855">Track package</a></p>',
)
add(
    "shopify-placed-en",
    "Acme Mugs <store@acmemugs.com>",
    "Order #1042 confirmed",
    "Sat, 21 Nov 2026 15:00:00 +0000",
    html="<h2>Thank you for your purchase!</h2><p>Order #1042</p>"
    + table(
        [
            ["Stoneware mug, blue × 2", "$36.00"],
            ["Subtotal", "$36.00"],
            ["Shipping", "$5.00"],
            ["Total", "$41.00 USD"],
        ]
    )
    + '<p><a href="https://acmemugs.com/60450390/orders/4f1c2b9a/authenticate?key=x">'
    'View your order</a></p><img src="https://cdn.shopify.com/s/files/1/logo.png">',
)
add(
    "shopify-shipped-en",
    "Acme Mugs <store@acmemugs.com>",
    "A shipment from order #1042 is on the way",
    "Mon, 23 Nov 2026 09:00:00 +0000",
    html="<p>Your order is on the way.</p><p>USPS tracking number: "
    '<a href="https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111201080805483016">'
    "9400111201080805483016</a></p>"
    '<img src="https://cdn.shopify.com/s/files/1/logo.png">',
)
add(
    "ups-out-for-delivery-en",
    "UPS <mcinfo@ups.com>",
    "UPS Update: Your package is out for delivery",
    "Tue, 10 Nov 2026 06:00:00 -0500",
    html="<p>Your package is out for delivery today.</p>"
    "<p>Shipper reference: Order 3065355286098390</p>"
    '<p><a href="https://www.ups.com/track?loc=en_US&tracknum=1Z879E930346834440">'
    "1Z879E930346834440</a></p>",
)
add(
    "fedex-delivered-en",
    "FedEx <TrackingUpdates@fedex.com>",
    "Your package has been delivered",
    "Fri, 20 Nov 2026 17:00:00 -0600",
    text="Tracking ID: 477179081230\nDelivered: Front door\n",
)
add(
    "usps-shipped-en",
    "USPS Informed Delivery <auto-reply@usps.com>",
    "USPS Tracking: your package is in transit",
    "Sat, 21 Nov 2026 05:00:00 -0500",
    text="Tracking Number:\n9400 1112 0108 0805 4830 16\nStatus: In Transit\n",
)
add(
    "dhl-exception-de",
    "DHL <noreply@dhl.de>",
    "DHL: Zustellversuch leider erfolglos",
    "Mon, 16 Nov 2026 14:00:00 +0100",
    text="Leider konnten wir Ihre Sendung nicht zustellen.\nSendungsnummer: 3318810025\n"
    "Die Sendung liegt in Ihrer Filiale bereit.\n",
    cte="quoted-printable",
)
add(
    "royalmail-delivered-en",
    "Royal Mail <no-reply@royalmail.com>",
    "Your Royal Mail item has been delivered",
    "Wed, 18 Nov 2026 12:30:00 +0000",
    text="Your item RB 1234 5678 5GB was delivered today.\n",
)
add(
    "evri-shipped-en",
    "Evri <noreply@evri.com>",
    "Your parcel is on its way",
    "Thu, 19 Nov 2026 08:00:00 +0000",
    html="<p>Your parcel from WoodenToysShop is on its way.</p>"
    '<p><a href="https://www.evri.com/track/parcel/H01HYA0012345678/details">Track</a></p>',
)
add(
    "postnl-delivered-en",
    "PostNL <noreply@postnl.nl>",
    "Your parcel has been delivered",
    "Thu, 19 Nov 2026 16:00:00 +0100",
    text="Track & Trace: 3SABCD1234567\nDelivered at your front door.\n",
)
add(
    "gls-shipped-it",
    "GLS Italy <noreply@gls-italy.com>",
    "Il tuo pacco è in viaggio",
    "Fri, 20 Nov 2026 09:00:00 +0100",
    text="Gentile cliente,\nil tuo pacco è in viaggio.\nNumero di spedizione: 12345678901\n",
)
add(
    "inpost-out-for-delivery-pl",
    "InPost <powiadomienia@inpost.pl>",
    "Paczka w doręczeniu",
    "Sat, 21 Nov 2026 07:00:00 +0100",
    text="Twoja paczka jest w doręczeniu.\nNumer przesyłki: 620123456789012345678901\n",
    charset="iso-8859-2",
    cte="quoted-printable",
)
add(
    "forwarded-amazon-inline-en",
    "Alex Buyer <alex.buyer@example.org>",
    "Fwd: Your Amazon.co.uk order of Wireless mouse",
    "Sun, 22 Nov 2026 10:00:00 +0000",
    text="FYI\n\n---------- Forwarded message ---------\n"
    'From: "Amazon.co.uk" <auto-confirm@amazon.co.uk>\n'
    "Date: Sat, 21 Nov 2026 at 19:00\nSubject: Your Amazon.co.uk order of Wireless mouse\n"
    "To: <alex.buyer@example.org>\n\nThank you for your order.\n"
    "Order #204-5555555-6666666\n\nWireless mouse\nQuantity: 1\n£14.99\nOrder Total: £14.99\n",
)
add(
    "aliexpress-newsletter-en",
    "AliExpress <newsletter@notice.aliexpress.com>",
    "Flash deals picked for you",
    "Sun, 22 Nov 2026 10:00:00 +0800",
    html="<p>Up to 70% off! Shop now.</p><p>Call us: +86 571 8502 2088</p>",
)
add(
    "aliexpress-shipped-pt",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Encomenda 8175530912287765: encomenda enviada",
    "Sat, 07 Nov 2026 09:00:00 +0800",
    html="<p>Olá Alex,</p><p>A sua encomenda 8175530912287765 foi enviada.</p>"
    "<p>Número de rastreio: <span>YT22</span> <span>2952</span> <span>1272</span> "
    "<span>1644</span> <span>46</span></p>",
    cte="base64",
)
add(
    "aliexpress-package-en",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Package LP00123456789013: with local carrier",
    "Mon, 09 Nov 2026 09:00:00 +0800",
    html="<p>Your package is with the local carrier.</p>"
    "<p>Order ID: 8149920018834410</p><p>Package number: LP00123456789013</p>",
)
add(
    "ebay-delivered-it",
    "eBay <ebay@ebay.it>",
    "Il tuo oggetto è stato consegnato",
    "Tue, 17 Nov 2026 15:00:00 +0100",
    text="Ciao Alex,\nil tuo oggetto è stato consegnato.\nNumero ordine: 21-09876-54321\n",
    charset="windows-1252",
    cte="quoted-printable",
)
add(
    "amazon-shipped-en-gb",
    '"Amazon.co.uk" <shipment-tracking@amazon.co.uk>',
    "Your Amazon.co.uk order has been dispatched",
    "Wed, 18 Nov 2026 08:00:00 +0000",
    text="Hello Alex,\nYour order 204-5555555-6666666 has been dispatched.\n"
    "Royal Mail tracking: https://www.royalmail.com/track-your-item#/tracking-results/RB123456785GB\n",
)
add(
    "temu-refund-de",
    "Temu <bestellungen@temuemail.com>",
    "Ihre Rückerstattung wurde bearbeitet",
    "Thu, 26 Nov 2026 10:00:00 +0100",
    html="<p>Für Ihre Bestellung PO-162-21726517842553634 wurde eine Rückerstattung"
    " von 8,49 € veranlasst.</p>",
    cte="base64",
)
inner = message(
    "aliexpress-shipped-en-original",
    "AliExpress <transaction@notice.aliexpress.com>",
    "Order 8208460785972844: order shipped",
    "Wed, 04 Nov 2026 10:00:00 +0800",
    html="<p>Your order 8208460785972844 has been shipped.</p>"
    "<p>Tracking number: RB123456785CN</p>",
)
add(
    "forwarded-aliexpress-attached-en",
    "Alex Buyer <alex.buyer@example.org>",
    "Fwd: Order 8208460785972844: order shipped",
    "Thu, 05 Nov 2026 09:00:00 +0000",
    text="See attached.\n",
    attach=inner,
)
add(
    "not-an-order-en",
    "Friend <friend@example.net>",
    "Lunch on Friday?",
    "Sun, 22 Nov 2026 12:00:00 +0000",
    text="Shall we meet at noon? My number is 0171 2345 6789.\n",
)


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, msg in MESSAGES.items():
        (CORPUS / f"{name}.eml").write_bytes(msg.as_bytes(policy=SMTP))
    print(f"wrote {len(MESSAGES)} messages to {CORPUS}")


if __name__ == "__main__":
    main()
