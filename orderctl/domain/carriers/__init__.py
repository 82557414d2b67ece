"""Offline carrier detection: which carriers could have issued a tracking number.

Pure domain code (no I/O, no clock). Detection is a ranked guess, never a verdict:
formats collide (a 12-digit number can be FedEx or Purolator), so every plausible
carrier is returned, most likely first, and the caller lets the user override.

Modules, one job each:

- ``normalize``  -- turn pasted text into the canonical number
- ``checksums``  -- the check-digit algorithms (jkeen/tracking_number_data semantics)
- ``registry``   -- carrier slugs, display names, home countries, tracking URLs
- ``s10``        -- UPU S10 numbers and the issuing post behind each country suffix
- ``formats``    -- every other number format, as data
- ``detect``     -- run the formats, rank and de-duplicate the matches
- ``model``      -- the result dataclasses
"""

from orderctl.domain.carriers.detect import detect_carrier
from orderctl.domain.carriers.model import CarrierCandidate, Detection
from orderctl.domain.carriers.normalize import normalize_number
from orderctl.domain.carriers.registry import carrier_display_name

__all__ = [
    "CarrierCandidate",
    "Detection",
    "carrier_display_name",
    "detect_carrier",
    "normalize_number",
]
