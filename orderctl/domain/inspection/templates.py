"""Inspection checklists: the data model and the TOML templates behind it.

Checklists are data, not code, so a buyer can adjust them without a release:
the bundled templates live in ``orderctl/data/checklists/*.toml`` and files in
the user's checklist folder add templates or override bundled ones by name.

A template file::

    name = "electronics"          # optional in user files (defaults to the file stem)
    description = "..."
    extends = "generic"           # optional
    [[checks]]
    id = "powers_on"
    title = "Powers on"           # optional, derived from the id
    question = "..."              # required for a new check
    guidance = "..."              # how to check
    evidence = "..."              # what proves a failure
    reason = "not_working"        # required for a new check; see REASONS
    after = "description_match"   # optional: place it after this check (else at the end)

Inheritance: a template starts with its parent's checks; a check whose id the
parent already has is merged into it field by field (so a user can change
just the guidance of ``quality``), and new checks are appended in file order.
``extends`` names the effective template of that name, so a user override of
``generic`` flows into ``electronics`` too; a user file that extends its own
name (``name = "electronics"``, ``extends = "electronics"``) builds on the
bundled version instead of replacing it.

Reading the files happens in ``services/inspection/checklists.py``; this module
is pure: it parses the bytes it is given.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NoReturn

from orderctl.domain.inspection._describe import key_part, show, type_name
from orderctl.errors import InvalidInput

#: Dispute reasons a failed check can point to, strongest case first: a wrong
#: item or a missing part is a plain fact an unboxing video settles, a dead
#: device is settled by a video, damage invites an argument about who caused
#: it, and "not as described" and "quality" need a comparison or a judgement.
#: Suggested reasons are listed in this order, so a dispute leads with the
#: most objective defect.
REASONS: tuple[str, ...] = (
    "wrong_item",
    "missing_parts",
    "not_working",
    "damaged",
    "not_as_described",
    "quality",
)

#: Checks every template has unless a user template says otherwise.
DEFAULT_CHECK_IDS: tuple[str, ...] = (
    "package_condition",
    "correct_item",
    "quantity_complete",
    "description_match",
    "functionality",
    "quality",
)

DEFAULT_TEMPLATE = "generic"


def _aliases(template: str, words: str) -> dict[str, str]:
    return dict.fromkeys(words.split(), template)


#: Words in an order's category that pick a bundled template. Matched against
#: each word of the category (case-insensitive, a trailing plural "s" dropped),
#: so marketplace categories such as "Consumer Electronics" or "Women's
#: Clothing" resolve without configuration.
CATEGORY_ALIASES: dict[str, str] = {
    **_aliases(
        "electronics",
        "electronics electronic phone smartphone mobile cellphone gadget computer laptop "
        "tablet camera headphone earphone earbud headset speaker charger powerbank cable "
        "smartwatch console drone",
    ),
    **_aliases(
        "clothing",
        "clothing clothes apparel fashion garment shoe sneaker boot sandal dress shirt "
        "tshirt blouse jacket coat hoodie sweater jeans pants trousers skirt shorts sock "
        "underwear lingerie swimwear",
    ),
}

CHECK_FIELDS = ("id", "title", "question", "guidance", "evidence", "reason", "after")
TEMPLATE_FIELDS = ("name", "description", "extends", "checks")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_WORD_RE = re.compile(r"[a-z0-9]+")
PACKAGE_SOURCE = "package"


@dataclass(frozen=True)
class Check:
    """One yes/no question of an inspection, with how to check it and what proves a failure."""

    id: str
    question: str
    reason: str
    title: str = ""
    guidance: str = ""
    evidence: str = ""

    @property
    def label(self) -> str:
        """The short name shown in lists: the title, or the id made readable."""
        return self.title or self.id.replace("_", " ").capitalize()

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.label,
            "question": self.question,
            "guidance": self.guidance,
            "evidence": self.evidence,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Checklist:
    """A named, ordered set of checks.

    ``source`` says where it was defined: ``package:<file>`` or the user file's path.
    """

    name: str
    description: str
    checks: tuple[Check, ...]
    extends: str | None = None
    source: str = PACKAGE_SOURCE

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.checks)

    def get(self, check_id: str) -> Check | None:
        """The check with this id, or None."""
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "extends": self.extends,
            "source": self.source,
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True)
class RawTemplate:
    """A validated template file before its ``extends`` chain is applied."""

    name: str
    description: str | None
    extends: str | None
    checks: tuple[dict[str, str], ...]  # only the fields the file sets
    source: str
    layer: int  # 0 = bundled, 1 = user


# --------------------------------------------------------------------------- parsing


def parse_template(
    data: object, *, source: str, default_name: str | None = None, layer: int = 0
) -> RawTemplate:
    """Validate one decoded template; every problem is reported together.

    ``layer`` is 0 for bundled templates and 1 for the user's, which win by name.
    Raises InvalidInput naming ``source`` with one detail line per problem.
    """
    problems: list[str] = []
    if not isinstance(data, dict):
        _fail(source, [f"(top level): expected a table, got {type_name(data)}"])
    for key in data:
        if key not in TEMPLATE_FIELDS:
            problems.append(
                f"{key_part(key)}: unknown field; expected {', '.join(TEMPLATE_FIELDS)}"
            )
    name = _opt_str(data, "name", problems, "name")
    if name is None:
        name = default_name
        if name is None and "name" not in data:
            problems.append("name: missing")
    if name is not None and not _ID_RE.match(name):
        problems.append(f"name: {show(name)} must be lowercase letters, digits and _")
    description = _opt_str(data, "description", problems, "description")
    extends = _opt_str(data, "extends", problems, "extends")
    checks = _parse_checks(data.get("checks"), problems, has_parent=extends is not None)
    if problems or name is None:
        _fail(source, problems)
    return RawTemplate(name, description, extends, checks, source, layer)


def _parse_checks(value: object, problems: list[str], *, has_parent: bool) -> tuple[dict, ...]:
    if value is None:
        if not has_parent:
            problems.append("checks: missing; a template without `extends` needs [[checks]]")
        return ()
    if not isinstance(value, list):
        problems.append(f"checks: expected a list of [[checks]] tables, got {type_name(value)}")
        return ()
    if not value and not has_parent:
        problems.append("checks: empty; a template without `extends` needs at least one check")
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, entry in enumerate(value):
        where = f"checks[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a table, got {type_name(entry)}")
            continue
        check: dict[str, str] = {}
        for key, field_value in entry.items():
            if key not in CHECK_FIELDS:
                problems.append(
                    f"{where}.{key_part(key)}: unknown field; expected {', '.join(CHECK_FIELDS)}"
                )
            elif not isinstance(field_value, str):
                problems.append(f"{where}.{key}: expected a string, got {type_name(field_value)}")
            else:
                check[key] = field_value.strip()
        check_id = check.get("id")
        if check_id is None:
            if "id" not in entry:
                problems.append(f"{where}.id: missing")
            continue
        where = f"checks.{key_part(check_id)}"
        if not _ID_RE.match(check_id):
            problems.append(f"{where}.id: must be lowercase letters, digits and _")
        if check_id in seen:
            problems.append(f"{where}: defined twice in this file")
        seen.add(check_id)
        if "reason" in check and check["reason"] not in REASONS:
            problems.append(
                f"{where}.reason: {show(check['reason'])} is not one of {', '.join(REASONS)}"
            )
        if "question" in check and not check["question"]:
            problems.append(f"{where}.question: empty")
        out.append(check)
    return tuple(out)


def _opt_str(data: dict, key: str, problems: list[str], where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{where}: expected a string, got {type_name(value)}")
        return None
    return value.strip()


def _fail(source: str, problems: list[str]) -> NoReturn:
    raise InvalidInput(
        f"Checklist template {source} is invalid.",
        hint="Fix the listed fields, or move the file out of the checklists folder.",
        details=problems,
    )


# --------------------------------------------------------------------------- building


def build_checklists(raws: list[RawTemplate]) -> dict[str, Checklist]:
    """Apply ``extends`` chains; later layers override earlier ones by name.

    Kept separate from file reading so inheritance can be tested on plain data.
    """
    layers: dict[str, list[RawTemplate]] = {}
    for raw in sorted(raws, key=lambda r: r.layer):
        stack = layers.setdefault(raw.name, [])
        clash = next((r for r in stack if r.layer == raw.layer), None)
        if clash is not None:
            _fail(raw.source, [f"name: {show(raw.name)} is also defined in {clash.source}"])
        stack.append(raw)

    built: dict[tuple[str, int], Checklist] = {}

    def build(name: str, depth: int, chain: tuple[str, ...]) -> Checklist:
        if (name, depth) in built:
            return built[(name, depth)]
        raw = layers[name][depth]
        label = f"{name} ({raw.source})"
        if label in chain:
            _fail(raw.source, [f"extends: circular chain {' -> '.join([*chain, label])}"])
        checks: list[Check] = []
        description = raw.description
        if raw.extends is not None:
            parent_stack = layers.get(raw.extends, [])
            # Extending your own name means "the version below me", not yourself.
            parent_depth = depth - 1 if raw.extends == name else len(parent_stack) - 1
            if parent_depth < 0:
                known = ", ".join(sorted(n for n in layers if n != name)) or "none"
                _fail(
                    raw.source,
                    [f"extends: no template {show(raw.extends)} to build on (known: {known})"],
                )
            parent = build(raw.extends, parent_depth, (*chain, label))
            checks = list(parent.checks)
            if description is None and raw.extends == name:
                description = parent.description
        checks = _merge_checks(checks, raw)
        if not checks:
            _fail(raw.source, ["checks: the template ends up with no checks"])
        result = Checklist(raw.name, description or "", tuple(checks), raw.extends, raw.source)
        built[(name, depth)] = result
        return result

    return {name: build(name, len(stack) - 1, ()) for name, stack in sorted(layers.items())}


def _merge_checks(inherited: list[Check], raw: RawTemplate) -> list[Check]:
    """Override inherited checks field by field and add new ones, in file order.

    A new check goes at the end, or right after the check named by ``after``
    (several checks after the same one keep their file order); ``after`` on an
    existing check moves it.
    """
    checks = list(inherited)
    problems: list[str] = []
    last_after: dict[str, str] = {}  # anchor id -> id of the check last placed after it
    for entry in raw.checks:
        fields = {k: v for k, v in entry.items() if k != "after"}
        check_id = fields["id"]
        ids = [c.id for c in checks]
        if check_id in ids:
            old = checks.pop(ids.index(check_id))
            check = Check(**{**old.to_dict(), "title": old.title, **fields})
            position = ids.index(check_id)
        else:
            missing = [f for f in ("question", "reason") if f not in fields]
            if missing:
                problems.extend(f"checks.{check_id}.{f}: missing (new check)" for f in missing)
                continue
            check = Check(**fields)
            position = len(checks)
        anchor = entry.get("after")
        if anchor is not None:
            ids = [c.id for c in checks]
            target = last_after.get(anchor, anchor)
            if anchor == check_id or target not in ids:
                problems.append(
                    f"checks.{check_id}.after: no other check {show(anchor)} "
                    f"(known: {', '.join(ids)})"
                )
                continue
            position = ids.index(target) + 1
            last_after[anchor] = check_id
        checks.insert(position, check)
    if problems:
        _fail(raw.source, problems)
    return checks


# --------------------------------------------------------------------------- loading


def template_from_bytes(raw: bytes, file_name: str, *, layer: int) -> RawTemplate:
    """One template file's bytes, named ``file_name`` (bundled: layer 0, the user's: 1).

    Reading the files is the caller's job (``services/inspection/checklists``);
    a user file's name (without ``.toml``) is its template name unless it says
    otherwise. Problems raise InvalidInput naming the file.
    """
    source = template_source(file_name, layer=layer)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(source, [f"cannot read the file: {exc}"])
    return template_from_text(text, source, stem=PurePath(file_name).stem, layer=layer)


def template_from_text(text: str, source: str, *, stem: str, layer: int) -> RawTemplate:
    """Parse one template's TOML ``text``; ``source`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _fail(source, [f"not valid TOML: {exc}"])
    return parse_template(data, source=source, default_name=stem if layer else None, layer=layer)


