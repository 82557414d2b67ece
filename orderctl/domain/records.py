"""Typed records an order carries: inspection (with its checks), dispute (with
progress steps), feedback, seller notes.

Each record is a frozen dataclass with one ``to_dict``/``from_dict`` pair,
used only at the store boundary (:meth:`orderctl.domain.models.Order.to_dict`
and ``from_dict``). Everything else reads attributes, so a misspelt key is an
``AttributeError`` rather than a silent ``None``.

The stored JSON keeps its exact shape so no schema version bump is needed:

- ``keys`` remembers which keys a loaded record had and in which order, so a
  record written back has the same keys in the same order (a key stored as
  ``null`` stays ``null``; an absent key stays absent). A record built in code
  has ``keys == ()`` and writes its ``DEFAULT_KEYS`` (always, even when
  ``None``) followed by any other field that has a value (not ``None``, not
  an empty list or mapping).
- ``extra`` keeps keys this release does not know (written by an older or
  newer orderctl), so nothing is lost on a rewrite.

Values are carried as stored (no coercion), because files may have been
edited by hand and a round trip must not change a byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _mapping(name: str, data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise TypeError(f"{name} must be an object")
    return data


def _sequence(name: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise TypeError(f"{name} must be a list")
    return list(value)


def _entries(values: Iterable[Any]) -> list[Any]:
    """Stored list entries as fresh copies (objects copied, anything else as it is)."""
    return [dict(v) if isinstance(v, Mapping) else v for v in values]


def _split(data: Mapping[str, Any], known: Iterable[str]) -> tuple[dict, dict, tuple[str, ...]]:
    """The known keys, the unknown ones (``extra``) and the key order of ``data``."""
    names = frozenset(known)
    values = {k: v for k, v in data.items() if k in names}
    extra = {k: v for k, v in data.items() if k not in names}
    return values, extra, tuple(data)


def _emit(
    keys: tuple[str, ...],
    default_keys: tuple[str, ...],
    values: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The stored form: ``keys`` (or the defaults) in order, then set fields, then extras."""
    out: dict[str, Any] = {}
    for key in keys or default_keys:
        if key in values:
            out[key] = values[key]
        elif key in extra:
            out[key] = extra[key]
    for key, value in values.items():
        if key not in out and value is not None and value != [] and value != {}:
            out[key] = value  # an empty list absent before stays absent
    for key, value in extra.items():
        out.setdefault(key, value)
    return out


def merged_keys(keys: tuple[str, ...], default_keys: tuple[str, ...]) -> tuple[str, ...]:
    """``keys`` followed by the defaults it lacks (a record rebuilt from a loaded one)."""
    return keys + tuple(k for k in default_keys if k not in keys)


@dataclass(frozen=True)
class DisputeStep:
    """One step of a dispute's progress (``opened``, ``seller_responded``, ``resolved``...)."""

    step: str
    at: str | None = None
    note: str | None = None
    amount: str | None = None
    outcome: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    DEFAULT_KEYS = ("step", "at", "note", "amount")

    def to_dict(self) -> dict[str, Any]:
        values = {
            "step": self.step,
            "at": self.at,
            "note": self.note,
            "amount": self.amount,
            "outcome": self.outcome,
        }
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> DisputeStep:
        values, extra, keys = _split(
            _mapping("each dispute step", data), ("step", "at", "note", "amount", "outcome")
        )
        return cls(**values, extra=extra, keys=keys)


_DISPUTE_FIELDS = (
    "reason",
    "remedy",
    "amount",
    "currency",
    "opened_at",
    "status",
    "outcome",
    "refund_amount",
    "progress",
    "bundle_dir",
    "bundle_zip",
    "manifest_sha256",
    "signed_by",
    "bundle_created_at",
    "evidence",
    "previous_bundles",
    "resolved_at",
    "refund_received_at",
    "channel",
)


