"""Sending through Apprise: one Apprise object per channel, so each gets its own result.

Apprise answers a send with a bool; the reason for a failure only appears in
its log, so the send captures that log and returns it, scrubbed of every
secret in the channel's URL. Apprise is imported only here (start-up cost).
"""

from __future__ import annotations

import logging

from orderctl.services.notify.settings import Channel, NotifyConfigError, scrub

OK = "ok"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log record must not break a send
            self.messages.append(record.msg if isinstance(record.msg, str) else "error")


def check_channels(channels: tuple[Channel, ...]) -> None:
    """Every URL must be one Apprise understands (a configuration error otherwise)."""
    import apprise

    for channel in channels:
        if apprise.Apprise.instantiate(channel.url) is None:
            raise NotifyConfigError(
                f"config.toml: notify.urls: Apprise cannot use {channel.name} (unknown scheme, "
                "a malformed URL, or a channel whose extra package is missing, e.g. "
                "dbus-python for dbus://)",
                hint="Check the URL against https://github.com/caronc/apprise/wiki.",
            )


def send(channel: Channel, title: str, markdown: str) -> str:
    """Send one message; "ok" or "failed: <reason>" (scrubbed)."""
    import apprise

    capture = _Capture()
    logger = logging.getLogger("apprise")
    logger.addHandler(capture)
    previous = logger.level
    if previous == logging.NOTSET or previous > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        target = apprise.Apprise()
        if not target.add(channel.url):
            return "failed: Apprise cannot use this URL"
        try:
            ok = target.notify(
                title=title, body=markdown, body_format=apprise.NotifyFormat.MARKDOWN
            )
        except Exception as exc:  # a plugin bug must not stop the other channels
            return "failed: " + scrub(f"{type(exc).__name__}: {exc}", channel.url)
    finally:
        logger.removeHandler(capture)
        logger.setLevel(previous)
    if ok:
        return OK
    reason = "; ".join(dict.fromkeys(m.strip() for m in capture.messages if m.strip()))
    return "failed: " + scrub(reason[:300] or "the channel did not accept the message", channel.url)
