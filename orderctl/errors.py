"""Typed errors, each carrying the exit code the CLI boundary turns it into.

Every layer raises these instead of printing or exiting, so the one error
boundary in ``orderctl.cli`` decides how a failure looks and which exit code
scripts see. The exit codes are a public contract (see the README table).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    FAILURE = 1  # unexpected error, or an operation that ran and failed
    USAGE = 2  # usage error or invalid input
    NOT_FOUND = 3
    CREDENTIALS = 4
    PROVIDER = 5  # provider or network failure, incl. partial refresh failure
    GUARDRAIL = 6  # refused by a guardrail unless --force
    STORE = 7  # corrupt store, newer schema, lock timeout


class OrderctlError(Exception):
    """Base error: a message saying what happened and an optional hint saying what to do."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details or [])


class InvalidInput(OrderctlError):
    """Bad option, bad value, bad file: nothing was written."""

    exit_code = ExitCode.USAGE


class NotFound(OrderctlError):
    """An order, tracking number or file that does not exist."""

    exit_code = ExitCode.NOT_FOUND


class CredentialsError(OrderctlError):
    """A provider key is missing or was rejected."""

    exit_code = ExitCode.CREDENTIALS


class ProviderError(OrderctlError):
    """A provider or the network failed after retries."""

    exit_code = ExitCode.PROVIDER


class GuardrailRefused(OrderctlError):
    """An action that would hurt the buyer; ``--force`` overrides where offered."""

    exit_code = ExitCode.GUARDRAIL


class StoreError(OrderctlError):
    """The data store is corrupt, too new, or locked by another process."""

    exit_code = ExitCode.STORE


class OperationFailed(OrderctlError):
    """An operation ran and its result is negative (e.g. a bundle that does not verify)."""

    exit_code = ExitCode.FAILURE
