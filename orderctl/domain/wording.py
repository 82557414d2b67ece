"""Small wording rules shared by every layer that writes sentences for people."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``2 days``, ``0 days`` (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
