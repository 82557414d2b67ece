"""Keep provider keys out of every message, log line and exception we build.

httpx prints full URLs at INFO and puts them in exception text; orderctl sends
keys only in headers, quiets those loggers, and passes every string derived
from an exception through :func:`redact` before it can reach the user.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "***"

# Header or query forms a key could appear in, whatever its value.
_PATTERNS = [
    re.compile(
        r"(?i)(17token|as-api-key|aftership-api-key|api[_-]?key|token|authorization)"
        r"(['\"]?\s*[:=]\s*['\"]?)([^\s'\",&;]+)"
    ),
]


def redact(text: object, secrets: Iterable[str | None] = ()) -> str:
    """``text`` as a string with every secret value and key-looking field masked."""
    out = str(text)
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        if len(secret) >= 4:  # masking 1-3 chars would shred ordinary words
            out = out.replace(secret, MASK)
    for pattern in _PATTERNS:
        out = pattern.sub(lambda m: m.group(1) + m.group(2) + MASK, out)
    return out


def quiet_http_loggers(level: int = logging.WARNING) -> None:
    """Raise httpx/httpcore above INFO: their INFO lines carry full request URLs."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if logger.level < level:
            logger.setLevel(level)
