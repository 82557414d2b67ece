"""Typed order records load a v1 order book from the current release and write it back as it was.

The fixture in tests/data/orderbook_v1 was written by the 0.1.0 code (see its README).
No schema version bump is needed because the stored shape does not change: these
tests prove it byte for byte, unknown keys included.
"""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orderctl.domain.models import Order
from orderctl.domain.records import (
    BundleRef,
    ConversationNote,
    Dispute,
    DisputeStep,
    EvidenceRef,
    Feedback,
    HistoryEntry,
    Inspection,
    InspectionCheck,
    KeptMail,
    MailSource,
)
from orderctl.paths import Paths
from orderctl.store.repository import OrderStore

FIXTURE = Path(__file__).parent.parent / "data" / "orderbook_v1"
# The same book after notes with attachments, a rebuilt dispute with --evidence, evidence
# added and removed, kept e-mails and tracking, written by the release before these were typed.
EVIDENCE_FIXTURE = FIXTURE.with_name("orderbook_v1_evidence")
FIXTURES = pytest.mark.parametrize("fixture", [FIXTURE, EVIDENCE_FIXTURE], ids=lambda p: p.name)


def stored_orders(fixture: Path = FIXTURE) -> list[dict]:
    return list(json.loads((fixture / "orders.json").read_text("utf-8"))["orders"].values())


def test_the_fixture_has_every_record_kind():
    raw = stored_orders()
    assert {"dispute", "feedback", "inspection", "notes"} <= {k for o in raw for k in o}


def test_records_load_typed():
    orders = {o["order_id"]: Order.from_dict(o) for o in stored_orders()}
    disputed = orders["3065355286098390"]
    assert isinstance(disputed.dispute, Dispute)
    assert disputed.dispute.reason == "not_as_described"
    assert disputed.dispute.amount == "18.40"
    assert disputed.dispute.progress == (
        DisputeStep(
            step="opened",
            at="2026-11-27T10:00:00Z",
            note="Item not as described",
            amount="18.40",
            keys=("step", "at", "note", "amount"),
        ),
    )
    assert all(o.dispute is None for k, o in orders.items() if k != "3065355286098390")
    notes = disputed.notes
    assert notes and all(isinstance(n, ConversationNote) for n in notes)
    assert [(n.sender, n.kind) for n in notes][:2] == [("me", "message"), ("seller", "message")]
    assert notes[-1].kind == "contact_sent" and notes[-1].attachments == ()
    reviewed = orders["8208460785972844"]
    assert isinstance(reviewed.feedback, Feedback)
    assert (reviewed.feedback.stars, reviewed.feedback.posted_at) == (5, None)
    assert reviewed.feedback.ratings == {
        "item_as_described": 5,
        "communication": 5,
        "shipping_speed": 5,
    }
    assert [Path(p).name for p in reviewed.feedback.photos] == ["photo-01.jpg"]
    inspected = [o for o in orders.values() if o.inspection is not None]
    assert len(inspected) == 2 and all(isinstance(o.inspection, Inspection) for o in inspected)
    shirt = disputed.inspection
    assert (shirt.verdict, shirt.checklist, shirt.revision) == ("fail", "clothing", 1)
    assert shirt.failed == ("description_match", "measurements", "colour", "material_label")
    assert shirt.suggested_reasons == ("not_as_described",)
    assert all(isinstance(c, InspectionCheck) for c in shirt.checks)
    colour = shirt.check("colour")
    assert colour is not None and (colour.result, colour.note) == (
        "fail",
        "Light grey instead of beige, compared in daylight",
    )
    assert [e.name for e in colour.evidence] == ["shirt-colour-daylight.jpg"]
    assert shirt.check("no_such_check") is None
    assert [e.name for e in shirt.evidence_refs()][:2] == [
        "shirt-colour-daylight.jpg",
        "shirt-size-label.jpg",
    ]


@FIXTURES
def test_every_stored_order_round_trips_to_the_same_json(fixture):
    for raw in stored_orders(fixture):
        again = Order.from_dict(copy.deepcopy(raw)).to_storage()
        assert json.dumps(again) == json.dumps(raw), raw["order_id"]


