"""Buyer-protection policies as data: values with sources, and deadline rules.

The numbers live in ``orderctl/data/policies.toml`` (each with its source and
confidence) and can be overridden per platform in ``config.toml``; this module
only turns that data into typed objects and answers questions about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orderctl.errors import InvalidInput

CONDITIONS = frozenset(
    {
        "not_delivered",
        "not_received_or_failed",
        "feedback_pending",
        "dispute_open",
        "payment_dispute_open",
    }
)
ANCHORS = frozenset(
    {
        "ordered",
        "shipped",
        "delivered",
        "completed",
        "protection_ends",
        "dispute_opened",
        # the latest estimated delivery date the platform gave (expected_delivery_by)
        "expected_by",
        # the actual delivery date, else the latest estimated one (eBay, Etsy reviews)
        "delivered_or_expected",
        # the first message sent to the seller with `contact --sent`
        "contacted",
    }
)
UNITS = frozenset({"days", "business_days"})


@dataclass(frozen=True)
class PolicyValue:
    """One number from the policy file, with where it came from.

    ``value`` is the number orderctl uses (the conservative one when sources
    conflict); ``alternatives`` keeps every other value a source gave.
    ``typical_days``/``max_days`` describe an estimate's spread: reminders
    count from the typical (earlier) one, refusals never from an estimate.
    """

    key: str
    value: int
    starts_at: str | None
    source: str
    confidence: str
    note: str | None = None
    title: str | None = None
    checked: str | None = None
    unit: str = "days"
    typical_days: int | None = None
    max_days: int | None = None
    alternatives: tuple[PolicyValue, ...] = ()

    @property
    def early(self) -> int:
        """The earliest plausible number of days (the one reminders count from)."""
        return self.value if self.typical_days is None else min(self.value, self.typical_days)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            "starts_at": self.starts_at,
            "source": self.source,
            "title": self.title,
            "checked": self.checked,
            "confidence": self.confidence,
            "note": self.note,
            "typical_days": self.typical_days,
            "max_days": self.max_days,
            "alternatives": [a.to_dict() for a in self.alternatives],
        }


@dataclass(frozen=True)
class ZoneRule:
    """The time zone a platform counts its calendar days in (with its source)."""

    name: str
    source: str
    confidence: str
    note: str | None = None
    title: str | None = None
    checked: str | None = None
    alternatives: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "title": self.title,
            "checked": self.checked,
            "confidence": self.confidence,
            "note": self.note,
            "alternatives": list(self.alternatives),
        }


@dataclass(frozen=True)
class FeedbackForm:
    """What a platform's feedback form asks for."""

    scale: str  # "stars5" (1-5 stars) or "pnn" (positive / neutral / negative)
    ratings: tuple[str, ...] = ()
    rating_labels: dict[str, str] = field(default_factory=dict)
    source: str = "unknown"
    confidence: str = "assumed"
    title: str | None = None
    checked: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "ratings": list(self.ratings),
            "rating_labels": dict(self.rating_labels),
            "source": self.source,
            "title": self.title,
            "checked": self.checked,
            "confidence": self.confidence,
            "note": self.note,
        }


@dataclass(frozen=True)
class DeadlineRule:
    """``anchor`` + sign * ``value`` days, for orders in ``states`` when ``when`` holds."""

    kind: str
    anchor: str
    advice: str
    states: frozenset[str]
    value: str | None = None
    sign: int = 1
    when: str | None = None
    #: Only where the platform gives it (e.g. a delivery guarantee): its missing anchor
    #: is not reported as a gap.
    optional: bool = False


