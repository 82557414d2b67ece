"""The environment a test gives to an orderctl subprocess."""

from __future__ import annotations

import os
from pathlib import Path

PINNED_NOW = "2026-11-28T12:00:00Z"


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without any ORDERCTL_* setting, plus ``home``, a pinned
    clock, no colour and a wide terminal; ``extra`` adds or overrides variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERCTL_")}
    env.update(ORDERCTL_HOME=str(home), ORDERCTL_NOW=PINNED_NOW, NO_COLOR="1", COLUMNS="1000")
    env.setdefault("ORDERCTL_TZ", "Asia/Shanghai")  # as tests/conftest.py
    env.update(extra)
    return env
