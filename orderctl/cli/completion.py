"""Shell-completion callbacks: order ids, states, platforms and checklist names.

Each runs once per key press, in a fresh process, so none of them opens the
store: order ids come from the small id list the store keeps next to the index
(:mod:`orderctl.store.ids_cache`), checklist names from the folders' file
names, platforms from the id list plus the bundled policy names. Any problem
yields no suggestions rather than an error in the middle of a command line.
Install with ``orderctl --install-completion`` (bash, zsh, fish, PowerShell).
"""

from __future__ import annotations

import os
from pathlib import Path

# The platforms in orderctl/data/policies.toml (checked by a test), so completing a
# platform does not parse the policy file on every key press.
PLATFORMS = ("aliexpress", "ebay", "amazon", "temu", "etsy", "wish", "shein", "other")


def _entries() -> list:
    try:
        from orderctl.paths import resolve_paths
        from orderctl.store.ids_cache import read_ids

        return read_ids(resolve_paths())
    except Exception:  # completion must never break the shell
        return []


def order_ids(incomplete: str) -> list[tuple[str, str]]:
    """Order ids starting with what was typed, newest first, with their titles as help."""
    return [
        (e.order_id, f"{e.title} ({e.state})")
        for e in reversed(_entries())
        if e.order_id.startswith(incomplete)
    ]


def states(incomplete: str) -> list[str]:
    from orderctl.domain.models import OrderState

    return [s.value for s in OrderState if s.value.startswith(incomplete)]


def platforms(incomplete: str) -> list[str]:
    used = {e.platform for e in _entries() if e.platform}
    names = list(dict.fromkeys([*PLATFORMS, *sorted(used)]))
    return [p for p in names if p.startswith(incomplete)]


def checklists(incomplete: str) -> list[str]:
    """Bundled and user checklist names (file names; the files are not parsed)."""
    names: set[str] = set()
    try:
        from importlib import resources

        from orderctl.paths import resolve_paths

        bundled = resources.files("orderctl.data").joinpath("checklists")
        names |= {Path(p.name).stem for p in bundled.iterdir() if p.name.endswith(".toml")}
        user = resolve_paths().checklists_dir
        if user.is_dir():
            names |= {p[:-5] for p in os.listdir(user) if p.endswith(".toml")}
    except Exception:
        pass
    return sorted(n for n in names if n.startswith(incomplete))
