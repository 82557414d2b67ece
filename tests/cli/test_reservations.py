"""Notes are notes: only an explicit "pass with reservation" lowers the feedback score."""

from __future__ import annotations

import pytest

from tests.cli.test_inspect import GENERIC, MUG, all_pass, book, write_answers  # noqa: F401


@pytest.fixture
def inspected(cli, book, tmp_path):  # noqa: F811
    def run(**checks):
        path = write_answers(tmp_path / "a", all_pass(**checks))
        result = cli("inspect", MUG, "--answers", str(path), "--json")
        assert result.exit_code == 0, result.stderr
        return result.json()

    return run


def feedback(cli) -> dict:
    assert cli("confirm", MUG, "--yes").exit_code == 0
    result = cli("feedback", MUG, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_a_positive_note_on_a_pass_is_not_a_minor_issue(cli, inspected):
    data = inspected(correct_item={"result": "pass", "note": "Model and colour match"})
    assert data["verdict"] == "pass"
    assert data["reservations"] == []
    drafted = feedback(cli)
    assert drafted["stars"] == 5
    assert "Minor issue" not in drafted["text"]


@pytest.mark.parametrize(
    "spelling", ["reservation", "pass with reservation", "Pass-With-Reservation"]
)
def test_an_explicit_reservation_costs_a_star(cli, inspected, spelling):
    data = inspected(quality={"result": spelling, "note": "Glaze uneven near the handle"})
    assert data["verdict"] == "pass"
    assert data["reservations"] == ["quality"]
    check = next(c for c in data["checks"] if c["id"] == "quality")
    assert check["result"] == "reservation"
    assert feedback(cli)["stars"] == 4


def test_a_reservation_without_a_note_is_refused(cli, book, tmp_path):  # noqa: F811
    path = write_answers(tmp_path / "a", all_pass(quality={"result": "reservation"}))
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 2
    assert "checks.quality.note: a reservation needs a note" in result.stderr


def test_the_summary_names_the_reservation(cli, book, tmp_path):  # noqa: F811
    path = write_answers(
        tmp_path / "a", all_pass(quality={"result": "reservation", "note": "small chip"})
    )
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    assert "pass with reservation" in result.stdout
    assert "(with reservation: Acceptable quality)" in result.stdout


def test_the_template_documents_the_reservation_value(cli):
    text = cli("checklists", "generic", "--template").stdout
    assert '"reservation" = pass with reservation' in text