@dataclass(frozen=True)
class Dispute:
    """The buyer's dispute on an order: claim, bundle, status and progress.

    ``evidence`` and ``previous_bundles`` hold the stored entries as they are
    (evidence references by hash; earlier bundles' paths and manifest hashes).
    ``channel`` is where the dispute was opened when not on the platform
    (e.g. ``paypal``), which changes the escalation deadline.
    """

    reason: str | None = None
    remedy: str | None = None
    amount: str | None = None
    currency: str | None = None
    opened_at: str | None = None
    status: str | None = None
    outcome: str | None = None
    refund_amount: str | None = None
    progress: tuple[DisputeStep, ...] = ()
    bundle_dir: str | None = None
    bundle_zip: str | None = None
    manifest_sha256: str | None = None
    signed_by: str | None = None
    bundle_created_at: str | None = None
    evidence: tuple[Mapping[str, Any], ...] = ()
    previous_bundles: tuple[Mapping[str, Any], ...] = ()
    resolved_at: str | None = None
    refund_received_at: str | None = None
    channel: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    # What `orderctl dispute` writes, in its order.
    DEFAULT_KEYS = _DISPUTE_FIELDS[:16]

    @property
    def is_open(self) -> bool:
        return self.status not in ("resolved", "closed")

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in _DISPUTE_FIELDS}
        values["progress"] = [step.to_dict() for step in self.progress]
        values["evidence"] = _entries(self.evidence)
        values["previous_bundles"] = _entries(self.previous_bundles)
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> Dispute:
        values, extra, keys = _split(_mapping("dispute", data), _DISPUTE_FIELDS)
        values["progress"] = tuple(
            DisputeStep.from_dict(s) for s in _sequence("dispute progress", values.get("progress"))
        )
        for name in ("evidence", "previous_bundles"):
            values[name] = tuple(_sequence(f"dispute {name}", values.get(name)))
        return cls(**values, extra=extra, keys=keys)


_FEEDBACK_FIELDS = (
    "stars",
    "ratings",
    "text",
    "photos",
    "delivery_days",
    "scale",
    "overall",
    "drafted_at",
    "posted_at",
)


@dataclass(frozen=True)
class Feedback:
    """The buyer's review draft: stars, detailed ratings, text, photos, when posted.

    ``ratings`` maps a platform's rating key to its value (1-5); ``photos`` are
    paths of the exported (location-free) copies; ``overall`` is eBay-style
    positive/neutral/negative where the platform asks for it.
    """

    stars: int | None = None
    ratings: Mapping[str, Any] = field(default_factory=dict)
    text: str | None = None
    photos: tuple[str, ...] = ()
    delivery_days: int | None = None
    scale: str | None = None
    overall: str | None = None
    drafted_at: str | None = None
    posted_at: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    # What `orderctl feedback` writes, in its order.
    DEFAULT_KEYS = _FEEDBACK_FIELDS

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in _FEEDBACK_FIELDS}
        values["ratings"] = dict(self.ratings)
        values["photos"] = list(self.photos)
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> Feedback:
        values, extra, keys = _split(_mapping("feedback", data), _FEEDBACK_FIELDS)
        values["ratings"] = dict(_mapping("feedback ratings", values.get("ratings") or {}))
        values["photos"] = tuple(_sequence("feedback photos", values.get("photos")))
        return cls(**values, extra=extra, keys=keys)


_NOTE_FIELDS = ("at", "sender", "text", "attachments", "kind", "reply_by")


