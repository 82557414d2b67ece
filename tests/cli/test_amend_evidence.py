"""inspect --amend, evidence add/rm/list and note --detach: change evidence without a new walk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_inspect import (  # noqa: F401
    MUG,
    PASS,
    all_pass,
    book,
    interactive,
    write_answers,
)
from tests.helpers.images import make_jpeg


@pytest.fixture
def failed(cli, book, tmp_path):  # noqa: F811
    """MUG inspected with quality failed, without evidence."""
    path = write_answers(tmp_path / "a", all_pass(quality={"result": "fail", "note": "Chipped"}))
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"orderctl evidence add {MUG} quality FILE..." in " ".join(result.stdout.split())
    return path


def show(cli) -> dict:
    return cli("show", MUG, "--json").json()


def test_evidence_add_attaches_to_one_check_and_keeps_the_rest(cli, failed, tmp_path):
    one = make_jpeg(tmp_path / "chip.jpg")
    two = make_jpeg(tmp_path / "chip-close.jpg", color=(10, 200, 10))
    result = cli("evidence", "add", MUG, "quality", str(one), str(two), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["action"] == "added" and data["check_id"] == "quality"
    assert [f["name"] for f in data["files"]] == ["chip.jpg", "chip-close.jpg"]
    assert data["revision"] == 2
    shown = show(cli)
    quality = shown["inspection"]["checks"][5]
    assert quality["result"] == "fail" and quality["note"] == "Chipped"
    assert [e["name"] for e in quality["evidence"]] == ["chip.jpg", "chip-close.jpg"]
    assert shown["inspection"]["revision"] == 2
    assert [i["revision"] for i in shown["inspections"]] == [1]
    assert shown["inspections"][0]["checks"][5]["evidence"] == []  # history is kept as it was


def test_evidence_add_refuses_bad_input_and_writes_nothing(cli, failed, tmp_path):
    before = show(cli)
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a photo\n")
    bad = cli("evidence", "add", MUG, "quality", str(fake))
    assert bad.exit_code == 2
    assert "text/plain" in bad.stderr
    unknown = cli("evidence", "add", MUG, "smell", str(make_jpeg(tmp_path / "x.jpg")))
    assert unknown.exit_code == 2
    assert "no check 'smell'" in unknown.stderr and "quality" in unknown.stderr
    assert show(cli) == before
    assert cli("evidence", "add", "999", "quality", str(tmp_path / "x.jpg")).exit_code == 3


def test_evidence_add_needs_an_inspection(cli, book, tmp_path):  # noqa: F811
    result = cli("evidence", "add", MUG, "quality", str(make_jpeg(tmp_path / "x.jpg")))
    assert result.exit_code == 3
    assert f"orderctl inspect {MUG}" in result.stderr


def test_amend_with_a_partial_answers_file_keeps_notes_and_evidence(cli, failed, tmp_path):
    photo = make_jpeg(tmp_path / "chip.jpg")
    assert cli("evidence", "add", MUG, "quality", str(photo)).exit_code == 0
    change = write_answers(tmp_path / "b", {"quality": {"result": "pass"}}, name="change.toml")
    result = cli("inspect", MUG, "--amend", "--answers", str(change), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["revision"] == 3
    assert data["verdict"] == "pass" and data["reservations"] == []
    quality = data["checks"][5]
    assert quality["note"] == "Chipped"  # kept: the file did not give a note
    assert [e["name"] for e in quality["evidence"]] == ["chip.jpg"]  # kept, under its name
    assert len(show(cli)["inspections"]) == 2


def test_amend_without_an_inspection_exits_3(cli, book, tmp_path):  # noqa: F811
    change = write_answers(tmp_path / "b", {"quality": {"result": "pass"}})
    result = cli("inspect", MUG, "--amend", "--answers", str(change))
    assert result.exit_code == 3
    assert "no saved inspection" in result.stderr


def test_interactive_amend_starts_at_the_review(cli, failed, interactive, tmp_path):  # noqa: F811
    photo = make_jpeg(tmp_path / "chip.jpg")
    assert cli("evidence", "add", MUG, "quality", str(photo)).exit_code == 0
    # Review first (every answer kept), change check 6, keep note and evidence, save.
    keys = "c\n6\n" + "w\n\n\n" + "s\n"
    result = cli("inspect", MUG, "--amend", input=keys)
    assert result.exit_code == 0, result.stderr
    assert "Amending the last inspection" in result.stderr
    assert "Check 1/6" not in result.stderr  # nothing re-asked
    assert "chip.jpg" in result.stderr  # stored evidence is shown under its own name
    data = show(cli)["inspection"]
    assert data["revision"] == 3
    assert data["checks"][5]["result"] == "reservation"
    assert data["checks"][5]["note"] == "Chipped"
    assert [e["name"] for e in data["checks"][5]["evidence"]] == ["chip.jpg"]


def test_evidence_rm_and_note_detach(cli, failed, tmp_path, home: Path):
    photo = make_jpeg(tmp_path / "huge.jpg")
    assert cli("evidence", "add", MUG, "quality", str(photo)).exit_code == 0
    assert cli("note", MUG, "see photo", "--attach", str(photo)).exit_code == 0
    listed = cli("evidence", "list", MUG, "--json").json()
    assert len(listed) == 1 and len(listed[0]["used_by"]) == 2
    sha = listed[0]["sha256"]

    detached = cli("note", MUG, "--detach", "huge.jpg", "--json")
    assert detached.exit_code == 0, detached.stderr
    assert detached.json()["notes_changed"] == 1 and detached.json()["revision"] is None
    assert show(cli)["notes"][0]["attachments"] == []
    assert show(cli)["inspection"]["checks"][5]["evidence"][0]["sha256"] == sha

    ambiguous = cli("evidence", "rm", MUG, "zz-nothing")
    assert ambiguous.exit_code == 3
    removed = cli("evidence", "rm", MUG, sha[:10], "--purge", "--json")
    assert removed.exit_code == 0, removed.stderr
    data = removed.json()
    assert data["revision"] == 3 and data["files"][0]["name"] == "huge.jpg"
    assert sorted(data["purged"]) == [f"{sha}.jpg", f"{sha}.json"]
    assert cli("evidence", "list", MUG, "--json").json() == []
    assert not list((home / "evidence").rglob(f"{sha}*"))
    assert show(cli)["inspection"]["verdict"] == "fail"  # the verdict does not change


def test_evidence_rm_by_file_keeps_the_stored_copy_without_purge(cli, failed, tmp_path, home):
    photo = make_jpeg(tmp_path / "a.jpg")
    assert cli("evidence", "add", MUG, "quality", str(photo)).exit_code == 0
    result = cli("evidence", "rm", MUG, str(photo))
    assert result.exit_code == 0, result.stderr
    assert "Removed a.jpg" in result.stdout
    assert len(list((home / "evidence").rglob("*.jpg"))) == 1


def test_note_needs_text_or_detach(cli, book):  # noqa: F811
    result = cli("note", MUG)
    assert result.exit_code == 2
    assert "--detach" in result.stderr
    both = cli("note", MUG, "hello", "--detach", "abc")
    assert both.exit_code == 2


def test_documented_json_keys(cli, failed, tmp_path):
    from tests.test_json_docs import documented

    photo = make_jpeg(tmp_path / "p.jpg")
    added = cli("evidence", "add", MUG, "quality", str(photo), "--json").json()
    assert set(added) == documented("orderctl evidence add ORDER_ID CHECK FILE... --json")
    listed = cli("evidence", "list", MUG, "--json").json()
    assert set(listed[0]) == documented("orderctl evidence list ORDER_ID --json")


def test_amend_to_a_reservation_keeps_the_note(cli, failed, tmp_path):
    change = write_answers(tmp_path / "c", {"quality": {"result": "reservation"}})
    result = cli("inspect", MUG, "--amend", "--answers", str(change), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["reservations"] == ["quality"] and data["checks"][5]["note"] == "Chipped"
    # Without a note to keep, a reservation still needs one.
    blank = write_answers(tmp_path / "d", {"package_condition": {"result": "reservation"}})
    refused = cli("inspect", MUG, "--amend", "--answers", str(blank))
    assert refused.exit_code == 2
    assert "checks.package_condition.note: a reservation needs a note" in refused.stderr
