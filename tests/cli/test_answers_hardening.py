"""Issue 9 case 12 for answers files: a path given by a file stays in the file's folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.test_inspect import MUG, all_pass, book, photo_in, snapshot, write_answers

__all__ = ["book"]  # the fixture, re-exported for pytest


@pytest.mark.parametrize(
    "evidence",
    ["../../../../../etc/passwd", "/etc/passwd", "../outside.jpg", "sub/../../outside.jpg"],
)
def test_case12_answers_evidence_outside_its_folder_is_refused(
    cli, book, home: Path, tmp_path: Path, evidence: str
):
    photo_in(tmp_path, "outside.jpg")
    folder = tmp_path / "answers"
    path = write_answers(folder, all_pass(quality={"result": "fail", "evidence": [evidence]}))
    before = snapshot(home)
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "checks.quality.evidence[0]" in result.stderr
    assert "outside the answers file's folder" in result.stderr
    assert snapshot(home) == before
    assert not (home / "evidence").exists()


def test_case12_answers_evidence_through_a_folder_link_is_refused(
    cli, book, home: Path, tmp_path: Path
):
    photo_in(tmp_path / "elsewhere", "photo.jpg")
    folder = tmp_path / "answers"
    folder.mkdir()
    os.symlink(tmp_path / "elsewhere", folder / "linked")
    path = write_answers(
        folder, all_pass(quality={"result": "fail", "evidence": ["linked/photo.jpg"]})
    )
    result = cli("inspect", MUG, "--answers", str(path))
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert not (home / "evidence").exists()


def test_case12_answers_evidence_in_a_subfolder_is_fine(cli, book, tmp_path: Path):
    folder = tmp_path / "answers"
    photo_in(folder / "photos", "box.jpg")
    path = write_answers(
        folder, all_pass(quality={"result": "fail", "evidence": ["photos/box.jpg"]})
    )
    result = cli("inspect", MUG, "--answers", str(path), "--json")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_case11_answers_file_that_is_a_device_or_fifo_is_refused(cli, book, tmp_path, target):
    if target == "fifo":
        target = str(tmp_path / "answers.fifo")
        os.mkfifo(target)
    result = cli("inspect", MUG, "--answers", target)
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
