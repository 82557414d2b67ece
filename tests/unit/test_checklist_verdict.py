"""Verdict derivation: failed checks, ordered dispute reasons, reservations."""

from __future__ import annotations

from pathlib import Path

import pytest

from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import REASONS, Checklist
from orderctl.domain.inspection.verdict import Reservation, evaluate
from orderctl.services.inspection.checklists import load_checklists


@pytest.fixture(scope="module")
def electronics() -> Checklist:
    return load_checklists(None)["electronics"]


def answers(checklist: Checklist, **results: str | Answer) -> dict[str, Answer]:
    out = {cid: Answer(cid, CheckResult.PASS) for cid in checklist.ids}
    for cid, value in results.items():
        out[cid] = value if isinstance(value, Answer) else Answer(cid, CheckResult(value))
    return out


def test_all_pass(electronics):
    verdict = evaluate(electronics, answers(electronics))
    assert verdict.verdict == "pass"
    assert verdict.passed and verdict.complete
    assert verdict.failed == verdict.suggested_reasons == verdict.reservations == ()


def test_reasons_are_deduplicated_and_strongest_first(electronics):
    verdict = evaluate(
        electronics,
        answers(
            electronics,
            package_condition="fail",  # damaged
            quality="fail",  # quality
            powers_on="fail",  # not_working
            charges="fail",  # not_working again
            accessories_present="fail",  # missing_parts
            description_match="na",
        ),
    )
    assert verdict.verdict == "fail"
    # Failed checks keep checklist order; reasons follow REASONS order.
    assert verdict.failed == (
        "package_condition",
        "accessories_present",
        "powers_on",
        "charges",
        "quality",
    )
    assert verdict.suggested_reasons == ("missing_parts", "not_working", "damaged", "quality")
    assert verdict.not_applicable == ("description_match",)
    assert verdict.failed_without_evidence == verdict.failed


def test_reason_order_is_the_documented_one():
    assert REASONS == (
        "wrong_item",
        "missing_parts",
        "not_working",
        "damaged",
        "not_as_described",
        "quality",
    )


def test_failures_with_evidence_are_not_flagged(electronics):
    failed = Answer("quality", CheckResult.FAIL, "scratch", (Path("/e/scratch.jpg"),))
    verdict = evaluate(electronics, answers(electronics, quality=failed))
    assert verdict.failed == ("quality",)
    assert verdict.failed_without_evidence == ()


def test_only_an_explicit_reservation_is_a_reservation(electronics):
    given = answers(
        electronics,
        quality=Answer("quality", CheckResult.RESERVATION, "Small glue mark under the lid"),
        charges=Answer("charges", CheckResult.PASS, "All good :)"),
        correct_item=Answer("correct_item", CheckResult.PASS, "Model and colour match"),
        functionality=Answer("functionality", CheckResult.PASS, "slightly smaller than expected"),
        description_match=Answer("description_match", CheckResult.NA, "odd listing"),
        powers_on=Answer("powers_on", CheckResult.FAIL, "dead on arrival"),
    )
    verdict = evaluate(electronics, given)
    assert verdict.reservations == (Reservation("quality", "Small glue mark under the lid"),)
    assert verdict.failed == ("powers_on",)


@pytest.mark.parametrize(
    "note",
    ["", "OK!", "Model and colour match the snapshot", "ok but the cable is short", "smells"],
)
def test_a_pass_with_any_note_is_a_plain_pass(electronics, note):
    given = answers(electronics, quality=Answer("quality", CheckResult.PASS, note))
    verdict = evaluate(electronics, given)
    assert verdict.verdict == "pass"
    assert verdict.reservations == ()


def test_a_reservation_is_still_a_pass(electronics):
    given = answers(electronics, quality=Answer("quality", CheckResult.RESERVATION, "glue mark"))
    verdict = evaluate(electronics, given)
    assert verdict.passed and verdict.failed == ()
    assert CheckResult.RESERVATION.passed and CheckResult.PASS.passed
    assert not CheckResult.FAIL.passed
    assert CheckResult.RESERVATION.label == "pass with reservation"


def test_unanswered_checks_make_an_incomplete_pass(electronics):
    given = answers(electronics)
    del given["charges"], given["quality"]
    verdict = evaluate(electronics, given)
    assert verdict.verdict == "pass"
    assert not verdict.complete
    assert verdict.unanswered == ("charges", "quality")


def test_answers_outside_the_checklist_are_ignored(electronics):
    given = answers(electronics, stray=Answer("stray", CheckResult.FAIL))
    assert evaluate(electronics, given).verdict == "pass"


def test_to_dict(electronics):
    given = answers(
        electronics,
        correct_item="fail",
        quality=Answer("quality", CheckResult.RESERVATION, "tiny scratch"),
    )
    assert evaluate(electronics, given).to_dict() == {
        "verdict": "fail",
        "complete": True,
        "failed": ["correct_item"],
        "suggested_reasons": ["wrong_item"],
        "reservations": [{"check_id": "quality", "note": "tiny scratch"}],
        "unanswered": [],
        "not_applicable": [],
        "failed_without_evidence": ["correct_item"],
    }
