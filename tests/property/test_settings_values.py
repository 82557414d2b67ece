"""Config values from the command line: any text ends in a typed value or InvalidInput."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderctl.errors import InvalidInput
from orderctl.services.settings import (
    SCHEMA,
    check_value,
    dump,
    parse_value,
    set_path,
    unset_path,
    validate_document,
)

FAST = settings(max_examples=150, deadline=None)
texts = st.lists(st.text(max_size=30), min_size=0, max_size=4)


@pytest.mark.parametrize("setting", SCHEMA, ids=lambda s: s.key)
@FAST
@given(raw=texts)
def test_any_text_gives_a_checked_value_or_invalid_input(setting, raw):
    try:
        value = parse_value(setting, raw)
    except InvalidInput as exc:
        if setting.secret:  # a refused secret is never echoed back: one fixed message
            assert exc.message == f"Bad value for {setting.key}: the value is not valid"
        return
    assert check_value(setting, value) == value
    # What set writes, TOML reads back the same.
    doc: dict = {}
    set_path(doc, setting.key, value)
    assert tomllib.loads(dump(doc).decode()) == doc
    assert validate_document(doc) == []
    assert unset_path(doc, setting.key) and doc == {}


@FAST
@given(st.integers(min_value=1, max_value=10**6), st.booleans())
def test_numbers_and_booleans_round_trip(number, flag):
    by_key = {s.key: s for s in SCHEMA}
    assert parse_value(by_key["notify.stuck_days"], [str(number)]) == number
    assert parse_value(by_key["notify.digest"], [str(flag).lower()]) is flag
