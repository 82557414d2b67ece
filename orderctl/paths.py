"""Where orderctl keeps its files.

Everything lives under one home folder so that a single variable,
``ORDERCTL_HOME``, moves all state (tests and the demo rely on this). Without
it the platform's user data folder is used (platformdirs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """Resolved locations; nothing is created until a command writes."""

    home: Path

    @property
    def db(self) -> Path:
        """The order index (TinyDB JSON)."""
        return self.home / "orders.json"

    @property
    def lock(self) -> Path:
        """Sidecar lock file: never the replaced DB file itself."""
        return self.home / "orders.json.lock"

    @property
    def details_dir(self) -> Path:
        """Bulky per-order data (tracking events, inspection history), sharded."""
        return self.home / "details"

    @property
    def backups_dir(self) -> Path:
        return self.home / "backups"

    @property
    def evidence_dir(self) -> Path:
        return self.home / "evidence"

    @property
    def feedback_dir(self) -> Path:
        return self.home / "feedback"

    @property
    def bundles_dir(self) -> Path:
        return self.home / "bundles"

    @property
    def cache_dir(self) -> Path:
        """Values derived from the order index (safe to delete at any time)."""
        return self.home / "cache"

    @property
    def config_file(self) -> Path:
        return self.home / "config.toml"

    @property
    def checklists_dir(self) -> Path:
        """User checklist templates (TOML) that add to or override the bundled ones."""
        return self.home / "checklists"

    def as_dict(self) -> dict[str, str]:
        return {
            "home": str(self.home),
            "db": str(self.db),
            "details": str(self.details_dir),
            "backups": str(self.backups_dir),
            "evidence": str(self.evidence_dir),
            "feedback": str(self.feedback_dir),
            "bundles": str(self.bundles_dir),
            "cache": str(self.cache_dir),
            "config": str(self.config_file),
            "checklists": str(self.checklists_dir),
        }


def resolve_paths(env: Mapping[str, str] | None = None) -> Paths:
    """``ORDERCTL_HOME`` if set, else the platform's user data dir for orderctl."""
    env = os.environ if env is None else env
    home = env.get("ORDERCTL_HOME", "").strip()
    if home:
        return Paths(Path(home).expanduser().absolute())
    from platformdirs import user_data_path

    return Paths(user_data_path("orderctl", appauthor=False))
