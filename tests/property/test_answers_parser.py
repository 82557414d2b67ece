"""Property tests: answers parsing fails only with InvalidInput and accepts every good document."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderctl.domain.inspection.answers import (
    Answer,
    CheckResult,
    answers_to_document,
    decode_answers_text,
)
from orderctl.domain.inspection.templates import Checklist
from orderctl.errors import InvalidInput
from orderctl.services.inspection.answers_file import load_answers_file, parse_answers
from orderctl.services.inspection.checklists import load_checklists

CHECKLIST: Checklist = load_checklists(None)["electronics"]
IDS = CHECKLIST.ids
BASE = Path("/answers")
EXISTING = ("photo.jpg", "sub/video.mp4", "/abs/label.png", "~/unboxing.mov")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fake_exists(path: Path) -> bool:
    """Files named ok* or the EXISTING ones exist; everything else does not."""
    return path.name.startswith("ok") or path.name in {Path(e).name for e in EXISTING}


def always(path: Path) -> bool:
    return True


leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["pass", "fail", "na", "PASS", " na ", "ok.jpg", "", "\x00", "~"])
    | st.datetimes()
    | st.dates()
    | st.times()
)
keys = st.sampled_from([*IDS, "result", "note", "evidence", "checks", "checklist"]) | st.text(
    max_size=10
)
json_like = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)
entry_like = st.dictionaries(
    st.sampled_from(["result", "note", "evidence", "extra"]),
    json_like | st.lists(st.text(max_size=12) | json_like, max_size=3),
    max_size=4,
)
document_like = st.fixed_dictionaries(
    {"checks": st.dictionaries(st.sampled_from(IDS) | st.text(max_size=8), entry_like | json_like)},
    optional={
        "checklist": st.sampled_from(["electronics", "generic"]) | json_like,
        "order_id": json_like,
    },
)


@FAST
@given(data=json_like | document_like, require_all=st.booleans())
def test_parse_never_raises_anything_but_invalid_input(data, require_all):
    try:
        answers = parse_answers(
            data,
            base_dir=BASE,
            checklist=CHECKLIST,
            file_exists=fake_exists,
            file_readable=lambda p: not p.name.startswith("oknot"),
            require_all=require_all,
        )
    except InvalidInput as exc:
        assert exc.details, "every refusal names at least one problem"
        assert all(isinstance(line, str) and ": " in line for line in exc.details)
    else:
        assert set(answers) <= set(IDS)
        if require_all:
            assert list(answers) == list(IDS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=document_like)
def test_real_filesystem_checks_never_raise(data, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    with contextlib.suppress(InvalidInput):
        parse_answers(data, base_dir=base, checklist=CHECKLIST)


results = st.sampled_from(list(CheckResult)).flatmap(
    lambda r: st.sampled_from([r.value, r.value.upper(), f" {r.value.title()} "]).map(
        lambda text: (r, text)
    )
)
good_entry = st.fixed_dictionaries(
    {"result": results},
    optional={
        "note": st.text(max_size=40),
        "evidence": st.lists(st.sampled_from(EXISTING), max_size=4),
    },
).filter(  # a reservation needs a note saying what the minor issue is
    lambda e: e["result"][0] is not CheckResult.RESERVATION or e.get("note", "").strip()
)


@FAST
@given(entries=st.fixed_dictionaries({cid: good_entry for cid in IDS}), label=st.booleans())
def test_every_well_formed_document_is_accepted(entries, label):
    doc: dict = {"checks": {cid: {**e, "result": e["result"][1]} for cid, e in entries.items()}}
    if label:
        doc["checklist"] = "electronics"
        doc["order_id"] = "8123456789012345"
    answers = parse_answers(
        doc, base_dir=BASE, checklist=CHECKLIST, file_exists=fake_exists, file_readable=always
    )
    assert list(answers) == list(IDS)
    for cid, entry in entries.items():
        answer = answers[cid]
        assert answer.result is entry["result"][0]
        assert answer.note == entry.get("note", "").strip()
        names = [Path(e).name for e in entry.get("evidence", [])]
        assert [p.name for p in answer.evidence] == list(dict.fromkeys(names))
        assert all(p.is_absolute() for p in answer.evidence)
    # The saved form reads back to the same answers, from any folder.
    again = parse_answers(
        json.loads(json.dumps(answers_to_document(answers))),
        base_dir=Path("/elsewhere"),
        checklist=CHECKLIST,
        file_exists=fake_exists,
        file_readable=always,
    )
    assert again == answers


@FAST
@given(
    answers=st.lists(
        st.builds(
            Answer,
            check_id=st.sampled_from(IDS),
            result=st.sampled_from(list(CheckResult)),
            note=st.text(max_size=30).map(str.strip),
            evidence=st.lists(
                st.sampled_from([Path("/e/ok1.jpg"), Path("/e/ok2.mp4")]), max_size=2
            ).map(lambda ps: tuple(dict.fromkeys(ps))),
        ).filter(lambda a: a.result is not CheckResult.RESERVATION or a.note),
        max_size=len(IDS),
        unique_by=lambda a: a.check_id,
    )
)
def test_partial_round_trip(answers):
    by_id = {a.check_id: a for a in answers}
    doc = answers_to_document(by_id, checklist="electronics")
    parsed = parse_answers(
        doc,
        base_dir=BASE,
        checklist=CHECKLIST,
        file_exists=fake_exists,
        file_readable=always,
        require_all=False,
    )
    assert parsed == {cid: by_id[cid] for cid in IDS if cid in by_id}


@FAST
@given(text=st.text(max_size=200), fmt=st.sampled_from(["toml", "json", None]))
def test_decoding_any_text_fails_only_with_invalid_input(text, fmt):
    try:
        decode_answers_text(text, fmt, source="x")
    except InvalidInput as exc:
        assert "cannot be decoded" in exc.message


@pytest.mark.parametrize("suffix", [".toml", ".json", ""])
@settings(max_examples=80, deadline=None)
@given(payload=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_loading_any_file_fails_only_with_invalid_input(suffix, payload, tmp_path_factory):
    path = tmp_path_factory.getbasetemp() / f"answers{suffix}"
    path.write_bytes(payload)
    with contextlib.suppress(InvalidInput):
        load_answers_file(path, CHECKLIST)


def test_toml_dates_are_described_not_crashed_on():
    doc = {"checks": {"quality": {"result": dt.date(2024, 1, 2)}}}
    with pytest.raises(InvalidInput) as info:
        parse_answers(doc, base_dir=BASE, checklist=CHECKLIST, require_all=False)
    assert info.value.details == [
        "checks.quality.result: expected a string (pass, reservation, fail, na), got a date/time"
    ]
