"""dispute, dispute-progress and verify through the CLI: contracts, guardrails, progress."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from orderctl.domain.models import OrderState
from orderctl.domain.records import Dispute, Inspection, InspectionCheck
from orderctl.services.context import AppContext
from tests.helpers.images import make_jpeg, mp4_bytes, write

ORDER = "3065355286098390"
EVENTS = [
    {
        "time": "2026-10-27T09:12:00+08:00",
        "time_utc": "2026-10-27T01:12:00Z",
        "status": "in_transit",
        "description": "Departed from sorting center",
        "location": "Shenzhen",
        "provider": "17track",
        "detail": None,
    },
    {
        "time": "2026-11-22T14:30:00+01:00",
        "time_utc": "2026-11-22T13:30:00Z",
        "status": "delivered",
        "description": "Delivered to mailbox",
        "location": "Lyon",
        "provider": "17track",
        "detail": None,
    },
]


def add_order(cli, order_id: str = ORDER, *extra: str) -> None:
    result = cli(
        "add",
        order_id,
        "--title",
        "Linen shirt - beige - size L",
        "--store",
        "Simple Linen Store",
        "--price",
        "18.40",
        "--currency",
        "USD",
        "--ordered",
        "2026-10-24",
        "--shipped",
        "2026-10-26",
        "--tracking",
        "YT2412345678901234",
        "--protection-ends",
        "2026-12-04",
        "--category",
        "clothing",
        "--url",
        "https://www.aliexpress.com/item/1005001111111111.html",
        *extra,
    )
    assert result.exit_code == 0, result.stderr


def seed_failed_order(cli, tmp_path: Path, order_id: str = ORDER) -> dict[str, Any]:
    """An order as `inspect` and `track` leave it: delivered, events, failed inspection."""
    from orderctl.evidence.store import add_evidence

    add_order(cli, order_id)
    ctx = AppContext.from_env()
    files = tmp_path / "files"
    files.mkdir(exist_ok=True)
    chest = make_jpeg(files / "chest.jpg", size=(64, 48))
    label = make_jpeg(files / "label.jpg", color=(20, 160, 20))
    video = write(files / "unboxing.mp4", mp4_bytes())
    records = {
        p.name: add_evidence(ctx.paths.evidence_dir, order_id, p, now=ctx.now)
        for p in (chest, label, video)
    }
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(order_id)
        order.state = OrderState.INSPECTED
        order.delivered_at = date(2026, 11, 22)
        order.shipment_status = "delivered"
        order.items[0].attributes = {"Color": "beige", "Size": "L"}
        order.inspection = Inspection(
            verdict="fail",
            checklist="clothing",
            started_at="2026-11-26T09:00:00Z",
            completed_at="2026-11-26T09:30:00Z",
            checks=(
                InspectionCheck(id="package_condition", result="pass", note=""),
                InspectionCheck(
                    id="measurements",
                    result="fail",
                    note="Chest 100 cm; the size chart says 112 cm for L",
                    evidence=(records["chest.jpg"].as_ref(), records["unboxing.mp4"].as_ref()),
                ),
                InspectionCheck(
                    id="material_label",
                    result="fail",
                    note="Label says 100% polyester; listing says 100% linen",
                    evidence=(records["label.jpg"].as_ref(),),
                ),
                InspectionCheck(id="stitching", result="pass", note="one loose thread"),
            ),
            suggested_reasons=("not_as_described", "quality"),
            failed=("measurements", "material_label"),
            reservations=("stitching",),
        )
        txn.put(order)
        details = txn.details(order_id)
        details["events"] = list(EVENTS)
        txn.set_details(order_id, details)
    return records


def state(order_id: str = ORDER):
    return AppContext.from_env().store.get(order_id)


@pytest.fixture
def failed_order(cli, tmp_path):
    return seed_failed_order(cli, tmp_path)


def test_dispute_needs_yes_off_a_terminal_and_writes_nothing(cli, failed_order, home):
    result = cli("dispute", ORDER)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: `dispute` needs --yes when not run in a terminal" in result.stderr
    assert state().state is OrderState.INSPECTED and state().dispute is None
    assert not (home / "bundles").exists()


def test_dispute_json_contract_and_order_record(cli, failed_order, home):
    result = cli("dispute", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    for key in (
        "order_id",
        "reason",
        "remedy",
        "amount",
        "bundle_dir",
        "bundle_zip",
        "manifest_sha256",
        "files",
    ):
        assert key in data
    assert data["order_id"] == ORDER
    assert (data["reason"], data["remedy"], data["amount"]) == (
        "not_as_described",
        "refund",
        "18.40",
    )
    assert data["currency"] == "USD" and data["status"] == "opened"
    name = f"{ORDER}-20261128T120000Z"
    assert data["bundle_dir"] == str(home / "bundles" / name)
    assert data["bundle_zip"] == str(home / "bundles" / f"{name}.zip")
    paths = [f["path"] for f in data["files"]]
    assert paths == sorted(
        [
            "evidence/material_label-label.jpg",
            "evidence/measurements-chest.jpg",
            "evidence/measurements-unboxing.mp4",
            "report.html",
            "report.md",
        ]
    )
    assert data["steps"] and "Refund/Return" in " ".join(data["steps"])

    order = state()
    assert order.state is OrderState.DISPUTED
    dispute = order.dispute
    assert dispute.reason == "not_as_described"
    assert dispute.remedy == "refund" and dispute.amount == "18.40"
    assert dispute.currency == "USD"
    assert dispute.opened_at == "2026-11-28T12:00:00Z"
    assert (dispute.status, dispute.outcome, dispute.refund_amount) == (
        "opened",
        None,
        None,
    )
    assert [step.to_dict() for step in dispute.progress] == [
        {
            "step": "opened",
            "at": "2026-11-28T12:00:00Z",
            "note": "Item not as described",
            "amount": "18.40",
        }
    ]
    # Stored relative to the home (issue 9 case 12: a copied home verifies its own bundle).
    home = Path(os.environ["ORDERCTL_HOME"])
    assert dispute.bundle_dir == Path(data["bundle_dir"]).relative_to(home).as_posix()
    assert dispute.bundle_zip == Path(data["bundle_zip"]).relative_to(home).as_posix()
    assert dispute.manifest_sha256 == data["manifest_sha256"]


def test_dispute_human_output_prints_steps_and_path(cli, failed_order):
    result = cli("dispute", ORDER, "--yes", "--remedy", "partial-refund", "--amount", "9.20")
    assert result.exit_code == 0, result.stderr
    assert "Open Orders on AliExpress" in result.stdout
    assert "Measurements match the size chart (check failed)" in result.stdout
    home = Path(os.environ["ORDERCTL_HOME"])
    assert f"Bundle: {home / state().dispute.bundle_dir}" in result.stdout
    assert "partial-refund, 9.20 USD" in result.stdout
    assert state().dispute.amount == "9.20"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reason", "changed_my_mind"], "not a reason code"),
        (["--remedy", "exchange"], "not a remedy"),
        (["--remedy", "partial-refund"], "needs --amount"),
        (["--remedy", "partial-refund", "--amount", "0"], "more than 0"),
        (["--amount", "18.41"], "more than the order price"),
        (["--amount", "12 EUR"], "paid in USD"),
        (["--amount", "lots"], "--amount"),
    ],
)
def test_bad_options_exit_2_before_anything_is_written(cli, failed_order, home, args, message):
    result = cli("dispute", ORDER, "--yes", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert state().dispute is None and not (home / "bundles").exists()


def test_no_default_reason_asks_for_one(cli):
    add_order(cli, ORDER, "--delivered", "2026-11-22")
    result = cli("dispute", ORDER, "--yes")
    assert result.exit_code == 2
    assert "No reason to default to" in result.stderr and "--reason" in result.stderr
    result = cli("dispute", ORDER, "--yes", "--reason", "damaged", "--json")
    assert result.exit_code == 0, result.stderr
    assert "No inspection is recorded" in result.stderr
    assert result.json()["reason"] == "damaged"


def test_not_received_default_when_the_parcel_is_returned(cli):
    add_order(cli)
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        order.shipment_status = "exception"
        txn.put(order)
    result = cli("dispute", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["reason"] == "not_received"
    assert [f["path"] for f in result.json()["files"]] == ["report.html", "report.md"]


def test_window_not_open_by_every_source_warns_naming_them_and_builds(cli, home):
    # Sources disagree on the earliest day (5, 6, 10 or 11 days after shipping): before
    # the last of them the platform may hide the button, so orderctl warns, never refuses.
    add_order(cli, ORDER, "--shipped", "2026-11-25", "--protection-ends", "2027-01-20")
    result = cli("dispute", ORDER, "--yes", "--reason", "not_received", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["reason"] == "not_received"
    assert "Warning:" in result.stderr and "sources disagree" in result.stderr
    for day in ("2026-11-30", "2026-12-01", "2026-12-05", "2026-12-06"):
        assert day in result.stderr
    assert "2027-02-04" in result.stderr
    assert state().state is OrderState.DISPUTED


def test_window_closed_after_completion_is_refused(cli):
    add_order(cli, ORDER, "--delivered", "2026-10-20")
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        order.state = OrderState.CONFIRMED
        order.completed_at = date(2026, 10, 25)
        txn.put(order)
    result = cli("dispute", ORDER, "--yes", "--reason", "quality")
    assert result.exit_code == 6
    assert "has closed" in result.stderr
    # delivered: a dispute could be opened at once; 15 days after completion it closed
    assert "2026-10-20" in result.stderr and "2026-11-09" in result.stderr


def test_closed_order_cannot_be_disputed(cli):
    add_order(cli)
    assert cli("edit", ORDER, "--state", "closed").exit_code == 0
    result = cli("dispute", ORDER, "--yes", "--reason", "not_received")
    assert result.exit_code == 6
    assert "closed" in result.stderr


def test_rerun_rebuilds_the_bundle_and_keeps_the_opening(cli, failed_order, tmp_path, home):
    first = cli("dispute", ORDER, "--yes", "--json").json()
    extra = make_jpeg(tmp_path / "receipt.jpg", color=(1, 2, 3))
    result = cli("dispute", ORDER, "--yes", "--json", "--evidence", str(extra))
    assert result.exit_code == 0, result.stderr
    second = result.json()
    assert second["bundle_dir"] == first["bundle_dir"] + "-2"
    assert "evidence/receipt.jpg" in [f["path"] for f in second["files"]]
    dispute = state().dispute
    assert dispute.opened_at == "2026-11-28T12:00:00Z"
    assert len(dispute.progress) == 1
    assert [bundle.to_dict() for bundle in dispute.previous_bundles] == [
        {
            "bundle_dir": Path(first["bundle_dir"]).relative_to(home).as_posix(),
            "bundle_zip": Path(first["bundle_zip"]).relative_to(home).as_posix(),
            "manifest_sha256": first["manifest_sha256"],
        }
    ]
    assert [e.name for e in dispute.evidence] == ["receipt.jpg"]
    third = cli("dispute", ORDER, "--yes", "--json").json()  # remembers the extra evidence
    assert "evidence/receipt.jpg" in [f["path"] for f in third["files"]]


def test_progress_through_to_resolution(cli, failed_order):
    assert cli("dispute", ORDER, "--yes").exit_code == 0
    result = cli(
        "dispute-progress",
        ORDER,
        "seller_responded",
        "--amount",
        "2.00",
        "--note",
        "Offers 2 USD",
        "--at",
        "2026-11-28T09:00:00Z",
    )
    assert result.exit_code == 0, result.stderr
    assert "accepting any proposal closes the dispute" in result.stderr
    assert state().dispute.status == "seller_responded"

    result = cli("dispute-progress", ORDER, "escalated", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) >= {"order_id", "state", "step", "dispute"}
    assert data["step"] == {
        "step": "escalated",
        "at": "2026-11-28T12:00:00Z",
        "note": None,
        "amount": None,
    }
    assert data["dispute"]["status"] == "escalated"

    # a late seller reply does not move the status backwards
    assert cli("dispute-progress", ORDER, "seller-responded").exit_code == 0
    assert state().dispute.status == "escalated"

    assert cli("dispute-progress", ORDER, "resolved").exit_code == 2
    result = cli("dispute-progress", ORDER, "resolved", "--outcome", "refunded", "--json")
    assert result.exit_code == 0, result.stderr
    order = state()
    assert order.state is OrderState.CLOSED
    assert order.dispute.status == "resolved"
    assert (order.dispute.outcome, order.dispute.refund_amount) == ("refunded", "18.40")
    assert [p.step for p in order.dispute.progress] == [
        "opened",
        "seller_responded",
        "escalated",
        "seller_responded",
        "resolved",
    ]
    result = cli("dispute-progress", ORDER, "escalated")
    assert result.exit_code == 6 and "already resolved" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["waiting"], 2, "not a dispute step"),
        (["escalated", "--outcome", "refunded"], 2, "only goes with the resolved"),
        (["resolved", "--outcome", "won"], 2, "not an outcome"),
        (["resolved", "--outcome", "partially_refunded"], 2, "needs --amount"),
        (["resolved", "--outcome", "rejected", "--amount", "1"], 2, "does not go with"),
        (["escalated", "--at", "last tuesday"], 2, "--at"),
        (["escalated", "--at", "2027-01-01"], 2, "in the future"),
        (["resolved", "--outcome", "partially_refunded", "--amount", "-3"], 2, "--amount"),
    ],
)
def test_progress_refusals(cli, args, code, message):
    add_order(cli)
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:  # as `dispute` leaves it, without the bundle
        order = txn.get(ORDER)
        order.state = OrderState.DISPUTED
        order.dispute = Dispute.from_dict(
            {
                "reason": "not_received",
                "remedy": "refund",
                "amount": "18.40",
                "currency": "USD",
                "opened_at": "2026-11-27T10:00:00Z",
                "status": "opened",
                "outcome": None,
                "refund_amount": None,
                "progress": [
                    {
                        "step": "opened",
                        "at": "2026-11-27T10:00:00Z",
                        "note": None,
                        "amount": "18.40",
                    }
                ],
            }
        )
        txn.put(order)
    result = cli("dispute-progress", ORDER, *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert len(state().dispute.progress) == 1


def test_partial_refund_outcome_warns_when_less_than_claimed(cli, failed_order):
    assert cli("dispute", ORDER, "--yes").exit_code == 0
    result = cli(
        "dispute-progress", ORDER, "resolved", "--outcome", "partially_refunded", "--amount", "5"
    )
    assert result.exit_code == 0, result.stderr
    assert "less than the 18.40 claimed" in result.stderr
    assert "partially_refunded 5 USD; order closed" in result.stdout


def test_progress_needs_an_open_dispute(cli):
    add_order(cli)
    result = cli("dispute-progress", ORDER, "escalated")
    assert result.exit_code == 6
    assert "no open dispute" in result.stderr
    assert cli("dispute-progress", "404", "escalated").exit_code == 3


def test_show_and_due_show_the_dispute(cli, failed_order):
    assert cli("dispute", ORDER, "--yes").exit_code == 0
    assert (
        cli("dispute-progress", ORDER, "seller_responded", "--note", "Asks for photos").exit_code
        == 0
    )
    shown = cli("show", ORDER)
    assert "Dispute: not_as_described (seller_responded)" in shown.stdout
    assert "Asks for photos" in shown.stdout
    due = cli("due", "--json").json()
    escalation = [d for d in due if d["order_id"] == ORDER and d["kind"] == "escalate_by"]
    assert [d["date"] for d in escalation] == ["2026-12-05"]
    assert cli("dispute-progress", ORDER, "resolved", "--outcome", "rejected").exit_code == 0
    due = cli("due", "--json").json()
    assert not [d for d in due if d["order_id"] == ORDER and d["kind"] == "escalate_by"]


def test_verify_contract(cli, failed_order, tmp_path):
    data = cli("dispute", ORDER, "--yes", "--json").json()
    for target in (data["bundle_dir"], data["bundle_zip"]):
        result = cli("verify", target, "--json")
        assert result.exit_code == 0, result.stderr
        report = result.json()
        assert report["intact"] is True
        (bundle,) = report["bundles"]
        assert bundle["path"] == target and bundle["intact"] is True
        assert bundle["manifest_sha256"] == data["manifest_sha256"]
        assert bundle["checked"] == 5
        assert (bundle["changed"], bundle["missing"], bundle["added"]) == ([], [], [])
    result = cli("verify", "--order", ORDER)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("intact, 5 files checked") == 2
    assert cli("verify", str(tmp_path / "nope")).exit_code == 3
    assert cli("verify").exit_code == 2
    assert cli("verify", data["bundle_dir"], "--order", ORDER).exit_code == 2
    add_order(cli, "8208460785972844")
    result = cli("verify", "--order", "8208460785972844")
    assert result.exit_code == 3 and "no dispute bundle" in result.stderr


def test_verify_reports_a_changed_file_with_exit_1(cli, failed_order):
    data = cli("dispute", ORDER, "--yes", "--json").json()
    report_md = Path(data["bundle_dir"]) / "report.md"
    report_md.write_text(report_md.read_text("utf-8") + "edited\n", "utf-8")
    result = cli("verify", data["bundle_dir"])
    assert result.exit_code == 1
    assert "NOT intact" in result.stdout and "changed: report.md" in result.stdout
    assert "does not match its manifest" in result.stderr


def test_demo_steps_run_on_a_failed_inspection(cli, failed_order, home):
    from orderctl.cli.commands.demo import demo_data
    from orderctl.cli.demo_steps.disputes import FAILED_ORDER, steps

    assert FAILED_ORDER == ORDER
    results = []
    for step in steps(demo_data()):
        result = cli(*step.args)
        assert result.exit_code in step.expect, (step.title, result.stderr)
        results.append(result)
    assert "known scam pattern" in results[1].stderr
    order = state()
    assert order.state is OrderState.DISPUTED
    assert [n.kind for n in order.notes] == ["message", "message", "contact_sent"]
    assert order.dispute.reason == "not_as_described"
    assert results[-1].stdout.count("intact, 5 files checked") == 2
    assert order.dispute.bundle_dir in results[-1].stdout


def test_on_a_terminal_it_asks_first(cli, failed_order, home, monkeypatch):
    from orderctl.cli import output

    monkeypatch.setattr(output, "is_interactive", lambda: True)
    result = cli("dispute", ORDER, input="n\n")
    assert result.exit_code == 1
    assert "Open a dispute for order 3065355286098390 (Item not as described" in result.stderr
    assert state().dispute is None and not (home / "bundles").exists()
    result = cli("dispute", ORDER, input="y\n")
    assert result.exit_code == 0, result.stderr
    assert state().state is OrderState.DISPUTED
