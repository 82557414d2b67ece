"""Checklist templates: bundled data, user overrides, inheritance and resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from orderctl.domain.inspection.templates import (
    DEFAULT_CHECK_IDS,
    REASONS,
    Checklist,
    parse_template,
    resolve_checklist,
)
from orderctl.errors import ExitCode, InvalidInput
from orderctl.services.inspection.checklists import load_checklists


@pytest.fixture(scope="module")
def bundled() -> dict[str, Checklist]:
    return load_checklists(None)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- bundled data


def test_bundled_templates_exist(bundled):
    assert set(bundled) == {"generic", "electronics", "clothing"}


def test_generic_is_exactly_the_defaults(bundled):
    assert bundled["generic"].ids == DEFAULT_CHECK_IDS
    assert bundled["generic"].extends is None
    assert bundled["generic"].source == "package:generic.toml"


@pytest.mark.parametrize("name", ["generic", "electronics", "clothing"])
def test_every_bundled_check_is_complete(bundled, name):
    checklist = bundled[name]
    assert checklist.description
    for check in checklist.checks:
        assert check.reason in REASONS
        assert check.question.endswith("?"), check.id
        assert len(check.guidance) > 80, check.id
        assert check.evidence, check.id
        assert check.title, check.id


def test_category_templates_add_checks_in_place(bundled):
    assert bundled["electronics"].ids == (
        "package_condition",
        "correct_item",
        "quantity_complete",
        "accessories_present",
        "description_match",
        "specs_match",
        "powers_on",
        "charges",
        "ports_and_buttons",
        "functionality",
        "quality",
    )
    assert bundled["clothing"].ids == (
        "package_condition",
        "correct_item",
        "quantity_complete",
        "description_match",
        "measurements",
        "colour",
        "material_label",
        "functionality",
        "quality",
        "stitching",
    )
    for name in ("electronics", "clothing"):
        assert set(DEFAULT_CHECK_IDS) <= set(bundled[name].ids)
        assert bundled[name].extends == "generic"


def test_bundled_guidance_covers_the_evidence_that_wins(bundled):
    generic = bundled["generic"]
    assert "sealed parcel" in generic.get("package_condition").guidance
    assert "tracking number" in generic.get("package_condition").guidance
    assert "order snapshot" in generic.get("correct_item").guidance
    assert "ruler" in generic.get("description_match").guidance
    assert "video" in generic.get("functionality").evidence.lower()
    assert "size label" in bundled["clothing"].get("measurements").evidence


def test_to_dict_is_json_shaped(bundled):
    data = bundled["electronics"].to_dict()
    assert data["name"] == "electronics"
    assert data["extends"] == "generic"
    assert data["checks"][0] == {
        "id": "package_condition",
        **{k: data["checks"][0][k] for k in ("title", "question", "guidance", "evidence")},
        "reason": "damaged",
    }
    assert list(data["checks"][0]) == ["id", "title", "question", "guidance", "evidence", "reason"]


# --------------------------------------------------------------------------- user templates


def test_missing_user_dir_is_fine(tmp_path, bundled):
    assert load_checklists(tmp_path / "nope") == bundled


def test_user_template_adds_a_new_checklist(tmp_path):
    write(
        tmp_path,
        "toys.toml",
        """
description = "Toys for small children"
extends = "generic"
[[checks]]
id = "small_parts"
question = "Are there no loose small parts a child could swallow?"
reason = "quality"
after = "package_condition"
""",
    )
    checklists = load_checklists(tmp_path)
    toys = checklists["toys"]  # name defaults to the file stem
    assert toys.ids[:2] == ("package_condition", "small_parts")
    assert toys.get("small_parts").label == "Small parts"
    assert toys.source == str(tmp_path / "toys.toml")
    assert checklists["generic"].ids == DEFAULT_CHECK_IDS


def test_user_check_with_existing_id_overrides_field_by_field(tmp_path, bundled):
    write(
        tmp_path,
        "mine.toml",
        """
name = "electronics"
extends = "electronics"
[[checks]]
id = "quality"
guidance = "Check the solder joints too."
[[checks]]
id = "battery_swelling"
question = "Is the battery flat, not swollen?"
reason = "damaged"
""",
    )
    electronics = load_checklists(tmp_path)["electronics"]
    old = bundled["electronics"].get("quality")
    new = electronics.get("quality")
    assert new.guidance == "Check the solder joints too."
    assert (new.question, new.evidence, new.reason, new.title) == (
        old.question,
        old.evidence,
        old.reason,
        old.title,
    )
    assert electronics.ids == (*bundled["electronics"].ids, "battery_swelling")
    assert electronics.description == bundled["electronics"].description


def test_user_override_replaces_a_bundled_template_by_name(tmp_path):
    write(
        tmp_path,
        "clothing.toml",
        """
name = "clothing"
description = "Just the fit"
[[checks]]
id = "fits"
question = "Does it fit?"
reason = "not_as_described"
""",
    )
    clothing = load_checklists(tmp_path)["clothing"]
    assert clothing.ids == ("fits",)
    assert clothing.description == "Just the fit"


def test_user_override_of_generic_flows_into_category_templates(tmp_path):
    write(
        tmp_path,
        "generic.toml",
        """
name = "generic"
extends = "generic"
[[checks]]
id = "seller_gift"
question = "Did the promised gift arrive?"
reason = "missing_parts"
""",
    )
    checklists = load_checklists(tmp_path)
    assert checklists["generic"].ids[-1] == "seller_gift"
    assert "seller_gift" in checklists["electronics"].ids
    assert "seller_gift" in checklists["clothing"].ids


def test_moving_an_inherited_check_with_after(tmp_path):
    write(
        tmp_path,
        "g.toml",
        """
