"""Inspecting a delivered parcel: checklist templates, answers, verdict and the walk.

Split by concern so each stays small: ``templates`` (TOML checklists and their
inheritance), ``answers`` (the answers document and its validation), ``verdict``
(pass/fail and dispute reasons) and ``walk`` (the interactive flow over an
injected prompter). Import from here or from ``orderctl.domain.checklist``.
"""

from orderctl.domain.inspection.answers import (
    Answer,
    CheckResult,
    answers_to_document,
    check_evidence_path,
    decode_answers_text,
    is_readable,
    load_answers_file,
    parse_answers,
)
from orderctl.domain.inspection.templates import (
    CATEGORY_ALIASES,
    DEFAULT_CHECK_IDS,
    REASONS,
    Check,
    Checklist,
    build_checklists,
    load_checklists,
    parse_template,
    resolve_checklist,
)
from orderctl.domain.inspection.verdict import Reservation, Verdict, evaluate
from orderctl.domain.inspection.walk import (
    Action,
    Prompter,
    WalkInterrupted,
    WalkResult,
    evidence_validator,
    walk_checklist,
)

__all__ = [
    "CATEGORY_ALIASES",
    "DEFAULT_CHECK_IDS",
    "REASONS",
    "Action",
    "Answer",
    "Check",
    "CheckResult",
    "Checklist",
    "Prompter",
    "Reservation",
    "Verdict",
    "WalkInterrupted",
    "WalkResult",
    "answers_to_document",
    "build_checklists",
    "check_evidence_path",
    "decode_answers_text",
    "evaluate",
    "evidence_validator",
    "is_readable",
    "load_answers_file",
    "load_checklists",
    "parse_answers",
    "parse_template",
    "resolve_checklist",
    "walk_checklist",
]
