"""docs/json.md promises keys; check that the real output has every one of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = (Path(__file__).resolve().parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
AE_ID = "8208460785972844"


def documented(heading: str) -> set[str]:
    section = DOC.split(f"## `{heading}", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"^keys: (.+)$", section, re.M)
    assert match, heading
    return {k.strip() for k in match.group(1).split(",")}


@pytest.fixture
def book(cli):
    assert (
        cli(
            "add",
            AE_ID,
            "--title",
            "Hub",
            "--shipped",
            "2026-11-02",
            "--tracking",
            "LP00123456789012",
        ).exit_code
        == 0
    )


def first(value):
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize(
    ("heading", "args"),
    [
        ("orderctl list --json", ["list", "--json"]),
        ("orderctl show ORDER_ID --json", ["show", AE_ID, "--json"]),
        ("orderctl due --json", ["due", "--json"]),
        ("orderctl carrier NUMBER --json", ["carrier", "LP00123456789012", "--json"]),
        ("orderctl paths --json", ["paths", "--json"]),
        ("orderctl policies [PLATFORM] --json", ["policies", "--json"]),
    ],
)
def test_documented_keys_are_present(cli, book, heading, args):
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    data = first(result.json())
    assert documented(heading) <= set(data), documented(heading) - set(data)


def test_import_report_keys(cli, data_dir):
    result = cli("import", str(data_dir / "imports" / "generic_valid.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    assert documented("orderctl import FILE --json") <= set(result.json())


def test_import_mail_report_keys(cli):
    from tests.helpers.mail import CORPUS

    result = cli("import", str(CORPUS / "ebay-shipped-de.eml"), "--json")
    assert result.exit_code == 0, result.stderr
    assert documented("orderctl import MAIL --json") <= set(result.json())
