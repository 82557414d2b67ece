"""Inspection answers: the ``--answers FILE`` document and its validation.

The document (TOML or JSON) is the non-interactive twin of the checklist walk::

    [checks.package_condition]
    result = "pass"                       # pass | reservation | fail | na (case-insensitive)
    note = "box dented, item fine"        # optional; a note on a pass stays a pass
    evidence = ["unboxing.mp4"]           # optional; relative to the file's folder

``result = "reservation"`` (also written ``"pass with reservation"``) is a pass
that should cost the seller a star: the check is not failed, but its note is
a minor issue the feedback mentions. It needs a note saying what the issue
is. A plain ``pass`` with a note is a pass: notes are notes.

Top-level ``checklist`` and ``order_id`` are accepted as labels (a ``checklist``
that differs from the one in use is a problem, since its ids would not match).

Validation collects every problem before failing, so a buyer fixes the file in
one pass instead of one error per run; any input, however malformed, ends in
InvalidInput and never in another exception.
"""

from __future__ import annotations

import contextlib
import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Any

from orderctl.domain.inspection._describe import key_part, show, type_name
from orderctl.domain.inspection.templates import Checklist
from orderctl.domain.wording import plural
from orderctl.errors import InvalidInput


class CheckResult(StrEnum):
    """The outcome of one check; ``na`` is for checks that do not apply to the item.

    ``reservation`` is "pass with reservation": not a failure, but a minor issue
    (its note) that lowers the feedback score. Only this result makes one.
    """

    PASS = "pass"
    RESERVATION = "reservation"
    FAIL = "fail"
    NA = "na"

    @property
    def passed(self) -> bool:
        """A pass, with or without a reservation."""
        return self in (CheckResult.PASS, CheckResult.RESERVATION)

    @property
    def label(self) -> str:
        """How a person reads the result."""
        return _LABELS[self]


_LABELS = {
    CheckResult.PASS: "pass",
    CheckResult.RESERVATION: "pass with reservation",
    CheckResult.FAIL: "fail",
    CheckResult.NA: "n/a",
}
RESULTS = tuple(r.value for r in CheckResult)
#: Other spellings accepted in an answers file, after lowercasing; "-" and "_" read as spaces.
RESULT_ALIASES = {"pass with reservation": CheckResult.RESERVATION}
ANSWER_FIELDS = ("result", "note", "evidence")
DOCUMENT_FIELDS = ("checks", "checklist", "order_id")


@dataclass(frozen=True)
class Answer:
    """The buyer's answer to one check, with the files that back it up."""

    check_id: str
    result: CheckResult
    note: str = ""
    evidence: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "result", CheckResult(self.result))

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result.value,
            "note": self.note,
            "evidence": [str(p) for p in self.evidence],
        }


def answers_to_document(
    answers: Mapping[str, Answer], *, checklist: str | None = None
) -> dict[str, Any]:
    """The answers as a document :func:`validate_answers` reads back unchanged.

    Used to save progress and to print a template; evidence paths are written
    as held (absolute after parsing), so the document does not depend on where
    it is saved.
    """
    doc: dict[str, Any] = {}
    if checklist is not None:
        doc["checklist"] = checklist
    doc["checks"] = {check_id: answer.to_dict() for check_id, answer in answers.items()}
    return doc


def validate_answers(
    data: object,
    *,
    base_dir: Path,
    checklist: Checklist,
    file_exists: Callable[[Path], bool],
    file_readable: Callable[[Path], bool],
    require_all: bool = True,
    kept_notes: Mapping[str, str] | None = None,
    confine: bool = False,
) -> dict[str, Answer]:
    """Validate a decoded answers document against ``checklist``.

    ``file_exists`` and ``file_readable`` answer for each evidence path (the
    services pass the real file checks, drafts pass ``lambda _p: True``).

    ``confine=True`` (a document read from a file) refuses evidence paths that
    leave ``base_dir``: a path given by a file is only trusted inside its folder.

    Returns answers keyed by check id, in checklist order, with evidence paths
    resolved against ``base_dir`` (pass an absolute one to get absolute paths).
    ``require_all=False`` accepts a partial document (to pre-fill an
    interactive walk). Raises one InvalidInput whose ``details`` hold a
    ``location: problem`` line per problem. ``kept_notes`` are the notes an
    amended inspection keeps for checks whose entry gives none (a reservation
    needs a note, and may keep the one it had).
    """
    problems: list[str] = []
    answers: dict[str, Answer] = {}
    checks = _document_checks(data, checklist, problems)
    if checks is not None:
        known = checklist.ids
        for raw_id, entry in checks.items():
            if raw_id not in known:
                problems.append(
                    f"checks.{key_part(raw_id)}: unknown check; expected one of {', '.join(known)}"
                )
                continue
            answer = _parse_entry(
                raw_id,
                entry,
                base_dir,
                problems,
                file_exists=file_exists,
                readable=file_readable,
                kept_note=(kept_notes or {}).get(raw_id, ""),
                confine=confine,
            )
            if answer is not None:
                answers[raw_id] = answer
        if require_all:
            for check_id in known:
                if check_id not in checks:
                    problems.append(
                        f"checks.{check_id}: not answered; add result = "
                        '"pass", "reservation", "fail" or "na"'
                    )
    if problems:
        raise InvalidInput(
            f"The inspection answers have {plural(len(problems), 'problem')}.",
            hint="Fix every listed line; paths are relative to the answers file's folder.",
            details=problems,
        )
    return {check_id: answers[check_id] for check_id in checklist.ids if check_id in answers}


