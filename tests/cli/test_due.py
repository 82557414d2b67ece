"""due: deadlines soonest first, with advice; --within; --ics."""

from __future__ import annotations

from pathlib import Path

DUE_KEYS = {"order_id", "title", "kind", "date", "days_left", "advice"}


def test_due_json_soonest_first(cli):
    cli(
        "add",
        "8208460785972844",
        "--title",
        "Hub",
        "--shipped",
        "2026-11-02",
        "--protection-ends",
        "2026-12-05",
    )
    cli("add", "3065355286098390", "--title", "Shirt", "--shipped", "2026-11-20")
    result = cli("due", "--json")
    assert result.exit_code == 0
    entries = result.json()
    assert all(set(e) >= DUE_KEYS for e in entries)
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates)
    assert [(e["order_id"], e["kind"], e["date"], e["days_left"]) for e in entries] == [
        # the shirt's protection end is not recorded: reading it is a task of its own
        ("3065355286098390", "record_protection_end", "2026-11-28", 0),
        ("8208460785972844", "extend_protection", "2026-11-30", 2),
        ("8208460785972844", "dispute_by", "2026-12-03", 5),
        ("8208460785972844", "protection_ends", "2026-12-05", 7),
        # estimated from the typical 30 days of protection, not the 60-day maximum
        ("3065355286098390", "extend_protection", "2026-12-15", 17),
        ("3065355286098390", "dispute_by", "2026-12-18", 20),
        ("3065355286098390", "protection_ends", "2026-12-20", 22),
    ]
    assert "--protection-ends" in entries[0]["advice"]
    assert "extend" in entries[1]["advice"]
    assert [e["estimated"] for e in entries] == [False, False, False, False, True, True, True]


def test_due_within(cli):
    cli(
        "add",
        "8208460785972844",
        "--title",
        "Hub",
        "--shipped",
        "2026-11-02",
        "--protection-ends",
        "2026-12-05",
    )
    kinds = [e["kind"] for e in cli("due", "--within", "5", "--json").json()]
    assert kinds == ["extend_protection", "dispute_by"]
    assert cli("due", "--within", "-1").exit_code == 2


def test_delivered_parcel_drops_the_extension_advice(cli):
    cli("add", "8208460785972844", "--title", "Hub", "--shipped", "2026-11-02")
    cli("edit", "8208460785972844", "--delivered", "2026-11-25")
    entries = cli("due", "--json").json()
    # protection shortened to delivery + 5 days; no extension advice once delivered
    assert [(e["kind"], e["date"]) for e in entries] == [
        ("record_protection_end", "2026-11-28"),
        ("protection_ends", "2026-11-30"),
    ]


def test_ebay_claim_window(cli):
    cli(
        "add",
        "27-11068-77489",
        "--title",
        "Lens",
        "--platform",
        "ebay",
        "--ordered",
        "2026-11-01",
        "--delivered",
        "2026-11-10",
    )
    kinds = {(e["kind"], e["date"]) for e in cli("due", "--json").json()}
    assert ("claim_closes", "2026-12-10") in kinds
    assert ("feedback_closes", "2026-12-31") in kinds


def test_paypal_window_applies_to_any_platform(cli):
    cli(
        "add",
        "1234567890",
        "--title",
        "Mug",
        "--platform",
        "etsy",
        "--ordered",
        "2026-11-04",
        "--payment",
        "paypal",
    )
    kinds = {(e["kind"], e["date"]) for e in cli("due", "--json").json()}
    assert ("paypal_dispute_closes", "2027-05-03") in kinds


def test_due_empty(cli):
    result = cli("due")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Nothing due" in result.stderr
    assert cli("due", "--json").json() == []


def test_due_ics_is_rfc5545(cli, tmp_path: Path):
    cli("add", "8208460785972844", "--title", "Hub; cable, 2m", "--shipped", "2026-11-20")
    target = tmp_path / "orders.ics"
    result = cli("due", "--ics", str(target))
    assert result.exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.rstrip().endswith(b"END:VCALENDAR")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert raw.count(b"BEGIN:VEVENT") == 3
    assert b"DTSTART;VALUE=DATE:20261215" in raw  # tasks (read the countdown) are not events
    assert b"Hub\\; cable\\, 2m" in raw
    assert str(target) in result.stderr