def test_unknown_keys_of_another_release_survive_in_order():
    raw = next(o for o in stored_orders() if o.get("dispute"))
    dispute = raw["dispute"]
    # a key written by a newer release, in the middle, and one an older release left null
    items = list(dispute.items())
    items.insert(3, ("escalated_to", {"who": "paypal", "case": 7}))
    dispute = dict(items) | {"signed_by": None}
    del dispute["previous_bundles"]  # an older release did not write it: it stays absent
    dispute["progress"][0]["channel_note"] = "from a newer release"
    raw = {**raw, "dispute": dispute}
    order = Order.from_dict(copy.deepcopy(raw))
    assert order.dispute.extra == {"escalated_to": {"who": "paypal", "case": 7}}
    assert order.dispute.progress[0].extra == {"channel_note": "from a newer release"}
    assert json.dumps(order.to_storage()) == json.dumps(raw)


def test_unknown_feedback_keys_survive():
    raw = next(o for o in stored_orders() if o.get("feedback"))
    feedback = dict(raw["feedback"])
    del feedback["scale"]  # an older release did not write it
    raw = {**raw, "feedback": {"helpful_votes": 3, **feedback}}
    order = Order.from_dict(copy.deepcopy(raw))
    assert order.feedback.extra == {"helpful_votes": 3}
    assert order.feedback.scale is None
    assert json.dumps(order.to_storage()) == json.dumps(raw)


def test_unknown_note_keys_survive():
    raw = next(o for o in stored_orders() if o.get("notes"))
    notes = [dict(n) for n in raw["notes"]]
    notes[0] = {"channel": "chat", **notes[0], "reply_by": "2026-12-01"}
    del notes[1]["kind"]  # an older release did not write it: read as a message
    raw = {**raw, "notes": notes}
    order = Order.from_dict(copy.deepcopy(raw))
    assert order.notes[0].extra == {"channel": "chat"}
    assert order.notes[0].reply_by == "2026-12-01"
    assert order.notes[1].kind is None
    assert json.dumps(order.to_storage()) == json.dumps(raw)


def test_unknown_inspection_keys_survive():
    raw = next(o for o in stored_orders() if (o.get("inspection") or {}).get("failed"))
    inspection = dict(raw["inspection"])
    del inspection["failed"]  # an older release did not list them: read from the checks
    checks = [dict(c) for c in inspection["checks"]]
    checks[0] = {"photo_hint": "top", **checks[0]}
    del checks[1]["evidence"]  # absent stays absent
    inspection = {**inspection, "checks": checks, "device": {"os": "x"}, "revision": None}
    raw = {**raw, "inspection": inspection}
    order = Order.from_dict(copy.deepcopy(raw))
    assert order.inspection.extra == {"device": {"os": "x"}}
    assert order.inspection.failed is None and order.inspection.revision is None
    assert order.inspection.checks[0].extra == {"photo_hint": "top"}
    assert order.inspection.checks[1].evidence == ()
    assert json.dumps(order.to_storage()) == json.dumps(raw)


def test_an_inspection_built_in_code_writes_what_inspect_writes():
    raw = next(o for o in stored_orders() if o.get("inspection"))["inspection"]
    built = Inspection(
        verdict=raw["verdict"],
        checklist=raw["checklist"],
        started_at=raw["started_at"],
        completed_at=raw["completed_at"],
        checks=tuple(
            InspectionCheck(
                id=c["id"],
                result=c["result"],
                note=c["note"],
                evidence=tuple(EvidenceRef(**e) for e in c["evidence"]),
            )
            for c in raw["checks"]
        ),
        suggested_reasons=tuple(raw["suggested_reasons"]),
        failed=tuple(raw["failed"]),
        reservations=tuple(raw["reservations"]),
        revision=raw["revision"],
    )
    assert json.dumps(built.to_dict()) == json.dumps(raw)
    assert Inspection.from_dict(raw).to_dict() == built.to_dict()


