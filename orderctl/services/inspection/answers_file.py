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
import os
import stat
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from orderctl.domain.inspection.answers import (
    Answer,
    answers_format,
    answers_from_bytes,
    check_evidence_path,
    decode_answers_text,
    validate_answers,
)
from orderctl.domain.inspection.templates import Checklist
from orderctl.domain.wording import plural
from orderctl.errors import InvalidInput, OrderctlError
from orderctl.evidence.sniff import claimed_type, contradicts, sniff_file
from orderctl.evidence.store import check_regular_file

#: An answers file is a few KB; anything much larger is not one (``/dev/zero``, a video).
MAX_ANSWERS_BYTES = 1024 * 1024


def is_readable(path: Path) -> bool:
    """Whether this process may read ``path`` (the on-disk ``file_readable`` check)."""
    return os.access(path, os.R_OK)


#: :func:`~orderctl.domain.inspection.answers.validate_answers` against the real files
#: (``file_exists``/``file_readable`` may still be passed to override the checks).
parse_answers = partial(validate_answers, file_exists=Path.is_file, file_readable=is_readable)


def load_answers_file(
    path: Path,
    checklist: Checklist,
    *,
    require_all: bool = True,
    kept_notes: Mapping[str, str] | None = None,
) -> dict[str, Answer]:
    """Read and validate an answers file; evidence paths are relative to its folder."""
    return _answers_from_file(path, read_small_file(path), checklist, require_all, kept_notes)


def _answers_from_file(
    path: Path,
    raw: bytes,
    checklist: Checklist,
    require_all: bool,
    kept_notes: Mapping[str, str] | None,
) -> dict[str, Answer]:
    return answers_from_bytes(
        raw,
        str(path),
        # Absolute, so saved evidence paths keep working from any working directory.
        base_dir=path.absolute().parent,
        checklist=checklist,
        file_exists=Path.is_file,
        file_readable=is_readable,
        require_all=require_all,
        kept_notes=kept_notes,
    )


def read_small_file(path: Path) -> bytes:
    """The bytes of the answers file: a regular file of at most MAX_ANSWERS_BYTES.

    Opened non-blocking and checked on the open descriptor, so a FIFO never
    blocks and a swapped path cannot slip a device in.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as exc:
        raise InvalidInput(
            f"Answers file {path} does not exist.", hint="Check the path given to --answers."
        ) from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot read answers file {path}: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInput(
                f"Cannot read answers file {path}: not a regular file (device, pipe, folder)"
            )
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"Cannot read answers file {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(raw) > MAX_ANSWERS_BYTES:
        raise InvalidInput(f"Answers file {path} is larger than {MAX_ANSWERS_BYTES} bytes")
    return raw


def evidence_validator(
    base_dir: Path,
    file_exists: Callable[[Path], bool] = Path.is_file,
    file_readable: Callable[[Path], bool] = is_readable,
) -> Callable[[str], Path]:
    """A ``validate_path`` for the walk with the same rules and wording as answers files."""

    def validate(text: str) -> Path:
        path, problem = check_evidence_path(text, base_dir, file_exists, file_readable)
        if problem is not None:
            raise InvalidInput(problem)
        return path

    return validate


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
    by_rules = evidence_validator(base_dir)

    def validate(text: str) -> Path:
        path = by_rules(text)
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
    raw = read_small_file(path)
    try:
        answers = _answers_from_file(path, raw, checklist, require_all, kept_notes)
    except InvalidInput as exc:
        if not exc.details:  # the file itself is undecodable
            raise
        problems = list(exc.details)
    problems += _content_problems(path, raw, checklist)
    if problems:
        raise InvalidInput(
            f"The inspection answers in {path} have {plural(len(problems), 'problem')}; "
            "nothing was saved.",
            hint="Fix every listed line; paths are relative to the answers file's folder.",
            details=problems,
        )
    return answers


def _content_problems(path: Path, raw: bytes, checklist: Checklist) -> list[str]:
    """Content problems of every existing evidence file the document names, by location."""
    try:
        text = raw.decode("utf-8-sig")
        data = decode_answers_text(text, answers_format(str(path)), source=str(path))
    except (UnicodeDecodeError, OrderctlError):
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
            resolved, missing = check_evidence_path(
                item, base_dir, Path.is_file, is_readable, confine=True
            )
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
