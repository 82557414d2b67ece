"""Answers documents and files: every problem reported together, TOML and JSON alike."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from orderctl.domain.inspection.answers import Answer, CheckResult, answers_to_document
from orderctl.domain.inspection.templates import Checklist
from orderctl.errors import InvalidInput
from orderctl.services.inspection.answers_file import load_answers_file, parse_answers
from orderctl.services.inspection.checklists import load_checklists

DATA = Path(__file__).resolve().parent.parent / "data" / "answers"
GENERIC_IDS = (
    "package_condition",
    "correct_item",
    "quantity_complete",
    "description_match",
    "functionality",
    "quality",
)


@pytest.fixture(scope="module")
def generic() -> Checklist:
    return load_checklists(None)["generic"]


def all_pass(**overrides: object) -> dict:
    checks: dict = {cid: {"result": "pass"} for cid in GENERIC_IDS}
    checks.update(overrides)
    return {"checks": checks}


def problems(data: object, checklist: Checklist, base_dir: Path = DATA, **kw) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        parse_answers(data, base_dir=base_dir, checklist=checklist, **kw)
    return info.value.details


EXPECTED_COMPLETE = {
    "package_condition": Answer(
        "package_condition",
        CheckResult.PASS,
        "Box dented on one corner, item fine",
        (DATA / "videos/unboxing.mp4",),
    ),
    "correct_item": Answer("correct_item", CheckResult.PASS),
    "quantity_complete": Answer("quantity_complete", CheckResult.PASS, "ok"),
    "description_match": Answer("description_match", CheckResult.NA, "No specifications listed"),
    "functionality": Answer("functionality", CheckResult.PASS, "Works fine."),
    "quality": Answer(
        "quality",
        CheckResult.FAIL,
        "Deep scratch across the lid",
        (DATA / "photos/scratch.jpg", DATA / "photos/label.jpg"),
    ),
}


@pytest.mark.parametrize(
    "name", ["generic-complete.toml", "generic-complete.json", "generic-complete-noext"]
)
def test_complete_files_load_identically(generic, name):
    answers = load_answers_file(DATA / name, generic)
    assert answers == EXPECTED_COMPLETE
    assert list(answers) == list(GENERIC_IDS)  # checklist order, not file order


def test_answers_file_reports_every_problem_together(generic):
    with pytest.raises(InvalidInput) as info:
        load_answers_file(DATA / "generic-broken.toml", generic)
    missing = DATA / "photos" / "missing.jpg"
    assert info.value.details == [
        "colour: unknown field; expected checks, checklist, order_id",
        "checks.package_condition.evidence: expected a list of file paths, got a string",
        'checks.correct_item.result: "meh" is not one of pass, reservation, fail, na',
        "checks.quantity_complete.result: expected a string (pass, reservation, fail, na), "
        "got an integer",
        "checks.quantity_complete.note: expected a string, got a list",
        "checks.description_match.rating: unknown field; expected result, note, evidence",
        "checks.description_match.result: missing; expected one of pass, reservation, fail, na",
        f"checks.quality.evidence[1]: file not found: {missing}",
        "checks.quality.evidence[2]: expected a file path, got an integer",
        "checks.smell: unknown check; expected one of " + ", ".join(GENERIC_IDS),
        'checks.functionality: not answered; add result = "pass", "reservation", "fail" or "na"',
    ]
    assert info.value.message == "The inspection answers have 11 problems."


def test_top_level_problems(generic):
    assert problems([1, 2], generic) == [
        '(top level): expected a table with a "checks" table, got a list'
    ]
    assert problems({}, generic) == [
        "checks: missing; expected a table of answers keyed by check id"
    ]
    assert problems({"checks": []}, generic) == [
        "checks: expected a table keyed by check id, got a list"
    ]
    assert problems({**all_pass(), "checklist": "clothing", "order_id": None}, generic) == [
        'checklist: answers are for "clothing" but the inspection uses "generic"',
        "order_id: expected a string, got null",
    ]


def test_entry_that_is_not_a_table(generic):
    assert problems(all_pass(quality="pass"), generic) == [
        "checks.quality: expected a table with result, note, evidence, got a string"
    ]


def test_odd_keys_are_quoted(generic):
    assert problems(all_pass(**{"bad key\n": {}}), generic) == [
        'checks."bad key\\n": unknown check; expected one of ' + ", ".join(GENERIC_IDS)
    ]


def test_long_values_are_shortened(generic):
    (line,) = problems(all_pass(quality={"result": "x" * 500}), generic)
    assert (
        line == f'checks.quality.result: "{"x" * 57}..." is not one of pass, reservation, fail, na'
    )


def test_empty_and_unreadable_evidence(generic, tmp_path):
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"x")
    data = all_pass(quality={"result": "fail", "evidence": ["", "p.jpg"]})
    assert problems(data, generic, tmp_path, file_readable=lambda p: False) == [
        "checks.quality.evidence[0]: empty path",
        f"checks.quality.evidence[1]: file is not readable: {photo}",
    ]


def test_evidence_check_errors_become_problems(generic, tmp_path):
    def explode(path: Path) -> bool:
        raise PermissionError("denied")

    data = all_pass(quality={"result": "fail", "evidence": ["p.jpg"]})
    assert problems(data, generic, tmp_path, file_exists=explode) == [
        f"checks.quality.evidence[0]: cannot check {tmp_path / 'p.jpg'}: denied"
    ]


def test_relative_absolute_and_duplicate_evidence(generic, tmp_path):
    (tmp_path / "sub").mkdir()
    rel = tmp_path / "sub" / "a.jpg"
    rel.write_bytes(b"x")
    elsewhere = tmp_path / "b.mp4"
    elsewhere.write_bytes(b"x")
    data = all_pass(
        quality={"result": "fail", "evidence": ["sub/a.jpg", str(elsewhere), "sub/a.jpg"]}
    )
    answers = parse_answers(data, base_dir=tmp_path, checklist=generic)
    assert answers["quality"].evidence == (rel, elsewhere)


def test_results_are_case_insensitive_and_notes_trimmed(generic):
    data = all_pass(quality={"result": " Fail ", "note": "  scratched \n"})
    answers = parse_answers(data, base_dir=DATA, checklist=generic)
    assert answers["quality"] == Answer("quality", CheckResult.FAIL, "scratched")


def test_partial_documents_when_allowed(generic):
    answers = load_answers_file(DATA / "generic-partial.toml", generic, require_all=False)
    assert list(answers) == ["package_condition", "correct_item"]
    with pytest.raises(InvalidInput) as info:
        load_answers_file(DATA / "generic-partial.toml", generic)
    assert len(info.value.details) == 4
    assert all("not answered" in line for line in info.value.details)


def test_document_round_trip(generic):
    answers = load_answers_file(DATA / "generic-complete.toml", generic)
    doc = answers_to_document(answers, checklist="generic")
    text = json.dumps(doc)
    again = parse_answers(json.loads(text), base_dir=Path("/elsewhere"), checklist=generic)
    assert again == answers


def test_answer_accepts_plain_strings():
    assert Answer("q", "fail").result is CheckResult.FAIL
    with pytest.raises(ValueError):
        Answer("q", "meh")


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("broken-syntax.toml", "invalid TOML: Illegal character '\\n' (at line 2, column 15)"),
        (
            "broken-syntax.json",
            "invalid JSON: Expecting property name enclosed in double quotes "
            "(at line 3, column 34)",
        ),
    ],
)
def test_decode_errors_have_line_and_column(generic, name, error):
    with pytest.raises(InvalidInput) as info:
        load_answers_file(DATA / name, generic)
    assert info.value.message == f"Answers file {DATA / name} cannot be decoded: {error}"
    assert info.value.hint == "Answers files are TOML (.toml) or JSON (.json)."


def test_sniffed_file_reports_the_likely_format(generic, tmp_path):
    path = tmp_path / "answers"
    path.write_text('{"checks": }')
    with pytest.raises(InvalidInput) as info:
        load_answers_file(path, generic)
    assert "invalid JSON: Expecting value (at line 1, column 12)" in info.value.message
    assert "Name the file .toml or .json" in info.value.hint


def test_sniffed_toml_starting_with_a_table_header(generic, tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text(
        "".join(f'[checks.{cid}]\nresult = "pass"\n' for cid in GENERIC_IDS), encoding="utf-8"
    )
    assert len(load_answers_file(path, generic)) == len(GENERIC_IDS)


def test_json_duplicate_keys_are_refused(generic, tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"checks": {"quality": {"result": "pass", "result": "fail"}}}')
    with pytest.raises(InvalidInput) as info:
        load_answers_file(path, generic)
    assert 'key "result" appears twice in one object' in info.value.message


def test_missing_unreadable_and_binary_files(generic, tmp_path):
    with pytest.raises(InvalidInput, match="does not exist"):
        load_answers_file(tmp_path / "nope.toml", generic)
    with pytest.raises(InvalidInput, match="Cannot read answers file"):
        load_answers_file(tmp_path, generic)
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InvalidInput, match=r"not UTF-8 text \(bad byte at offset 0\)"):
        load_answers_file(binary, generic)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_unreadable_evidence_on_disk(generic, tmp_path):
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"x")
    photo.chmod(0)
    data = all_pass(quality={"result": "fail", "evidence": ["p.jpg"]})
    assert problems(data, generic, tmp_path) == [
        f"checks.quality.evidence[0]: file is not readable: {photo}"
    ]


def test_json_and_toml_bom_is_tolerated(generic, tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(all_pass()).encode())
    assert len(load_answers_file(path, generic)) == len(GENERIC_IDS)


def test_relative_answers_path_gives_absolute_evidence(generic, tmp_path, monkeypatch):
    folder = tmp_path / "parcel"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "s.jpg").write_bytes(b"x")
    checks = {cid: {"result": "pass"} for cid in GENERIC_IDS}
    checks["quality"] = {"result": "fail", "evidence": ["photos/s.jpg"]}
    (folder / "answers.json").write_text(json.dumps({"checks": checks}))
    monkeypatch.chdir(tmp_path)
    answers = load_answers_file(Path("parcel/answers.json"), generic)
    assert answers["quality"].evidence == (folder / "photos" / "s.jpg",)
    assert answers["quality"].evidence[0].is_absolute()
