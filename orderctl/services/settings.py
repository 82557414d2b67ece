"""``orderctl config``: the schema of config.toml and safe edits to it.

``SCHEMA`` is the one table of every setting orderctl reads: its type, default,
whether it is a secret, and a line of help. ``orderctl config`` validates
against it, ``config list`` shows it, and a test checks that every hint in the
code that names a ``config set`` command names a key listed here.

Edits keep the buyer's other keys (also ones this version does not know), and
the file is written atomically with mode 0600, under a lock so two
``config set`` runs cannot lose each other's change. Writing uses ``tomli-w``
(comments in a hand-written file are not kept by ``set``/``unset``; ``edit``
keeps the file exactly as typed).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput, NotFound

MASK = "***"


def _zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Berlin)") from None
    return value


def _platform_keys() -> tuple[list[str], dict[str, list[str]]]:
    """Platform and payment keys from the bundled policy data, with their value names."""
    import tomllib
    from importlib import resources

    doc = tomllib.loads(
        resources.files("orderctl.data").joinpath("policies.toml").read_text("utf-8")
    )
    values: dict[str, list[str]] = {}
    platforms = list(doc.get("platforms", {}))
    for group in ("platforms", "payments"):
        for key, raw in doc.get(group, {}).items():
            values[key] = sorted(raw.get("values") or {})
    return platforms, values


def _platform(value: str) -> str:
    platforms, _ = _platform_keys()
    if value not in platforms:
        raise ValueError(f"{value!r} is not a known platform; choose one of {', '.join(platforms)}")
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _mail_url(value: str) -> str:
    if not value.startswith(("imap://", "imaps://")):
        raise ValueError(f"{value!r} is not an imap:// or imaps:// URL")
    return value


_PROVIDERS = ("17track", "aftership", "cainiao")


def _provider(value: str) -> str:
    if value.lower() not in _PROVIDERS:
        raise ValueError(f"{value!r} is not one of {', '.join(_PROVIDERS)}")
    return value.lower()


_HOURS = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")


def _quiet_hours(value: str) -> str:
    if not _HOURS.fullmatch(value):
        raise ValueError(f"{value!r} is not a range like 22:00-07:00")
    return value


def _non_negative(value: int) -> int:
    if value < 0:
        raise ValueError(f"{value} must not be negative")
    return value


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError(f"{value} must be greater than 0")
    return value


@dataclass(frozen=True)
class Setting:
    """One key of config.toml. ``kind`` is str, int, bool, list[str] or list[int]."""

    key: str
    kind: str
    help: str
    default: Any = None
    secret: bool = False
    check: Callable[[Any], Any] | None = None  # per value (each item of a list)


SCHEMA: tuple[Setting, ...] = (
    Setting("name", "str", "Your name, used to sign contact and dispute drafts."),
    Setting("tz", "str", "Your IANA time zone (ORDERCTL_TZ overrides it).", check=_zone),
    Setting(
        "default_platform",
        "str",
        "Platform for orders added without --platform.",
        check=_platform,
    ),
    Setting(
        "tracking.provider",
        "str",
        "Tracking provider: 17track, aftership or cainiao (default: the first with a key, "
        "else cainiao).",
        check=_provider,
    ),
    Setting("tracking.17track.token", "str", "17TRACK API token.", secret=True),
    Setting(
        "tracking.17track.url",
        "str",
        "17TRACK API base URL.",
        "https://api.17track.net/track/v2.2",
        check=_http_url,
    ),
    Setting("tracking.aftership.key", "str", "AfterShip API key.", secret=True),
    Setting(
        "tracking.aftership.url",
        "str",
        "AfterShip API base URL.",
        "https://api.aftership.com/tracking/2026-07",
        check=_http_url,
    ),
    Setting(
        "tracking.cainiao.url",
        "str",
        "Cainiao base URL.",
        "https://global.cainiao.com",
        check=_http_url,
    ),
    Setting(
        "tracking.stuck_days",
        "int",
        "A parcel with no new scan for this many days shows as stuck in `track`.",
        10,
        check=_positive,
    ),
    Setting(
        "feedback.private_words",
        "list[str]",
        "Words (your name, town) that feedback drafts must never contain.",
        [],
    ),
    Setting(
        "mail.url",
        "str",
        "Mailbox to read order mail from, e.g. imaps://user@host/INBOX.",
        check=_mail_url,
    ),
    Setting("mail.password", "str", "Mailbox password.", secret=True),
    Setting("mail.since_days", "int", "How many days of mail to read.", check=_positive),
    Setting("mail.keep_mail", "bool", "Keep a copy of the mail that was read."),
    Setting(
        "mail.oauth2_token_command",
        "str",
        "Command (run without a shell) that prints a fresh OAuth 2.0 access token; the IMAP"
        " login then uses XOAUTH2 (Outlook.com).",
    ),
    Setting(
        "mail.ca_file",
        "str",
        "PEM file of the only certificate authority trusted for the IMAP server (a server with"
        " its own certificate).",
    ),
    Setting("notify.urls", "list[str]", "Apprise URLs to notify.", [], secret=True),
    Setting(
        "notify.thresholds",
        "list[int]",
        "Notify this many days before a deadline.",
        [7, 2, 0],
        check=_non_negative,
    ),
    Setting(
        "notify.quiet_hours",
        "str",
        "No notifications in this range, e.g. 22:00-07:00.",
        check=_quiet_hours,
    ),
    Setting("notify.digest", "bool", "One digest per run instead of one per deadline.", True),
    Setting(
        "notify.stuck_days",
        "int",
        "Notify when a parcel has had no new scan for this many days"
        " (unset: tracking.stuck_days, so `track` and `notify` agree).",
        check=_positive,
    ),
    Setting(
        "notify.refund_days",
        "int",
        "Remind about a promised refund after this many days.",
        14,
        check=_positive,
    ),
    Setting(
        "evidence.max_file_mb", "int", "Largest evidence file accepted, in MB.", check=_positive
    ),
    Setting(
        "evidence.max_megapixels",
        "int",
        "Largest image accepted as evidence, in megapixels.",
        check=_positive,
    ),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in SCHEMA}
#: ``policies.<platform>.<value>``: a whole number overriding a policy value.
POLICY_PREFIX = "policies."


def policy_setting(key: str) -> Setting:
    """The Setting for a ``policies.<platform>.<value>`` key, or InvalidInput."""
    parts = key.split(".")
    _, values = _platform_keys()
    if len(parts) != 3 or not parts[1] or not parts[2]:
        raise InvalidInput(
            f"{key!r} is not a policy setting",
            hint="Policy overrides are policies.<platform>.<value>, "
            "e.g. `orderctl config set policies.aliexpress.protection_days 90`.",
        )
    platform, name = parts[1], parts[2]
    if platform not in values:
        raise InvalidInput(
            f"Unknown platform {platform!r} in {key!r}",
            hint=_suggest(platform, list(values), "Known platforms: " + ", ".join(values)),
        )
    if name not in values[platform]:
        raise InvalidInput(
            f"{platform} has no policy value {name!r}",
            hint=_suggest(name, values[platform], "Its values: " + ", ".join(values[platform])),
        )

    def in_bounds(value: Any) -> Any:
        from orderctl.domain.policies import policy_value_problem

        _non_negative(value)
        if problem := policy_value_problem(name, value):
            raise ValueError(problem)
        return value

    return Setting(key, "int", f"Override of the {platform} policy value {name}.", check=in_bounds)


def _suggest(word: str, choices: list[str], fallback: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"Did you mean {close[0]!r}?" if close else fallback


def lookup(key: str) -> Setting:
    """The Setting for ``key``; an unknown key is InvalidInput naming the closest one."""
    if key in BY_KEY:
        return BY_KEY[key]
    if key.startswith(POLICY_PREFIX):
        return policy_setting(key)
    close = difflib.get_close_matches(key, list(BY_KEY), n=1, cutoff=0.5)
    hint = f"Did you mean {close[0]}? " if close else ""
    raise InvalidInput(
        f"Unknown setting {key!r}",
        hint=f"{hint}Run `orderctl config list` to see every setting.",
    )


# --------------------------------------------------------------------------- values


def _bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("true", "yes", "on", "1"):
        return True
    if low in ("false", "no", "off", "0"):
        return False
    raise ValueError(f"{text!r} is not true or false")


def _int(text: str) -> int:
    try:
        return int(text.strip(), 10)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def parse_value(setting: Setting, texts: list[str]) -> Any:
    """Turn command-line text into the setting's type; InvalidInput (exit 2) if it does not fit.

    Lists take one argument per item; list[int] items may also be comma-separated
    (``7,2,0``). An empty list is given as one empty argument.
    """
    try:
        if setting.kind.startswith("list["):
            items = [t for t in texts if t.strip()]
            if setting.kind == "list[int]":
                items = [p for t in items for p in t.split(",") if p.strip()]
                value: Any = [_int(p) for p in items]
            else:
                value = [t.strip() for t in items]
        else:
            if len(texts) != 1:
                raise ValueError(f"takes one value, got {len(texts)}")
            text = texts[0]
            if setting.kind == "int":
                value = _int(text)
            elif setting.kind == "bool":
                value = _bool(text)
            else:
                value = text.strip()
                if not value:
                    raise ValueError("must not be empty (use `orderctl config unset` instead)")
        return check_value(setting, value)
    except ValueError as exc:
        raise InvalidInput(
            f"Bad value for {setting.key}: {_redacted(setting, str(exc))}",
            hint=f"{setting.key}: {setting.help} ({setting.kind})",
        ) from None


def _redacted(setting: Setting, message: str) -> str:
    return "the value is not valid" if setting.secret else message


def check_value(setting: Setting, value: Any) -> Any:
    """Check an already typed value (from the file); ValueError says what is wrong."""
    kind = setting.kind
    if kind.startswith("list["):
        item = int if kind == "list[int]" else str
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, item) for v in value
        ):
            raise ValueError(f"must be a list of {'whole numbers' if item is int else 'strings'}")
        return [setting.check(v) for v in value] if setting.check else value
    expected = {"str": str, "int": int, "bool": bool}[kind]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ValueError(f"must be {'a whole number' if expected is int else kind}")
    return setting.check(value) if setting.check else value


# --------------------------------------------------------------------------- documents


def get_path(doc: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted key, or None when any part is missing."""
    node: Any = doc
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_path(doc: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = doc
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif not isinstance(child, dict):
            where = ".".join(parts[: i + 1])
            raise InvalidInput(
                f"Cannot set {key}: {where} in config.toml is a value, not a table",
                hint="Run `orderctl config edit` to fix the file.",
            )
        node = child
    node[parts[-1]] = value


def unset_path(doc: dict[str, Any], key: str) -> bool:
    """Remove a key and any tables left empty; False if it was not set."""
    parts = key.split(".")
    chain = [doc]
    for part in parts[:-1]:
        child = chain[-1].get(part)
        if not isinstance(child, dict):
            return False
        chain.append(child)
    if parts[-1] not in chain[-1]:
        return False
    del chain[-1][parts[-1]]
    for depth in range(len(parts) - 1, 0, -1):
        if chain[depth]:
            break
        del chain[depth - 1][parts[depth - 1]]
    return True


def leaves(doc: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Every (dotted key, value) that is not a table."""
    out: list[tuple[str, Any]] = []
    for key, value in doc.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out += leaves(value, dotted + ".")
        else:
            out.append((dotted, value))
    return out


def validate_document(doc: Mapping[str, Any]) -> list[str]:
    """One ``key: problem`` line per problem in a whole config document."""
    problems: list[str] = []
    for key, value in leaves(doc):
        try:
            setting = lookup(key)
        except InvalidInput as exc:
            problems.append(f"{key}: {exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
            continue
        try:
            check_value(setting, value)
        except ValueError as exc:
            problems.append(f"{key}: {_redacted(setting, str(exc))}")
    return problems


# --------------------------------------------------------------------------- the file


def dump(doc: Mapping[str, Any]) -> bytes:
    import tomli_w

    return tomli_w.dumps(dict(doc)).encode("utf-8")


class ConfigFile:
    """config.toml at ``path``: read, change one key, write atomically with mode 0600."""

    def __init__(self, path: Path, lock_timeout: float = 10.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    def load(self) -> dict[str, Any]:
        from orderctl.config import load_config

        return load_config(self.path)

    def _write(self, doc: Mapping[str, Any]) -> None:
        from orderctl.fsutil import atomic_write_bytes

        atomic_write_bytes(self.path, dump(doc), mode=0o600)

    def _locked(self) -> Any:
        from filelock import FileLock, Timeout

        from orderctl.errors import StoreError

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path) + ".lock", timeout=self.lock_timeout)

        class _Guard:
            def __enter__(self_inner) -> None:
                try:
                    lock.acquire()
                except Timeout:
                    raise StoreError(
                        f"Another orderctl is changing {self.path}",
                        hint="Wait for it to finish and try again.",
                    ) from None

            def __exit__(self_inner, *exc: object) -> None:
                lock.release()

        return _Guard()

    def set(self, key: str, texts: list[str]) -> tuple[Setting, Any]:
        setting = lookup(key)
        value = parse_value(setting, texts)
        with self._locked():
            doc = self.load()
            set_path(doc, key, value)
            self._write(doc)
        return setting, value

    def unset(self, key: str) -> bool:
        lookup(key)
        with self._locked():
            doc = self.load()
            removed = unset_path(doc, key)
            if removed:
                self._write(doc)
        return removed

    def replace_text(self, text: str) -> None:
        """Install an edited file after it parsed and validated (``config edit``)."""
        from orderctl.fsutil import atomic_write_bytes

        with self._locked():
            atomic_write_bytes(self.path, text.encode("utf-8"), mode=0o600)


@dataclass(frozen=True)
class Entry:
    """A setting as ``config get``/``list`` show it."""

    key: str
    value: Any
    default: Any
    is_set: bool
    secret: bool
    kind: str
    help: str
    known: bool = True

    def shown(self, value: Any) -> Any:
        if value is None or not self.secret:
            return value
        return [MASK for _ in value] if isinstance(value, list) else MASK

    def to_dict(self, *, reveal: bool = False) -> dict[str, Any]:
        value = self.value if self.is_set else self.default
        return {
            "key": self.key,
            "value": value if reveal else self.shown(value),
            "set": self.is_set,
            "default": self.default,
            "secret": self.secret,
            "type": self.kind,
            "known": self.known,
            "help": self.help,
        }


def entry(doc: Mapping[str, Any], key: str) -> Entry:
    setting = lookup(key)
    value = get_path(doc, key)
    return Entry(
        key,
        value,
        setting.default,
        value is not None,
        setting.secret,
        setting.kind,
        setting.help,
    )


def entries(doc: Mapping[str, Any]) -> list[Entry]:
    """Every schema key, then policy overrides and unknown keys found in the file."""
    out = [entry(doc, s.key) for s in SCHEMA]
    for key, value in leaves(doc):
        if key in BY_KEY:
            continue
        try:
            setting = lookup(key)
        except InvalidInput:
            # An unknown key may be a misspelt secret: never show its value.
            out.append(Entry(key, value, None, True, True, "unknown", "not a known setting", False))
            continue
        out.append(Entry(key, value, None, True, False, setting.kind, setting.help))
    return out


def require_entry(doc: Mapping[str, Any], key: str) -> Entry:
    """``config get``: the entry, or NotFound when neither set nor defaulted."""
    found = entry(doc, key)
    if not found.is_set and found.default is None:
        raise NotFound(
            f"{key} is not set and has no default",
            hint=f"Run `orderctl config set {key} VALUE`.",
        )
    return found
