"""The interactive walk, driven by a scripted prompter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import Check, Checklist
from orderctl.domain.inspection.walk import Prompter, WalkInterrupted, WalkResult, walk_checklist
from orderctl.errors import InvalidInput
from orderctl.services.inspection.answers_file import evidence_validator


def make_checklist(*ids: str) -> Checklist:
    checks = tuple(Check(id=i, question=f"{i}?", reason="quality") for i in ids)
    return Checklist("test", "for tests", checks)


ABC = make_checklist("a", "b", "c")
CONTEXT = {"order_id": "8100000000000001", "title": "USB cable"}


class Scripted:
    """A prompter that replays ``script`` — (method, reply) pairs in the expected order.

    A reply that is an exception is raised instead; every call is logged, and a
    call that does not match the script fails the test.
    """

    def __init__(self, *script: tuple[str, Any]):
        self.script = list(script)
        self.log: list[tuple[str, Any]] = []

    def _next(self, method: str, detail: Any) -> Any:
        self.log.append((method, detail))
        assert self.script, f"unexpected call {method}({detail!r}) after the script ended"
        expected, reply = self.script.pop(0)
        assert expected == method, f"expected {expected}, got {method}({detail!r})"
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def show_check(
        self,
        check: Check,
        position: int,
        total: int,
        context: Mapping[str, Any],
        current: Answer | None,
    ) -> None:
        assert context is CONTEXT
        self.log.append(("show", (check.id, position, total, current and current.result.value)))

    def ask_result(self, check: Check, *, current: Answer | None, can_go_back: bool) -> str:
        return self._next("result", (check.id, can_go_back))

    def ask_note(self, check: Check, result: CheckResult, *, current: str) -> str:
        return self._next("note", (check.id, result.value, current))

    def ask_evidence(
        self,
        check: Check,
        result: CheckResult,
        *,
        current: Sequence[str],
        problems: Sequence[str],
    ) -> list[str]:
        return self._next("evidence", (check.id, list(current), list(problems)))

    def confirm_review(
        self, checklist: Checklist, answers: Mapping[str, Answer], unanswered: Sequence[str]
    ) -> bool:
        return self._next("review", (list(answers), list(unanswered)))

    def choose_check(self, checklist: Checklist, answers: Mapping[str, Answer]) -> str | None:
        return self._next("choose", list(answers))

    def shown(self) -> list[str]:
        return [detail[0] for method, detail in self.log if method == "show"]

    def done(self) -> None:
        assert not self.script, f"script not used up: {self.script}"


def ok(check_id: str) -> list[tuple[str, Any]]:
    """Script for a plain pass with no note and no evidence."""
    return [("result", "pass"), ("note", ""), ("evidence", [])]


def accept_any(text: str) -> Path:
    return Path("/evidence") / text


def run(
    prompter: Scripted,
    checklist: Checklist = ABC,
    existing: dict[str, Answer] | None = None,
    validate=accept_any,
) -> WalkResult:
    result = walk_checklist(
        checklist, prompter, existing=existing or {}, validate_path=validate, context=CONTEXT
    )
    prompter.done()
    return result


def test_scripted_prompter_satisfies_the_protocol():
    prompter: Prompter = Scripted()
    assert prompter is not None


def test_straight_through_with_notes_and_evidence():
    p = Scripted(
        *ok("a"),
        ("result", "fail"),
        ("note", "  torn seam "),
        ("evidence", ["photo.jpg", " ", "photo.jpg", "video.mp4"]),
        ("result", "na"),
        ("note", "no buttons"),
        ("review", True),
    )
    result = run(p)
    assert result.completed
    assert result.answers == {
        "a": Answer("a", CheckResult.PASS),
        "b": Answer(
            "b",
            CheckResult.FAIL,
            "torn seam",
            (Path("/evidence/photo.jpg"), Path("/evidence/video.mp4")),
        ),
        "c": Answer("c", CheckResult.NA, "no buttons"),  # no evidence asked for n/a
    }
    assert p.shown() == ["a", "b", "c"]
    assert ("show", ("b", 2, 3, None)) in p.log
    assert ("result", ("a", False)) in p.log and ("result", ("b", True)) in p.log
    assert p.log[-1] == ("review", (["a", "b", "c"], []))


def test_skip_leaves_a_check_unanswered_and_review_lists_it():
    p = Scripted(*ok("a"), ("result", "skip"), *ok("c"), ("review", True))
    result = run(p)
    assert list(result.answers) == ["a", "c"]
    assert not result.completed
    assert p.log[-1] == ("review", (["a", "c"], ["b"]))


def test_back_revisits_the_previous_check_with_its_answer_as_default():
    p = Scripted(
        *ok("a"),
        ("result", "back"),  # on b
        ("result", "fail"),  # a again
        ("note", "actually broken"),
        ("evidence", ["x.jpg"]),
        *ok("b"),
        *ok("c"),
        ("review", True),
    )
    result = run(p)
    assert p.shown() == ["a", "b", "a", "b", "c"]
    assert ("show", ("a", 1, 3, "pass")) in p.log
    assert ("note", ("a", "fail", "")) in p.log
    assert result.answers["a"] == Answer(
        "a", CheckResult.FAIL, "actually broken", (Path("/evidence/x.jpg"),)
    )
    assert result.completed


def test_back_on_the_first_check_stays_there():
    p = Scripted(("result", "back"), *ok("a"), *ok("b"), *ok("c"), ("review", True))
    run(p)
    assert p.shown() == ["a", "a", "b", "c"]


def test_review_early_then_continue_with_the_unanswered_ones():
    p = Scripted(
        *ok("a"),
        ("result", "review"),
        ("review", False),
        ("choose", None),  # continue: first unanswered
        *ok("b"),
        *ok("c"),
        ("review", True),
    )
    result = run(p)
    assert result.completed
    assert p.shown() == ["a", "b", "b", "c"]
    assert ("review", (["a"], ["b", "c"])) in p.log


def test_review_refused_then_one_check_changed():
    p = Scripted(
        *ok("a"),
        *ok("b"),
        *ok("c"),
        ("review", False),
        ("choose", "b"),
        ("result", "fail"),
        ("note", "loose"),
        ("evidence", []),
        ("review", True),  # straight back to review: nothing else is unanswered
    )
    result = run(p)
    assert result.answers["b"].result is CheckResult.FAIL
    assert result.completed
    assert p.shown() == ["a", "b", "c", "b"]


def test_review_refused_with_everything_answered_and_no_choice_starts_over():
    p = Scripted(*ok("a"), *ok("b"), *ok("c"), ("review", False), ("choose", None))
    p.script += [("result", "quit")]
    result = run(p)
    assert p.shown()[-1] == "a"
    assert not result.completed
    assert len(result.answers) == 3


def test_quit_keeps_answers_without_review():
    p = Scripted(*ok("a"), ("result", "QUIT"))
    result = run(p)
    assert result == WalkResult({"a": Answer("a", CheckResult.PASS)}, completed=False)


def test_invalid_evidence_is_reasked_with_the_reasons():
    def validate(text: str) -> Path:
        if text.startswith("missing"):
            raise InvalidInput(f"file not found: /x/{text}")
        if text == "weird":
            raise ValueError("embedded null byte")
        return Path("/x") / text

    p = Scripted(
        ("result", "fail"),
        ("note", "scratched"),
        ("evidence", ["good.jpg", "missing.jpg", "weird"]),
        ("evidence", ["good.jpg", "other.jpg"]),
        *ok("b"),
        *ok("c"),
        ("review", True),
    )
    result = run(p, validate=validate)
    assert p.log[4] == (
        "evidence",
        (
            "a",
            ["good.jpg", "missing.jpg", "weird"],
            ["missing.jpg: file not found: /x/missing.jpg", "weird: embedded null byte"],
        ),
    )
    assert result.answers["a"].evidence == (Path("/x/good.jpg"), Path("/x/other.jpg"))


def test_ctrl_c_carries_the_answers_so_far():
    p = Scripted(*ok("a"), ("result", "fail"), ("note", KeyboardInterrupt()))
    with pytest.raises(WalkInterrupted) as info:
        run(p)
    assert info.value.answers == {"a": Answer("a", CheckResult.PASS)}
    assert isinstance(info.value, KeyboardInterrupt)


def test_end_of_input_is_an_interruption_too():
    p = Scripted(("result", EOFError()))
    with pytest.raises(WalkInterrupted) as info:
        run(p, existing={"z": Answer("z", CheckResult.PASS)})
    assert info.value.answers == {}  # answers to ids outside the checklist are dropped


def test_resume_after_interrupt_starts_at_the_first_unanswered_check():
    first = Scripted(*ok("a"), ("result", KeyboardInterrupt()))
    with pytest.raises(WalkInterrupted) as info:
        run(first)
    second = Scripted(*ok("b"), *ok("c"), ("review", True))
    result = run(second, existing=info.value.answers)
    assert second.shown() == ["b", "c"]
    assert result.completed
    assert list(result.answers) == ["a", "b", "c"]


def test_resume_skips_answered_checks_further_on():
    existing = {"b": Answer("b", CheckResult.FAIL, "bent")}
    p = Scripted(*ok("a"), *ok("c"), ("review", True))
    result = run(p, existing=existing)
    assert p.shown() == ["a", "c"]
    assert result.answers["b"] == existing["b"]


def test_fully_answered_goes_straight_to_review():
    existing = {cid: Answer(cid, CheckResult.PASS) for cid in "abc"}
    p = Scripted(("review", True))
    result = run(p, existing=existing)
    assert result.completed and p.shown() == []


def test_editing_keeps_previous_note_and_evidence_as_defaults():
    existing = {
        cid: Answer(cid, CheckResult.FAIL, "old note", (Path("/e/1.jpg"),)) for cid in "abc"
    }
    p = Scripted(
        ("review", False),
        ("choose", "c"),
        ("result", "fail"),
        ("note", "old note"),
        ("evidence", ["/e/1.jpg"]),
        ("review", True),
    )
    run(p, existing=existing)
    assert ("note", ("c", "fail", "old note")) in p.log
    assert ("evidence", ("c", ["/e/1.jpg"], [])) in p.log


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action 'maybe'"):
        run(Scripted(("result", "maybe")))


def test_evidence_validator_uses_answers_file_rules(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"x")
    validate = evidence_validator(tmp_path)
    assert validate("a.jpg") == tmp_path / "a.jpg"
    with pytest.raises(InvalidInput, match="file not found"):
        validate("b.jpg")
    with pytest.raises(InvalidInput, match="not readable"):
        evidence_validator(tmp_path, file_readable=lambda p: False)("a.jpg")
