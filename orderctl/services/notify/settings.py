"""The ``[notify]`` table of config.toml, checked once, and secrets kept out of sight.

Keys (all optional except ``urls`` for a real send): ``urls`` (list of Apprise
URLs), ``thresholds`` (list of days, or a table of lists per deadline kind
with a ``default``), ``quiet_hours`` ("22:00-07:00", in the buyer's zone),
``digest`` (bool), ``stuck_days`` (default: ``tracking.stuck_days``) and
``refund_days`` (whole days). A bad value is a configuration error (exit 4)
that names the key and never echoes a URL.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from orderctl.errors import ExitCode, OrderctlError
from orderctl.services.tracking.stuck import stuck_days

DEFAULT_THRESHOLDS = (7, 2, 0)
DEFAULT_REFUND_DAYS = 14
MASK = "****"


class NotifyConfigError(OrderctlError):
    """``[notify]`` in config.toml is missing or wrong (exit 4, like other credentials)."""

    exit_code = ExitCode.CREDENTIALS


@dataclass(frozen=True)
class Channel:
    """One Apprise URL: the secret URL itself, a masked name to show, and a stable id."""

    url: str = field(repr=False)
    name: str
    id: str


@dataclass(frozen=True)
class NotifySettings:
    channels: tuple[Channel, ...]
    thresholds: dict[str, tuple[int, ...]]
    quiet_hours: tuple[time, time] | None
    digest: bool
    stuck_days: int
    refund_days: int

    def thresholds_for(self, kind: str) -> tuple[int, ...]:
        return self.thresholds.get(kind, self.thresholds["default"])

    def scrub(self, text: str) -> str:
        """``text`` with every secret part of every channel URL replaced by ****."""
        for channel in self.channels:
            text = scrub(text, channel.url)
        return text


def _section(config: dict[str, Any]) -> dict[str, Any]:
    raw = config.get("notify") if isinstance(config, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise NotifyConfigError("config.toml: notify must be a table ([notify])")
    return raw


def _days(raw: Any, key: str, default: int, minimum: int) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < minimum:
        raise NotifyConfigError(f"config.toml: notify.{key} must be a whole number ≥ {minimum}")
    return raw


def _threshold_list(raw: Any, key: str) -> tuple[int, ...]:
    if (
        not isinstance(raw, list)
        or not raw
        or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in raw)
    ):
        raise NotifyConfigError(
            f"config.toml: {key} must be a non-empty list of whole days ≥ 0, e.g. [7, 2, 0]"
        )
    return tuple(sorted(set(raw), reverse=True))


def parse_thresholds(raw: Any) -> dict[str, tuple[int, ...]]:
    if raw is None:
        return {"default": DEFAULT_THRESHOLDS}
    if isinstance(raw, dict):
        out = {"default": DEFAULT_THRESHOLDS}
        for kind, days in raw.items():
            out[str(kind)] = _threshold_list(days, f"notify.thresholds.{kind}")
        return out
    return {"default": _threshold_list(raw, "notify.thresholds")}


_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_quiet_hours(raw: Any) -> tuple[time, time] | None:
    if raw is None or raw == "":
        return None
    match = _HOURS.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise NotifyConfigError(
            'config.toml: notify.quiet_hours must look like "22:00-07:00" (24-hour clock)'
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise NotifyConfigError(f"config.toml: notify.quiet_hours {raw!r} is not a time range")
    return time(h1, m1), time(h2, m2)


def _url_parts(url: str) -> tuple[str, str, str, str]:
    """scheme, userinfo, host (with port or token), rest (path and query)."""
    scheme, _, rest = url.partition("://")
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    netloc, tail = rest[:cut], rest[cut:]
    userinfo, _, host = netloc.rpartition("@")
    return scheme, userinfo, host, tail


def mask_url(url: str) -> str:
    """A channel as it may be shown: scheme, user and host; passwords, tokens, paths hidden."""
    scheme, userinfo, host, tail = _url_parts(url)
    if "://" not in url:
        return MASK
    shown = f"{scheme}://"
    if userinfo:
        user, sep, _ = userinfo.partition(":")
        shown += f"{user}:{MASK}@" if sep else f"{MASK}@"
    name, sep, port = host.partition(":")
    shown += name + (f":{port}" if sep and port.isdigit() else (f":{MASK}" if sep else ""))
    path = tail.split("?", 1)[0].strip("/")
    if path:
        shown += "/" + "/".join(MASK for _ in path.split("/"))
    return shown


def secrets_of(url: str) -> list[str]:
    """Every part of ``url`` that may be a secret, longest first (for scrubbing text)."""
    from urllib.parse import parse_qsl, unquote

    _, userinfo, host, tail = _url_parts(url)
    parts = [userinfo, *userinfo.split(":"), *host.split(":")[1:]]
    path, _, query = tail.partition("?")
    parts += [p for p in path.split("/") if p]
    parts += [value for _, value in parse_qsl(query)]
    parts += [unquote(p) for p in list(parts)]
    return sorted({p for p in parts if len(p) >= 3}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    text = text.replace(url, mask_url(url))
    for secret in secrets_of(url):
        if secret.isdigit() and len(secret) < 6:
            continue  # a port number is no secret, and masking it would garble text
        text = text.replace(secret, MASK)
    return text


def _channels(raw: Any) -> tuple[Channel, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or any(not isinstance(u, str) or not u.strip() for u in raw):
        raise NotifyConfigError("config.toml: notify.urls must be a list of Apprise URLs")
    channels: list[Channel] = []
    seen: set[str] = set()
    for url in (u.strip() for u in raw):
        if "://" not in url:
            raise NotifyConfigError(
                f"config.toml: notify.urls has an entry that is not a URL ({mask_url(url)})",
                hint="Apprise URLs look like mailtos://user:pass@example.com or ntfys://topic.",
            )
        ident = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
        if ident in seen:
            continue
        seen.add(ident)
        name = mask_url(url)
        if any(c.name == name for c in channels):
            name = f"{name}#{len(channels) + 1}"
        channels.append(Channel(url=url, name=name, id=ident))
    return tuple(channels)


def load_settings(config: dict[str, Any]) -> NotifySettings:
    section = _section(config)
    digest = section.get("digest", True)
    if not isinstance(digest, bool):
        raise NotifyConfigError("config.toml: notify.digest must be true or false")
    return NotifySettings(
        channels=_channels(section.get("urls")),
        thresholds=parse_thresholds(section.get("thresholds")),
        quiet_hours=parse_quiet_hours(section.get("quiet_hours")),
        digest=digest,
        # the same "stuck" as `track` unless notify.stuck_days says otherwise
        stuck_days=_days(section.get("stuck_days"), "stuck_days", stuck_days(config), 1),
        refund_days=_days(section.get("refund_days"), "refund_days", DEFAULT_REFUND_DAYS, 1),
    )
