"""Result types of carrier detection, with the stable JSON shape the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

CheckDigit = Literal["ok", "bad", "none"]


@dataclass(frozen=True)
class CarrierCandidate:
    """One carrier that could have issued the number.

    ``check_digit`` is "ok" when the format's check digit verifies, "bad" when it
    does not (kept, because a mistyped digit is still worth showing), and "none"
    when the format has no published check digit at all.
    """

    carrier: str
    name: str
    check_digit: CheckDigit
    country: str | None
    tracking_url: str
    reason: str = ""  # why this carrier is a candidate (format, check digit, context)

    def to_dict(self) -> dict[str, Any]:
        """JSON form; keys are part of the CLI contract and never renamed."""
        return {
            "carrier": self.carrier,
            "name": self.name,
            "check_digit": self.check_digit,
            "country": self.country,
            "tracking_url": self.tracking_url,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Detection:
    """Everything detection found for one input, most likely candidate first."""

    input: str
    number: str
    candidates: tuple[CarrierCandidate, ...]

    @property
    def best(self) -> CarrierCandidate | None:
        """The top-ranked candidate, or None when nothing matched."""
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form; keys are part of the CLI contract and never renamed."""
        return {
            "input": self.input,
            "number": self.number,
            "candidates": [c.to_dict() for c in self.candidates],
        }
