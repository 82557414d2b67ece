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
    {"not_delivered", "not_received_or_failed", "feedback_pending", "dispute_open"}
)
ANCHORS = frozenset(
    {"ordered", "shipped", "delivered", "completed", "protection_ends", "dispute_opened"}
)


@dataclass(frozen=True)
class PolicyValue:
    """One number from the policy file, with where it came from."""

    key: str
    value: int
    starts_at: str | None
    source: str
    confidence: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "starts_at": self.starts_at,
            "source": self.source,
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


def _value(where: str, key: str, raw: Any) -> PolicyValue:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("value"), int)
        or isinstance(raw.get("value"), bool)
    ):
        raise InvalidInput(f"policy {where}.values.{key}: needs an integer `value`")
    if problem := policy_value_problem(key, raw["value"]):
        raise InvalidInput(f"policy {where}.values.{key}: {problem}")
    return PolicyValue(
        key=key,
        value=raw["value"],
        starts_at=raw.get("starts_at"),
        source=str(raw.get("source", "unknown")),
        confidence=str(raw.get("confidence", "assumed")),
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
    )


def _platform(
    where: str, key: str, raw: dict[str, Any], overrides: dict[str, Any]
) -> PlatformPolicy:
    values = {k: _value(f"{where}.{key}", k, v) for k, v in (raw.get("values") or {}).items()}
    for name, override in overrides.items():
        if not isinstance(override, int) or isinstance(override, bool):
            raise InvalidInput(
                f"config.toml [policies.{key}] {name}: must be a whole number of days or a count"
            )
        if problem := policy_value_problem(str(name), override):
            raise InvalidInput(
                f"config.toml [policies.{key}] {name}: {problem}",
                hint="Policy day counts go from 0 to 3650; fix the value in config.toml.",
            )
        old = values.get(name)
        values[name] = PolicyValue(
            key=name,
            value=override,
            starts_at=old.starts_at if old else None,
            source="config.toml",
            confidence="user",
            note=f"overrides {old.value}" if old else None,
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
    )


def parse_policies(doc: dict[str, Any], overrides: dict[str, Any] | None = None) -> Policies:
    """Build :class:`Policies` from the TOML document and ``config.toml``'s ``[policies]``."""
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        raise InvalidInput("config.toml [policies] must be a table of platforms")
    platforms = {
        key: _platform("platforms", key, raw, overrides.get(key) or {})
        for key, raw in doc.get("platforms", {}).items()
    }
    payments = {
        key: _platform("payments", key, raw, overrides.get(key) or {})
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
