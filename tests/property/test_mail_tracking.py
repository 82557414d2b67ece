"""Property tests for the tracking-number finder over noisy text."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from orderctl.domain.mail import recognise
from orderctl.domain.mail.message import parse_message
from orderctl.domain.mail.tracking import find_tracking_numbers

VECTORS = json.loads(
    (Path(__file__).parent.parent / "data" / "tracking-number-vectors.json").read_text("utf-8")
)
# Valid numbers with a verified check digit or a specific shape (from the MIT-licensed vectors).
NUMBERS = {
    "1Z5R89390357567127": "ups",
    "1Z879E930346834440": "ups",
    "986578788855": "fedex",
    "9400111201080805483016": "usps",
    "RB123456785GB": "royal-mail",
    "YT2229521272164446": "yunexpress",
    "TBA502887274000": "amazon",
}
assert all(any(n in str(v) for v in VECTORS["couriers"].values()) for n in ("1Z5R89390357567127",))

noise_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèñąłś", min_size=1, max_size=9)
noise = st.lists(noise_word, max_size=30).map(" ".join)
label = st.sampled_from(
    [
        "Tracking number:",
        "Sendungsnummer:",
        "Numéro de suivi :",
        "Número de seguimiento:",
        "Numero di tracciamento:",
        "Numer przesyłki:",
        "Código de rastreio:",
        "",
    ]
)


def _spaced(number: str, cuts: list[int]) -> str:
    """Split ``number`` by spaces at the given positions (as mails print it for reading)."""
    positions = sorted({c % len(number) for c in cuts if c % len(number) > 0})[:6]
    parts, last = [], 0
    for p in positions:
        parts.append(number[last:p])
        last = p
    parts.append(number[last:])
    return " ".join(parts)


@settings(max_examples=200, deadline=None)
@given(
    before=noise,
    after=noise,
    number=st.sampled_from(sorted(NUMBERS)),
    cuts=st.lists(st.integers(1, 40), max_size=6),
    prefix=label,
)
def test_a_labelled_or_strong_number_is_found_in_noise(before, after, number, cuts, prefix):
    shown = _spaced(number, cuts) if prefix else number
    text = f"{before}\n{prefix} {shown}\n{after}"
    hits = {h.number: h.carrier for h in find_tracking_numbers(text)}
    assert hits.get(number) == NUMBERS[number]


@settings(max_examples=150, deadline=None)
@given(number=st.sampled_from(sorted(NUMBERS)), words=noise)
def test_a_number_in_a_carrier_link_is_found(number, words):
    link = f"https://www.ups.com/track?loc=en_US&tracknum={number}"
    hits = find_tracking_numbers(words, [link])
    assert [h.number for h in hits][:1] == [number]
    assert hits[0].carrier == "ups"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.lists(st.text(max_size=80), max_size=4))
def test_the_finder_never_raises(text, links):
    for hit in find_tracking_numbers(text, links):
        assert 8 <= len(hit.number) <= 40


@settings(max_examples=100, deadline=None)
@given(noise)
def test_plain_words_give_no_numbers(text):
    assert find_tracking_numbers(text) == []


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_recognise_never_raises_on_arbitrary_bytes(data):
    raw = b"From: x@aliexpress.com\r\nSubject: Order shipped\r\n\r\n" + data
    recognise(parse_message(raw))
