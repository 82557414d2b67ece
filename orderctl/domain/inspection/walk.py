"""The interactive checklist walk, as pure logic over an injected prompter.

The walk decides the order of questions and what each answer means; the
prompter (Rich prompts in the CLI, a scripted fake in tests) only shows and
asks. That keeps every branch — skip, back, review, resume, Ctrl-C — testable
without a terminal.

Flow: start at the first unanswered check (so a rerun resumes where the buyer
stopped), ask for a result, then a note, then evidence files for pass/fail.
After a check, move to the next unanswered check after it; when none is left,
show the review. From the review the buyer saves, or picks a check to change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import Check, Checklist
from orderctl.errors import OrderctlError


class Action(StrEnum):
    """What :meth:`Prompter.ask_result` may return."""

    PASS = "pass"
    RESERVATION = "reservation"  # pass with reservation: a minor issue that costs a star
    FAIL = "fail"
    NA = "na"
    SKIP = "skip"  # leave this check as it is (unanswered or not) and go on
    BACK = "back"  # the previous check in checklist order
    REVIEW = "review"  # jump to the review of all answers
    QUIT = "quit"  # stop now, keeping the answers so far (not completed)


class Prompter(Protocol):
    """How the walk talks to the buyer. Raising KeyboardInterrupt or EOFError stops the walk."""

    def show_check(
        self,
        check: Check,
        position: int,
        total: int,
        context: Mapping[str, Any],
        current: Answer | None,
    ) -> None:
        """Present a check: ``position`` is 1-based; ``current`` is its earlier answer."""

    def ask_result(self, check: Check, *, current: Answer | None, can_go_back: bool) -> str:
        """Return one of the Action values (pass, reservation, fail, na, skip, back, review,
        quit)."""
        ...

    def ask_note(self, check: Check, result: CheckResult, *, current: str) -> str:
        """A free-text note; for a fail, what is wrong (each difference on its own line);
        for a reservation, the minor issue (the walk asks again while it is empty)."""
        ...

    def ask_evidence(
        self,
        check: Check,
        result: CheckResult,
        *,
        current: Sequence[str],
        problems: Sequence[str],
    ) -> list[str]:
        """File paths backing the answer (asked unless n/a; may return [] for a pass).

        ``problems`` is non-empty when the previous list was refused: one line per
        bad path with the reason; ``current`` is then that previous list.
        """
        ...

    def confirm_review(
        self, checklist: Checklist, answers: Mapping[str, Answer], unanswered: Sequence[str]
    ) -> bool:
        """Show every answer; True saves, False goes on to :meth:`choose_check`."""
        ...

    def choose_check(self, checklist: Checklist, answers: Mapping[str, Answer]) -> str | None:
        """After a refused review: the check id to change, or None for the first unanswered."""
        ...


@dataclass(frozen=True)
class WalkResult:
    """The answers in checklist order; ``completed`` means every check answered and saved."""

    answers: dict[str, Answer]
    completed: bool


class WalkInterrupted(KeyboardInterrupt):
    """Ctrl-C (or end of input) during the walk, carrying the answers given so far.

    A KeyboardInterrupt subclass, so code that does not know about it still
    treats it as Ctrl-C, and ``except Exception`` cannot swallow it.
    """

    def __init__(self, answers: dict[str, Answer]):
        super().__init__(f"inspection interrupted after {len(answers)} answer(s)")
        self.answers = answers


def walk_checklist(
    checklist: Checklist,
    prompter: Prompter,
    *,
    existing: Mapping[str, Answer],
    validate_path: Callable[[str], Path],
    context: Mapping[str, Any],
) -> WalkResult:
    """Walk the buyer through ``checklist``, resuming after the ``existing`` answers.

    ``validate_path`` turns an entered path into a Path or raises (OrderctlError,
    ValueError or OSError) with the reason, which is shown when re-asking.
    Answers to ids not in the checklist are dropped. Raises WalkInterrupted on
    KeyboardInterrupt/EOFError; ValueError if the prompter returns an unknown action.
    """
    walk = _Walk(checklist, prompter, validate_path, context)
    walk.answers.update({cid: existing[cid] for cid in checklist.ids if cid in existing})
    try:
        return walk.run()
    except (KeyboardInterrupt, EOFError) as exc:
        raise WalkInterrupted(walk.ordered()) from exc


class _Walk:
    """The walk's state: answers given so far and the current position."""

    def __init__(
        self,
        checklist: Checklist,
        prompter: Prompter,
        validate_path: Callable[[str], Path],
        context: Mapping[str, Any],
    ):
        self.checklist = checklist
        self.ids = checklist.ids
        self.prompter = prompter
        self.validate_path = validate_path
        self.context = context
        self.answers: dict[str, Answer] = {}

    def ordered(self) -> dict[str, Answer]:
        return {cid: self.answers[cid] for cid in self.ids if cid in self.answers}

    def unanswered(self) -> list[str]:
        return [cid for cid in self.ids if cid not in self.answers]

    def next_unanswered(self, start: int) -> int:
        """Index of the first unanswered check at or after ``start``; len(ids) means review."""
        for i in range(start, len(self.ids)):
            if self.ids[i] not in self.answers:
                return i
        return len(self.ids)

    def run(self) -> WalkResult:
        pos = self.next_unanswered(0)
        total = len(self.ids)
        while True:
            if pos >= total:
                review = self.review()
                if isinstance(review, WalkResult):
                    return review
                pos = review
                continue
            check = self.checklist.checks[pos]
            current = self.answers.get(check.id)
            self.prompter.show_check(check, pos + 1, total, self.context, current)
            raw = self.prompter.ask_result(check, current=current, can_go_back=pos > 0)
            try:
                action = Action(str(raw).strip().lower())
            except ValueError:
                raise ValueError(f"prompter returned unknown action {raw!r}") from None
            if action is Action.QUIT:
                return WalkResult(self.ordered(), completed=False)
            if action is Action.REVIEW:
                pos = total
            elif action is Action.BACK:
                pos = max(pos - 1, 0)
            elif action is Action.SKIP:
                pos = self.next_unanswered(pos + 1)
            else:
                self.answers[check.id] = self.answer(check, CheckResult(action.value), current)
                pos = self.next_unanswered(pos + 1)

    def review(self) -> WalkResult | int:
        """Save (a WalkResult) or the index of the check to change."""
        answers = self.ordered()
        unanswered = self.unanswered()
        if self.prompter.confirm_review(self.checklist, answers, unanswered):
            return WalkResult(answers, completed=not unanswered)
        target = self.prompter.choose_check(self.checklist, answers)
        if target in self.ids:
            return self.ids.index(target)
        return self.next_unanswered(0) if unanswered else 0

    def answer(self, check: Check, result: CheckResult, current: Answer | None) -> Answer:
        note = self.prompter.ask_note(check, result, current=current.note if current else "")
        while result is CheckResult.RESERVATION and not note.strip():
            note = self.prompter.ask_note(check, result, current="")
        evidence: tuple[Path, ...] = ()
        if result is not CheckResult.NA:
            evidence = self.ask_evidence(check, result, current)
        return Answer(check.id, result, note.strip(), evidence)

    def ask_evidence(
        self, check: Check, result: CheckResult, current: Answer | None
    ) -> tuple[Path, ...]:
        """Ask until every entered path is valid; a refused list is re-asked with the reasons."""
        entered = [str(p) for p in current.evidence] if current else []
        problems: list[str] = []
        while True:
            raw = self.prompter.ask_evidence(check, result, current=entered, problems=problems)
            paths: list[Path] = []
            problems = []
            for text in raw:
                text = text.strip()
                if not text:
                    continue
                try:
                    path = self.validate_path(text)
                except OrderctlError as exc:
                    problems.append(f"{text}: {exc.message}")
                except (ValueError, OSError) as exc:
                    problems.append(f"{text}: {exc}")
                else:
                    if path not in paths:
                        paths.append(path)
            if not problems:
                return tuple(paths)
            entered = list(raw)
