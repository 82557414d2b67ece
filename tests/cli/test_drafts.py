"""Issue 13: drafts signed with the configured name, no promised evidence that does not
exist, multi-line notes kept as bullet points (contact, dispute statement, report)."""

from __future__ import annotations

import os
import re
from dataclasses import replace

from orderctl.services.context import AppContext
from tests.cli.test_dispute import ORDER, add_order, seed_failed_order

TWO_LINES = "Chest 100 cm, chart says 112 cm\nSleeves 4 cm shorter than listed"


def set_name(home, name: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    config.write_text(f'name = "{name}"\n', encoding="utf-8")
    os.chmod(config, 0o600)


def two_line_note() -> None:
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        checks = list(order.inspection.checks)
        checks[1] = replace(checks[1], note=TWO_LINES)
        order.inspection = replace(order.inspection, checks=tuple(checks))
        txn.put(order)


def test_contact_is_signed_with_the_configured_name(cli, tmp_path, home):
    seed_failed_order(cli, tmp_path)
    set_name(home, "Ana Souza")
    result = cli("contact", ORDER)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("Thank you,\nAna Souza\n")
    assert "[YOUR NAME]" not in result.stderr


def test_without_a_name_the_placeholder_is_flagged(cli, tmp_path):
    seed_failed_order(cli, tmp_path)
    result = cli("contact", ORDER)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("Thank you,\n[YOUR NAME]\n")
    assert (
        "Warning: The draft is signed [YOUR NAME]: replace it with your name before sending, "
        'or set it once with `orderctl config set name "Your Name"`.'
    ) in result.stderr


def test_not_arrived_draft_promises_no_evidence(cli):
    add_order(cli)
    result = cli("contact", ORDER, "--reason", "not_received")
    assert result.exit_code == 0, result.stderr
    assert "has not arrived" in result.stdout
    assert "evidence" not in result.stdout.lower()
    assert "photos" not in result.stdout.lower()
    assert "I will open a dispute on AliExpress, as buyer protection allows." in result.stdout


def test_multi_line_note_is_bullets_in_contact_and_statement(cli, tmp_path, home):
    seed_failed_order(cli, tmp_path)
    two_line_note()
    contact = cli("contact", ORDER)
    assert contact.exit_code == 0, contact.stderr
    assert (
        "- Measurements match the size chart:\n"
        "   - Chest 100 cm, chart says 112 cm.\n"
        "   - Sleeves 4 cm shorter than listed.\n"
        "   Evidence: chest.jpg, unboxing.mp4.\n"
    ) in contact.stdout
    dispute = cli("dispute", ORDER, "--yes")
    assert dispute.exit_code == 0, dispute.stderr
    assert "\n  Signed: [YOUR NAME]\n" in dispute.stdout
    assert "Warning: The statement and report are signed [YOUR NAME]" in dispute.stderr
    assert (
        ". Measurements match the size chart (check failed):\n"
        "     - Chest 100 cm, chart says 112 cm.\n"
        "     - Sleeves 4 cm shorter than listed.\n"
    ) in dispute.stdout
    bundle = next((home / "bundles").iterdir())
    if bundle.suffix == ".zip":
        bundle = bundle.with_suffix("")
    markdown = (bundle / "report.md").read_text(encoding="utf-8")
    assert "3. Measurements match the size chart (check failed):\n   - Chest 100 cm" in markdown
    assert "  - Chest 100 cm, chart says 112 cm\n  - Sleeves 4 cm shorter than listed" in (markdown)
    assert "\nSubmitted by: \\[YOUR NAME\\]\n" in markdown
    html = (bundle / "report.html").read_text(encoding="utf-8")
    assert "<p>Submitted by: [YOUR NAME]</p>" in html
    assert "<li>Chest 100 cm, chart says 112 cm.</li><li>Sleeves 4 cm shorter" in html
    assert "<li>Chest 100 cm, chart says 112 cm</li><li>Sleeves 4 cm shorter" in html


def test_resolved_dispute_shows_outcome_and_amount_in_show_and_list(cli, tmp_path):
    seed_failed_order(cli, tmp_path)
    assert cli("dispute", ORDER, "--yes").exit_code == 0
    result = cli(
        "dispute-progress", ORDER, "resolved", "--outcome", "partially_refunded", "--amount", "9.50"
    )
    assert result.exit_code == 0, result.stderr
    show = cli("show", ORDER).stdout
    assert re.search(r"\nDispute +resolved: partially refunded 9.50 USD\n", show), show
    assert "(resolved: partially refunded 9.50 USD), remedy refund" in show
    (row,) = [line for line in cli("list").stdout.splitlines() if line.startswith(ORDER)]
    assert "closed (resolved: partially refunded 9.50 USD)" in row
    assert cli("list", "--json").json()[0]["dispute"] == {
        "status": "resolved",
        "outcome": "partially_refunded",
        "refund_amount": "9.50",
    }


def test_dispute_statement_and_report_signed_with_the_name(cli, tmp_path, home):
    seed_failed_order(cli, tmp_path)
    set_name(home, "Ana Souza")
    result = cli("dispute", ORDER, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "\n  Signed: Ana Souza\n" in result.stdout
    assert "YOUR NAME" not in result.stderr
    bundle = next(p for p in (home / "bundles").iterdir() if p.is_dir())
    assert "\nSubmitted by: Ana Souza\n" in (bundle / "report.md").read_text(encoding="utf-8")


def test_report_shows_a_resolved_outcome_and_refund():
    from orderctl.evidence.report import render_reports
    from tests.unit.test_evidence_report import report_context

    context = report_context()
    context["order"]["dispute"] = {
        "status": "resolved",
        "outcome": "partially_refunded",
        "refund_amount": "3.00",
    }
    html, markdown = render_reports(context)
    assert "- Outcome: resolved, partially refunded 3.00 EUR\n" in markdown
    assert "<p><strong>Outcome:</strong> resolved, partially refunded 3.00 EUR</p>" in html
    plain_html, plain_md = render_reports(report_context())
    assert "Outcome" not in plain_html and "Outcome" not in plain_md
