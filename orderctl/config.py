"""``config.toml``: user settings and provider secrets.

Precedence everywhere is flag > environment > config file > default; this
module only reads the file, which the buyer writes by hand. It may hold API
keys, so orderctl refuses to read one that other users can read (as OpenSSH
does) and says how to fix it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput


def load_config(path: Path) -> dict[str, Any]:
    """The parsed config, or ``{}`` when there is none."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}  # the common case: no parser imported at all
    except OSError as exc:
        raise InvalidInput(f"Cannot read config file {path}: {exc.strerror}") from None
    mode = os.stat(path).st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InvalidInput(
            f"Config file {path} is readable by other users (mode {stat.S_IMODE(mode):04o}); "
            "it may hold API keys",
            hint=f"Run: chmod 600 {path}",
        )
    import tomllib  # only when there is a file to parse

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"Config file {path} is not valid TOML: {exc}") from None
