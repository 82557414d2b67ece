"""IMAP, read-only and incremental (imapclient, imported only here).

Read-only twice over: the folder is opened with ``EXAMINE`` and every fetch
uses ``BODY.PEEK``, so no flag changes and nothing is moved or deleted.
The server narrows the search first (``SINCE`` and ``FROM``/``SUBJECT``),
headers are fetched in batches, and bodies only for messages the header pass
wants. The login is a password, or an OAuth 2.0 access token sent with
``AUTHENTICATE XOAUTH2`` (``oauth2=True``); the secret never appears in a
message. TLS is verified against the given context (the system's authorities,
or only the CA the buyer named); an untrusted certificate is exit 5 and says
so. Per mailbox the ``UIDVALIDITY`` and the highest UID seen are kept by
the caller, so the next run fetches only newer messages; a changed
``UIDVALIDITY`` rescans from ``--since``. A dropped connection is reopened
and the batch retried; bad credentials are exit 4, a refusing server exit 5.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote, urlsplit

from orderctl.domain.mail.message import Headers, parse_headers
from orderctl.errors import CredentialsError, InvalidInput, ProviderError

HEADER_FIELDS = b"BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE MESSAGE-ID)]"
HEADER_KEY = b"BODY[HEADER.FIELDS (FROM SUBJECT DATE MESSAGE-ID)]"
BATCH = 200
DEFAULT_TIMEOUT = 30.0
RECONNECTS = 3


@dataclass(frozen=True)
class ImapTarget:
    scheme: str  # "imaps" or "imap"
    user: str
    host: str
    port: int
    folder: str

    @property
    def key(self) -> str:
        """Identifies the mailbox in the stored state (no password, ever)."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"

    def display(self) -> str:
        return f"{self.scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_imap_url(url: str) -> ImapTarget:
    """``imaps://USER@HOST[:PORT]/FOLDER``; a password in the URL is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"Not a valid IMAP URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise InvalidInput("An IMAP URL starts with imaps:// (or imap:// for STARTTLS)")
    if parts.password is not None:
        raise InvalidInput(
            "A password in the URL is not accepted (it would show in the process list and in"
            " shell history)",
            hint="Set ORDERCTL_IMAP_PASSWORD, or mail.password in config.toml.",
        )
    if not parts.username or not parts.hostname:
        raise InvalidInput("The IMAP URL needs a user and a host: imaps://USER@HOST/FOLDER")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapTarget(
        scheme=scheme,
        user=unquote(parts.username),
        host=parts.hostname,
        port=port or (993 if scheme == "imaps" else 143),
        folder=folder,
    )


def search_criteria(since: date, senders: Sequence[str], subjects: Sequence[str]) -> list[Any]:
    """``SINCE d (OR FROM a (OR FROM b ... SUBJECT z))`` in the flat prefix form IMAP uses."""
    keys: list[list[str]] = [["FROM", s] for s in senders] + [["SUBJECT", s] for s in subjects]
    criteria: list[Any] = ["SINCE", since]
    for index, key in enumerate(keys):
        if index < len(keys) - 1:
            criteria.append("OR")
        criteria += key
    return criteria


@dataclass
class ImapSource:
    """One mailbox folder on an IMAP server, read without changing anything."""

    target: ImapTarget
    password: str = field(repr=False)  # the password, or the OAuth 2.0 access token (oauth2)
    since: date
    senders: Sequence[str] = ()
    subjects: Sequence[str] = ()
    state: dict[str, Any] = field(default_factory=dict)  # {"uidvalidity", "last_uid"}
    insecure: bool = False
    timeout: float = DEFAULT_TIMEOUT
    ssl_context: ssl.SSLContext | None = None
    reconnects: int = RECONNECTS
    warnings: list[str] = field(default_factory=list)
    oauth2: bool = False  # log in with AUTHENTICATE XOAUTH2
    new_state: dict[str, Any] = field(default_factory=dict)
    rescanned: bool = False
    format = "imap"

    def __post_init__(self) -> None:
        self._client: Any = None

    # -- connection ------------------------------------------------------------------------

    def _refused(self, what: str, exc: BaseException) -> ProviderError:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return ProviderError(
                f"{self.target.host}:{self.target.port}: the server's TLS certificate is not"
                f" trusted ({exc.verify_message or 'verification failed'}); nothing was sent",
                hint="If the server uses its own certificate authority, give its certificate"
                " with --ca-file (or mail.ca_file in config.toml).",
            )
        return ProviderError(
            f"{self.target.host}:{self.target.port}: {what}: {_reason(exc, self.password)}",
            hint="Check the host, port and folder; run again later if the server is busy.",
        )

    def _connect(self) -> Any:
        import imapclient
        from imapclient.exceptions import IMAPClientError, LoginError

        # The protocol log would carry the LOGIN line and message bodies: keep it quiet.
        logging.getLogger("imapclient").setLevel(logging.WARNING)

        context = self.ssl_context or ssl.create_default_context()
        try:
            client = imapclient.IMAPClient(
                self.target.host,
                port=self.target.port,
                ssl=self.target.scheme == "imaps",
                ssl_context=context if self.target.scheme == "imaps" else None,
                timeout=self.timeout,
            )
        except (OSError, IMAPClientError) as exc:
            raise self._refused("cannot connect", exc) from None
        try:
            if self.target.scheme == "imap":
                if client.has_capability("STARTTLS"):
                    client.starttls(context)
                elif not self.insecure:
                    raise ProviderError(
                        f"{self.target.host} offers no STARTTLS: the password or token would"
                        " travel in plain text",
                        hint="Use imaps://, or --insecure on a network you trust.",
                    )
                else:
                    self.warnings.append(
                        f"INSECURE: logging in to {self.target.host} without encryption"
                        " (--insecure); the password and your mail travel in plain text"
                    )
            if self.oauth2:
                client.oauth2_login(self.target.user, self.password)
            else:
                client.login(self.target.user, self.password)
        except LoginError as exc:
            offered = True
            if self.oauth2:
                with contextlib.suppress(Exception):
                    offered = bool(client.has_capability("AUTH=XOAUTH2"))
            _close(client)
            if self.oauth2 and not offered:
                raise CredentialsError(
                    f"{self.target.host} does not offer OAuth 2.0 (XOAUTH2) login:"
                    f" {_reason(exc, self.password)}",
                    hint="Unset ORDERCTL_IMAP_OAUTH2_TOKEN and mail.oauth2_token_command to log"
                    " in with a password (or app password) instead.",
                ) from None
            if self.oauth2:
                raise CredentialsError(
                    f"{self.target.host} refused the OAuth 2.0 (XOAUTH2) login for"
                    f" {self.target.user}: {_reason(exc, self.password)}",
                    hint="The access token may have expired or lack the IMAP scope: get a fresh"
                    " one (ORDERCTL_IMAP_OAUTH2_TOKEN or mail.oauth2_token_command).",
                ) from None
            raise CredentialsError(
                f"{self.target.host} refused the login for {self.target.user}:"
                f" {_reason(exc, self.password)}",
                hint="Check ORDERCTL_IMAP_PASSWORD or mail.password; Gmail and Fastmail need"
                " an app password (see the README).",
            ) from None
        except ProviderError:
            _close(client)
            raise
        except (OSError, IMAPClientError) as exc:
            _close(client)
            raise self._refused("the server refused", exc) from None
        try:
            info = client.select_folder(self.target.folder, readonly=True)  # EXAMINE
        except (OSError, IMAPClientError) as exc:
            _close(client)
            raise self._refused(f"cannot open folder {self.target.folder!r}", exc) from None
        self._uidvalidity = int(info.get(b"UIDVALIDITY", 0) or 0)
        return client

    def _retrying(self, action: Callable[[Any], Any]) -> Any:
        """Run ``action(client)``; on a dropped connection reconnect and run it again."""
        from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

        attempt = 0
        while True:
            if self._client is None:
                self._client = self._connect()
                if self.new_state and self._uidvalidity != self.new_state.get("uidvalidity"):
                    raise ProviderError(
                        f"{self.target.folder}: UIDVALIDITY changed during the run; run again"
                    )
            try:
                return action(self._client)
            except (IMAPClientAbortError, OSError) as exc:  # timeouts are OSErrors
                _close(self._client)
                self._client = None
                attempt += 1
                if attempt > self.reconnects:
                    raise self._refused("connection lost", exc) from None
                self.warnings.append(
                    f"connection to {self.target.host} lost ({type(exc).__name__}); reconnected"
                )
                time.sleep(min(0.2 * attempt, 1.0))
            except IMAPClientError as exc:
                raise self._refused("the server refused", exc) from None

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.logout()
            except Exception:  # already gone
                _close(self._client)
            self._client = None

    # -- reading ---------------------------------------------------------------------------

    def _uids(self) -> list[int]:
        def search(client: Any) -> list[int]:
            criteria = search_criteria(self.since, self.senders, self.subjects)
            return sorted(int(u) for u in client.search(criteria))

        uids = self._retrying(search)
        previous_validity = self.state.get("uidvalidity")
        last = int(self.state.get("last_uid") or 0)
        if previous_validity is not None and previous_validity != self._uidvalidity:
            self.rescanned, last = True, 0
            self.warnings.append(
                f"{self.target.folder}: UIDVALIDITY changed; rescanning from the --since date"
            )
        self.new_state = {"uidvalidity": self._uidvalidity, "last_uid": last}
        return [u for u in uids if u > last]  # UID SEARCH answers at least one old UID too

    def messages(
        self, wanted: Callable[[Headers], bool]
    ) -> Iterator[tuple[str, Headers, bytes | None]]:
        try:
            uids = self._uids()
            for start in range(0, len(uids), BATCH):
                batch = uids[start : start + BATCH]
                heads = self._retrying(
                    lambda c, b=batch: c.fetch(b, [HEADER_FIELDS, b"RFC822.SIZE"])
                )
                parsed = {
                    uid: parse_headers(bytes(heads.get(uid, {}).get(HEADER_KEY) or b""))
                    for uid in batch
                }
                chosen = [uid for uid in batch if wanted(parsed[uid])]
                bodies: dict[int, Any] = {}
                if chosen:
                    bodies = self._retrying(lambda c, b=chosen: c.fetch(b, [b"BODY.PEEK[]"]))
                for uid in batch:
                    data = bodies.get(uid, {}).get(b"BODY[]") if uid in bodies else None
                    yield f"{self.target.key};UID={uid}", parsed[uid], data
                    self.new_state["last_uid"] = max(self.new_state["last_uid"], uid)
        finally:
            self.close()


def _close(client: Any) -> None:
    with contextlib.suppress(Exception):  # the socket may already be closed
        client.shutdown()


def _reason(exc: BaseException, secret: str) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, bytes):
        text = exc.decode("utf-8", "replace")
    if secret:
        text = text.replace(secret, "***")
    return text[:200]