name = "reordered"
extends = "generic"
[[checks]]
id = "quality"
after = "package_condition"
""",
    )
    ids = load_checklists(tmp_path)["reordered"].ids
    assert ids[:2] == ("package_condition", "quality")
    assert sorted(ids) == sorted(DEFAULT_CHECK_IDS)


def broken(tmp_path: Path, text: str, name: str = "bad.toml") -> InvalidInput:
    path = write(tmp_path, name, text)
    with pytest.raises(InvalidInput) as info:
        load_checklists(tmp_path)
    assert str(path) in info.value.message
    assert info.value.exit_code == ExitCode.USAGE
    return info.value


def test_broken_toml_names_file_and_position(tmp_path):
    err = broken(tmp_path, 'name = "x"\n[[checks]\n')
    assert len(err.details) == 1
    assert err.details[0].startswith("not valid TOML: ")
    assert "line 2" in err.details[0]


def test_every_template_problem_is_reported_together(tmp_path):
    err = broken(
        tmp_path,
        """
name = "Bad Name"
colour = 3
description = 4
[[checks]]
id = "x"
question = "Q?"
reason = "broken"
guidence = "typo"
[[checks]]
question = "no id"
[[checks]]
id = "x"
question = ""
reason = "quality"
title = 5
""",
    )
    assert err.details == [
        "colour: unknown field; expected name, description, extends, checks",
        'name: "Bad Name" must be lowercase letters, digits and _',
        "description: expected a string, got an integer",
        "checks[0].guidence: unknown field; expected "
        "id, title, question, guidance, evidence, reason, after",
        'checks.x.reason: "broken" is not one of ' + ", ".join(REASONS),
        "checks[1].id: missing",
        "checks[2].title: expected a string, got an integer",
        "checks.x: defined twice in this file",
        "checks.x.question: empty",
    ]


def test_new_check_without_question_or_reason(tmp_path):
    err = broken(tmp_path, 'extends = "generic"\n[[checks]]\nid = "extra"\n')
    assert err.details == [
        "checks.extra.question: missing (new check)",
        "checks.extra.reason: missing (new check)",
    ]


def test_unknown_parent(tmp_path):
    err = broken(tmp_path, 'extends = "furniture"\n')
    assert err.details == [
        'extends: no template "furniture" to build on (known: clothing, electronics, generic)'
    ]


def test_circular_extends(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b"\n')
    with pytest.raises(InvalidInput) as info:
        write(tmp_path, "b.toml", 'extends = "a"\n')
        load_checklists(tmp_path)
    assert info.value.details[0].startswith("extends: circular chain ")


def test_self_extension_without_a_bundled_version(tmp_path):
    err = broken(tmp_path, 'name = "toys"\nextends = "toys"\n')
    assert err.details[0].startswith('extends: no template "toys" to build on')


def test_template_without_checks(tmp_path):
    err = broken(tmp_path, 'name = "empty"\n')
    assert err.details == ["checks: missing; a template without `extends` needs [[checks]]"]


def test_after_an_unknown_check(tmp_path):
    err = broken(
        tmp_path,
        'extends = "generic"\n[[checks]]\nid = "z"\nquestion = "Q?"\nreason = "quality"\n'
        'after = "nope"\n',
    )
    assert err.details[0].startswith('checks.z.after: no other check "nope" (known: ')


def test_two_user_files_with_the_same_name(tmp_path):
    write(tmp_path, "a.toml", 'name = "same"\nextends = "generic"\n')
    write(tmp_path, "b.toml", 'name = "same"\nextends = "generic"\n')
    with pytest.raises(InvalidInput) as info:
        load_checklists(tmp_path)
    assert info.value.details == [f'name: "same" is also defined in {tmp_path / "a.toml"}']


def test_non_utf8_user_file(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b'name = "caf\xe9"\n')
    with pytest.raises(InvalidInput) as info:
        load_checklists(tmp_path)
    assert str(path) in info.value.message
    assert info.value.details[0].startswith("cannot read the file: ")


def test_parse_template_rejects_non_tables():
    with pytest.raises(InvalidInput) as info:
        parse_template(["x"], source="inline")
    assert info.value.details == ["(top level): expected a table, got a list"]


# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("electronics", "electronics"),
        ("Clothing", "clothing"),
        ("phone", "electronics"),
        ("Cellphones & Telecommunications", "electronics"),
        ("Consumer Electronics", "electronics"),
        ("shoes", "clothing"),
        ("Women's Clothing", "clothing"),
        ("T-Shirts", "clothing"),
        ("Home & Garden", "generic"),
        ("", "generic"),
        (None, "generic"),
    ],
)
def test_resolve_by_category(bundled, category, expected):
    assert resolve_checklist(bundled, name=None, category=category).name == expected


def test_explicit_name_wins_over_category(bundled):
    assert resolve_checklist(bundled, name="clothing", category="phone").name == "clothing"
    assert resolve_checklist(bundled, name=" Generic ", category=None).name == "generic"


def test_unknown_name_lists_the_available_ones(bundled):
    with pytest.raises(InvalidInput) as info:
        resolve_checklist(bundled, name="furniture", category="phone")
    assert info.value.message == 'No checklist named "furniture".'
    assert info.value.hint == "Available checklists: clothing, electronics, generic."


def test_user_template_named_like_the_category(tmp_path):
    write(tmp_path, "toys.toml", 'extends = "generic"\n')
    checklists = load_checklists(tmp_path)
    assert resolve_checklist(checklists, name=None, category="Toys").name == "toys"
