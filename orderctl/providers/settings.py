"""Which tracking provider a run uses, with which credentials and base URL.

Precedence is the project-wide rule: ``--provider`` flag > environment
(``ORDERCTL_TRACKING_PROVIDER``) > ``config.toml`` > default. The default
prefers a keyed provider the user has set up (17TRACK, then AfterShip) and
falls back to Cainiao's keyless endpoint, which suits AliExpress parcels.
This module has no httpx import, so the CLI can resolve settings cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from orderctl.domain.wording import plural
from orderctl.errors import CredentialsError, InvalidInput

PROVIDERS = ("17track", "aftership", "cainiao")

DEFAULT_URLS = {
    "17track": "https://api.17track.net/track/v2.2",
    "aftership": "https://api.aftership.com/tracking/2026-07",
    "cainiao": "https://global.cainiao.com",
}
URL_ENV = {
    "17track": "ORDERCTL_17TRACK_URL",
    "aftership": "ORDERCTL_AFTERSHIP_URL",
    "cainiao": "ORDERCTL_CAINIAO_URL",
}
TOKEN_ENV = {"17track": "ORDERCTL_17TRACK_TOKEN", "aftership": "ORDERCTL_AFTERSHIP_KEY"}
TOKEN_CONFIG = {"17track": "token", "aftership": "key"}

# Cainiao knows AliExpress-shaped numbers: LP…, CN…, AE…, long numeric IDs and
# S10 numbers issued for China/consolidation routes. A heuristic, never validation.
_CAINIAO_SHAPES = re.compile(
    r"(LP\d{12,16}|CN[0-9A-Z]{12,17}|AE\d{9,12}|\d{20,25}|[A-Z]{2}\d{9}[A-Z]{2})"
)


@dataclass(frozen=True)
class ProviderSettings:
    """The resolved provider for a run. ``repr`` never shows the token."""

    name: str
    token: str | None
    base_url: str
    source: str = "default"  # "flag", "env", "config" or "default"
    warning: str | None = None

    def __repr__(self) -> str:
        token = None if self.token is None else "***"
        return (
            f"ProviderSettings(name={self.name!r}, token={token!r}, "
            f"base_url={self.base_url!r}, source={self.source!r})"
        )

    __str__ = __repr__


def _section(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    tracking = config.get("tracking") if isinstance(config, Mapping) else None
    if not isinstance(tracking, Mapping):
        return {}
    section = tracking.get(name)
    return section if isinstance(section, Mapping) else {}


def _token(name: str, env: Mapping[str, str], config: Mapping[str, Any]) -> str | None:
    if name not in TOKEN_ENV:
        return None
    value = (env.get(TOKEN_ENV[name]) or "").strip()
    if not value:
        raw = _section(config, name).get(TOKEN_CONFIG[name])
        value = raw.strip() if isinstance(raw, str) else ""
    return value or None


def _base_url(name: str, env: Mapping[str, str], config: Mapping[str, Any]) -> str:
    value = (env.get(URL_ENV[name]) or "").strip()
    if not value:
        raw = _section(config, name).get("url")
        value = raw.strip() if isinstance(raw, str) else ""
    value = value or DEFAULT_URLS[name]
    if not value.startswith(("http://", "https://")):
        raise InvalidInput(
            f"{URL_ENV[name]} / tracking.{name}.url must be an http(s) URL, got {value!r}"
        )
    return value.rstrip("/")


def resolve_provider(
    flag: str | None,
    env: Mapping[str, str],
    config: Mapping[str, Any],
    numbers_hint: Iterable[str] = (),
) -> ProviderSettings:
    """Choose the provider, its credentials and base URL for this run.

    Raises InvalidInput for an unknown provider name and CredentialsError when
    a keyed provider is chosen explicitly but no key is configured.
    ``numbers_hint`` only feeds a warning when the keyless default (Cainiao)
    is unlikely to know some numbers.
    """
    tracking = config.get("tracking") if isinstance(config, Mapping) else None
    configured = tracking.get("provider") if isinstance(tracking, Mapping) else None
    env_choice = (env.get("ORDERCTL_TRACKING_PROVIDER") or "").strip()
    for source, choice in (("flag", flag), ("env", env_choice), ("config", configured)):
        if isinstance(choice, str) and choice.strip():
            name = choice.strip().lower()
            if name not in PROVIDERS:
                raise InvalidInput(
                    f"Unknown tracking provider {choice!r} (from {source})",
                    hint=f"Choose one of: {', '.join(PROVIDERS)}",
                )
            token = _token(name, env, config)
            if name in TOKEN_ENV and token is None:
                raise CredentialsError(
                    f"Tracking provider {name} needs an API key and none is configured",
                    hint=(
                        f"Set {TOKEN_ENV[name]}, or run `orderctl config set "
                        f"tracking.{name}.{TOKEN_CONFIG[name]} <key>`; "
                        "or use --provider cainiao (no key)."
                    ),
                )
            return ProviderSettings(name, token, _base_url(name, env, config), source)
    for name in ("17track", "aftership"):
        token = _token(name, env, config)
        if token:
            return ProviderSettings(name, token, _base_url(name, env, config), "default")
    return ProviderSettings(
        "cainiao",
        None,
        _base_url("cainiao", env, config),
        "default",
        _cainiao_warning(numbers_hint),
    )


def _cainiao_warning(numbers: Iterable[str]) -> str | None:
    odd = [n for n in numbers if not _CAINIAO_SHAPES.fullmatch(n.strip().upper())]
    if not odd:
        return None
    return (
        f"{plural(len(odd), 'number')} do not look like AliExpress/Cainiao numbers "
        f"(e.g. {odd[0]}); "
        "Cainiao may not know them. Configure a 17TRACK token (ORDERCTL_17TRACK_TOKEN, or "
        "`orderctl config set tracking.17track.token -`) for other carriers."
    )
