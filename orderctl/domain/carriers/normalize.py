"""Canonical form of a pasted tracking number.

People paste numbers from e-mails, PDFs and phone apps: with spaces, dashes, dots,
non-breaking spaces, zero-width characters, full-width digits (common on Chinese
pages) and lower case. Every format in this package is written against the
canonical form, so normalisation happens exactly once, here.
"""

from __future__ import annotations

import unicodedata

# Punctuation that people or labels use to group digits. Whitespace, dashes
# (Unicode category Pd), control and format characters are handled by category.
_SEPARATORS = frozenset("._/\\·•")
_DROP_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Pd"})
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _step(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    kept = "".join(
        ch
        for ch in folded
        if ch not in _SEPARATORS and unicodedata.category(ch) not in _DROP_CATEGORIES
    )
    # Only ASCII letters are upper-cased: no format contains anything else, and
    # full Unicode case mapping can re-introduce characters NFKC would change.
    return kept.translate(_ASCII_UPPER)


def normalize_number(raw: str) -> str:
    """Strip separators and whitespace, fold width, upper-case ASCII letters.

    Idempotent: removing a separator can join characters that NFKC then composes,
    so the step is repeated until it no longer changes anything (in practice at
    most twice).
    """
    current = _step(raw)
    for _ in range(8):
        following = _step(current)
        if following == current:
            break
        current = following
    return current
