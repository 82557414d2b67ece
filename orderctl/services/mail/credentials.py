"""How orderctl logs in to an IMAP server: a password, or an OAuth 2.0 access token.

OAuth 2.0 (``XOAUTH2``) is used when a token source is configured, in this order:

1. ``ORDERCTL_IMAP_OAUTH2_TOKEN`` (an access token, e.g. from a wrapper script);
2. ``mail.oauth2_token_command`` in config.toml: a command whose stdout is a
   fresh access token (the way isync's ``PassCmd`` and mutt's oauth2 helper
   scripts work). It runs without a shell, with no stdin and a timeout; its
   output (stdout and stderr) is never shown, logged or stored.

Otherwise the password comes from ``ORDERCTL_IMAP_PASSWORD``, ``mail.password``
in config.toml, or the OS keyring (service ``orderctl``, user
``USER@HOST:PORT/FOLDER``; the optional ``keyring`` package). Never from the
command line.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from typing import Any

from orderctl.errors import CredentialsError, InvalidInput
from orderctl.services.context import AppContext

PASSWORD_ENV = "ORDERCTL_IMAP_PASSWORD"
OAUTH2_ENV = "ORDERCTL_IMAP_OAUTH2_TOKEN"
KEYRING_SERVICE = "orderctl"
TOKEN_COMMAND_TIMEOUT = 60.0  # an oauth2 helper may refresh the token over the network


@dataclass(frozen=True)
class ImapLogin:
    """What to log in with. ``repr`` never shows the secret."""

    method: str  # "password" or "xoauth2"
    secret: str
    source: str  # where it came from, for messages: never the secret itself

    def __repr__(self) -> str:
        return f"ImapLogin(method={self.method!r}, source={self.source!r})"


def _mail_config(ctx: AppContext) -> dict[str, Any]:
    mail = ctx.config.get("mail") or {}
    return mail if isinstance(mail, dict) else {}


def run_token_command(command: str, timeout: float = TOKEN_COMMAND_TIMEOUT) -> str:
    """Run the token command (no shell) and return the token it printed on stdout."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise InvalidInput(
            f"mail.oauth2_token_command cannot be split into a command and arguments: {exc}",
            hint="It runs without a shell: quote arguments with spaces, no pipes or $(...).",
        ) from None
    if not argv:
        raise InvalidInput("mail.oauth2_token_command is empty")
    argv[0] = os.path.expanduser(argv[0])
    name = os.path.basename(argv[0])
    hint = (
        "Run the command by hand to see what it says (orderctl does not show its output);"
        " it may need to be authorised again."
    )
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise CredentialsError(
            f"mail.oauth2_token_command: {name} not found",
            hint="Give the full path of the oauth2 helper script.",
        ) from None
    except PermissionError:
        raise CredentialsError(
            f"mail.oauth2_token_command: {name} is not executable",
            hint="chmod +x it, or start it with its interpreter (python3 /path/to/script ...).",
        ) from None
    except subprocess.TimeoutExpired:
        raise CredentialsError(
            f"mail.oauth2_token_command: {name} printed no token within {timeout:g} s",
            hint=hint,
        ) from None
    except OSError as exc:
        raise CredentialsError(
            f"mail.oauth2_token_command: cannot run {name} ({type(exc).__name__})", hint=hint
        ) from None
    if done.returncode != 0:
        raise CredentialsError(
            f"mail.oauth2_token_command: {name} failed (exit status {done.returncode})",
            hint=hint,
        )
    token = done.stdout.decode("utf-8", "replace").strip()
    if not token or any(ch.isspace() or not ch.isprintable() for ch in token):
        raise CredentialsError(
            f"mail.oauth2_token_command: {name} did not print one access token on stdout",
            hint=hint,
        )
    return token


def _keyring_password(key: str) -> tuple[str | None, str | None]:
    """(password, why the keyring gave none) — the keyring is an optional dependency."""
    try:
        import keyring
    except ImportError:
        return None, "the OS keyring was not asked: keyring is not installed"
    try:
        stored = keyring.get_password(KEYRING_SERVICE, key)
    except Exception as exc:  # no usable backend, a locked keyring, a D-Bus error, ...
        return None, f"the OS keyring could not be read ({type(exc).__name__})"
    if not stored:
        return None, f"the OS keyring has no password for {key}"
    return stored, None


def imap_login(ctx: AppContext, key: str, token_timeout: float | None = None) -> ImapLogin:
    """The login for the mailbox ``key`` (``USER@HOST:PORT/FOLDER``)."""
    mail = _mail_config(ctx)
    token = ctx.env.get(OAUTH2_ENV)
    if token and token.strip():
        return ImapLogin("xoauth2", token.strip(), OAUTH2_ENV)
    command = mail.get("oauth2_token_command")
    if isinstance(command, str) and command.strip():
        timeout = TOKEN_COMMAND_TIMEOUT if token_timeout is None else token_timeout
        return ImapLogin(
            "xoauth2", run_token_command(command, timeout), "mail.oauth2_token_command"
        )
    value = ctx.env.get(PASSWORD_ENV)
    if value:
        return ImapLogin("password", value, PASSWORD_ENV)
    if isinstance(mail.get("password"), str) and mail["password"]:
        return ImapLogin("password", mail["password"], "mail.password")
    stored, why = _keyring_password(key)
    if stored:
        return ImapLogin("password", stored, "the OS keyring")
    hint = (
        f"Passwords are never taken from the command line. For the keyring: pip install"
        f" 'orderctl[keyring]', then keyring set {KEYRING_SERVICE} {key}. Outlook.com needs"
        f" OAuth 2.0: {OAUTH2_ENV} or mail.oauth2_token_command (see the README)."
    )
    raise CredentialsError(
        f"No IMAP password: set {PASSWORD_ENV} or mail.password in config.toml ({why})",
        hint=hint,
    )
