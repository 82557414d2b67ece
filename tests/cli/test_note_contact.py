"""note and contact: the conversation with the seller and the message draft."""

from __future__ import annotations

import os

import pytest

from orderctl.evidence.store import find_evidence
from orderctl.services.context import AppContext
from tests.cli.test_dispute import ORDER, add_order, seed_failed_order, state
from tests.helpers.images import make_jpeg


def test_note_appends_a_message_with_attachments_in_time_order(cli, tmp_path):
    add_order(cli)
    shot = make_jpeg(tmp_path / "chat screenshot.jpg")
    first = cli("note", ORDER, "Where is my parcel?", "--at", "2026-11-20T08:00:00+01:00")
    assert first.exit_code == 0, first.stderr
    assert "Noted me message of 2026-11-20T07:00:00Z" in first.stdout
    result = cli(
        "note",
        ORDER,
        "It was shipped, wait please.",
        "--from",
        "seller",
        "--at",
        "2026-11-19",
        "--attach",
        str(shot),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) == {"order_id", "note", "notes"}
    assert data["order_id"] == ORDER and data["notes"] == 2
    note = data["note"]
    assert set(note) == {"at", "sender", "text", "attachments", "kind"}
    assert (note["at"], note["sender"], note["kind"]) == (
        "2026-11-19T00:00:00Z",
        "seller",
        "message",
    )
    (attachment,) = note["attachments"]
    assert set(attachment) == {"sha256", "name", "media_type", "size"}
    assert attachment["name"] == "chat screenshot.jpg"
    assert attachment["media_type"] == "image/jpeg"
    assert attachment["size"] == shot.stat().st_size
    ctx = AppContext.from_env()
    assert find_evidence(ctx.paths.evidence_dir, ORDER, attachment["sha256"]) is not None
    notes = state().notes
    assert [n.text for n in notes] == ["It was shipped, wait please.", "Where is my parcel?"]


def test_note_defaults_to_me_now(cli):
    add_order(cli)
    result = cli("note", ORDER, "Hello", "--json")
    assert result.exit_code == 0, result.stderr
    note = result.json()["note"]
    assert (note["at"], note["sender"], note["attachments"]) == ("2026-11-28T12:00:00Z", "me", [])


def test_seller_scam_pattern_is_flagged(cli):
    add_order(cli)
    result = cli("note", ORDER, "Please confirm receipt first, then refund", "--from", "seller")
    assert result.exit_code == 0
    assert "known scam pattern" in result.stderr
    assert "scam" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Hi", "--at", "yesterday"], "--at"),
        (["Hi", "--at", "2026-12-31T00:00:00Z"], "in the future"),
        (["Hi", "--from", "courier"], "--from"),
        (["   "], "must not be empty"),
    ],
)
def test_note_refusals_exit_2_and_write_nothing(cli, args, message):
    add_order(cli)
    result = cli("note", ORDER, *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""
    assert state().notes == []


def test_note_attachment_must_be_a_real_file(cli, tmp_path, home):
    add_order(cli)
    photo = make_jpeg(tmp_path / "p.jpg")
    link = tmp_path / "link.jpg"
    os.symlink(photo, link)
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a photo")
    for bad, message in (
        (link, "symbolic link"),
        (tmp_path, "directory"),
        (tmp_path / "missing.jpg", "not found"),
        (fake, "content is"),
    ):
        result = cli("note", ORDER, "See attached", "--attach", str(bad))
        assert result.exit_code == 2, bad
        assert message in result.stderr
    assert state().notes == []
    assert cli("note", "404", "Hi").exit_code == 3


def test_contact_draft_is_specific_and_writes_nothing(cli, tmp_path):
    seed_failed_order(cli, tmp_path)
    result = cli("contact", ORDER)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("Hello Simple Linen Store,")
    assert "received my order 3065355286098390 (Linen shirt - beige - size L) on 2026-11-22" in text
    assert "- 1 × Linen shirt - beige - size L (Color: beige; Size: L), 18.40 USD each" in text
    assert (
        "- Measurements match the size chart: Chest 100 cm; the size chart says 112 cm for L. "
        "Evidence: chest.jpg, unboxing.mp4." in text
    )
    assert "- Material label: Label says 100% polyester; listing says 100% linen." in text
    assert "chest.jpg, unboxing.mp4, label.jpg" in text
    assert "I request a full refund of 18.40 USD." in text
    # today + 5 = 12-03; protection ends 12-04 minus 2 days lead = 12-02
    assert "Please reply by 2026-12-02." in text
    assert "contact 3065355286098390 --sent" in result.stderr
    assert state().notes == []


def test_contact_sent_logs_it_and_json_contract(cli, tmp_path):
    seed_failed_order(cli, tmp_path)
    result = cli(
        "contact", ORDER, "--remedy", "partial-refund", "--amount", "9.20", "--sent", "--json"
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) >= {
        "order_id",
        "reason",
        "remedy",
        "amount",
        "currency",
        "reply_by",
        "message",
        "evidence",
        "logged",
    }
    assert (data["reason"], data["remedy"], data["amount"]) == (
        "not_as_described",
        "partial-refund",
        "9.20",
    )
    assert data["reply_by"] == "2026-12-02" and data["logged"] is True
    assert "partial refund of 9.20 USD and will keep the item" in data["message"]
    (note,) = state().notes
    assert note.to_dict() == {
        "at": "2026-11-28T12:00:00Z",
        "sender": "me",
        "text": data["message"],
        "attachments": [],
        "kind": "contact_sent",
    }


def test_contact_for_a_parcel_that_never_came(cli):
    add_order(cli, ORDER, "--protection-ends", "2026-11-29")
    result = cli("contact", ORDER, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["reason"] == "not_received"
    assert "has not arrived" in data["message"]
    assert "tracking number YT2412345678901234" in data["message"]
    assert data["reply_by"] == "2026-11-28"  # protection ends tomorrow: answer today


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--remedy", "partial-refund"], "needs --amount"),
        (["--amount", "100"], "more than the order price"),
        (["--remedy", "store-credit"], "not a remedy"),
        (["--reason", "meh"], "not a reason code"),
    ],
)
def test_contact_refusals(cli, args, message):
    add_order(cli)
    result = cli("contact", ORDER, "--sent", *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""
    assert state().notes == []
