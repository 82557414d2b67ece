"""The buyer's day: the same order at 07:00 and 23:30 local in UTC+8 and UTC-8.

"Today" is the buyer's calendar date (ORDERCTL_TZ), not the UTC date, and
ORDERCTL_NOW with an offset is an instant like any other. AliExpress counts
its days in China time (policy data): for a buyer west of it the platform's
day ends during the buyer's day, so the last safe day is shown one day
earlier, with a note saying so.
"""

from __future__ import annotations

from datetime import date

import pytest

from orderctl import clock
from orderctl.domain.records import Dispute

AE = "8208460785972844"
EBAY = "27-11068-77489"


def seed(cli):
    assert (
        cli(
            "add",
            AE,
            "--title",
            "Hub",
            "--shipped",
            "2026-11-20",
            "--protection-ends",
            "2026-12-05",
        ).exit_code
        == 0
    )
    assert (
        cli(
            "add",
            EBAY,
            "--title",
            "Lens",
            "--platform",
            "ebay",
            "--ordered",
            "2026-11-01",
            "--delivered",
            "2026-11-10",
        ).exit_code
        == 0
    )


CASES = [
    # zone, local time -> AliExpress (dispute_by, protection_ends) as shown, ebay claim_closes
    ("Asia/Shanghai", "2026-12-03T07:00:00+08:00", ("2026-12-03", 0), ("2026-12-05", 2)),
    ("Asia/Shanghai", "2026-12-03T23:30:00+08:00", ("2026-12-03", 0), ("2026-12-05", 2)),
    ("America/Los_Angeles", "2026-12-03T07:00:00-08:00", ("2026-12-02", -1), ("2026-12-04", 1)),
    ("America/Los_Angeles", "2026-12-03T23:30:00-08:00", ("2026-12-02", -1), ("2026-12-04", 1)),
]


@pytest.mark.parametrize(("zone", "now", "dispute_by", "protection_ends"), CASES)
def test_due_counts_in_the_buyers_day(cli, monkeypatch, zone, now, dispute_by, protection_ends):
    seed(cli)
    monkeypatch.setenv("ORDERCTL_TZ", zone)
    monkeypatch.setenv("ORDERCTL_NOW", now)
    result = cli("due", "--json")
    assert result.exit_code == 0, result.stderr
    entries = {(e["order_id"], e["kind"]): e for e in result.json()}
    got = entries[(AE, "dispute_by")]
    assert (got["date"], got["days_left"]) == dispute_by
    got = entries[(AE, "protection_ends")]
    assert (got["date"], got["days_left"]) == protection_ends
    shifted = zone == "America/Los_Angeles"
    note = got["zone_note"]
    assert (note is not None) is shifted
    if shifted:
        assert "2026-12-05 ends at 08:00 on 2026-12-05 your time" in note
    # eBay counts in Pacific time: never later than the buyer's own day, so never shifted
    claim = entries[(EBAY, "claim_closes")]
    assert claim["date"] == "2026-12-10" and claim["zone_note"] is None
    assert claim["days_left"] == 7


@pytest.mark.parametrize(
    ("zone", "now", "today"),
    [
        ("Asia/Shanghai", "2026-11-28T07:00:00+08:00", date(2026, 11, 28)),
        ("Asia/Shanghai", "2026-11-27T23:30:00Z", date(2026, 11, 28)),
        ("America/Los_Angeles", "2026-11-28T07:00:00+08:00", date(2026, 11, 27)),
        ("America/Los_Angeles", "2026-11-28T23:30:00-08:00", date(2026, 11, 28)),
        ("UTC", "2026-11-28T23:30:00-08:00", date(2026, 11, 29)),
    ],
)
def test_today_is_the_buyers_date(zone, now, today):
    env = {"ORDERCTL_TZ": zone, "ORDERCTL_NOW": now}
    assert clock.today(env) == today


def test_show_says_why_a_date_moved(cli, monkeypatch):
    seed(cli)
    monkeypatch.setenv("ORDERCTL_TZ", "America/Los_Angeles")
    monkeypatch.setenv("ORDERCTL_NOW", "2026-12-03T07:00:00-08:00")
    data = cli("show", AE, "--json").json()
    ends = next(d for d in data["deadlines"] if d["kind"] == "protection_ends")
    assert ends["date"] == "2026-12-04" and "your time" in ends["zone_note"]
    # the refusal counts to the platform's own last day (the buyer's last overlapping day)
    assert data["dispute_window"]["closes_estimated"] is True


def test_dispute_opening_counts_from_the_buyers_day():
    from datetime import UTC

    from orderctl.domain.deadlines import Zones, schedule
    from orderctl.domain.models import Order, OrderState
    from orderctl.domain.policies import parse_policies
    from orderctl.services.context import load_policy_document

    policies = parse_policies(load_policy_document())
    order = Order("1", "x", platform="other", payment_method="paypal", state=OrderState.DISPUTED)
    # opened at 23:30 on 11-26 in Los Angeles = 07:30 UTC on 11-27
    order.dispute = Dispute(status="opened", opened_at="2026-11-27T07:30:00Z")
    la = clock.zone_by_name("America/Los_Angeles")
    local = schedule(order, policies, date(2026, 11, 28), Zones(buyer=la)).deadlines
    utc = schedule(order, policies, date(2026, 11, 28), Zones(buyer=UTC)).deadlines
    assert [(d.kind, d.date) for d in local] == [("paypal_escalate_by", date(2026, 12, 16))]
    assert [(d.kind, d.date) for d in utc] == [("paypal_escalate_by", date(2026, 12, 17))]
