"""The inspection use case with an injected prompter: walk, drafts, evidence, saving."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import Check, Checklist
from orderctl.errors import ExitCode, GuardrailRefused, InvalidInput, OrderctlError
from orderctl.services.context import AppContext
from orderctl.services.inspection import run as svc
from orderctl.services.inspection.answers_file import answers_template
from orderctl.services.inspection.checklists import get_checklist
from orderctl.services.orders.book import add_order, edit_order
from tests.helpers.images import make_jpeg

HUB = "8208460785972844"  # electronics
SHIRT = "3065355286098390"  # clothing
MUG = "1234567890"  # no category: generic
GENERIC = ("package_condition", "correct_item", "quantity_complete")
GENERIC += ("description_match", "functionality", "quality")


class FakePrompter:
    """Answers each check from ``answers`` (id -> (result, note, [paths])).

    ``stop_at`` raises KeyboardInterrupt (or returns "quit") when that check is
    shown; every shown check and every evidence refusal is logged.
    """

    def __init__(
        self,
        answers: Mapping[str, tuple[str, str, list[str]]] | None = None,
        *,
        default: tuple[str, str, list[str]] = ("pass", "", []),
        stop_at: str | None = None,
        stop_with: str = "interrupt",
    ):
        self.answers = dict(answers or {})
        self.default = default
        self.stop_at = stop_at
        self.stop_with = stop_with
        self.shown: list[tuple[str, int, int]] = []
        self.refusals: list[str] = []
        self.contexts: list[Mapping[str, Any]] = []
        self.reviews = 0

    def _answer(self, check: Check) -> tuple[str, str, list[str]]:
        return self.answers.get(check.id, self.default)

    def show_check(self, check, position, total, context, current) -> None:
        self.shown.append((check.id, position, total))
        self.contexts.append(context)

    def ask_result(self, check: Check, *, current: Answer | None, can_go_back: bool) -> str:
        if check.id == self.stop_at:
            if self.stop_with == "quit":
                return "quit"
            raise KeyboardInterrupt
        return self._answer(check)[0]

    def ask_note(self, check: Check, result: CheckResult, *, current: str) -> str:
        return self._answer(check)[1]

    def ask_evidence(
        self, check: Check, result: CheckResult, *, current: Sequence[str], problems: Sequence[str]
    ) -> list[str]:
        if problems:  # refused: record why and go on without the bad files
            self.refusals.extend(problems)
            return []
        return list(self._answer(check)[2])

    def confirm_review(self, checklist: Checklist, answers, unanswered) -> bool:
        self.reviews += 1
        return True

    def choose_check(self, checklist: Checklist, answers) -> str | None:
        return None


@pytest.fixture
def ctx(home: Path) -> AppContext:
    context = AppContext.from_env()
    add_order(
        context,
        HUB,
        {
            "title": "USB-C hub",
            "category": "electronics",
            "shipped": "2026-11-10",
            "url": "https://example.com/hub",
        },
    )
    add_order(context, SHIRT, {"title": "Linen shirt", "category": "Women's Clothing"})
    add_order(context, MUG, {"title": "Mug", "platform": "etsy"})
    return context


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    return make_jpeg(tmp_path / "scratch.jpg")


def run(ctx: AppContext, order_id: str, prompter: FakePrompter, **kw) -> svc.InspectionOutcome:
    return svc.run_inspection(ctx, order_id, prompter=prompter, **kw)


# --------------------------------------------------------------------------- checklist choice


def test_checklist_follows_the_category_and_the_option(ctx):
    assert svc.prepare_inspection(ctx, HUB).checklist.name == "electronics"
    assert svc.prepare_inspection(ctx, SHIRT).checklist.name == "clothing"
    assert svc.prepare_inspection(ctx, MUG).checklist.name == "generic"
    assert svc.prepare_inspection(ctx, HUB, checklist_name="Generic").checklist.name == "generic"
    with pytest.raises(InvalidInput) as exc:
        svc.prepare_inspection(ctx, HUB, checklist_name="furniture")
    assert "furniture" in exc.value.message


def test_user_template_from_the_checklists_dir(ctx):
    ctx.paths.checklists_dir.mkdir(parents=True)
    (ctx.paths.checklists_dir / "mugs.toml").write_text(
        'extends = "generic"\ndescription = "Mugs"\n[[checks]]\nid = "no_leak"\n'
        'question = "Does it hold water?"\nreason = "not_working"\n',
        encoding="utf-8",
    )
    plan = svc.prepare_inspection(ctx, MUG, checklist_name="mugs")
    assert plan.checklist.ids == (*GENERIC, "no_leak")
    assert plan.checklist.source.endswith("mugs.toml")


# --------------------------------------------------------------------------- walk and save


def test_interactive_pass_saves_everything_in_one_write(ctx, photo):
    prompter = FakePrompter({"quality": ("pass", "", [str(photo)])})
    writes = ctx.store.index_writes
    outcome = run(ctx, MUG, prompter)
    assert ctx.store.index_writes == writes + 1
    assert [s[0] for s in prompter.shown] == list(GENERIC)
    assert prompter.shown[0][1:] == (1, 6)
    assert prompter.contexts[0]["title"] == "Mug"
    assert prompter.reviews == 1
    saved = ctx.store.get(MUG)
    assert saved.state.value == "inspected"
    assert saved.inspection.to_dict() == outcome.inspection.to_dict()
    assert outcome.inspection.verdict == "pass"
    assert outcome.inspection.started_at == outcome.inspection.completed_at
    assert outcome.inspection.started_at == "2026-11-28T12:00:00Z"
    quality = outcome.inspection.checks[-1]
    assert quality.evidence[0].name == "scratch.jpg"
    assert quality.evidence[0].media_type == "image/jpeg"
    assert quality.evidence[0].size == photo.stat().st_size
    assert any("orderctl confirm 1234567890" in s for s in outcome.next_steps)
    assert saved.history[-1].event == "inspected"


def test_context_shows_the_listing(ctx):
    prompter = FakePrompter()
    run(ctx, HUB, prompter)
    context = prompter.contexts[0]
    assert context["url"] == "https://example.com/hub"
    assert context["items"][0]["title"] == "USB-C hub"
    assert context["checklist"] == "electronics"


def test_fail_verdict_reasons_and_next_steps(ctx, photo):
    prompter = FakePrompter(
        {
            "description_match": ("fail", "Chest 49 cm, chart says 56 cm", [str(photo)]),
            "quality": ("fail", "Loose threads", []),
            "functionality": ("na", "", []),
        }
    )
    outcome = run(ctx, SHIRT, prompter)
    ins = outcome.inspection
    assert ins.verdict == "fail"
    assert ins.checklist == "clothing"
    assert ins.failed == ("description_match", "quality")
    assert ins.suggested_reasons == ("not_as_described", "quality")
    steps = outcome.next_steps
    assert "quality" in steps[0] and "evidence" in steps[0]  # failed without evidence
    assert "orderctl contact 3065355286098390" in steps[1]
    assert "orderctl dispute 3065355286098390" in steps[2]
    assert "Item not as described (--reason not_as_described); Unsatisfactory quality" in steps[2]
    assert steps.index(steps[1]) < steps.index(steps[2])  # contact the seller first


def test_reservations_are_check_ids(ctx):
    prompter = FakePrompter({"quality": ("reservation", "Small chip on the rim", [])})
    outcome = run(ctx, MUG, prompter)
    assert outcome.inspection.verdict == "pass"
    assert outcome.inspection.reservations == ("quality",)
    assert "quality" in outcome.next_steps[0]
    check = outcome.inspection.check("quality")
    assert check is not None and check.result == "reservation"


def test_a_pass_with_a_note_is_a_pass_without_reservations(ctx):
    prompter = FakePrompter({"correct_item": ("pass", "Model and colour match the snapshot", [])})
    outcome = run(ctx, MUG, prompter)
    assert outcome.inspection.verdict == "pass"
    assert outcome.inspection.reservations == ()
    assert outcome.next_steps[0].startswith("Nothing failed")


# --------------------------------------------------------------------------- drafts


def test_interrupt_saves_a_draft_and_the_next_run_resumes(ctx, photo):
    first = FakePrompter(
        {"correct_item": ("fail", "Wrong colour", [str(photo)])}, stop_at="functionality"
    )
    with pytest.raises(svc.InspectionPaused) as exc:
        run(ctx, MUG, first)
    paused = exc.value
    assert (paused.answered, paused.total, paused.interrupted, paused.saved) == (4, 6, True, True)
    draft = ctx.store.details(MUG)["inspection_draft"]
    assert draft["checklist"] == "generic"
    assert draft["started_at"] == "2026-11-28T12:00:00Z"
    assert list(draft["answers"]["checks"]) == list(GENERIC[:4])
    assert draft["answers"]["checks"]["correct_item"]["evidence"] == [str(photo)]
    assert ctx.store.get(MUG).inspection is None
    assert not ctx.paths.evidence_dir.exists()  # evidence is copied only when saved

    later = AppContext.from_env({**os.environ, "ORDERCTL_NOW": "2026-11-29T08:00:00Z"})
    plan = svc.prepare_inspection(later, MUG)
    assert plan.resumed and plan.first_unanswered == 5
    second = FakePrompter()
    outcome = svc.run_inspection(later, MUG, prompter=second)
    assert [s[0] for s in second.shown] == ["functionality", "quality"]
    assert outcome.inspection.started_at == "2026-11-28T12:00:00Z"
    assert outcome.inspection.completed_at == "2026-11-29T08:00:00Z"
    assert outcome.inspection.failed == ("correct_item",)
    assert "inspection_draft" not in later.store.details(MUG)


def test_quit_keeps_a_draft_without_interrupt(ctx):
    with pytest.raises(svc.InspectionPaused) as exc:
        run(ctx, MUG, FakePrompter(stop_at="quality", stop_with="quit"))
    assert (exc.value.interrupted, exc.value.saved, exc.value.answered) == (False, True, 5)
    assert "inspection_draft" in ctx.store.details(MUG)


def test_interrupt_before_any_answer_writes_nothing(ctx):
    writes = ctx.store.index_writes
    with pytest.raises(svc.InspectionPaused) as exc:
        run(ctx, MUG, FakePrompter(stop_at="package_condition"))
    assert exc.value.saved is False
    assert ctx.store.index_writes == writes
    assert ctx.store.details(MUG) == {}


def test_draft_evidence_that_vanished_is_dropped_with_a_warning(ctx, photo):
    with pytest.raises(svc.InspectionPaused):
        run(
            ctx,
            MUG,
            FakePrompter({"package_condition": ("pass", "", [str(photo)])}, stop_at="quality"),
        )
    photo.unlink()
    plan = svc.prepare_inspection(ctx, MUG)
    assert plan.existing["package_condition"].evidence == ()
    assert any("is gone" in w for w in plan.warnings)


def test_explicit_other_checklist_does_not_resume_the_draft(ctx):
    with pytest.raises(svc.InspectionPaused):
        run(ctx, HUB, FakePrompter(stop_at="powers_on"))
    plan = svc.prepare_inspection(ctx, HUB, checklist_name="generic")
    assert not plan.resumed and plan.existing == {}
    assert any("replaced" in w for w in plan.warnings)
    assert svc.prepare_inspection(ctx, HUB).resumed  # without --checklist, the draft's


# --------------------------------------------------------------------------- evidence


def test_walk_refuses_evidence_whose_content_contradicts_its_name(ctx, tmp_path):
    fake = tmp_path / "photo.jpg"
    fake.write_text("not a photo at all\n", encoding="utf-8")
    prompter = FakePrompter({"quality": ("fail", "Scratched", [str(fake)])})
    outcome = run(ctx, MUG, prompter)
    assert len(prompter.refusals) == 1
    assert "image/jpeg" in prompter.refusals[0] and "text/plain" in prompter.refusals[0]
    assert outcome.inspection.checks[-1].evidence == ()


def test_same_photo_for_two_checks_is_stored_once(ctx, photo, tmp_path):
    copy = tmp_path / "copy-of-scratch.jpg"
    copy.write_bytes(photo.read_bytes())
    prompter = FakePrompter(
        {
            "package_condition": ("fail", "Crushed box", [str(photo)]),
            "quality": ("fail", "Scratch", [str(photo), str(copy)]),
        }
    )
    outcome = run(ctx, MUG, prompter)
    checks = {c.id: c for c in outcome.inspection.checks}
    sha = checks["package_condition"].evidence[0].sha256
    assert [e.sha256 for e in checks["quality"].evidence] == [sha]  # one entry per content
    folder = ctx.paths.evidence_dir / MUG
    assert sorted(p.name for p in folder.iterdir()) == [f"{sha}.jpg", f"{sha}.json"]
    assert photo.read_bytes() == (folder / f"{sha}.jpg").read_bytes()


def test_failed_save_removes_only_the_evidence_it_added(ctx, photo, tmp_path, monkeypatch):
    run(ctx, MUG, FakePrompter({"quality": ("pass", "", [str(photo)])}))
    folder = ctx.paths.evidence_dir / MUG
    before = sorted(p.name for p in folder.iterdir())
    other = make_jpeg(tmp_path / "other.jpg", color=(10, 200, 10))
    real_add = svc.add_evidence
    calls = []

    def flaky(root, order_id, src, *, now, **kwargs):
        calls.append(src)
        if len(calls) == 2:
            raise OrderctlError("disk trouble")
        return real_add(root, order_id, src, now=now, **kwargs)

    monkeypatch.setattr(svc, "add_evidence", flaky)
    stored = ctx.store.get(MUG).inspection
    with pytest.raises(OrderctlError, match="disk trouble"):
        run(ctx, MUG, FakePrompter({"quality": ("fail", "x", [str(other), str(photo)])}))
    assert sorted(p.name for p in folder.iterdir()) == before
    assert ctx.store.get(MUG).inspection == stored


# --------------------------------------------------------------------------- order rules


def test_reinspection_keeps_the_earlier_one_in_history(ctx):
    first = run(ctx, MUG, FakePrompter()).inspection
    second = run(ctx, MUG, FakePrompter({"quality": ("fail", "Crack", [])}))
    assert second.previous == 1
    assert ctx.store.details(MUG)["inspections"] == [first.to_dict()]
    assert ctx.store.get(MUG).inspection.verdict == "fail"
    run(ctx, MUG, FakePrompter())
    assert [i["verdict"] for i in ctx.store.details(MUG)["inspections"]] == ["pass", "fail"]


def test_not_delivered_warns_and_records_the_inspection_date(ctx):
    plan = svc.prepare_inspection(ctx, HUB)
    assert any("not delivered" in w for w in plan.warnings)
    run(ctx, HUB, FakePrompter())
    assert ctx.store.get(HUB).delivered_at.isoformat() == "2026-11-28"


def test_delivered_order_keeps_its_date_and_gets_no_warning(ctx):
    edit_order(ctx, HUB, {"delivered": "2026-11-25"})
    assert svc.prepare_inspection(ctx, HUB).warnings == []
    outcome = run(ctx, HUB, FakePrompter())
    assert outcome.warnings == []
    assert ctx.store.get(HUB).delivered_at.isoformat() == "2026-11-25"


@pytest.mark.parametrize("state", ["confirmed", "closed"])
def test_finished_orders_cannot_be_inspected(ctx, state):
    edit_order(ctx, MUG, {"delivered": "2026-11-20"})
    edit_order(ctx, MUG, {}, state=state)
    with pytest.raises(GuardrailRefused) as exc:
        run(ctx, MUG, FakePrompter())
    assert exc.value.exit_code == ExitCode.GUARDRAIL
    assert state in exc.value.message


def test_without_answers_or_prompter_it_refuses_with_a_hint(ctx):
    with pytest.raises(InvalidInput) as exc:
        svc.run_inspection(ctx, HUB)
    assert "--answers" in exc.value.message
    assert "orderctl checklists electronics --template" in exc.value.hint


def test_answers_template_lists_every_check(ctx):
    checklist = get_checklist(ctx, "clothing")
    text = answers_template(checklist)
    for check_id in checklist.ids:
        assert f"[checks.{check_id}]" in text
    import tomllib

    assert set(tomllib.loads(text)["checks"]) == set(checklist.ids)
