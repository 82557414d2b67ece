"""Answers that come from a file (``inspect --answers FILE``) and the evidence paths they name.

Split from :mod:`orderctl.services.inspection.run` because validating a
buyer-written document is its own job: every problem (structure, ids, results,
missing files and evidence whose content contradicts its name) is reported at
once, before anything is copied, so a bad file refuses the whole inspection
instead of leaving half of its evidence stored. The same path rules back the
interactive walk's validator, and the template here is what the buyer fills in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from orderctl.domain.checklist import (
    Answer,
    Checklist,
    check_evidence_path,
    decode_answers_text,
    load_answers_file,
)
from orderctl.errors import InvalidInput, OrderctlError
from orderctl.evidence.sniff import claimed_type, contradicts, sniff_file
from orderctl.evidence.store import check_regular_file


def evidence_problem(path: Path) -> str | None:
    """Why ``path`` cannot be kept as evidence, or None (the evidence store's own rules).

    Checked before anything is copied so that a bad file refuses the whole
    inspection instead of leaving half of its evidence stored.
    """
    try:
        check_regular_file(path)
        media_type = sniff_file(path)
    except InvalidInput as exc:
        return exc.message
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if contradicts(path.name, media_type):
        return (
            f"{path} is named like {claimed_type(path.name)} but its content is {media_type}; "
            "check that this is the file you meant"
        )
    return None


def evidence_path_validator(base_dir: Path) -> Callable[[str], Path]:
    """The walk's ``validate_path``: answers-file rules plus the content checks above."""

    def validate(text: str) -> Path:
        path, problem = check_evidence_path(text, base_dir)
        if problem is None:
            problem = evidence_problem(path)
        if problem is not None:
            raise InvalidInput(problem)
        return path

    return validate


def read_answers_file(
    path: Path,
    checklist: Checklist,
    *,
    require_all: bool = True,
    kept_notes: Mapping[str, str] | None = None,
) -> dict[str, Answer]:
    """Answers from ``--answers FILE``; every problem in one InvalidInput (exit 2).

    The domain parser reports structure, ids, results and missing files; this
    adds the evidence-content problems (a ``.jpg`` that is text, a symlink, an
    empty file) to the same list, each at its ``checks.<id>.evidence[i]``.
    """
    problems: list[str] = []
    answers: dict[str, Answer] = {}
    try:
        answers = load_answers_file(path, checklist, require_all=require_all, kept_notes=kept_notes)
    except InvalidInput as exc:
        if not exc.details:  # the file itself is unreadable or undecodable
            raise
        problems = list(exc.details)
    problems += _content_problems(path, checklist)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InvalidInput(
            f"The inspection answers in {path} have {len(problems)} {noun}; nothing was saved.",
            hint="Fix every listed line; paths are relative to the answers file's folder.",
            details=problems,
        )
    return answers


def _content_problems(path: Path, checklist: Checklist) -> list[str]:
    """Content problems of every existing evidence file the document names, by location."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        suffix = path.suffix.lower()
        fmt = suffix[1:] if suffix in (".toml", ".json") else None
        data = decode_answers_text(text, fmt, source=str(path))
    except (OSError, UnicodeDecodeError, OrderctlError):
        return []
    checks = data.get("checks") if isinstance(data, dict) else None
    if not isinstance(checks, dict):
        return []
    base_dir = path.absolute().parent
    problems: list[str] = []
    for check_id in checklist.ids:
        entry = checks.get(check_id)
        evidence = entry.get("evidence") if isinstance(entry, dict) else None
        if not isinstance(evidence, list):
            continue
        for i, item in enumerate(evidence):
            if not isinstance(item, str):
                continue
            resolved, missing = check_evidence_path(item, base_dir, confine=True)
            if missing is not None:
                continue
            problem = _escapes_by_link(resolved, base_dir) or evidence_problem(resolved)
            if problem is not None:
                problems.append(f"checks.{check_id}.evidence[{i}]: {problem}")
    return problems


def _escapes_by_link(path: Path, base_dir: Path) -> str | None:
    """A path inside the folder on paper that a symbolic link leads out of it."""
    try:
        path.resolve().relative_to(base_dir.resolve())
    except ValueError:
        return f"{path} leads outside the answers file's folder through a symbolic link"
    except OSError as exc:
        return f"cannot check {path}: {exc.strerror or exc}"
    return None


def answers_hint(checklist: str) -> str:
    return (
        f"Pass --answers FILE (TOML or JSON); start from `orderctl checklists {checklist} "
        "--template > answers.toml`, or run it in a terminal to be asked."
    )


def answers_template(checklist: Checklist) -> str:
    """A TOML answers file to fill in, each check with its question as a comment."""
    lines = [
        f"# Answers for the {checklist.name!r} checklist: orderctl inspect ORDER_ID "
        "--answers THIS_FILE",
        '# result = "pass", "fail" or "na"; evidence paths are relative to this file.',
        '# "reservation" = pass with reservation: a minor issue (the note, required) that',
        "# costs a star in feedback. A note on a plain pass does not change the pass.",
        f"checklist = {json.dumps(checklist.name)}",
    ]
    for check in checklist.checks:
        lines += [
            "",
            f"# {check.label}: {check.question}",
            f"# Evidence if it fails: {check.evidence}" if check.evidence else "#",
            f"[checks.{check.id}]",
            'result = ""',
            'note = ""',
            "evidence = []",
        ]
    return "\n".join(lines) + "\n"
