"""confirm: guardrails, the TTY and non-TTY paths, recomputed deadlines, the JSON contract."""

from __future__ import annotations

from dataclasses import replace

import pytest

from orderctl.domain.models import OrderState
from orderctl.domain.records import Inspection, InspectionCheck
from orderctl.services.context import AppContext
from tests.helpers.errors import json_error

ORDER = "8208460785972844"
PAGE = f"https://www.aliexpress.com/p/order/detail.html?orderId={ORDER}"
CONFIRM_KEYS = {
    "order_id",
    "state",
    "completed_at",
    "confirmed_at",
    "forced",
    "warnings",
    "deadlines",
    "confirm_steps",
    "order_page",
    "feedback",
    "feedback_file",
}
PASSED = Inspection(
    verdict="pass",
    checklist="generic",
    started_at="2026-11-26T09:00:00Z",
    completed_at="2026-11-26T09:20:00Z",
    checks=(
        InspectionCheck(id="package_condition", result="pass", note=""),
        InspectionCheck(id="functionality", result="pass", note="works"),
    ),
    failed=(),
)
FAILED = replace(
    PASSED,
    verdict="fail",
    checks=(InspectionCheck(id="functionality", result="fail", note="No HDMI"),),
    suggested_reasons=("not_working",),
    failed=("functionality",),
)


def seed(cli, *, state="inspected", inspection=PASSED, dispute=None, platform="aliexpress"):
    """An order put straight into the store in the shape the inspect command saves."""
    args = ["add", ORDER, "--title", "USB-C hub", "--ordered", "2026-11-08"]
    args += ["--shipped", "2026-11-10", "--delivered", "2026-11-24", "--platform", platform]
    assert cli(*args).exit_code == 0
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        order.state = OrderState(state)
        order.inspection = inspection
        order.dispute = dispute
        txn.put(order)


def stored(field: str):
    return getattr(AppContext.from_env().store.get(ORDER), field)


REFUSALS = [
    ("delivered", None, "has not been inspected", True),
    ("inspected", FAILED, "failed its inspection (functionality)", True),
    ("confirmed", PASSED, "is already confirmed", False),
    ("disputed", FAILED, "has a dispute open", False),
    ("closed", PASSED, "is closed", False),
]


@pytest.mark.parametrize(("state", "inspection", "message", "forceable"), REFUSALS)
def test_guardrail_refusals(cli, state, inspection, message, forceable):
    seed(cli, state=state, inspection=inspection)
    result = cli("confirm", ORDER, "--yes")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert message in result.stderr
    assert stored("state").value == state
    assert stored("completed_at") is None


@pytest.mark.parametrize(("state", "inspection", "message", "forceable"), REFUSALS)
def test_force_overrides_only_the_inspection_checks(cli, state, inspection, message, forceable):
    seed(cli, state=state, inspection=inspection)
    result = cli("confirm", ORDER, "--yes", "--force", "--json")
    if not forceable:
        assert result.exit_code == 6
        assert message in result.stderr
        assert stored("state").value == state
        return
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["forced"] is True
    assert data["state"] == "confirmed"
    # The warning says what the buyer gives up, with the date the refund window closes.
    warning = next(line for line in result.stderr.splitlines() if line.startswith("Warning:"))
    assert "payment is released to the seller" in warning
    assert "refund window after completion is left (until 2026-12-13)" in warning
    assert data["warnings"] == [warning.removeprefix("Warning: ")]


def test_force_cannot_skip_the_lifecycle(cli):
    seed(cli, state="shipped", inspection=None)
    result = cli("confirm", ORDER, "--yes", "--force")
    assert result.exit_code == 6
    assert "cannot become confirmed" in result.stderr
    assert stored("state") is OrderState.SHIPPED


def test_off_a_tty_it_needs_yes(cli):
    seed(cli)
    for extra in ([], ["--json"]):
        result = cli("confirm", ORDER, *extra)
        assert result.exit_code == 2
        if extra:
            assert json_error(result)["message"] == "`confirm` needs --yes with --json"
        else:
            assert result.stdout == ""
            assert "Error: `confirm` needs --yes when not run in a terminal" in result.stderr
        assert f"It would ask: Confirm receipt of {ORDER}? Add --yes" in result.stderr
    assert stored("state") is OrderState.INSPECTED


