"""A real SMTP server on 127.0.0.1 (aiosmtpd in a thread) that keeps what it receives."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default
from typing import Any

USER = "buyer"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    password: str
    messages: list[Message] = field(default_factory=list)
    logins: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append(auth_data.login)
        ok = auth_data.login == USER.encode() and auth_data.password == self.password.encode()
        return AuthResult(success=ok)


class SmtpServer:
    """``with SmtpServer(password) as smtp: smtp.url`` → an Apprise mailto:// URL for it."""

    def __init__(self, password: str):
        self.sink = SmtpSink(password)
        self.port = free_port()
        self.password = password

    @property
    def url(self) -> str:
        return (
            f"mailto://{USER}:{self.password}@127.0.0.1:{self.port}"
            "?to=me@example.com&from=orderctl@example.com&mode=insecure"
        )

    @property
    def messages(self) -> list[Message]:
        return self.sink.messages

    def __enter__(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(
            self.sink,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self.sink.authenticate,
            auth_require_tls=False,
        )
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