def test_records_are_frozen():
    dispute = Dispute(status="opened")
    with pytest.raises(AttributeError):
        dispute.status = "resolved"  # type: ignore[misc]
    assert replace(dispute, status="resolved").status == "resolved"


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("dispute", []),
        ("dispute", "opened"),
        ("dispute", {"progress": "opened"}),
        ("dispute", {"progress": ["x"]}),
        ("feedback", [5]),
        ("feedback", {"ratings": [5]}),
        ("feedback", {"photos": "a.jpg"}),
        ("notes", [5]),
        ("notes", {"at": "x"}),
        ("notes", [{"attachments": "a.jpg"}]),
        ("inspection", "done"),
        ("inspection", {"checks": "all passed"}),
        ("inspection", {"checks": ["package_condition"]}),
        ("inspection", {"checks": [{"id": "colour", "evidence": "a.jpg"}]}),
        ("inspection", {"failed": "colour"}),
        ("inspection", {"reservations": "quality"}),
    ],
)
def test_a_wrong_shape_is_refused_on_load(name, bad):
    with pytest.raises(TypeError):
        Order.from_dict({"order_id": "1", "title": "x", name: bad})


@FIXTURES
def test_the_store_rewrites_the_v1_book_byte_identical(tmp_path: Path, fixture: Path):
    home = tmp_path / "home"
    shutil.copytree(fixture, home, ignore=shutil.ignore_patterns("README.md"))
    before = {p.relative_to(home): p.read_bytes() for p in home.rglob("*.json")}
    store = OrderStore(Paths(home))
    with store.transaction(datetime(2026, 11, 27, 10, 0, tzinfo=UTC)) as txn:
        for order in store.orders():
            order = txn.get(order.order_id)
            stamp = order.updated_at
            txn.put(order)  # rewrite every order through the typed records
            order.updated_at = stamp  # put stamps the time: keep the stored one
            details = txn.details(order.order_id)
            if details:
                txn.set_details(order.order_id, details)
    after = {p.relative_to(home): p.read_bytes() for p in home.rglob("*.json")}
    assert store.index_writes == 1 and store.shard_writes >= 3
    for name, data in before.items():
        assert after[name] == data, name


def test_history_entries_load_typed_and_write_back_as_stored():
    raw = next(o for o in stored_orders() if o.get("history", [{}])[0].get("event") == "mail")
    order = Order.from_dict(copy.deepcopy(raw))
    mail = next(h for h in order.history if h.event == "mail")
    assert isinstance(mail, HistoryEntry) and isinstance(mail.source, MailSource)
    assert mail.field_name == raw["history"][0]["field"]
    assert mail.source.message_id == raw["history"][0]["source"]["message_id"]
    assert mail.source.sender == raw["history"][0]["source"]["from"]
    confirmed = next(
        o for o in stored_orders() if any(h["event"] == "confirmed" for h in o.get("history", []))
    )
    entry = next(h for h in Order.from_dict(confirmed).history if h.event == "confirmed")
    assert entry.forced is False
    assert json.dumps(order.to_storage()) == json.dumps(raw)


def test_history_entries_built_in_code_write_what_the_commands_wrote():
    source = MailSource(message_id="<m1@x>", date="2026-11-02T08:00:00+00:00", sender="a@b.c")
    mail = HistoryEntry(
        at="2026-11-27T10:00:00Z",
        event="mail",
        kind="order_placed",
        field_name="price",
        value="18.40",
        source=source,
    )
    assert list(mail.to_dict()) == ["at", "event", "kind", "field", "value", "source"]
    assert mail.to_dict()["source"] == {
        "message_id": "<m1@x>",
        "date": "2026-11-02T08:00:00+00:00",
        "from": "a@b.c",
    }
    confirmed = HistoryEntry(at="2026-11-27T10:00:00Z", event="confirmed", forced=False)
    assert confirmed.to_dict() == {
        "at": "2026-11-27T10:00:00Z",
        "event": "confirmed",
        "forced": False,
    }
    unknown = {"at": "x", "event": "synced", "device": "phone"}
    assert HistoryEntry.from_dict(unknown).extra == {"device": "phone"}
    assert HistoryEntry.from_dict(unknown).to_dict() == unknown