@dataclass(frozen=True)
class PlatformPolicy:
    """Everything orderctl knows about one platform (or payment method)."""

    key: str
    name: str
    values: dict[str, PolicyValue] = field(default_factory=dict)
    deadlines: tuple[DeadlineRule, ...] = ()
    order_url: str | None = None
    orders_url: str | None = None
    tracking_url: str | None = None
    order_id_pattern: str | None = None
    confirm_steps: tuple[str, ...] = ()
    dispute_steps: tuple[str, ...] = ()
    zone: ZoneRule | None = None
    feedback_form: FeedbackForm | None = None

    @property
    def rule_pairs(self) -> tuple[tuple[DeadlineRule, PlatformPolicy], ...]:
        """Each deadline rule with the policy it belongs to (cached: used per order)."""
        pairs = self.__dict__.get("_rule_pairs")
        if pairs is None:
            pairs = tuple((rule, self) for rule in self.deadlines)
            object.__setattr__(self, "_rule_pairs", pairs)
        return pairs

    def days(self, key: str) -> int | None:
        value = self.values.get(key)
        return None if value is None else value.value

    def to_dict(self, kind: str = "platform") -> dict[str, Any]:
        """Every number with its source, for ``orderctl policies --json``."""
        return {
            "key": self.key,
            "name": self.name,
            "kind": kind,
            "values": [v.to_dict() for v in self.values.values()],
            "deadlines": [
                {
                    "kind": r.kind,
                    "anchor": r.anchor,
                    "value": r.value,
                    "sign": r.sign,
                    "states": sorted(r.states),
                    "when": r.when,
                    "advice": r.advice,
                }
                for r in self.deadlines
            ],
            "zone": self.zone.to_dict() if self.zone else None,
            "feedback_form": (
                self.feedback_form.to_dict()
                | {
                    "text_max_chars": self.days("review_text_max_chars"),
                    "photos_max": self.days("review_photos_max"),
                }
                if self.feedback_form
                else None
            ),
        }

    def order_page(self, order_id: str) -> str | None:
        return self.order_url.format(order_id=order_id) if self.order_url else None


@dataclass(frozen=True)
class Policies:
    """All platforms and payment methods."""

    platforms: dict[str, PlatformPolicy]
    payments: dict[str, PlatformPolicy]

    def platform(self, key: str) -> PlatformPolicy:
        return self.platforms.get(key) or self.platforms["other"]

    @property
    def platform_keys(self) -> tuple[str, ...]:
        return tuple(self.platforms)


def _int_or_none(where: str, raw: Any) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise InvalidInput(f"policy {where}: must be a whole number")
    if problem := policy_value_problem(where, raw):
        raise InvalidInput(f"policy {where}: {problem}")
    return raw


#: Bounds on policy numbers: a day count beyond ten years (``protection_days = 99999999``)
#: would overflow date arithmetic for every order, so it is refused when policies load.
MAX_POLICY_DAYS = 3650
MAX_POLICY_COUNT = 10**12


def policy_value_problem(key: str, value: int) -> str | None:
    """Why ``value`` cannot be used for policy ``key`` (``None`` when it can)."""
    if value < 0:
        return f"{value} is negative"
    limit = MAX_POLICY_DAYS if key.endswith("_days") else MAX_POLICY_COUNT
    if value > limit:
        unit = " days (ten years)" if key.endswith("_days") else ""
        return f"{value} is more than {limit}{unit}"
    return None


def _value(where: str, key: str, raw: Any, checked: str | None = None) -> PolicyValue:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("value"), int)
        or isinstance(raw.get("value"), bool)
    ):
        raise InvalidInput(f"policy {where}.values.{key}: needs an integer `value`")
    if problem := policy_value_problem(key, raw["value"]):
        raise InvalidInput(f"policy {where}.values.{key}: {problem}")
    unit = str(raw.get("unit", "days"))
    if unit not in UNITS:
        raise InvalidInput(f"policy {where}.values.{key}: unit must be one of {sorted(UNITS)}")
    checked = str(raw.get("checked") or checked or "") or None
    alternatives = tuple(
        _value(f"{where}.values.{key}", f"{key}.alternative", alt, checked)
        for alt in raw.get("alternatives") or []
    )
    return PolicyValue(
        key=key,
        value=raw["value"],
        starts_at=raw.get("starts_at"),
        source=str(raw.get("source", "unknown")),
        confidence=str(raw.get("confidence", "assumed")),
        note=raw.get("note"),
        title=raw.get("title"),
        checked=checked,
        unit=unit,
        typical_days=_int_or_none(f"{where}.values.{key}.typical_days", raw.get("typical_days")),
        max_days=_int_or_none(f"{where}.values.{key}.max_days", raw.get("max_days")),
        alternatives=alternatives,
    )


def _zone(where: str, raw: Any, checked: str | None) -> ZoneRule | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise InvalidInput(f"policy {where}.zone: needs a `name` (an IANA time zone)")
    return ZoneRule(
        name=raw["name"],
        source=str(raw.get("source", "unknown")),
        confidence=str(raw.get("confidence", "assumed")),
        note=raw.get("note"),
        title=raw.get("title"),
        checked=str(raw.get("checked") or checked or "") or None,
        alternatives=tuple(str(a) for a in raw.get("alternatives") or ()),
    )