def test_on_a_tty_it_explains_and_asks(cli, monkeypatch):
    monkeypatch.setattr("orderctl.cli.output.is_interactive", lambda: True)
    seed(cli)
    declined = cli("confirm", ORDER, input="n\n")
    assert declined.exit_code == 1
    assert "AliExpress releases your payment to the seller" in declined.stderr
    assert "until 2026-12-13 (15 days, refund request closes)" in declined.stderr
    assert declined.stderr.endswith("Nothing changed.\n")
    assert f"Confirm receipt of {ORDER} [y/N]" in declined.stderr
    assert "Confirmed" not in declined.stdout  # (CliRunner echoes the typed answer there)
    assert stored("state") is OrderState.INSPECTED

    accepted = cli("confirm", ORDER, input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert "Confirmed receipt of" in accepted.stdout
    assert stored("state") is OrderState.CONFIRMED


def test_no_input_never_prompts(cli, monkeypatch):
    monkeypatch.setattr("orderctl.cli.output.is_interactive", lambda: True)
    seed(cli)
    result = cli("--no-input", "confirm", ORDER)
    assert result.exit_code == 2
    assert "Error: `confirm` needs --yes with --no-input" in result.stderr
    assert "[y/N]" not in result.stderr
    assert "releases your payment" not in result.stderr


def test_confirm_recomputes_deadlines_from_completion(cli):
    seed(cli)
    before = {e["kind"] for e in cli("due", "--json").json()}
    assert "feedback_closes" not in before
    result = cli("confirm", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) >= CONFIRM_KEYS
    assert data["state"] == "confirmed"
    assert data["completed_at"] == "2026-11-28"
    assert data["confirmed_at"] == "2026-11-28T12:00:00Z"
    assert data["forced"] is False and data["warnings"] == []
    assert [(d["kind"], d["date"], d["days_left"]) for d in data["deadlines"]] == [
        ("dispute_closes", "2026-12-13", 15),
        ("feedback_closes", "2026-12-13", 15),
    ]
    assert data["order_page"] == PAGE
    assert any("Confirm Goods Received" in s for s in data["confirm_steps"])
    # The feedback draft comes with it, saved on the order.
    assert data["feedback"]["stars"] == 5
    assert data["feedback"]["posted_at"] is None
    assert data["feedback_file"].endswith(f"feedback/{ORDER}/feedback.md")

    shown = cli("show", ORDER, "--json").json()
    assert shown["state"] == "confirmed"
    assert shown["completed_at"] == "2026-11-28"
    assert shown["feedback"] == data["feedback"]
    assert shown["history"][-1] == {
        "at": "2026-11-28T12:00:00Z",
        "event": "confirmed",
        "forced": False,
    }
    due = {(e["kind"], e["date"]) for e in cli("due", "--json").json()}
    assert due == {("dispute_closes", "2026-12-13"), ("feedback_closes", "2026-12-13")}


def test_confirm_human_output(cli, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    seed(cli)
    result = cli("confirm", ORDER, "--yes", "--open")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"Confirmed receipt of {ORDER} (USB-C hub) on 2026-11-28.")
    assert "2026-12-13    15 d  Refund request closes: " in out
    assert '2. Press "Confirm Goods Received"' in out
    assert f"Order page: {PAGE}" in out
    assert f"# Feedback draft: order {ORDER}" in out
    assert "Arrived in 14 days." in out
    assert "Feedback draft saved to" in result.stderr
    assert "Feedback draft" not in result.stderr.replace("Feedback draft saved", "")
    assert opened == [PAGE]


def test_open_without_a_known_page_warns(cli, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    seed(cli, platform="other")
    result = cli("confirm", ORDER, "--yes", "--open")
    assert result.exit_code == 0, result.stderr
    assert opened == []
    assert "No order page is known" in result.stderr
    assert "Order page:" not in result.stdout


def test_unknown_order(cli):
    result = cli("confirm", "999999999999", "--yes")
    assert result.exit_code == 3
    assert result.stdout == ""
