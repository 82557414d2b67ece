"""Every corpus message gives the extraction written next to it (``*.expected.json``)."""

from __future__ import annotations

import json

import pytest

from orderctl.domain.mail import header_candidate, recognise
from orderctl.domain.mail.message import parse_headers, parse_message
from tests.helpers.mail import CORPUS, corpus_files

KEYS = (
    "from",
    "platform",
    "kind",
    "order_ids",
    "tracking_numbers",
    "items",
    "total",
    "currency",
    "store",
    "forwarded",
)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_extraction(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    extraction = recognise(parse_message(path.read_bytes()))
    if expected is None:
        assert extraction is None
        return
    assert extraction is not None
    got = extraction.to_dict()
    assert {k: got[k] for k in KEYS} == expected
    assert got["message_id"] == f"<{path.stem}@corpus.orderctl.test>"


def test_corpus_covers_senders_languages_and_encodings():
    names = {p.stem for p in corpus_files()}
    for sender in (
        "aliexpress",
        "amazon",
        "ebay",
        "temu",
        "etsy",
        "shein",
        "wish",
        "walmart",
        "shopify",
        "ups",
        "fedex",
        "usps",
        "dhl",
        "royalmail",
        "evri",
        "postnl",
        "gls",
        "inpost",
        "forwarded",
    ):
        assert any(n.startswith(sender) for n in names), sender
    raw = b"".join(p.read_bytes() for p in corpus_files())
    for marker in (b"base64", b"quoted-printable", b"iso-8859-2", b"iso-8859-1", b"message/rfc822"):
        assert marker in raw, marker


def test_header_pass_lets_order_mail_through_and_not_private_mail():
    wanted = {
        p.stem
        for p in corpus_files()
        if header_candidate(*(lambda h: (h.sender, h.subject))(parse_headers(p.read_bytes())))
    }
    assert "not-an-order-en" not in wanted
    assert "forwarded-amazon-inline-en" in wanted  # "Fwd:" is read to find the original sender
    assert "aliexpress-shipped-de" in wanted


def test_quoted_printable_soft_breaks_inside_a_tracking_number():
    raw = (
        b"From: UPS <mcinfo@ups.com>\r\nSubject: Your package has shipped\r\n"
        b"Message-ID: <qp@test>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Tracking number: 1Z5R8939035=\r\n7567127\r\n"
    )
    extraction = recognise(parse_message(raw))
    assert [t.to_dict() for t in extraction.tracking] == [
        {"number": "1Z5R89390357567127", "carrier": "ups"}
    ]


def test_mislabelled_charset_and_8bit_headers_do_not_stop_recognition():
    raw = (
        b"From: eBay <ebay@ebay.de>\r\nSubject: Bestellung best\xe4tigt 27-11068-77489\r\n"
        b"Date: Mon, 02 Nov 2026 10:00:00 +0100\r\nMessage-ID: <bad@test>\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\n"
        b"Vielen Dank f\xfcr Ihre Bestellung 27-11068-77489\r\n"
    )
    extraction = recognise(parse_message(raw))
    assert extraction.order_ids == ["27-11068-77489"]
    assert extraction.kind == "order_placed"


def test_a_date_without_zone_is_kept_unknown():
    raw = b"From: a@ebay.de\r\nSubject: shipped 27-11068-77489\r\nDate: 2 Nov 2026 10:00\r\n\r\nx"
    assert parse_message(raw).headers.date is None


def test_corpus_files_have_expectations():
    assert len(corpus_files()) >= 30
    assert all(p.with_suffix(".expected.json").exists() for p in corpus_files())
    assert (CORPUS.parent / "make_corpus.py").exists()
