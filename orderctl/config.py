"""``config.toml``: user settings and provider secrets.

Precedence everywhere is flag > environment > config file > default; this
module only reads the file. The file may hold API keys, so orderctl writes it
0600 and refuses to read one that other users can read (as OpenSSH does).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput
from orderctl.fsutil import atomic_write_text


def load_config(path: Path) -> dict[str, Any]:
    """The parsed config, or ``{}`` when there is none."""
    import tomllib  # only commands that read settings pay for the parser

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise InvalidInput(f"Cannot read config file {path}: {exc.strerror}") from None
    mode = os.stat(path).st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InvalidInput(
            f"Config file {path} is readable by other users (mode {stat.S_IMODE(mode):04o}); "
            "it may hold API keys",
            hint=f"Run: chmod 600 {path}",
        )
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"Config file {path} is not valid TOML: {exc}") from None


def set_value(path: Path, dotted_key: str, value: str) -> None:
    """Set ``section.key = "value"`` in the config file, keeping the file 0600."""
    data = load_config(path)
    parts = dotted_key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise InvalidInput(f"{dotted_key}: {part} is not a table in {path}")
    node[parts[-1]] = value
    atomic_write_text(path, dump_toml(data), mode=0o600)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else _toml_value(key)


def dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Minimal TOML writer for the config's shape (tables of scalars and lists)."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    out = "\n".join(lines)
    for key, table in tables:
        name = f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key)
        body = dump_toml(table, name)
        out += ("\n\n" if out else "") + f"[{name}]\n" + body
    return out.strip() + "\n" if not prefix else out
