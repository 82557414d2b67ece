"""Issue 13: the messages a person reads, pinned (edit, rm, carrier, due, list)."""

from __future__ import annotations

import pytest

from orderctl.services.context import AppContext

HUB = "8208460785972844"
SHIRT = "3065355286098390"


@pytest.fixture
def hub(cli):
    result = cli("add", HUB, "--title", "Hub", "--shipped", "2026-11-20")
    assert result.exit_code == 0, result.stderr


def test_edit_prints_each_change_old_to_new(cli, hub):
    result = cli(
        "edit", HUB, "--title", "USB hub", "--tracking", "RB123456785CN", "--clear", "shipped"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"Updated {HUB}:\n"
        "  title: Hub → USB hub\n"
        "  shipped_at: 2026-11-20 → (none)\n"
        "  tracking_number: (none) → RB123456785CN\n"
        "  carrier: (none) → china-post\n"
    )
    same = cli("edit", HUB, "--title", "USB hub")
    assert same.exit_code == 0
    assert same.stdout == f"{HUB}: nothing changed (the values given are the current ones).\n"


def test_rm_off_a_terminal_names_the_flag(cli, hub):
    result = cli("rm", HUB)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: `rm` needs --yes when not run in a terminal\n"
        f"Hint: It would ask: Delete order {HUB}? Add --yes to answer yes.\n"
    )
    no_input = cli("--no-input", "rm", HUB)
    assert no_input.exit_code == 2
    assert "Error: `rm` needs --yes with --no-input" in no_input.stderr
    assert AppContext.from_env().store.get(HUB).title == "Hub"


def test_rm_declined_says_nothing_changed_and_exits_1(cli, hub, monkeypatch):
    monkeypatch.setattr("orderctl.cli.output.is_interactive", lambda: True)
    result = cli("rm", HUB, input="n\n")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Delete order {HUB}? [y/N]:")
    assert result.stderr.endswith(":Nothing changed.\n")  # CliRunner echoes the answer to stdout
    assert AppContext.from_env().store.get(HUB).title == "Hub"
    accepted = cli("rm", HUB, input="y\n")
    assert accepted.exit_code == 0
    assert accepted.stderr.endswith(f"Deleted {HUB}.\n")


def test_carrier_explains_a_bad_check_digit(cli):
    result = cli("carrier", "RB123456784CN")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split()[:3] == ["china-post", "China", "Post"]
    assert "bad" in result.stdout.splitlines()[1]
    assert result.stderr == (
        'Check digit "bad": the number has this carrier\'s format but its check digit does '
        "not add up, so it is most likely mistyped; compare it with the order page.\n"
    )
    assert cli("carrier", "RB123456785CN").stderr == ""


def test_due_groups_by_order_with_labels(cli, hub):
    assert cli("add", SHIRT, "--title", "Shirt", "--shipped", "2026-11-01").exit_code == 0
    result = cli("due")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{SHIRT}  Shirt\n"
        "  2026-11-26*  2 d ago  Extend protection\n"
        "  2026-11-28     today  Record protection end\n"
        "  2026-11-29*      1 d  Last safe dispute day\n"
        "  2026-12-01*      3 d  Protection ends\n"
        "\n"
        f"{HUB}  Hub\n"
        "  2026-11-28     today  Record protection end\n"
        "  2026-12-15*     17 d  Extend protection\n"
        "  2026-12-18*     20 d  Last safe dispute day\n"
        "  2026-12-20*     22 d  Protection ends\n"
    )
    assert result.stderr == (
        "* estimated from policy data; record the real date with "
        "`orderctl edit ORDER_ID --protection-ends DATE`.\n"
        "What to do for each: `orderctl due --verbose` or `orderctl show ORDER_ID`.\n"
    )
    verbose = cli("due", "--verbose").stdout.splitlines()
    assert verbose[1] == "  2026-11-26*  2 d ago  Extend protection"
    assert verbose[2].startswith("      Parcel not delivered yet: ask the seller to extend")
    assert "extend_protection" not in cli("due").stdout
    assert cli("due", "--json").json()[0]["kind"] == "extend_protection"  # ids stay in JSON


def test_nothing_due_within_one_day_is_singular(cli, hub):
    assert cli("edit", HUB, "--protection-ends", "2027-01-10").exit_code == 0
    result = cli("due", "--within", "1")
    assert result.exit_code == 0
    assert result.stderr == "Nothing due. (within 1 day)\n"


def test_list_and_show_use_labels_not_rule_ids(cli, hub):
    listed = cli("list").stdout
    assert "Extend protection 2026-12-15 (17 d)" in listed
    assert "extend_protection" not in listed
    shown = cli("show", HUB).stdout
    assert "Last safe dispute day" in shown and "dispute_by" not in shown