def template_source(file_name: str, *, layer: int) -> str:
    """How messages name a template file: ``package:NAME`` for a bundled one."""
    return f"{PACKAGE_SOURCE}:{file_name}" if layer == 0 else file_name


def read_failure(file_name: str, exc: OSError, *, layer: int) -> NoReturn:
    """InvalidInput for a template file that cannot be read, worded like the others."""
    _fail(template_source(file_name, layer=layer), [f"cannot read the file: {exc}"])


# --------------------------------------------------------------------------- resolving


def resolve_checklist(
    checklists: Mapping[str, Checklist], *, name: str | None, category: str | None
) -> Checklist:
    """Pick the checklist for an inspection.

    An explicit ``name`` wins and must exist. Otherwise the order's category
    picks a template of the same name, then the first category word found in
    CATEGORY_ALIASES; anything else gets the generic checklist.
    """
    if name is not None:
        key = name.strip().lower()
        if key in checklists:
            return checklists[key]
        raise InvalidInput(
            f"No checklist named {show(name)}.",
            hint=f"Available checklists: {', '.join(sorted(checklists))}.",
        )
    if category:
        key = category.strip().lower()
        if key in checklists:
            return checklists[key]
        for word in _WORD_RE.findall(key):
            for candidate in (word, word.removesuffix("s")):
                alias = CATEGORY_ALIASES.get(candidate)
                if alias is not None and alias in checklists:
                    return checklists[alias]
    if DEFAULT_TEMPLATE in checklists:
        return checklists[DEFAULT_TEMPLATE]
    raise InvalidInput(f"The {DEFAULT_TEMPLATE!r} checklist is missing.")
