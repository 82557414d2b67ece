"""One sanitiser for every string that reaches a terminal.

Titles, seller notes, store names and provider event texts are data from
people and servers orderctl does not control. Printed raw, an ESC byte lets
them clear the screen (``ESC[2J``), retitle the window (OSC 0) or disguise a
link (OSC 8); bidi overrides reorder what a person reads. :func:`visible`
shows every such character instead of sending it: ``\\x1b`` becomes ``␛``,
the other C0 controls their Unicode "control pictures" (``␀`` … ``␟``, ``␡``),
C1 controls, bidi controls and line/paragraph separators a ``<U+202E>`` tag.
Newlines stay (notes keep their lines); a tab stays a tab.

The output sink (:mod:`orderctl.cli.output`) applies it to every line, table
cell and prompt; its consoles sanitise every rendered segment as a backstop,
so a renderable built anywhere in ``orderctl.cli`` cannot bypass it.
"""

from __future__ import annotations

import re

_BIDI_AND_SEPARATORS = (
    "\u061c",  # ARABIC LETTER MARK
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200f",  # RIGHT-TO-LEFT MARK
    *(chr(c) for c in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO
    *(chr(c) for c in range(0x2066, 0x206A)),  # LRI RLI FSI PDI
    "\u2028",  # LINE SEPARATOR
    "\u2029",  # PARAGRAPH SEPARATOR
)


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in "\n\t":
            table[code] = chr(0x2400 + code)  # ␀ … ␟ (ESC → ␛)
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        table[code] = f"<U+{code:04X}>"
    for char in _BIDI_AND_SEPARATORS:
        table[ord(char)] = f"<U+{ord(char):04X}>"
    return table


_TRANSLATE = _table()
_UNSAFE = re.compile("[" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]")
# What JSON leaves raw with ensure_ascii=False (it always escapes C0): C1 and bidi.
_UNSAFE_IN_JSON = re.compile("[\u0080-\u009f" + re.escape("".join(_BIDI_AND_SEPARATORS)) + "]")


def visible(text: str) -> str:
    """``text`` with every control character shown instead of sent to the terminal."""
    if _UNSAFE.search(text) is None:  # the common case: nothing to copy
        return text
    return text.translate(_TRANSLATE)


def is_safe(text: str) -> bool:
    return _UNSAFE.search(text) is None


def json_visible(document: str) -> str:
    """Escape C1 and bidi controls in serialised JSON as ``\\uXXXX`` (same data, safe bytes)."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
