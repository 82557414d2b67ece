"""Safe file names for bundle members.

Bundle names come from users (a photo's original name, a label they typed)
and end up as paths on someone else's disk after extraction, possibly on
Windows or by a zip-slip vulnerable extractor. A safe name has no path
separators, no ``..``, no control or bidi-override characters, nothing
Windows forbids, and a bounded length.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
# Cc: controls (NUL, newline, ...), Cf: format chars such as U+202E that
# visually reverse an extension, Cs/Co: surrogates and private use.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
MAX_NAME_CHARS = 120


def safe_name(name: str, *, default: str = "file") -> str:
    """Reduce ``name`` to one safe path component (its last meaningful part).

    ``../../etc/passwd`` becomes ``passwd``, ``/abs/x.jpg`` becomes ``x.jpg``,
    ``a\\x00b.jpg`` becomes ``ab.jpg``; Unicode letters are kept (NFC).
    """
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP_CATEGORIES)
    parts = [p for p in re.split(r"[/\\]", text) if p.strip(" .")]
    base = parts[-1] if parts else ""
    base = _WINDOWS_FORBIDDEN.sub("_", base).strip(" .")
    if not base:
        base = default
    suffix = PurePosixPath(base).suffix
    if len(suffix) > 16:
        suffix = ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    stem = stem[: MAX_NAME_CHARS - len(suffix)].rstrip(" .") or default
    return stem + suffix


def deduplicate(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… so no two names clash case-insensitively.

    Case-insensitive because the bundle is usually opened on Windows or macOS.
    ``taken`` holds casefolded names and is updated.
    """
    suffix = PurePosixPath(name).suffix
    stem = name[: len(name) - len(suffix)] if suffix else name
    candidate = name
    n = 2
    while candidate.casefold() in taken:
        candidate = f"{stem}-{n}{suffix}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def is_safe_relative(path: str) -> bool:
    """True for a relative ``/``-separated path with no ``..``, drive, backslash or control char."""
    if not path or path.startswith(("/", "\\")) or "\\" in path:
        return False
    if re.match(r"^[A-Za-z]:", path):
        return False
    if any(unicodedata.category(ch) == "Cc" for ch in path):
        return False
    parts = path.split("/")
    return all(p not in ("", ".", "..") for p in parts)
