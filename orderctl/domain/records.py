"""Typed records an order carries: inspection (with its checks), dispute (with
progress steps and earlier bundles), feedback, seller notes, evidence
references, kept order e-mails and the order's history.

Each record is a frozen dataclass whose ``to_dict``/``from_dict`` (one pair,
in :class:`_Record`) is used only at the store boundary
(:meth:`orderctl.domain.models.Order.to_dict` and ``from_dict``, and the
inspection history of the details shards). Everything else reads attributes,
so a misspelt key is an ``AttributeError`` rather than a silent ``None``.

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
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Self


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


class _Record:
    """The one ``to_dict``/``from_dict`` pair every record below uses.

    A subclass is a frozen dataclass whose last two fields are ``extra`` and
    ``keys``; it says how its other fields are stored:

    - ``RECORD_LISTS``: field -> record class of its entries (a list of objects);
    - ``RECORDS``: field -> record class of a single object (or ``null``);
    - ``LISTS``: lists of plain values (objects among them copied as they are);
    - ``OPTIONAL_LISTS``: like ``LISTS``, but ``null`` stays ``None`` (not ``()``);
    - ``MAPS``: objects of plain values;
    - ``STORED_AS``: attribute -> stored key where the key is not a Python name.

    Every command loads the whole order book, history included, so loading is
    planned once per class (:meth:`_plan`) and a record is built without the
    dataclass ``__init__`` (which sets each frozen field through
    ``object.__setattr__``): a 10,000-order book with ten history entries per
    order loads in about a third of the time.
    """

    LABEL: ClassVar[str] = "record"
    DEFAULT_KEYS: ClassVar[tuple[str, ...]] = ()
    RECORD_LISTS: ClassVar[Mapping[str, type[_Record]]] = {}
    RECORDS: ClassVar[Mapping[str, type[_Record]]] = {}
    LISTS: ClassVar[frozenset[str]] = frozenset()
    OPTIONAL_LISTS: ClassVar[frozenset[str]] = frozenset()
    MAPS: ClassVar[frozenset[str]] = frozenset()
    STORED_AS: ClassVar[Mapping[str, str]] = {}

    extra: Mapping[str, Any]
    keys: tuple[str, ...]

    @classmethod
    def _plan(cls) -> _Plan:
        plan = cls.__dict__.get("_load_plan")
        if plan is None:
            plan = _Plan.of(cls)
            cls._load_plan = plan  # type: ignore[attr-defined]
        return plan

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, key, dump in self._plan().dumpers:
            value = getattr(self, name)
            values[key] = value if dump is None else dump(value)
        return _emit(self.keys, self.DEFAULT_KEYS, values, self.extra)

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise TypeError(f"{cls.LABEL} must be an object")
        plan = cls.__dict__.get("_load_plan") or cls._plan()
        loaders = plan.loaders
        values: dict[str, Any] = {}
        extra: dict[str, Any] | None = None
        for key, value in data.items():
            loader = loaders.get(key)
            if loader is None:
                if extra is None:
                    extra = {}
                extra[key] = value
            elif loader[1] is None:
                values[loader[0]] = value
            else:
                values[loader[0]] = loader[1](value)
        if plan.required:
            missing = [name for name in plan.required if name not in values]
            if missing:
                raise TypeError(f"{cls.LABEL} has no {', '.join(missing)}")
        for name, factory in plan.factories:  # a fresh mapping for each record
            if name not in values:
                values[name] = factory()
        values["extra"] = {} if extra is None else extra
        values["keys"] = tuple(data)
        record = object.__new__(cls)
        # The loaded fields become the record's attributes; fields left out read their
        # default from the class, where dataclasses keep it.
        object.__setattr__(record, "__dict__", values)
        return record


@dataclass(frozen=True)
class _Plan:
    """How one record class loads and dumps each field (built once per class)."""

    loaders: Mapping[str, tuple[str, Any]]  # stored key -> (attribute, converter or None)
    dumpers: tuple[tuple[str, str, Any], ...]  # (attribute, stored key, converter or None)
    factories: tuple[tuple[str, Any], ...]  # (attribute, default factory) of mutable defaults
    required: tuple[str, ...]

    @staticmethod
    def of(cls: type[_Record]) -> _Plan:
        loaders, dumpers = {}, []
        factories: list[tuple[str, Any]] = []
        required: list[str] = []
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in ("extra", "keys"):
                continue
            key = cls.STORED_AS.get(f.name, f.name)
            load, dump = _converters(cls, f.name, f"{cls.LABEL} {key}")
            loaders[key] = (f.name, load)
            dumpers.append((f.name, key, dump))
            if f.default is not MISSING:
                continue  # read from the class attribute dataclasses leave
            if f.default_factory is not MISSING:
                factories.append((f.name, f.default_factory))
            else:
                required.append(f.name)
        return _Plan(loaders, tuple(dumpers), tuple(factories), tuple(required))


def _converters(cls: type[_Record], name: str, what: str) -> tuple[Any, Any]:
    """(load, dump) for one field of ``cls``; None where the value is kept as it is."""
    if name in cls.RECORD_LISTS:
        load_entry = cls.RECORD_LISTS[name].from_dict
        return (
            lambda v: tuple(load_entry(e) for e in _sequence(what, v)),
            lambda v: [e.to_dict() for e in v],
        )
    if name in cls.RECORDS:
        load_one = cls.RECORDS[name].from_dict
        return (
            lambda v: None if v is None else load_one(v),
            lambda v: None if v is None else v.to_dict(),
        )
    if name in cls.LISTS:
        return (lambda v: tuple(_sequence(what, v)), _entries)
    if name in cls.OPTIONAL_LISTS:
        return (
            lambda v: None if v is None else tuple(_sequence(what, v)),
            lambda v: None if v is None else _entries(v),
        )
    if name in cls.MAPS:
        return (lambda v: dict(_mapping(what, v or {})), dict)
    return None, None


@dataclass(frozen=True)
class EvidenceRef(_Record):
    """A file in the evidence store as an order refers to it: by content hash.

    Used by inspection checks, seller-note attachments and a dispute's
    ``--evidence`` files. ``name`` is the name the buyer gave the file;
    ``sha256`` finds it in the store (``orderctl.evidence.store``).
    """

    sha256: str | None = None
    name: str | None = None
    media_type: str | None = None
    size: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each evidence reference"
    DEFAULT_KEYS = ("sha256", "name", "media_type", "size")

    @property
    def hash_key(self) -> str:
        """The hash as the store names files (lower case; ``""`` when missing)."""
        return str(self.sha256 or "").lower()


@dataclass(frozen=True)
class MailSource(_Record):
    """Which e-mail a value or a kept message came from."""

    message_id: str | None = None
    date: str | None = None
    sender: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "mail source"
    DEFAULT_KEYS = ("message_id", "date", "from")
    STORED_AS: ClassVar[Mapping[str, str]] = {"sender": "from"}


@dataclass(frozen=True)
class KeptMail(_Record):
    """An order e-mail kept as evidence by ``import --keep-mail`` (and its text rendering).

    Stored flat (``message_id``, ``date``, ``from`` beside the hashes), as the
    mail import has always written it.
    """

    sha256: str | None = None
    name: str | None = None
    size: int | None = None
    stored_path: str | None = None
    text_sha256: str | None = None
    text_name: str | None = None
    subject: str | None = None
    message_id: str | None = None
    date: str | None = None
    sender: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each kept mail"
    DEFAULT_KEYS = (
        "sha256",
        "name",
        "size",
        "stored_path",
        "text_sha256",
        "text_name",
        "subject",
        "message_id",
        "date",
        "from",
    )
    STORED_AS: ClassVar[Mapping[str, str]] = {"sender": "from"}

    def files(self) -> tuple[EvidenceRef, ...]:
        """The message and, when kept, its text rendering, as evidence references."""
        refs = [EvidenceRef(sha256=self.sha256, name=self.name or "mail.eml", size=self.size)]
        if self.text_sha256:
            refs.append(EvidenceRef(sha256=self.text_sha256, name=self.text_name or "mail.txt"))
        return tuple(refs)


@dataclass(frozen=True)
class HistoryEntry(_Record):
    """One line of an order's history: what happened, when, and the facts of it.

    ``event`` says what happened (``inspected``, ``inspection amended``,
    ``evidence added``, ``attachment detached``, ``confirmed``, ``mail``); the
    other fields are set by the events that have them (``field_name`` and
    ``value`` by a mail import, stored as ``field`` and ``value``).
    """

    at: str | None = None
    event: str | None = None
    verdict: str | None = None
    checklist: str | None = None
    revision: int | None = None
    forced: bool | None = None
    sha256: str | None = None
    kind: str | None = None
    field_name: str | None = None
    value: str | None = None
    source: MailSource | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each history entry"
    DEFAULT_KEYS = ("at", "event")
    RECORDS: ClassVar[Mapping[str, type[_Record]]] = {"source": MailSource}
    STORED_AS: ClassVar[Mapping[str, str]] = {"field_name": "field"}


@dataclass(frozen=True)
class DisputeStep(_Record):
    """One step of a dispute's progress (``opened``, ``seller_responded``, ``resolved``...)."""

    step: str
    at: str | None = None
    note: str | None = None
    amount: str | None = None
    outcome: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each dispute step"
    DEFAULT_KEYS = ("step", "at", "note", "amount")


