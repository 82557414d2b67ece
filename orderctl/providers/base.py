"""Types shared by every tracking adapter and the refresh engine.

An adapter knows one provider's wire format: which requests to send for a set
of numbers and how to turn each response into domain objects. It never sends
anything itself; the engine owns the one HTTP client, pacing, retries and
deadlines, so those rules are written (and tested) once for every provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from orderctl.domain.tracking import TrackResult
from orderctl.errors import CredentialsError, OrderctlError


@dataclass(frozen=True)
class ApiRequest:
    """One HTTP call the engine should make; ``numbers`` are the parcels it covers."""

    method: str
    path: str
    numbers: tuple[str, ...]
    json: Any = None
    params: dict[str, str] | None = None
    kind: str = "fetch"  # "register" or "fetch": for messages and counters


@dataclass
class BatchResult:
    """What one response said, number by number.

    ``registered`` counts numbers the provider now knows (newly or already);
    ``unregistered`` are numbers the provider says must be registered first;
    ``fatal`` stops the whole run after this batch's other results are kept.
    """

    results: dict[str, TrackResult] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    registered: set[str] = field(default_factory=set)
    unregistered: set[str] = field(default_factory=set)
    fatal: OrderctlError | None = None


class BatchError(Exception):
    """The whole response is unusable (bad envelope, malformed JSON): fail this batch only.

    The message is shown to the user per number, so it must already be safe
    (no keys; adapters build it from provider codes, not from raw exceptions).
    """


class RetryLater(Exception):
    """The provider asked us to try again (e.g. 17TRACK -18010003 internal error)."""


class Adapter(Protocol):
    """What the engine needs from a provider module."""

    name: str  # "17track", "aftership", "cainiao"
    label: str  # human name for messages
    batch_size: int  # numbers per fetch request (documented maximum)
    register_batch_size: int  # numbers per register request
    rate_per_second: float  # documented request rate limit for this key
    needs_registration: bool  # provider must be told about a number before fetching it
    secrets: tuple[str, ...]  # values the redactor must remove from any message

    def headers(self) -> dict[str, str]: ...

    def url(self, path: str) -> str: ...

    def register_requests(self, numbers: Sequence[str]) -> list[ApiRequest]: ...

    def fetch_requests(self, numbers: Sequence[str]) -> list[ApiRequest]: ...

    def parse(self, request: ApiRequest, status_code: int, payload: Any) -> BatchResult:
        """Turn a decoded JSON body into a BatchResult.

        Raises BatchError for an unusable body, RetryLater for a transient
        provider-side error, CredentialsError/ProviderError to stop the run.
        """
        ...

    def credentials_error(self, status_code: int) -> CredentialsError: ...


def chunks(numbers: Sequence[str], size: int) -> list[tuple[str, ...]]:
    """Split into consecutive tuples of at most ``size`` numbers."""
    return [tuple(numbers[i : i + size]) for i in range(0, len(numbers), size)]


def join_base(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def short(text: object, limit: int = 160) -> str:
    """A provider-supplied message trimmed for display (one line, bounded)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