def test_kept_mail_moves_from_the_unknown_keys_to_a_typed_field_unchanged():
    kept = {
        "sha256": "a" * 64,
        "name": "mail-1.eml",
        "size": 812,
        "stored_path": "o/aaa.eml",
        "text_sha256": "b" * 64,
        "text_name": "mail-1.txt",
        "subject": "Order confirmed",
        "message_id": "<m1@x>",
        "date": None,
        "from": "transaction@notice.aliexpress.com",
    }
    base = next(o for o in stored_orders() if "carrier_source" in o)
    # the later fields sit among unknown keys, in the order an older release wrote them
    raw = {**base, "tags": ["gift"], "mail_evidence": [kept], "zz_newer": 1}
    raw = {k: raw[k] for k in sorted(raw, key=lambda k: k == "carrier_source_for")}
    order = Order.from_dict(copy.deepcopy(raw))
    assert order.extra == {"tags": ["gift"], "zz_newer": 1}
    assert (order.carrier_source, order.carrier_source_for) == (
        base["carrier_source"],
        base["carrier_source_for"],
    )
    (mail,) = order.mail_evidence
    assert isinstance(mail, KeptMail) and mail.sender == "transaction@notice.aliexpress.com"
    assert [(f.sha256, f.name) for f in mail.files()] == [
        ("a" * 64, "mail-1.eml"),
        ("b" * 64, "mail-1.txt"),
    ]
    assert json.dumps(order.to_storage()) == json.dumps(raw)


def test_evidence_references_and_earlier_bundles_are_typed():
    ref = {"sha256": "c" * 64, "name": "receipt.jpg", "media_type": "image/jpeg", "size": 10}
    bundle = {
        "bundle_dir": "bundles/b1",
        "bundle_zip": "bundles/b1.zip",
        "manifest_sha256": "d" * 64,
    }
    raw = {
        "reason": "not_as_described",
        "evidence": [ref | {"caption": "front"}],
        "previous_bundles": [bundle],
    }
    dispute = Dispute.from_dict(raw)
    (evidence,) = dispute.evidence
    assert isinstance(evidence, EvidenceRef) and evidence.name == "receipt.jpg"
    assert evidence.extra == {"caption": "front"} and evidence.hash_key == "c" * 64
    assert dispute.previous_bundles == (
        BundleRef(**bundle, keys=("bundle_dir", "bundle_zip", "manifest_sha256")),
    )
    assert dispute.to_dict() == raw
    assert EvidenceRef(sha256="E" * 64).hash_key == "e" * 64


@pytest.mark.parametrize(
    "bad",
    [
        {"evidence": ["receipt.jpg"]},
        {"previous_bundles": ["bundles/b1"]},
        {"progress": [{"at": "x"}]},  # a step without its name
    ],
)
def test_wrong_dispute_parts_are_refused(bad):
    with pytest.raises(TypeError):
        Order.from_dict({"order_id": "1", "title": "x", "dispute": bad})


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("history", ["inspected"]),
        ("history", [{"event": "mail", "source": "m1"}]),
        ("mail_evidence", [{"sha256": "a"}, "mail.eml"]),
        ("notes", [{"attachments": ["a.jpg"]}]),
    ],
)
def test_wrong_history_mail_and_attachment_shapes_are_refused(name, bad):
    with pytest.raises(TypeError):
        Order.from_dict({"order_id": "1", "title": "x", name: bad})


def test_reservations_are_read_in_both_stored_shapes():
    inspection = Inspection(reservations=("quality", {"check_id": "colour", "note": "a bit dark"}))
    assert inspection.reserved() == [("quality", None), ("colour", "a bit dark")]


def test_inspection_history_is_typed_and_pushing_never_rewrites_an_earlier_one():
    from orderctl.services.inspection.history import earlier_inspections, push_inspection

    stored = next(o for o in stored_orders() if o.get("inspection"))["inspection"]
    older = {"revision_note": "kept from a newer release", **stored, "revision": None}
    details = {"events": [], "inspections": [older, None]}
    before = json.dumps(details["inspections"])
    history = earlier_inspections(details)
    assert isinstance(history[0], Inspection) and history[1] is None
    assert history[0].extra == {"revision_note": "kept from a newer release"}
    current = Inspection.from_dict(stored)
    assert push_inspection(details, current) == 3
    assert json.dumps(details["inspections"][:2]) == before
    assert details["inspections"][2] == stored
    with pytest.raises(TypeError):
        earlier_inspections({"inspections": ["revision 1"]})