@dataclass(frozen=True)
class BundleRef(_Record):
    """An earlier evidence bundle of a dispute (kept when the bundle is rebuilt)."""

    bundle_dir: str | None = None
    bundle_zip: str | None = None
    manifest_sha256: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each previous bundle"
    DEFAULT_KEYS = ("bundle_dir", "bundle_zip", "manifest_sha256")


@dataclass(frozen=True)
class Dispute(_Record):
    """The buyer's dispute on an order: claim, bundle, status and progress.

    ``evidence`` are the files added with ``dispute --evidence``;
    ``previous_bundles`` the bundles this one replaced. ``channel`` is where
    the dispute was opened when not on the platform (e.g. ``paypal``), which
    changes the escalation deadline.
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
    evidence: tuple[EvidenceRef, ...] = ()
    previous_bundles: tuple[BundleRef, ...] = ()
    resolved_at: str | None = None
    refund_received_at: str | None = None
    channel: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "dispute"
    # What `orderctl dispute` writes, in its order.
    DEFAULT_KEYS = (
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
    )
    RECORD_LISTS: ClassVar[Mapping[str, type[_Record]]] = {
        "progress": DisputeStep,
        "evidence": EvidenceRef,
        "previous_bundles": BundleRef,
    }

    @property
    def is_open(self) -> bool:
        return self.status not in ("resolved", "closed")


@dataclass(frozen=True)
class Feedback(_Record):
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

    LABEL = "feedback"
    # What `orderctl feedback` writes, in its order.
    DEFAULT_KEYS = (
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
    LISTS = frozenset({"photos"})
    MAPS = frozenset({"ratings"})


@dataclass(frozen=True)
class ConversationNote(_Record):
    """One entry of the conversation with the seller (``Order.notes``).

    ``sender`` is ``me`` or ``seller``; ``kind`` is ``message`` (the default
    when absent), ``contact_draft`` or ``contact_sent``; ``reply_by``
    (optional) is the date the seller was asked to answer by.
    """

    at: str | None = None
    sender: str | None = None
    text: str | None = None
    attachments: tuple[EvidenceRef, ...] = ()
    kind: str | None = None
    reply_by: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each note"
    # What `orderctl note` and `contact --sent` write, in their order.
    DEFAULT_KEYS = ("at", "sender", "text", "attachments", "kind")
    RECORD_LISTS: ClassVar[Mapping[str, type[_Record]]] = {"attachments": EvidenceRef}


@dataclass(frozen=True)
class InspectionCheck(_Record):
    """One answered check of an inspection: its id, result, note and evidence.

    ``result`` is ``pass``, ``reservation``, ``fail`` or ``na``.
    """

    id: str | None = None
    result: str | None = None
    note: str | None = None
    evidence: tuple[EvidenceRef, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    LABEL = "each inspection check"
    # What `orderctl inspect` writes, in its order.
    DEFAULT_KEYS = ("id", "result", "note", "evidence")
    RECORD_LISTS: ClassVar[Mapping[str, type[_Record]]] = {"evidence": EvidenceRef}


@dataclass(frozen=True)
class Inspection(_Record):
    """An inspection of an order: verdict, checklist, the answered checks.

    ``failed`` and ``reservations`` list check ids (``failed`` is ``None`` when
    a stored inspection did not list them: readers then use the checks'
    results); ``suggested_reasons`` are the dispute reasons a failure points to;
    ``revision`` counts the inspections of the order (earlier ones live in the
    order's details, see :func:`inspection_history`).
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

    LABEL = "inspection"
    # What `orderctl inspect` writes, in its order.
    DEFAULT_KEYS = (
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
    RECORD_LISTS: ClassVar[Mapping[str, type[_Record]]] = {"checks": InspectionCheck}
    LISTS = frozenset({"suggested_reasons", "reservations"})
    OPTIONAL_LISTS = frozenset({"failed"})

    def check(self, check_id: str) -> InspectionCheck | None:
        """The check with ``check_id``, if the inspection has it."""
        return next((c for c in self.checks if str(c.id) == check_id), None)

    def reserved(self) -> list[tuple[str, str | None]]:
        """``(check id, note)`` of each reservation, in order.

        This release stores check ids (the note is the check's); an entry
        stored as a ``{check_id, note}`` object is read too.
        """
        out: list[tuple[str, str | None]] = []
        for entry in self.reservations:
            if isinstance(entry, Mapping):
                note = entry.get("note")
                out.append((str(entry.get("check_id")), None if note is None else str(note)))
            else:
                out.append((str(entry), None))
        return out

    def evidence_refs(self) -> list[EvidenceRef]:
        """Every evidence reference of every check, in check order (repeats kept)."""
        return [e for c in self.checks for e in c.evidence]


def inspection_history(entries: Any) -> tuple[Inspection | None, ...]:
    """The earlier inspections kept in an order's details, oldest first.

    An entry is ``None`` where an amendment was made with no inspection before
    it (stored as ``null``).
    """
    return tuple(
        None if entry is None else Inspection.from_dict(entry)
        for entry in _sequence("inspection history", entries)
    )


def inspection_history_data(history: Iterable[Inspection | None]) -> list[Any]:
    """The stored form of :func:`inspection_history`."""
    return [None if entry is None else entry.to_dict() for entry in history]