@dataclass(frozen=True)
class ConversationNote:
    """One entry of the conversation with the seller (``Order.notes``).

    ``sender`` is ``me`` or ``seller``; ``kind`` is ``message`` (the default
    when absent), ``contact_draft`` or ``contact_sent``; ``attachments`` are
    evidence-store references (``sha256``, ``name``, ``media_type``, ``size``);
    ``reply_by`` (optional) is the date the seller was asked to answer by.
    """

    at: str | None = None
    sender: str | None = None
    text: str | None = None
    attachments: tuple[Mapping[str, Any], ...] = ()
    kind: str | None = None
    reply_by: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    # What `orderctl note` and `contact --sent` write, in their order.
    DEFAULT_KEYS = _NOTE_FIELDS[:5]

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in _NOTE_FIELDS}
        values["attachments"] = _entries(self.attachments)
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> ConversationNote:
        values, extra, keys = _split(_mapping("each note", data), _NOTE_FIELDS)
        values["attachments"] = tuple(_sequence("note attachments", values.get("attachments")))
        return cls(**values, extra=extra, keys=keys)


_CHECK_FIELDS = ("id", "result", "note", "evidence")


@dataclass(frozen=True)
class InspectionCheck:
    """One answered check of an inspection: its id, result, note and evidence.

    ``result`` is ``pass``, ``reservation``, ``fail`` or ``na``; ``evidence``
    holds evidence-store references as stored (``sha256``, ``name``,
    ``media_type``, ``size``).
    """

    id: str | None = None
    result: str | None = None
    note: str | None = None
    evidence: tuple[Mapping[str, Any], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    # What `orderctl inspect` writes, in its order.
    DEFAULT_KEYS = _CHECK_FIELDS

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in _CHECK_FIELDS}
        values["evidence"] = _entries(self.evidence)
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> InspectionCheck:
        values, extra, keys = _split(_mapping("each inspection check", data), _CHECK_FIELDS)
        values["evidence"] = tuple(_sequence("inspection check evidence", values.get("evidence")))
        return cls(**values, extra=extra, keys=keys)


_INSPECTION_FIELDS = (
    "verdict",
    "checklist",
    "started_at",
    "completed_at",
    "checks",
    "suggested_reasons",
    "failed",
    "reservations",
    "revision",
)


@dataclass(frozen=True)
class Inspection:
    """The last inspection of an order: verdict, checklist, the answered checks.

    ``failed`` and ``reservations`` list check ids (``failed`` is ``None`` when
    a stored inspection did not list them: readers then use the checks'
    results); ``suggested_reasons`` are the dispute reasons a failure points to;
    ``revision`` counts the inspections of the order (earlier ones live in the
    order's details as stored objects).
    """

    verdict: str | None = None
    checklist: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    checks: tuple[InspectionCheck, ...] = ()
    suggested_reasons: tuple[str, ...] = ()
    failed: tuple[str, ...] | None = None
    reservations: tuple[Any, ...] = ()
    revision: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    # What `orderctl inspect` writes, in its order.
    DEFAULT_KEYS = _INSPECTION_FIELDS

    def check(self, check_id: str) -> InspectionCheck | None:
        """The check with ``check_id``, if the inspection has it."""
        return next((c for c in self.checks if str(c.id) == check_id), None)

    def evidence_refs(self) -> list[Mapping[str, Any]]:
        """Every evidence reference of every check, in check order (repeats kept)."""
        return [e for c in self.checks for e in c.evidence if isinstance(e, Mapping)]

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(self, name) for name in _INSPECTION_FIELDS}
        values["checks"] = [c.to_dict() for c in self.checks]
        values["suggested_reasons"] = list(self.suggested_reasons)
        values["failed"] = None if self.failed is None else list(self.failed)
        values["reservations"] = _entries(self.reservations)
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> Inspection:
        values, extra, keys = _split(_mapping("inspection", data), _INSPECTION_FIELDS)
        checks = _sequence("inspection checks", values.get("checks"))
        values["checks"] = tuple(InspectionCheck.from_dict(c) for c in checks)
        for name in ("suggested_reasons", "reservations"):
            values[name] = tuple(_sequence(f"inspection {name}", values.get(name)))
        if values.get("failed") is not None:
            values["failed"] = tuple(_sequence("inspection failed", values["failed"]))
        return cls(**values, extra=extra, keys=keys)