def _document_checks(data: object, checklist: Checklist, problems: list[str]) -> dict | None:
    """The ``checks`` table, after checking the top level of the document."""
    if not isinstance(data, dict):
        problems.append(
            f'(top level): expected a table with a "checks" table, got {type_name(data)}'
        )
        return None
    for key, value in data.items():
        if key not in DOCUMENT_FIELDS:
            problems.append(
                f"{key_part(key)}: unknown field; expected {', '.join(DOCUMENT_FIELDS)}"
            )
        elif key == "checklist":
            if not isinstance(value, str):
                problems.append(f"checklist: expected a string, got {type_name(value)}")
            elif value != checklist.name:
                problems.append(
                    f"checklist: answers are for {show(value)} but the inspection uses "
                    f"{show(checklist.name)}"
                )
        elif key == "order_id" and (isinstance(value, bool) or not isinstance(value, str | int)):
            problems.append(f"order_id: expected a string, got {type_name(value)}")
    if "checks" not in data:
        problems.append("checks: missing; expected a table of answers keyed by check id")
        return None
    checks = data["checks"]
    if not isinstance(checks, dict):
        problems.append(f"checks: expected a table keyed by check id, got {type_name(checks)}")
        return None
    return checks


def _parse_entry(
    check_id: str,
    entry: object,
    base_dir: Path,
    problems: list[str],
    *,
    file_exists: Callable[[Path], bool],
    readable: Callable[[Path], bool],
    kept_note: str = "",
    confine: bool = False,
) -> Answer | None:
    where = f"checks.{check_id}"
    if not isinstance(entry, dict):
        problems.append(
            f"{where}: expected a table with result, note, evidence, got {type_name(entry)}"
        )
        return None
    before = len(problems)
    for key in entry:
        if key not in ANSWER_FIELDS:
            problems.append(
                f"{where}.{key_part(key)}: unknown field; expected {', '.join(ANSWER_FIELDS)}"
            )
    result = _parse_result(entry, where, problems)
    note = entry.get("note", "")
    if not isinstance(note, str):
        problems.append(f"{where}.note: expected a string, got {type_name(note)}")
        note = ""
    evidence = _parse_evidence(
        entry.get("evidence", []), where, base_dir, problems, file_exists, readable, confine
    )
    if result is CheckResult.RESERVATION and not (note.strip() or kept_note.strip()):
        problems.append(
            f"{where}.note: a reservation needs a note saying what the minor issue is "
            '(or use result = "pass")'
        )
    if len(problems) > before or result is None:
        return None
    return Answer(check_id, result, note.strip(), evidence)


def _parse_result(entry: dict, where: str, problems: list[str]) -> CheckResult | None:
    if "result" not in entry:
        problems.append(f"{where}.result: missing; expected one of {', '.join(RESULTS)}")
        return None
    value = entry["result"]
    if not isinstance(value, str):
        problems.append(
            f"{where}.result: expected a string ({', '.join(RESULTS)}), got {type_name(value)}"
        )
        return None
    normal = value.strip().lower()
    alias = RESULT_ALIASES.get(" ".join(normal.replace("-", " ").replace("_", " ").split()))
    if alias is not None:
        return alias
    if normal not in RESULTS:
        problems.append(f"{where}.result: {show(value)} is not one of {', '.join(RESULTS)}")
        return None
    return CheckResult(normal)