def _feedback_form(where: str, raw: Any, checked: str | None) -> FeedbackForm | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("scale") not in ("stars5", "pnn"):
        raise InvalidInput(f"policy {where}.feedback_form: scale must be stars5 or pnn")
    labels = raw.get("rating_labels") or {}
    return FeedbackForm(
        scale=raw["scale"],
        ratings=tuple(str(r) for r in raw.get("ratings") or ()),
        rating_labels={str(k): str(v) for k, v in labels.items()},
        source=str(raw.get("source", "unknown")),
        confidence=str(raw.get("confidence", "assumed")),
        title=raw.get("title"),
        checked=str(raw.get("checked") or checked or "") or None,
        note=raw.get("note"),
    )


def _rule(where: str, raw: dict[str, Any], values: dict[str, PolicyValue]) -> DeadlineRule:
    kind = raw.get("kind")
    anchor = raw.get("anchor")
    if not kind or anchor not in ANCHORS:
        raise InvalidInput(
            f"policy {where}: deadline needs a kind and an anchor in {sorted(ANCHORS)}"
        )
    value = raw.get("value")
    if value is not None and value not in values:
        raise InvalidInput(f"policy {where}: deadline {kind} names unknown value {value!r}")
    when = raw.get("when")
    if when is not None and when not in CONDITIONS:
        raise InvalidInput(f"policy {where}: deadline {kind} has unknown condition {when!r}")
    return DeadlineRule(
        kind=kind,
        anchor=anchor,
        advice=str(raw.get("advice", "")),
        states=frozenset(raw.get("states", [])),
        value=value,
        sign=-1 if raw.get("sign", 1) < 0 else 1,
        when=when,
        optional=bool(raw.get("optional", False)),
    )


def _platform(
    where: str,
    key: str,
    raw: dict[str, Any],
    overrides: dict[str, Any],
    checked: str | None = None,
) -> PlatformPolicy:
    values = {
        k: _value(f"{where}.{key}", k, v, checked) for k, v in (raw.get("values") or {}).items()
    }
    for name, override in overrides.items():
        if not isinstance(override, int) or isinstance(override, bool):
            raise InvalidInput(
                f"config.toml [policies.{key}] {name}: must be a whole number of days or a count"
            )
        if problem := policy_value_problem(str(name), override):
            raise InvalidInput(
                f"config.toml [policies.{key}] {name}: {problem}",
                hint="Policy day counts go from 0 to 3650: fix it with `orderctl config edit`, "
                "or remove it with `orderctl config unset policies.PLATFORM.KEY`.",
            )
        old = values.get(name)
        values[name] = PolicyValue(
            key=name,
            value=override,
            starts_at=old.starts_at if old else None,
            source="config.toml",
            confidence="user",
            note=f"overrides {old.value}" if old else None,
            title="your config.toml",
            unit=old.unit if old else "days",
            alternatives=(old,) if old else (),
        )
    rules = tuple(_rule(f"{where}.{key}", r, values) for r in raw.get("deadlines", []))
    return PlatformPolicy(
        key=key,
        name=str(raw.get("name", key)),
        values=values,
        deadlines=rules,
        order_url=raw.get("order_url"),
        orders_url=raw.get("orders_url"),
        tracking_url=raw.get("tracking_url"),
        order_id_pattern=raw.get("order_id_pattern"),
        confirm_steps=tuple(raw.get("confirm_steps", ())),
        dispute_steps=tuple(raw.get("dispute_steps", ())),
        zone=_zone(f"{where}.{key}", raw.get("zone"), checked),
        feedback_form=_feedback_form(f"{where}.{key}", raw.get("feedback_form"), checked),
    )


def parse_policies(doc: dict[str, Any], overrides: dict[str, Any] | None = None) -> Policies:
    """Build :class:`Policies` from the TOML document and ``config.toml``'s ``[policies]``."""
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        raise InvalidInput("config.toml [policies] must be a table of platforms")
    checked = doc.get("checked")
    checked = str(checked) if checked else None
    platforms = {
        key: _platform("platforms", key, raw, overrides.get(key) or {}, checked)
        for key, raw in doc.get("platforms", {}).items()
    }
    payments = {
        key: _platform("payments", key, raw, overrides.get(key) or {}, checked)
        for key, raw in doc.get("payments", {}).items()
    }
    unknown = sorted(set(overrides) - set(platforms) - set(payments))
    if unknown:
        raise InvalidInput(
            f"config.toml [policies]: unknown platform {', '.join(unknown)}",
            hint=f"Known: {', '.join(sorted(platforms) + sorted(payments))}",
        )
    if "other" not in platforms:
        raise InvalidInput("policy data has no `other` platform")
    return Policies(platforms=platforms, payments=payments)
