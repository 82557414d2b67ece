"""A small file of order ids for shell completion: ``cache/order-ids.tsv``.

Completing ``orderctl show 82<TAB>`` runs orderctl once per key press, so it
must not parse and validate a 10,000-order index each time. The store writes
this file on every commit (one line per order: id, state, platform, title),
headed by the size and modification time of the index it was made from. A
reader that finds the header stale (the index was edited by hand, or an older
orderctl wrote it) rebuilds it from the raw index without validation: these
are suggestions, never data. No TinyDB import: completion stays cheap.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from orderctl.fsutil import atomic_write_bytes
from orderctl.paths import Paths

FILE_NAME = "order-ids.tsv"
_HEADER = "# orderctl order ids v1"
_TITLE_CHARS = 60


class IdEntry(NamedTuple):
    order_id: str
    state: str
    platform: str
    title: str


def cache_path(paths: Paths) -> Path:
    return paths.cache_dir / FILE_NAME


def _stamp(db: Path) -> str | None:
    try:
        st = os.stat(db)
    except OSError:
        return None
    return f"{st.st_size} {st.st_mtime_ns}"


def _clean(text: object) -> str:
    return " ".join(str(text or "").replace("\t", " ").split())


def write_ids(paths: Paths, entries: Iterable[IdEntry]) -> None:
    """Write the cache for the index as it is on disk now (never raises)."""
    stamp = _stamp(paths.db)
    if stamp is None:
        return
    lines = [f"{_HEADER} {stamp}"]
    lines += [
        "\t".join(
            (
                _clean(e.order_id),
                _clean(e.state),
                _clean(e.platform),
                _clean(e.title)[:_TITLE_CHARS],
            )
        )
        for e in entries
    ]
    with contextlib.suppress(OSError):
        atomic_write_bytes(cache_path(paths), ("\n".join(lines) + "\n").encode("utf-8"))


def _parse(text: str) -> list[IdEntry]:
    out = []
    for line in text.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) == 4 and parts[0]:
            out.append(IdEntry(*parts))
    return out


def _from_index(paths: Paths) -> list[IdEntry]:
    """Rebuild from the raw index (no validation; anything odd is skipped)."""
    try:
        raw = json.loads(paths.db.read_bytes())
    except (OSError, ValueError):
        return []
    table = raw.get("orders") if isinstance(raw, dict) else None
    if not isinstance(table, dict):
        return []
    out = []
    for doc in table.values():
        if isinstance(doc, dict) and doc.get("order_id"):
            out.append(
                IdEntry(
                    str(doc["order_id"]),
                    str(doc.get("state") or ""),
                    str(doc.get("platform") or ""),
                    str(doc.get("title") or ""),
                )
            )
    return out


def read_ids(paths: Paths) -> list[IdEntry]:
    """The orders for completion: from the cache when it matches the index, else rebuilt."""
    stamp = _stamp(paths.db)
    if stamp is None:
        return []
    try:
        text = cache_path(paths).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if text.startswith(f"{_HEADER} {stamp}\n"):
        return _parse(text)
    entries = _from_index(paths)
    write_ids(paths, entries)
    return entries