def _parse_evidence(
    value: object,
    where: str,
    base_dir: Path,
    problems: list[str],
    file_exists: Callable[[Path], bool],
    readable: Callable[[Path], bool],
    confine: bool = False,
) -> tuple[Path, ...]:
    if not isinstance(value, list):
        problems.append(f"{where}.evidence: expected a list of file paths, got {type_name(value)}")
        return ()
    paths: list[Path] = []
    for i, item in enumerate(value):
        at = f"{where}.evidence[{i}]"
        if not isinstance(item, str):
            problems.append(f"{at}: expected a file path, got {type_name(item)}")
            continue
        path, problem = check_evidence_path(item, base_dir, file_exists, readable, confine=confine)
        if problem is not None:
            problems.append(f"{at}: {problem}")
        elif path not in paths:
            paths.append(path)
    return tuple(paths)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` stays in ``folder`` once ``..`` is collapsed (no file access)."""
    inner, outer = _collapsed(path), _collapsed(folder)
    return inner[: len(outer)] == outer


def _collapsed(path: PurePath) -> tuple[str, ...]:
    """The parts of ``path`` with ``..`` applied as written (like ``os.path.normpath``)."""
    parts: list[str] = []
    for part in path.parts:
        if part != "..":
            parts.append(part)
        elif parts and parts[-1] != ".." and not (len(parts) == 1 and path.anchor):
            parts.pop()
        elif not path.anchor:
            parts.append(part)
    return tuple(parts)


def check_evidence_path(
    text: str,
    base_dir: Path,
    file_exists: Callable[[Path], bool],
    readable: Callable[[Path], bool],
    *,
    confine: bool = False,
) -> tuple[Path, str | None]:
    """Resolve one evidence path; the second item says what is wrong with it, if anything.

    Shared with the interactive walk's default path validator so both report
    the same reasons. ``~`` is expanded; relative paths start at ``base_dir``.
    With ``confine`` (paths written in an answers file) a path that leaves
    ``base_dir`` — absolute, ``~``, or ``..`` — is refused: only paths given on
    the command line or at a prompt may point anywhere.
    """
    if not text.strip():
        return Path(), "empty path"
    if "\x00" in text:
        return Path(), f"{show(text)} is not a valid path"
    path = Path(text)
    # No home directory to expand into: keep the path as written.
    with contextlib.suppress(RuntimeError, KeyError, ValueError, OSError):
        path = path.expanduser()
    path = base_dir / path
    if confine and not _inside(path, base_dir):
        return path, (
            f"{show(text)} is outside the answers file's folder {base_dir}; keep evidence next"
            " to the answers file (or in a folder below it)"
        )
    try:
        if not file_exists(path):
            return path, f"file not found: {path}"
        if not readable(path):
            return path, f"file is not readable: {path}"
    except (OSError, ValueError) as exc:
        return path, f"cannot check {path}: {exc}"
    return path, None


# --------------------------------------------------------------------------- documents


def answers_from_bytes(
    raw: bytes,
    source: str,
    *,
    base_dir: Path,
    checklist: Checklist,
    file_exists: Callable[[Path], bool],
    file_readable: Callable[[Path], bool],
    require_all: bool = True,
    kept_notes: Mapping[str, str] | None = None,
) -> dict[str, Answer]:
    """Decode and validate the bytes of an answers file named ``source``.

    ``.toml`` and ``.json`` names are read as such; any other name is sniffed
    (JSON if it starts with ``{``, else TOML, falling back to the other
    format). Evidence paths are confined to ``base_dir`` (the file's folder).
    Reading the file is the caller's job (``services/inspection/answers_file``).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"Answers file {source} is not UTF-8 text (bad byte at offset {exc.start}).",
            hint="Save it as UTF-8 TOML or JSON.",
        ) from exc
    data = decode_answers_text(text, answers_format(source), source=source)
    return validate_answers(
        data,
        base_dir=base_dir,
        checklist=checklist,
        file_exists=file_exists,
        file_readable=file_readable,
        require_all=require_all,
        kept_notes=kept_notes,
        confine=True,
    )


def answers_format(source: str) -> str | None:
    """``toml`` or ``json`` from the file name's suffix; None means sniff the content."""
    suffix = PurePath(source).suffix.lower()
    return suffix[1:] if suffix in (".toml", ".json") else None


def decode_answers_text(text: str, fmt: str | None, *, source: str) -> object:
    """Decode ``fmt`` (``toml`` or ``json``); with None, sniff and try the other format too."""
    if fmt is not None:
        order = [fmt]
    elif text.lstrip().startswith("{"):
        order = ["json", "toml"]
    else:
        order = ["toml", "json"]
    errors = []
    for kind in order:
        try:
            return _decode(text, kind)
        except ValueError as exc:
            errors.append(str(exc))
    hint = "Answers files are TOML (.toml) or JSON (.json)."
    if fmt is None:
        hint += " Name the file .toml or .json to choose the format."
    raise InvalidInput(f"Answers file {source} cannot be decoded: {errors[0]}", hint=hint)


def _decode(text: str, kind: str) -> object:
    """Decode one format; every failure becomes a ValueError carrying line and column."""
    if kind == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"invalid TOML: {exc}") from exc
        except RecursionError as exc:
            raise ValueError("invalid TOML: nested too deeply") from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"invalid JSON: {exc.msg} (at line {exc.lineno}, column {exc.colno})"
        ) from exc
    except _DuplicateKey as exc:
        raise ValueError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ValueError("invalid JSON: nested too deeply") from exc


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON silently keeps the last of two equal keys; an answers file must not."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(f"key {show(key)} appears twice in one object")
        out[key] = value
    return out
