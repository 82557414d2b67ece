"""What every use case needs: where the files are, the clock, config and policies.

Built once per command by the CLI from flags and the environment, and passed
to services explicitly, so tests can inject a temp home, a pinned clock and
their own environment without touching globals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from orderctl import clock
from orderctl.config import load_config
from orderctl.errors import InvalidInput
from orderctl.paths import Paths, resolve_paths
from orderctl.store.repository import OrderStore

if TYPE_CHECKING:
    from datetime import tzinfo

    from orderctl.domain.deadlines import Schedule, Zones
    from orderctl.domain.models import Order
    from orderctl.domain.policies import Policies

DEFAULT_LOCK_TIMEOUT = 10.0


def _lock_timeout(env: Mapping[str, str], flag: float | None) -> float:
    if flag is not None:
        return flag
    raw = env.get("ORDERCTL_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"ORDERCTL_LOCK_TIMEOUT={raw!r} is not a number of seconds") from None
    if value < 0:
        raise InvalidInput("ORDERCTL_LOCK_TIMEOUT must not be negative")
    return value


def load_policy_document() -> dict[str, Any]:
    import tomllib
    from importlib import resources

    text = resources.files("orderctl.data").joinpath("policies.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass
class AppContext:
    """Resolved environment for one command."""

    paths: Paths
    env: Mapping[str, str]
    now: datetime
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, lock_timeout: float | None = None
    ) -> AppContext:
        env = dict(os.environ if env is None else env)
        return cls(
            paths=resolve_paths(env),
            env=env,
            now=clock.now(env),
            lock_timeout=_lock_timeout(env, lock_timeout),
        )

    @cached_property
    def zone(self) -> tzinfo:
        """The buyer's time zone: ORDERCTL_TZ > ``tz`` in config.toml > the system zone."""
        return clock.buyer_zone(self.env, self.config)

    @property
    def today(self) -> date:
        """The buyer's calendar date (``now`` in the buyer's zone), not the UTC date."""
        return clock.local_date(self.now, self.zone)

    @cached_property
    def zones(self) -> Zones:
        """The buyer's zone and each platform's own zone, for the deadline engine."""
        from orderctl.domain.deadlines import Zones

        platforms = {
            key: clock.zone_by_name(policy.zone.name, f"policy data ({key} zone)")
            for key, policy in (self.policies.platforms | self.policies.payments).items()
            if policy.zone is not None
        }
        return Zones(buyer=self.zone, platforms=platforms)

    def schedule(self, order: Order) -> Schedule:
        """The deadline engine's answer for ``order`` today (the only place windows come from)."""
        from orderctl.domain.deadlines import schedule

        return schedule(order, self.policies, self.today, self.zones)

    @cached_property
    def store(self) -> OrderStore:
        return OrderStore(self.paths, lock_timeout=self.lock_timeout)

    @cached_property
    def config(self) -> dict[str, Any]:
        return load_config(self.paths.config_file)

    @cached_property
    def settings_fingerprint(self) -> str:
        """Identifies config.toml's content and the buyer's zone: both change deadlines."""
        import zlib

        try:
            data = self.paths.config_file.read_bytes()
        except OSError:
            data = b""
        zone = str(getattr(self.zone, "key", None) or self.zone)
        return f"{len(data)}-{zlib.crc32(data):08x}-{zone}" if data else f"none-{zone}"

    @cached_property
    def policies(self) -> Policies:
        from orderctl.domain.policies import parse_policies

        overrides = self.config.get("policies") or {}
        try:
            return parse_policies(load_policy_document(), overrides)
        except InvalidInput as exc:
            if not overrides or exc.hint:
                raise
            raise InvalidInput(
                f"config.toml: {exc.message}",
                hint="Fix the [policies] override with `orderctl config edit`, or remove it with "
                "`orderctl config unset policies.PLATFORM.KEY`.",
            ) from None
