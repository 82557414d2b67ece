"""feedback: derived stars and ratings, private review text, location-free photos, --posted."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from orderctl.domain.models import OrderState
from orderctl.domain.records import ConversationNote, EvidenceRef, Inspection, InspectionCheck
from orderctl.evidence.store import add_evidence
from orderctl.services.context import AppContext
from tests.helpers.errors import json_error
from tests.helpers.images import make_jpeg

ORDER = "8208460785972844"
TRACKING = "LP00123456789012"
FEEDBACK_KEYS = {
    "stars",
    "ratings",
    "text",
    "photos",
    "delivery_days",
    "drafted_at",
    "posted_at",
    "scale",
    "overall",
}


def check(cid, result="pass", note="", evidence=()):
    return InspectionCheck(id=cid, result=result, note=note, evidence=tuple(evidence))


def inspection(checks, *, reservations=(), failed=(), reasons=()):
    return Inspection(
        verdict="fail" if failed else "pass",
        checklist="generic",
        started_at="2026-11-26T09:00:00Z",
        completed_at="2026-11-26T09:20:00Z",
        checks=tuple(checks),
        suggested_reasons=tuple(reasons),
        failed=tuple(failed),
        reservations=tuple(reservations),
    )


def seed(cli, *, state="confirmed", insp=None, notes=(), events=None, delivered="2026-11-24"):
    """Put an order in the store the way inspect/confirm/note leave it."""
    args = ["add", ORDER, "--title", "USB-C hub", "--ordered", "2026-11-08"]
    args += ["--shipped", "2026-11-10", "--tracking", TRACKING]
    assert cli(*args).exit_code == 0
    ctx = AppContext.from_env()
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        order.state = OrderState(state)
        order.delivered_at = None if delivered is None else date.fromisoformat(delivered)
        order.items[0].attributes = {"Color": "Grey", "Plug": "EU"}
        order.inspection = insp if insp is not None else inspection([check("functionality")])
        order.notes = list(notes)
        if state == "confirmed":
            order.completed_at = ctx.today
        if events is not None:
            txn.set_details(ORDER, {"events": events})
        txn.put(order)


def evidence_photos(tmp_path: Path, count: int) -> list[EvidenceRef]:
    """JPEGs with GPS EXIF and orientation 6, added to the evidence store."""
    ctx = AppContext.from_env()
    found = []
    for n in range(count):
        src = make_jpeg(tmp_path / f"IMG_{n}.jpg", color=(200, 30 + n * 20, 30))
        rec = add_evidence(ctx.paths.evidence_dir, ORDER, src, now=ctx.now)
        found.append(rec.as_ref())
    return found


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)


def test_json_contract_and_saved_on_the_order(cli, home):
    seed(cli)
    result = cli("feedback", ORDER, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data) == FEEDBACK_KEYS
    assert set(data["ratings"]) == {"item_as_described", "communication", "shipping_speed"}
    assert data["stars"] == 5
    # no conversation is not a complaint: communication gets the top score
    assert data["ratings"] == {"item_as_described": 5, "communication": 5, "shipping_speed": 5}
    assert (data["scale"], data["overall"]) == ("stars5", None)
    assert data["delivery_days"] == 14
    assert data["drafted_at"] == "2026-11-28T12:00:00Z"
    assert data["posted_at"] is None
    assert data["photos"] == []
    assert data["text"] == (
        "Exactly as described. Variant: Color Grey, Plug EU. On arrival: works as described. "
        "Arrived in 14 days."
    )
    assert cli("show", ORDER, "--json").json()["feedback"] == data
    md = home / "feedback" / ORDER / "feedback.md"
    assert md.is_file()
    assert data["text"] in md.read_text("utf-8")
    assert f"Feedback draft saved to {md}" in result.stderr


def test_markdown_on_stdout_and_out_file(cli, tmp_path):
    seed(
        cli, insp=inspection([check("quality", note="Slight glue mark")], reservations=["quality"])
    )
    target = tmp_path / "draft.md"
    result = cli("feedback", ORDER, "--out", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == target.read_text("utf-8")
    assert "Product stars: ★★★★☆ (4/5)" in result.stdout
    assert (
        "- Shipping speed: 5/5 — dispatched fast: shipped 2 days after ordering (typical 5); "
        "delivery then took 14 days" in result.stdout
    )
    assert "Minor issue (workmanship): Slight glue mark." in result.stdout
    assert f"orderctl feedback {ORDER} --posted" in result.stdout
    assert str(target) in result.stderr


def test_stars_override_and_range(cli):
    seed(cli)
    assert cli("feedback", ORDER, "--stars", "2", "--json").json()["stars"] == 2
    for bad in ("0", "6"):
        result = cli("feedback", ORDER, "--stars", bad)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "--stars must be 1 to 5" in result.stderr


@pytest.mark.parametrize(
    ("checks", "extra", "stars", "described"),
    [
        ([check("quality", note="ok")], {}, 5, 5),
        ([check("quality", note="Tiny scratch")], {"reservations": ["quality"]}, 4, 5),
        (
            [check("quality", "fail", "Cracked case")],
            {"failed": ["quality"], "reasons": ["quality"]},
            2,
            3,
        ),
        (
            [check("correct_item", "fail", "Got a USB-A hub")],
            {"failed": ["correct_item"], "reasons": ["wrong_item"]},
            1,
            1,
        ),
    ],
)
def test_stars_from_the_inspection(cli, checks, extra, stars, described):
    seed(cli, insp=inspection(checks, **extra))
    data = cli("feedback", ORDER, "--json").json()
    assert data["stars"] == stars
    assert data["ratings"]["item_as_described"] == described


@pytest.mark.parametrize(
    ("state", "insp", "code", "message"),
    [
        ("shipped", None, 6, "is shipped; feedback comes after inspecting"),
        ("delivered", None, 6, "is delivered"),
        (
            "inspected",
            inspection([check("quality", "fail", "x")], failed=["quality"]),
            6,
            "failed its inspection",
        ),
        ("disputed", None, 6, "is in dispute"),
        ("inspected", None, 0, "is not confirmed yet"),  # passed: a draft ahead of confirming
        ("closed", None, 0, None),
    ],
)
def test_which_orders_get_feedback(cli, state, insp, code, message):
    seed(cli, state=state, insp=insp)
    result = cli("feedback", ORDER, "--json")
    assert result.exit_code == code
    if message:
        assert message in result.stderr
    if code:
        assert json_error(result)["code"] == code
        assert AppContext.from_env().store.get(ORDER).feedback is None


def test_no_personal_data_in_the_text(cli, home):
    write_config(home, '[feedback]\nprivate_words = ["Jane Roe"]\n')
    note = (
        "Courier Jane Roe rang +44 20 7946 0958, mail jane.roe@example.com; parcel "
        f"{TRACKING} and RB123456785CN left at 12 Baker Street. Small scratch."
    )
    seed(cli, insp=inspection([check("quality", note=note)], reservations=["quality"]))
    text = cli("feedback", ORDER, "--json").json()["text"]
    for secret in (
        "Jane",
        "7946",
        "jane.roe@example.com",
        "example.com",
        TRACKING,
        "RB123456785CN",
        "Baker Street",
        ORDER,
    ):
        assert secret not in text, secret
    assert "Small scratch" in text


def test_text_limit_from_policy_data(cli, home):
    write_config(home, "[policies.aliexpress]\nreview_text_max_chars = 80\n")
    long_note = "The lid creaks a little when it opens and closes. " * 20
    seed(cli, insp=inspection([check("quality", note=long_note)], reservations=["quality"]))
    text = cli("feedback", ORDER, "--json").json()["text"]
    assert len(text) <= 80
    assert text.startswith("Good, with a minor issue. Variant: Color Grey, Plug EU.")


def test_photos_exported_without_gps(cli, home, tmp_path):
    photos = evidence_photos(tmp_path, 2)
    seed(cli, insp=inspection([check("package_condition", evidence=photos)]))
    result = cli("feedback", ORDER, "--json")
    assert result.exit_code == 0, result.stderr
    paths = [Path(p) for p in result.json()["photos"]]
    folder = home / "feedback" / ORDER / "photos"
    assert paths == [folder / "photo-01.jpg", folder / "photo-02.jpg"]
    for path in paths:
        with Image.open(path) as im:
            assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
            assert ExifTags.Base.Orientation not in im.getexif()
            assert "xmp" not in im.info and "XML:com.adobe.xmp" not in im.info
            assert im.size == (20, 40)  # orientation 6 applied to the pixels
    # The originals in the evidence store keep their metadata.
    original = next((home / "evidence" / ORDER).glob("*.jpg"))
    with Image.open(original) as im:
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo) != {}


def test_heic_photos_are_exported_as_jpeg_without_metadata(cli, home, tmp_path):
    from tests.helpers.images import make_heic

    ctx = AppContext.from_env()
    seed(cli, insp=inspection([check("package_condition")]))
    rec = add_evidence(
        ctx.paths.evidence_dir, ORDER, make_heic(tmp_path / "IMG_7.HEIC"), now=ctx.now
    )
    assert rec.media_type == "image/heic" and rec.taken_at == "2024-05-01T12:34:56+02:00"
    seed_again = inspection([check("package_condition", evidence=[rec.as_ref()])])
    with ctx.store.transaction(ctx.now) as txn:
        order = txn.get(ORDER)
        order.inspection = seed_again
        txn.put(order)
    result = cli("feedback", ORDER, "--json")
    assert result.exit_code == 0, result.stderr
    paths = [Path(p) for p in result.json()["photos"]]
    assert paths == [home / "feedback" / ORDER / "photos" / "photo-01.jpg"]
    with Image.open(paths[0]) as im:
        assert im.format == "JPEG"
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert ExifTags.Base.Make not in im.getexif()


def test_photo_limit_and_stale_photos(cli, home, tmp_path):
    photos = evidence_photos(tmp_path, 3)
    seed(cli, insp=inspection([check("package_condition", evidence=photos)]))
    assert len(cli("feedback", ORDER, "--json").json()["photos"]) == 3
    write_config(home, "[policies.aliexpress]\nreview_photos_max = 2\n")
    result = cli("feedback", ORDER, "--json")
    assert len(result.json()["photos"]) == 2
    assert "1 more photo not exported" in result.stderr
    folder = home / "feedback" / ORDER / "photos"
    assert sorted(p.name for p in folder.iterdir()) == ["photo-01.jpg", "photo-02.jpg"]


def test_posted_ends_the_feedback_reminder(cli):
    seed(cli)
    kinds = {e["kind"] for e in cli("due", "--json").json()}
    assert "feedback_closes" in kinds
    drafted = cli("feedback", ORDER, "--json").json()
    result = cli("feedback", ORDER, "--posted", "--json")
    assert result.exit_code == 0, result.stderr
    posted = result.json()
    assert posted == drafted | {"posted_at": "2026-11-28T12:00:00Z"}  # not redrafted
    kinds = {e["kind"] for e in cli("due", "--json").json()}
    assert "feedback_closes" not in kinds
    assert "dispute_closes" in kinds
    again = cli("feedback", ORDER, "--posted")
    assert again.exit_code == 0
    assert "Already recorded as posted" in again.stderr
    assert "recorded as posted at 2026-11-28T12:00:00Z" in again.stdout


def test_posted_without_a_draft_drafts_it(cli):
    seed(cli)
    data = cli("feedback", ORDER, "--posted", "--json").json()
    assert data["posted_at"] == "2026-11-28T12:00:00Z"
    assert data["stars"] == 5


def test_posted_takes_no_redraft_options(cli):
    seed(cli)
    result = cli("feedback", ORDER, "--posted", "--stars", "4")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_delivery_date_from_the_tracking_timeline(cli):
    events = [
        {
            "time": "2026-11-21T15:30:00+01:00",
            "time_utc": "2026-11-21T14:30:00Z",
            "status": "delivered",
            "description": "Delivered",
            "location": "Lyon",
            "provider": "17track",
            "detail": None,
        }
    ]
    seed(cli, delivered=None, events=events)
    assert cli("feedback", ORDER, "--json").json()["delivery_days"] == 11


def test_communication_from_the_conversation(cli):
    notes = [
        ConversationNote(at="2026-11-20T10:00:00Z", sender="me", text="Hi", kind="message"),
        ConversationNote(at="2026-11-20T20:00:00Z", sender="seller", text="Hello", kind="message"),
    ]
    seed(cli, notes=notes)
    data = cli("feedback", ORDER, "--json").json()
    assert data["ratings"]["communication"] == 5
    assert "The seller answered quickly." in data["text"]


def test_ebay_feedback_uses_ebays_form(cli):
    seed(cli)
    assert cli("edit", ORDER, "--platform", "ebay").exit_code == 0
    result = cli("feedback", ORDER, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["scale"], data["overall"]) == ("pnn", "positive")
    assert data["ratings"] == {
        "item_as_described": 5,
        "communication": 5,
        "shipping_time": 4,  # shipped 2 days after ordering: within a typical handling of 3
        "shipping_charges": 5,
    }
    md = cli("feedback", ORDER, "--stars", "3").stdout
    assert "Overall: Neutral (3/5)" in md and "★" not in md
    assert "- Shipping & handling charges: 5/5" in md


def test_stars_override_changes_the_text_too(cli):
    seed(
        cli, insp=inspection([check("quality", note="Slight glue mark")], reservations=["quality"])
    )
    derived = cli("feedback", ORDER, "--json").json()
    assert derived["stars"] == 4 and "Minor issue (workmanship)" in derived["text"]
    five = cli("feedback", ORDER, "--stars", "5", "--json").json()
    assert five["stars"] == 5
    assert five["text"].startswith("Exactly as described.")
    assert "Minor issue" not in five["text"] and "glue" not in five["text"]


def test_a_plain_pass_with_a_note_is_not_a_defect(cli):
    seed(cli, insp=inspection([check("correct_item", note="Model and colour match the snapshot")]))
    data = cli("feedback", ORDER, "--json").json()
    assert data["stars"] == 5
    assert "Minor issue" not in data["text"] and "snapshot" not in data["text"]
