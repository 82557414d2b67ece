"""`orderctl inspect` and `orderctl checklists` through the real CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from orderctl.services.context import AppContext
from tests.helpers.errors import json_error
from tests.helpers.images import make_jpeg

HUB = "8208460785972844"  # electronics, shipped
MUG = "1234567890"  # no category: generic checklist
GENERIC = ["package_condition", "correct_item", "quantity_complete"]
GENERIC += ["description_match", "functionality", "quality"]
INSPECTION_KEYS = {
    "verdict",
    "checklist",
    "started_at",
    "completed_at",
    "checks",
    "suggested_reasons",
    "failed",
    "reservations",
    "revision",
}
PASS = "p\n\n\n"  # result, empty note, no evidence


@pytest.fixture
def book(cli):
    for args in (
        [
            "add",
            HUB,
            "--title",
            "USB-C hub",
            "--category",
            "electronics",
            "--shipped",
            "2026-11-10",
            "--url",
            "https://example.com/hub",
        ],
        ["add", MUG, "--title", "Ceramic mug", "--platform", "etsy", "--delivered", "2026-11-20"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr


@pytest.fixture
def interactive(monkeypatch):
    """Pretend a person is at the terminal, so CliRunner input= answers the prompts."""
    monkeypatch.setattr("orderctl.cli.output.is_interactive", lambda: True)


def write_answers(folder: Path, checks: dict, name: str = "answers.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps({"checks": checks}), encoding="utf-8")
    else:
        lines = []
        for check_id, entry in checks.items():
            lines.append(f"[checks.{check_id}]")
            lines += [f"{key} = {json.dumps(value)}" for key, value in entry.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def all_pass(**overrides) -> dict:
    checks = {check_id: {"result": "pass"} for check_id in GENERIC}
    checks.update(overrides)
    return checks


def photo_in(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return make_jpeg(folder / name)


def snapshot(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file()
        and "backups" not in p.parts
        and "cache" not in p.parts  # derived data that reads may refresh
        and not p.name.endswith(".lock")
    }


# --------------------------------------------------------------------------- answers files


def test_answers_file_pass_json_contract(cli, book, tmp_path):
    photo_in(tmp_path / "answers", "box.jpg")
    path = write_answers(
        tmp_path / "answers",
        all_pass(package_condition={"result": "pass", "evidence": ["box.jpg"]}),
    )
    result = cli("inspect", MUG, "--answers", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # delivered: nothing to warn about
    data = result.json()
    assert set(data) == INSPECTION_KEYS
    assert data["verdict"] == "pass"
    assert data["checklist"] == "generic"
    assert data["started_at"] == data["completed_at"] == "2026-11-28T12:00:00Z"
    assert [c["id"] for c in data["checks"]] == GENERIC
    assert all(set(c) == {"id", "result", "note", "evidence"} for c in data["checks"])
    evidence = data["checks"][0]["evidence"]
    assert len(evidence) == 1
    assert set(evidence[0]) == {"sha256", "name", "media_type", "size"}
    assert evidence[0]["name"] == "box.jpg" and evidence[0]["media_type"] == "image/jpeg"
    assert len(evidence[0]["sha256"]) == 64
    assert (data["failed"], data["suggested_reasons"], data["reservations"]) == ([], [], [])

    shown = cli("show", MUG, "--json").json()
    assert shown["inspection"] == data
    assert shown["state"] == "inspected"
    assert shown["inspections"] == []


def test_answers_file_fail_human_output_ends_with_next_steps(cli, book, tmp_path):
    photo_in(tmp_path / "a", "scratch.jpg")
    checks = all_pass(
        quality={"result": "fail", "note": "Deep scratch", "evidence": ["scratch.jpg"]},
        functionality={"result": "NA"},
    )
    path = write_answers(tmp_path / "a", checks, name="answers.toml")
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Deep scratch" in result.stdout and "scratch.jpg" in result.stdout
    assert (
        "Verdict: fail (failed: Acceptable quality; "
        "suggested dispute reasons: Unsatisfactory quality)" in result.stdout
    )
    last = [line.strip() for line in result.stdout.strip().splitlines()][-4:]
    text = " ".join(last)
    assert text.index(f"orderctl contact {MUG}") < text.index(f"orderctl dispute {MUG}")
    assert "Deep scratch" not in result.stderr
    data = cli("show", MUG, "--json").json()["inspection"]
    assert data["failed"] == ["quality"] and data["suggested_reasons"] == ["quality"]
    assert data["checks"][4]["result"] == "na"


def test_every_problem_is_reported_together_and_nothing_is_saved(cli, book, tmp_path, home):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "fake.jpg").write_text("I am text, not a photo\n", encoding="utf-8")
    checks = all_pass(
        quality={"result": "broken"},
        package_condition={"result": "pass", "evidence": ["missing.jpg"]},
        correct_item={"result": "fail", "evidence": ["fake.jpg"]},
        wobbly={"result": "pass"},
    )
    del checks["functionality"]
    path = write_answers(folder, checks)
    before = snapshot(home)
    started = time.monotonic()
    result = cli("inspect", MUG, "--answers", str(path))
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert "5 problems; nothing was saved" in err
    assert "checks.quality.result" in err and '"broken"' in err
    assert "checks.package_condition.evidence[0]: file not found" in err
    assert "checks.correct_item.evidence[0]" in err and "text/plain" in err
    assert "checks.wobbly: unknown check" in err
    assert "checks.functionality: not answered" in err
    assert snapshot(home) == before
    assert not (home / "evidence").exists()


def test_text_named_jpg_is_refused_naming_the_path(cli, book, tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "photo.jpg").write_text("hello\n", encoding="utf-8")
    path = write_answers(folder, all_pass(quality={"result": "fail", "evidence": ["photo.jpg"]}))
    result = cli("inspect", MUG, "--answers", str(path), "--json")
    assert result.exit_code == 2
    assert str(folder / "photo.jpg") in json_error(result)["details"][0]
    assert str(folder / "photo.jpg") in result.stderr
    assert "image/jpeg" in result.stderr and "text/plain" in result.stderr


def test_undecodable_answers_file_is_exit_2(cli, book, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text("checks = [", encoding="utf-8")
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 2
    assert "invalid TOML" in result.stderr
    assert cli("inspect", MUG, "--answers", str(tmp_path / "nope.json")).exit_code == 2


def test_same_photo_for_two_checks_is_stored_once(cli, book, tmp_path, home):
    photo = photo_in(tmp_path / "a", "p.jpg")
    (tmp_path / "a" / "p-copy.jpg").write_bytes(photo.read_bytes())
    checks = all_pass(
        package_condition={"result": "fail", "evidence": ["p.jpg"]},
        quality={"result": "fail", "evidence": ["p.jpg", "p-copy.jpg"]},
    )
    result = cli("inspect", MUG, "--answers", str(write_answers(tmp_path / "a", checks)), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    sha = data["checks"][0]["evidence"][0]["sha256"]
    assert [e["sha256"] for e in data["checks"][5]["evidence"]] == [sha]
    stored = sorted(p.name for p in (home / "evidence" / MUG).iterdir())
    assert stored == [f"{sha}.jpg", f"{sha}.json"]
    assert photo.exists()  # the original is left where it was


def test_reinspection_keeps_history(cli, book, tmp_path):
    ok = write_answers(tmp_path / "1", all_pass())
    bad = write_answers(tmp_path / "2", all_pass(quality={"result": "fail", "note": "crack"}))
    first = cli("inspect", MUG, "--answers", str(ok), "--json").json()
    second = cli("inspect", MUG, "--answers", str(bad))
    assert second.exit_code == 0
    assert "Earlier inspections kept in the history: 1" in second.stdout
    shown = cli("show", MUG, "--json").json()
    assert shown["inspections"] == [first]
    assert shown["inspection"]["verdict"] == "fail"


def test_not_delivered_warns_on_stderr_and_sets_the_delivery_date(cli, book, tmp_path):
    checks = {cid: {"result": "pass"} for cid in _ids(cli, "electronics")}
    result = cli("inspect", HUB, "--answers", str(write_answers(tmp_path, checks)), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("Warning:") == 1
    assert "not delivered according to tracking" in result.stderr
    assert result.json()["checklist"] == "electronics"
    shown = cli("show", HUB, "--json").json()
    assert shown["delivered_at"] == "2026-11-28"
    assert shown["state"] == "inspected"


def test_checklist_option_overrides_the_category(cli, book, tmp_path):
    path = write_answers(tmp_path, all_pass())
    result = cli("inspect", HUB, "--checklist", "generic", "--answers", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["checklist"] == "generic"
    assert cli("inspect", HUB, "--checklist", "sofa", "--answers", str(path)).exit_code == 2


def test_confirmed_order_is_refused_with_exit_6(cli, book, tmp_path):
    assert cli("edit", MUG, "--state", "confirmed").exit_code == 0
    result = cli("inspect", MUG, "--answers", str(write_answers(tmp_path, all_pass())))
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "is confirmed; it can no longer be inspected" in result.stderr
    assert f"orderctl dispute {MUG}" in result.stderr


def test_unknown_order_is_exit_3(cli, book):
    result = cli("inspect", "999")
    assert result.exit_code == 3
    assert result.stdout == ""


# --------------------------------------------------------------------------- no terminal


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_without_a_terminal_it_refuses_at_once(cli, book, extra):
    started = time.monotonic()
    result = cli("inspect", HUB, *extra, input="p\n" * 50)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    if extra:
        assert "--answers FILE" in json_error(result)["message"]
    else:
        assert result.stdout == ""
    assert "--answers FILE" in result.stderr
    assert "orderctl checklists electronics --template" in result.stderr


def test_no_input_refuses_even_on_a_terminal(cli, book, interactive):
    result = cli("--no-input", "inspect", MUG, input=PASS * 6 + "s\n")
    assert result.exit_code == 2
    assert cli("show", MUG, "--json").json()["inspection"] is None


# --------------------------------------------------------------------------- interactive


def test_interactive_walk_through_cli_input(cli, book, interactive, tmp_path):
    photo = make_jpeg(tmp_path / "scratch.jpg")
    fail = f"f\nDeep scratch on the lid\nGlue marks\n\n{photo}\n\n"
    keys = PASS * 4 + "na\n\n" + fail + "s\n"
    result = cli("inspect", MUG, input=keys)
    assert result.exit_code == 0, result.stderr
    assert "Check 1/6: Parcel and item undamaged" in result.stderr
    assert "How to check:" in result.stderr and "Evidence if it fails:" in result.stderr
    assert "Ceramic mug" in result.stderr
    assert "Verdict: fail" in result.stdout
    assert "Check 1/6" not in result.stdout  # prompts stay on stderr
    data = cli("show", MUG, "--json").json()["inspection"]
    quality = data["checks"][5]
    assert quality["note"] == "Deep scratch on the lid\nGlue marks"
    assert quality["evidence"][0]["name"] == "scratch.jpg"
    assert data["checks"][4]["result"] == "na"


def test_interactive_help_back_and_change_from_review(cli, book, interactive):
    keys = (
        "?\n"  # help
        "b\n"  # cannot go back from the first check
        + PASS  # package_condition
        + "b\n"  # back to package_condition
        + "f\nDented\n\n\n"  # now it fails, without evidence
        + PASS * 5
        + "c\n1\n"  # change check 1 from the review
        + "\n\n\n"  # Enter keeps fail, the note and the (no) evidence
        + "s\n"
    )
    result = cli("inspect", MUG, input=keys)
    assert result.exit_code == 0, result.stderr
    assert "This is the first check." in result.stderr
    assert "skip for now" in result.stderr  # the help text
    data = cli("show", MUG, "--json").json()["inspection"]
    assert data["failed"] == ["package_condition"]
    assert data["checks"][0]["note"] == "Dented"


def test_interactive_evidence_refusal_is_reasked(cli, book, interactive, tmp_path):
    fake = tmp_path / "fake.jpg"
    fake.write_text("text\n", encoding="utf-8")
    keys = PASS * 5 + f"f\nBroken\n\n{fake}\n{tmp_path / 'missing.jpg'}\n\n\n" + "s\n"
    result = cli("inspect", MUG, input=keys)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("refused:") == 2
    assert "text/plain" in result.stderr and "file not found" in result.stderr
    assert cli("show", MUG, "--json").json()["inspection"]["checks"][5]["evidence"] == []


def test_interrupt_keeps_a_draft_and_the_next_run_resumes(cli, book, interactive, home):
    result = cli("inspect", MUG, input=PASS + "f\nWrong colour\n\n\n")  # then end of input
    assert result.exit_code == 130
    assert result.stdout == ""
    assert "2 of 6 checks answered, kept as a draft" in result.stderr
    assert f"orderctl inspect {MUG}" in result.stderr
    details = AppContext.from_env().store.details(MUG)
    draft = details["inspection_draft"]
    assert draft["checklist"] == "generic"
    assert list(draft["answers"]["checks"]) == GENERIC[:2]
    assert cli("show", MUG, "--json").json()["inspection"] is None

    again = cli("inspect", MUG, input=PASS * 4 + "s\n")
    assert again.exit_code == 0, again.stderr
    assert "Resuming the draft" in again.stderr
    assert "2 of 6 checks answered; continuing at check 3" in again.stderr
    assert "Check 1/6" not in again.stderr
    data = cli("show", MUG, "--json").json()["inspection"]
    assert data["failed"] == ["correct_item"]
    assert "inspection_draft" not in AppContext.from_env().store.details(MUG)


def test_quit_keeps_a_draft_and_exits_0(cli, book, interactive):
    result = cli("inspect", MUG, input=PASS + "q\n")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Stopped: 1 of 6 checks answered, kept as a draft" in result.stderr


# --------------------------------------------------------------------------- checklists


def _ids(cli, name: str) -> list[str]:
    result = cli("checklists", name, "--json")
    assert result.exit_code == 0, result.stderr
    return [c["id"] for c in result.json()["checks"]]


def test_checklists_list(cli):
    result = cli("checklists", "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in result.json()}
    assert set(rows) == {"generic", "electronics", "clothing"}
    assert set(rows["generic"]) == {
        "name",
        "description",
        "extends",
        "source",
        "check_count",
        "check_ids",
    }
    assert rows["generic"]["check_count"] == 6
    assert rows["electronics"]["extends"] == "generic"
    human = cli("checklists")
    assert human.exit_code == 0
    assert "electronics" in human.stdout and "package:clothing.toml" in human.stdout
    assert "checklists" in human.stderr  # where to add your own


def test_checklists_show_one(cli):
    result = cli("checklists", "clothing", "--json")
    data = result.json()
    assert set(data) == {"name", "description", "extends", "source", "checks"}
    measurements = next(c for c in data["checks"] if c["id"] == "measurements")
    assert set(measurements) == {"id", "title", "question", "guidance", "evidence", "reason"}
    human = cli("checklists", "clothing")
    assert "Measurements match the size chart (measurements)" in human.stdout
    assert "How to check:" in human.stdout and "not_as_described" in human.stdout


def test_checklists_user_template(cli, home):
    (home / "checklists").mkdir(parents=True)
    (home / "checklists" / "generic.toml").write_text(
        'extends = "generic"\n[[checks]]\nid = "quality"\nguidance = "Sniff it."\n',
        encoding="utf-8",
    )
    rows = {r["name"]: r for r in cli("checklists", "--json").json()}
    assert rows["generic"]["source"].endswith("generic.toml")
    assert not rows["generic"]["source"].startswith("package:")
    assert "Sniff it." in cli("checklists", "generic").stdout


def test_checklists_template_round_trip(cli, book, tmp_path):
    template = cli("checklists", "generic", "--template")
    assert template.exit_code == 0
    text = template.stdout.replace('result = ""', 'result = "pass"')
    path = tmp_path / "filled.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("inspect", MUG, "--answers", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["verdict"] == "pass"


def test_checklists_errors(cli):
    assert cli("checklists", "sofa").exit_code == 2
    result = cli("checklists", "--template")
    assert result.exit_code == 2
    assert "NAME" in result.stderr


def test_answers_file_replaces_a_draft(cli, book, interactive, tmp_path):
    assert cli("inspect", MUG, input=PASS).exit_code == 130
    assert "inspection_draft" in AppContext.from_env().store.details(MUG)
    result = cli("inspect", MUG, "--answers", str(write_answers(tmp_path, all_pass())))
    assert result.exit_code == 0, result.stderr
    assert "inspection_draft" not in AppContext.from_env().store.details(MUG)
