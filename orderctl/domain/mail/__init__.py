"""Recognising order and shipping e-mails (pure: bytes in, extraction out).

- ``message``   -- RFC 5322 bytes to headers, text, links (forwarded mail unwrapped)
- ``html``      -- HTML bodies rendered to text with a real parser (lazy import)
- ``tracking``  -- tracking numbers in text and links, through offline carrier detection
- ``kinds``     -- what a message announces, in several languages
- ``money``     -- item lines and totals
- ``senders``   -- one small data module per sender, plus the generic fallback
- ``recognise`` -- header pass and full recognition
"""

from orderctl.domain.mail.model import KINDS, MailExtraction, TrackingHit
from orderctl.domain.mail.recognise import header_candidate, recognise

__all__ = ["KINDS", "MailExtraction", "TrackingHit", "header_candidate", "recognise"]
