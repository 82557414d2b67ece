"""What a message announces, from its subject (then the start of its body).

Phrases per kind in English, German, French, Spanish, Italian, Polish,
Portuguese (and Dutch for PostNL). Kinds are tried from the most specific
to the least: a refund or a failed delivery mentions the order and the
parcel too, and "out for delivery" must win over "delivered".
"""

from __future__ import annotations

import re

_PHRASES: dict[str, tuple[str, ...]] = {
    "refund": (
        "refund",
        "rückerstattung",
        "erstattung",
        "remboursement",
        "reembolso",
        "rimborso",
        "zwrot pieniędzy",
        "zwrot środków",
        "zwrot płatności",
    ),
    "exception": (
        "delivery attempt",
        "failed delivery",
        "delivery exception",
        "unable to deliver",
        "could not be delivered",
        "couldn't deliver",
        "we missed you",
        "held at customs",
        "returned to sender",
        "zustellversuch",
        "konnte nicht zugestellt",
        "nicht zugestellt werden",
        "échec de livraison",
        "tentative de livraison",
        "avis de passage",
        "intento de entrega",
        "incidencia en la entrega",
        "tentativo di consegna",
        "mancata consegna",
        "nieudana próba doręczenia",
        "awizo",
        "tentativa de entrega",
        "entrega falhada",
        "niet bezorgd",
    ),
    "out_for_delivery": (
        "out for delivery",
        "arriving today",
        "will be delivered today",
        "in zustellung",
        "heute zugestellt",
        "wird heute",
        "en cours de livraison",
        "livré aujourd'hui",
        "en reparto",
        "se entregará hoy",
        "in consegna",
        "verrà consegnato oggi",
        "w doręczeniu",
        "wydana do doręczenia",
        "em distribuição",
        "saiu para entrega",
        "em entrega",
        "wordt vandaag bezorgd",
    ),
    "delivered": (
        "delivered",
        "zugestellt",
        "geliefert",
        "livré",
        "livrée",
        "a été livr",
        "entregado",
        "consegnato",
        "consegnata",
        "doręczon",
        "dostarczon",
        "entregue",
        "bezorgd",
    ),
    "shipped": (
        "shipped",
        "dispatched",
        "on its way",
        "on the way",
        "has been sent",
        "in transit",
        "with local carrier",
        "shipment from order",
        "versandt",
        "verschickt",
        "unterwegs",
        "expédié",
        "expédiée",
        "en route",
        "enviado",
        "enviada",
        "en camino",
        "spedito",
        "spedita",
        "in viaggio",
        "wysłan",
        "nadana",
        "w drodze",
        "a caminho",
        "despachad",
        "verzonden",
        "onderweg",
    ),
    "order_placed": (
        "order confirmed",
        "order confirmation",
        "thank you for your order",
        "thanks for your order",
        "order placed",
        "order received",
        "ordered:",
        "your order",
        "order of",
        "your etsy purchase",
        "bestellbestätigung",
        "bestellung",
        "bestellt:",
        "confirmation de commande",
        "votre commande",
        "commande confirmée",
        "confirmación de pedido",
        "confirmación del pedido",
        "tu pedido",
        "pedido confirmado",
        "conferma d'ordine",
        "conferma dell'ordine",
        "il tuo ordine",
        "ordine confermato",
        "potwierdzenie zamówienia",
        "dziękujemy za zamówienie",
        "twoje zamówienie",
        "confirmação de encomenda",
        "confirmação do pedido",
        "a sua encomenda",
        "seu pedido",
        "pedido recebido",
        "payment received",
        "order #",
    ),
}
_ORDER = ("refund", "exception", "out_for_delivery", "delivered", "shipped", "order_placed")
# Phrases that mention delivery in the future: not a delivery notice.
_FUTURE = re.compile(
    r"(?:will be|to be|should be|expected to be|estimated to be|will get)\s+delivered|"
    r"delivered by|delivered between|voraussichtlich|estimated delivery|livraison prévue|"
    r"entrega estimada|consegna prevista|przewidywana dostawa|previsão de entrega",
    re.IGNORECASE,
)
_COMPILED = {
    kind: re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE)
    for kind, phrases in _PHRASES.items()
}


def kind_of(text: str) -> str | None:
    """The first kind whose phrases occur in ``text``, or None."""
    cleaned = _FUTURE.sub(" ", text)
    for kind in _ORDER:
        if _COMPILED[kind].search(cleaned):
            return kind
    return None


def classify(subject: str, body: str) -> str:
    """The kind from the subject, else from the body's first lines, else "other"."""
    return kind_of(subject) or kind_of(body[:800]) or "other"


_FORWARD = re.compile(r"^\s*(?:fwd?|wg|tr|rv|i|pd|enc|doorst)\s*:", re.IGNORECASE)


def looks_like_order_mail(subject: str) -> bool:
    """Header pass for unknown senders (shop systems, forwards): a kind phrase in the subject,
    or a forwarded message (the original sender is only known once the body is read)."""
    return kind_of(subject) is not None or _FORWARD.match(subject) is not None
