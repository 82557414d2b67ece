"""Reading mail: .eml files, mbox (streamed), Maildir folders and IMAP (read-only).

Every source yields ``(key, headers, data)`` for each message it sees, where
``data`` is the whole message only when the caller's ``wanted(headers)``
said yes: the header pass decides which bodies are read at all.
"""

from orderctl.mailbox.files import EmlSource, MaildirSource, MboxSource
from orderctl.mailbox.source import MailSource, is_mail_target, open_source

__all__ = [
    "EmlSource",
    "MailSource",
    "MaildirSource",
    "MboxSource",
    "is_mail_target",
    "open_source",
]