def test_later_fields_of_an_order_built_in_code_come_after_the_others():
    order = Order(order_id="1", title="x", carrier="cainiao")
    assert "carrier_source" not in order.to_dict() and "mail_evidence" not in order.to_dict()
    order.carrier_source, order.carrier_source_for = "17track", "cainiao"
    order.extra["tags"] = ["gift"]
    assert list(order.to_storage())[-3:] == ["carrier_source", "carrier_source_for", "tags"]


def test_evidence_history_and_kept_mail_of_the_previous_release_load_typed(tmp_path: Path):
    from orderctl.services.inspection.history import earlier_inspections

    orders = {o["order_id"]: Order.from_dict(o) for o in stored_orders(EVIDENCE_FIXTURE)}
    shirt = orders["3065355286098390"]
    (attachment,) = [a for n in shirt.notes for a in n.attachments]
    assert isinstance(attachment, EvidenceRef) and attachment.name == "seller-label-photo.jpg"
    assert attachment.media_type == "image/jpeg" and len(attachment.hash_key) == 64
    assert [e.name for e in shirt.dispute.evidence] == ["receipt.jpg"]
    (earlier,) = shirt.dispute.previous_bundles
    assert isinstance(earlier, BundleRef) and earlier.bundle_zip.endswith(".zip")
    assert earlier.bundle_dir != shirt.dispute.bundle_dir
    events = [h.event for h in shirt.history]
    assert events[-2:] == ["evidence added", "evidence removed"]
    assert [h.revision for h in shirt.history[-2:]] == [2, 3]
    assert shirt.inspection.revision == 3
    hub = orders["8208460785972844"]
    detached = hub.history[-1]
    receipt = shirt.dispute.evidence[0].sha256  # the same receipt.jpg was attached, then detached
    assert (detached.event, detached.sha256) == ("attachment detached", receipt)
    assert all(n.attachments == () for n in hub.notes)
    for order_id in ("04-12345-67890", "113-5550123-7788990"):
        (kept,) = orders[order_id].mail_evidence
        assert isinstance(kept, KeptMail) and kept.name.endswith(".eml")
        assert kept.text_name.endswith(".txt") and kept.sender and kept.message_id
        mail = [h for h in orders[order_id].history if h.event == "mail"]
        assert mail and all(isinstance(h.source, MailSource) for h in mail)
        assert orders[order_id].carrier_source == "detected"
    store = OrderStore(Paths(tmp_path / "home"))
    shutil.copytree(EVIDENCE_FIXTURE, store.paths.home, ignore=shutil.ignore_patterns("*.md"))
    history = earlier_inspections(store.details("3065355286098390"))
    assert [type(i) for i in history] == [Inspection, Inspection]
    assert [i.revision for i in history] == [1, 2]
    assert [e.name for e in history[1].check("colour").evidence][-1] == "extra-colour.jpg"


def _record_classes():
    from orderctl.domain import records

    return [
        obj
        for obj in vars(records).values()
        if isinstance(obj, type) and issubclass(obj, records._Record) and obj is not records._Record
    ]


@pytest.mark.parametrize("cls", _record_classes(), ids=lambda c: c.__name__)
def test_a_loaded_record_equals_the_same_record_built_in_code(cls):
    """Loading skips the dataclass __init__ for speed: it must give the very same record."""
    from dataclasses import fields

    required = {f.name: "x" for f in fields(cls) if f.name == "step"}
    built = cls(**required)
    loaded = cls.from_dict(built.to_dict())
    assert replace(loaded, keys=()) == built
    assert repr(replace(loaded, keys=())) == repr(built)
    assert loaded.to_dict() == built.to_dict()
    with pytest.raises(AttributeError):
        loaded.extra = {}  # type: ignore[misc]  # frozen as a built one


def test_loaded_records_never_share_a_mutable_default():
    first, second = Feedback.from_dict({}), Feedback.from_dict({"stars": 5})
    assert first.ratings == {} and first.ratings is not second.ratings
    assert first.extra is not second.extra
