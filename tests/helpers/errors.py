"""The --json error contract: a failure prints one ``{"error": {...}}`` document on stdout."""

from __future__ import annotations

import json
from typing import Any


def json_error(result: Any) -> dict[str, Any]:
    """The error object of a failed ``--json`` run; its code is the exit code."""
    document = json.loads(result.stdout)
    assert set(document) == {"error"}, document
    error = document["error"]
    assert error["code"] == result.exit_code != 0
    assert isinstance(error["message"], str) and error["message"]
    assert error["message"] in result.stderr  # the human message still goes to stderr
    assert "hint" in error
    return error
