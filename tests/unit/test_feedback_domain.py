"""Feedback rules: stars, detailed ratings, delivery days, scrubbing and the length limit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from orderctl.domain import feedback as fb
from orderctl.domain.models import Item, Order, OrderState
from orderctl.domain.records import ConversationNote, Inspection

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GENERIC = [
    "package_condition",
    "correct_item",
    "quantity_complete",
    "description_match",
    "functionality",
    "quality",
]


def inspection(fail=(), reservations=(), reasons=(), notes=None):
    notes = notes or {}
    checks = [
        {
            "id": cid,
            "result": "fail" if cid in fail else "pass",
            "note": notes.get(cid, "ok"),
            "evidence": [],
        }
        for cid in GENERIC
    ]
    return Inspection.from_dict(
        {
            "verdict": "fail" if fail else "pass",
            "checklist": "generic",
            "checks": checks,
            "failed": list(fail),
            "reservations": list(reservations),
            "suggested_reasons": list(reasons),
        }
    )


@pytest.mark.parametrize(
    ("insp", "stars"),
    [
        (inspection(), 5),
        (inspection(reservations=["quality"]), 4),
        (inspection(reservations=["quality", "package_condition"]), 4),
        (inspection(reservations=["quality", "package_condition", "colour"]), 3),
        (inspection(fail=["quality"], reasons=["quality"]), 2),
        (inspection(fail=["package_condition"], reasons=["damaged"]), 2),
        (inspection(fail=["functionality"], reasons=["not_working"]), 1),
        (inspection(fail=["correct_item"], reasons=["wrong_item"]), 1),
        (inspection(fail=["quality", "package_condition"], reasons=["damaged", "quality"]), 1),
        (None, 3),
    ],
)
def test_product_stars(insp, stars):
    assert fb.product_stars(insp).value == stars


@pytest.mark.parametrize(
    ("insp", "rating"),
    [
        (inspection(), 5),
        (inspection(reservations=["quality"]), 5),  # workmanship says nothing of the listing
        (inspection(reservations=["description_match"]), 4),
        (inspection(fail=["correct_item"], reasons=["wrong_item"]), 1),
        (inspection(fail=["description_match"], reasons=["not_as_described"]), 2),
        (inspection(fail=["quantity_complete"], reasons=["missing_parts"]), 2),
        (inspection(fail=["functionality"], reasons=["not_working"]), 3),
        (inspection(fail=["package_condition"], reasons=["damaged"]), 3),
        (inspection(fail=["correct_item"]), 1),  # no reasons recorded: the check id decides
        (None, 3),
    ],
)
def test_item_as_described(insp, rating):
    assert fb.item_as_described(insp).value == rating


def note(at, sender, kind="message"):
    return ConversationNote(at=at, sender=sender, text="x", kind=kind)


@pytest.mark.parametrize(
    ("notes", "rating"),
    [
        ([], 5),  # nothing to discuss is not a complaint
        ([note("2026-11-20T10:00:00Z", "seller")], 5),
        ([note("2026-11-20T10:00:00Z", "me"), note("2026-11-21T09:00:00Z", "seller")], 5),
        ([note("2026-11-20T10:00:00Z", "me"), note("2026-11-24T09:00:00Z", "seller")], 4),
        (
            [
                note("2026-11-10T10:00:00Z", "me"),
                note("2026-11-11T09:00:00Z", "seller"),
                note("2026-11-20T10:00:00Z", "me"),
            ],
            2,
        ),
        ([note("2026-11-20T10:00:00Z", "me")], 1),
        ([note("2026-11-28T08:00:00Z", "me")], 5),  # sent 4 h ago: too early to judge
        ([note("2026-11-20T10:00:00Z", "me", kind="contact_draft")], 5),  # never sent
        ([note("2026-11-20T10:00:00Z", "me", kind="contact_sent")], 1),
    ],
)
def test_communication(notes, rating):
    assert fb.communication(notes, NOW).value == rating


@pytest.mark.parametrize(
    ("days", "typical", "rating"),
    [
        (10, 20, 5),
        (15, 20, 5),
        (16, 20, 4),
        (20, 20, 4),
        (30, 20, 3),
        (31, 20, 2),
        (None, 20, 3),
        (10, None, 3),
    ],
)
def test_shipping_speed(days, typical, rating):
    delivery = None if days is None else fb.Delivery(days, "shipped")
    assert fb.shipping_speed(delivery, typical).value == rating


def test_delivery_days_counts_from_shipment_else_order():
    d = fb.delivery_days(
        ordered=date(2026, 11, 1), shipped=date(2026, 11, 3), delivered=date(2026, 11, 17)
    )
    assert d == fb.Delivery(14, "shipped")
    d = fb.delivery_days(ordered=date(2026, 11, 1), shipped=None, delivered=date(2026, 11, 17))
    assert d == fb.Delivery(16, "ordered")
    assert fb.delivery_days(ordered=date(2026, 11, 1), shipped=None, delivered=None) is None
    bad = fb.delivery_days(ordered=None, shipped=date(2026, 11, 20), delivered=date(2026, 11, 2))
    assert bad is None


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Write to jane.doe+shop@example.co.uk if needed", "jane.doe+shop@example.co.uk"),
        ("Courier called +44 20 7946 0958 twice", "7946 0958"),
        ("Call me at (555) 123-4567", "123-4567"),
        ("Phone 0612345678", "0612345678"),
        ("Parcel LP00123456789012 was dented", "LP00123456789012"),
        ("Label RB123456785CN torn", "RB123456785CN"),
        ("UPS 1Z999AA10123456784 left it outside", "1Z999AA10123456784"),
        ("Left at 12 Baker Street by the door", "Baker Street"),
        ("Delivered to Hauptstrasse 5 instead", "Hauptstrasse 5"),
    ],
)
def test_scrub_removes_personal_data(text, secret):
    clean = fb.scrub(text)
    assert secret not in clean
    assert fb.REMOVED in clean


def test_scrub_keeps_ordinary_product_words():
    text = "Measured 2026-11-25: size 39-42, 1920x1080, USB-C 100W, 5000 mAh, model CM511."
    assert fb.scrub(text) == text


def test_scrub_private_words_case_insensitive():
    assert fb.scrub("Jane from SPRINGFIELD liked it", ["jane", "Springfield"]) == (
        "[removed] from [removed] liked it"
    )


def test_fit_cuts_at_sentence_then_word():
    assert fb.fit("Short.", 100) == "Short."
    assert fb.fit("One two. Three four five. Six.", 20) == "One two."
    cut = fb.fit("abcdefghij klmnop qrstuv", 15)
    assert cut == "abcdefghij…"
    assert len(fb.fit("x" * 50, 10)) <= 10


def order(**kwargs) -> Order:
    defaults = dict(
        order_id="8208460785972844",
        title="USB-C hub",
        state=OrderState.CONFIRMED,
        ordered_at=date(2026, 11, 8),
        shipped_at=date(2026, 11, 10),
        delivered_at=date(2026, 11, 24),
        tracking_number="LP00123456789012",
        items=[Item(title="Hub", attributes={"Color": "Grey", "Ships From": "China"})],
    )
    defaults.update(kwargs)
    return Order(**defaults)


def test_draft_text_is_specific_and_private():
    o = order(
        inspection=inspection(
            reservations=["quality"],
            notes={"quality": "Small scratch; courier phone +49 151 23456789, LP00123456789012"},
        ),
        notes=[note("2026-11-20T10:00:00Z", "me"), note("2026-11-20T18:00:00Z", "seller")],
    )
    draft = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000)
    assert draft.stars.value == 4
    assert draft.delivery_days == 14
    assert {k: r.value for k, r in draft.ratings.items()} == {
        "item_as_described": 5,
        "communication": 5,
        "shipping_speed": 5,
    }
    text = draft.text
    assert "Variant: Color Grey." in text
    assert "Ships From" not in text
    assert "Minor issue (workmanship): Small scratch" in text
    assert "Arrived in 14 days." in text
    assert "The seller answered quickly." in text
    assert "23456789" not in text and "LP00123456789012" not in text
    assert "8208460785972844" not in text


def test_draft_text_respects_the_limit():
    long_note = "The left hinge creaks a little when opened. " * 30
    o = order(inspection=inspection(reservations=["quality"], notes={"quality": long_note}))
    draft = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=120)
    assert len(draft.text) <= 120
    assert draft.text.startswith("Good, with a minor issue. Variant: Color Grey.")


def test_draft_failed_inspection_names_the_problem():
    o = order(
        inspection=inspection(
            fail=["functionality"], reasons=["not_working"], notes={"functionality": "No HDMI"}
        )
    )
    draft = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000)
    assert draft.stars.value == 1
    assert "Problem (function): No HDMI." in draft.text


def test_stars_override_and_empty_order():
    o = order(items=[], inspection=None, delivered_at=None)
    draft = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000, stars=5)
    assert draft.stars == fb.Rating(5, "set with --stars")
    assert draft.text == "Item received."
    assert draft.delivery_days is None


def test_a_failed_contact_caps_communication():
    notes = [
        note("2026-11-20T10:00:00Z", "me", kind="contact_sent"),
        note("2026-11-20T18:00:00Z", "seller"),
    ]
    assert fb.communication(notes, NOW).value == 5
    rating = fb.communication(notes, NOW, disputed=True)
    assert rating.value == 3 and "dispute" in rating.why


@pytest.mark.parametrize(
    ("ordered", "shipped", "value"),
    [
        ("2026-11-01", "2026-11-02", 5),  # 1 day against a typical 5
        ("2026-11-01", "2026-11-04", 5),  # 3 days: 0.6 x 5
        ("2026-11-01", "2026-11-05", 4),
        ("2026-11-01", "2026-11-06", 4),
        ("2026-11-01", "2026-11-11", 3),
        ("2026-11-01", "2026-11-12", 2),
    ],
)
def test_shipping_speed_is_how_fast_the_seller_dispatched(ordered, shipped, value):
    o = order(ordered_at=date.fromisoformat(ordered), shipped_at=date.fromisoformat(shipped))
    o.delivered_at = o.shipped_at + (date(2026, 12, 1) - date(2026, 11, 1))  # 30 days in transit
    draft = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000, handling_days=5)
    rating = draft.ratings["shipping_speed"]
    assert rating.value == value
    assert "delivery then took 30 days" in rating.why  # delivery time as context only


def test_ebay_form_positive_neutral_negative_and_four_ratings():
    keys = ("item_as_described", "communication", "shipping_time", "shipping_charges")
    o = order(inspection=inspection())
    draft = fb.draft_feedback(
        o, now=NOW, typical_days=7, max_chars=500, scale="pnn", rating_keys=keys
    )
    assert draft.overall == "positive" and tuple(draft.ratings) == keys
    assert draft.ratings["shipping_charges"].value == 5
    for stars, overall in ((5, "positive"), (4, "positive"), (3, "neutral"), (2, "negative")):
        assert (
            fb.draft_feedback(
                o,
                now=NOW,
                typical_days=7,
                max_chars=500,
                scale="pnn",
                rating_keys=keys,
                stars=stars,
            ).overall
            == overall
        )
    assert fb.draft_feedback(o, now=NOW, typical_days=7, max_chars=500).overall is None


def test_stars_change_the_text_consistently():
    o = order(
        inspection=inspection(reservations=["quality"], notes={"quality": "the hinge creaks"})
    )
    derived = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000)
    assert derived.stars.value == 4
    assert derived.text.startswith("Good, with a minor issue.")
    assert "Minor issue (workmanship): the hinge creaks." in derived.text
    five = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000, stars=5)
    assert five.text.startswith("Exactly as described.")
    assert "Minor issue" not in five.text and "creaks" not in five.text
    assert "well made" in five.text  # a check not complained about counts as passed
    three = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000, stars=3)
    assert three.text.startswith("Acceptable, with some issues.")
    assert "Minor issue (workmanship)" in three.text


def test_a_pass_with_a_note_is_a_pass():
    # no explicit reservation: the note is not a defect and is not quoted
    o = order(inspection=inspection(notes={"correct_item": "Model and colour match the snapshot"}))
    draft = fb.draft_feedback(o, now=NOW, typical_days=20, max_chars=1000)
    assert draft.stars.value == 5
    assert "Minor issue" not in draft.text and "snapshot" not in draft.text
    assert draft.text.startswith("Exactly as described.")
