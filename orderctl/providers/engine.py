"""The refresh engine: batching, pacing, retries and deadlines for every provider.

Design choice — threads + one shared ``httpx.Client`` rather than asyncio:
the public API is synchronous (a CLI, later maybe cron), the concurrency
needed is tiny (17TRACK allows 3 requests/s), and plain callables for
``sleep``/``clock`` make tests fast and deterministic without an event loop
(nor a clash with a caller's loop). ``httpx.Client`` is thread-safe; a
bounded ``ThreadPoolExecutor`` caps concurrency and a shared pacer caps the
request rate. httpx timeouts are per chunk, so each response is streamed and
the overall per-request deadline is checked between chunks (each blocking read
is itself capped by a read timeout no longer than the deadline).

Failure policy (design §4): 5xx, timeouts and connection errors are retried
with capped exponential backoff and jitter; a 429 pauses the whole provider
for ``Retry-After`` (capped) — beyond the cap the run stops; key and quota
errors stop the run; a malformed body fails only its batch. What succeeded is
always returned, with a safe per-number reason for everything else.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from orderctl.domain.tracking import TrackResult
from orderctl.errors import CredentialsError, OrderctlError, ProviderError
from orderctl.providers.aftership import AfterShip
from orderctl.providers.base import Adapter, ApiRequest, BatchError, BatchResult, RetryLater
from orderctl.providers.cainiao import Cainiao
from orderctl.providers.redact import quiet_http_loggers, redact
from orderctl.providers.settings import ProviderSettings
from orderctl.providers.seventeen_track import SeventeenTrack

log = logging.getLogger("orderctl.providers")

# However long a provider asks us to wait, orderctl never waits (nor stores a
# wait) longer than a day: a bogus ``Retry-After: Fri, 31 Dec 9999`` must not
# switch tracking off for years.
MAX_STORED_WAIT = 24 * 3600.0
quiet_http_loggers()


@dataclass(frozen=True)
class EngineConfig:
    """Tunables; the defaults suit a CLI run against a real provider."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    write_timeout: float = 10.0
    request_deadline: float = 30.0  # whole request incl. body, whatever the chunk timing
    max_response_bytes: int = 8 * 1024 * 1024
    max_attempts: int = 4  # per request, for 5xx / timeouts / connection errors
    max_throttles: int = 5  # 429 answers tolerated per request before giving up
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 60.0  # longer waits stop the run instead of blocking it
    retry_after_max: float = MAX_STORED_WAIT  # no provider wait is believed beyond this
    retry_after_default: float = 2.0  # 429 without Retry-After
    concurrency: int = 4
    pace_margin: float = 1.05  # stay 5% under the documented rate (arrival jitter)


@dataclass
class RefreshOutcome:
    """Everything a refresh learned; the service saves results and reports the rest."""

    provider: str
    results: dict[str, TrackResult] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    registered: set[str] = field(default_factory=set)  # newly known to the provider
    fatal: OrderctlError | None = None
    retry_after: float | None = None  # seconds the provider asked us to wait, if it stopped us
    requests: int = 0
    throttled: int = 0

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.failures


class _Stopped(Exception):
    """The run was stopped by another batch's fatal error."""


class _Transient(Exception):
    """A retryable failure; the message is already safe to show."""


def _connect_reason(exc: BaseException) -> str:
    """Why a connection could not be made, in a few words (no URL, no key)."""
    text = " ".join(str(exc).split()).casefold()
    if any(
        w in text
        for w in (
            "name or service",
            "nodename",
            "getaddrinfo",
            "name resolution",
            "no address",
            "temporary failure in name",
        )
    ):
        return "the provider's host name could not be resolved"
    if "refused" in text:
        return "the connection was refused"
    if "unreachable" in text:
        return "the network is unreachable"
    return "the connection could not be made"


def offline_error(label: str, reason: str) -> ProviderError:
    """The one line a run without network ends with (exit 5)."""
    return ProviderError(
        f"no network ({label}: {reason}); stopped asking {label} for the rest of this run, "
        "stored tracking was kept",
        hint="Check the connection and run `orderctl track` again. To use another provider "
        "pass `--provider 17track` or `--provider aftership`, with a key set by "
        "`orderctl config set tracking.17track.token KEY` (or tracking.aftership.key): "
        "they cover more carriers than the keyless Cainiao endpoint.",
    )


def make_adapter(settings: ProviderSettings) -> Adapter:
    """The adapter for resolved settings (keyed providers require a token)."""
    if settings.name == "cainiao":
        return Cainiao(settings.base_url)
    if not settings.token:
        raise CredentialsError(f"Tracking provider {settings.name} needs an API key")
    if settings.name == "17track":
        return SeventeenTrack(settings.token, settings.base_url)
    if settings.name == "aftership":
        return AfterShip(settings.token, settings.base_url)
    raise ProviderError(f"Unknown tracking provider {settings.name!r}")


def parse_retry_after(
    value: str | None, now: datetime, cap: float = MAX_STORED_WAIT
) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), at most ``cap``.

    Huge numbers, ``inf``, far-future dates (year 9999) all come back as ``cap``;
    ``nan``, negative waits and past dates as 0; anything unreadable as None.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        try:
            seconds = (when - now).total_seconds()
        except OverflowError:
            return cap
    if seconds != seconds:  # nan
        return 0.0
    return min(cap, max(0.0, seconds))


class Pacer:
    """Spaces request starts to a rate and holds everyone during a provider pause.

    Shared by all worker threads of one run. Slots are reserved under a lock
    and slept outside it; a pause that lands while a thread is waiting for its
    slot sends it round again, so a 429 really stops the whole provider.
    """

    def __init__(
        self,
        rate_per_second: float,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        margin: float = 1.0,
    ):
        self.interval = margin / rate_per_second
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._next = float("-inf")
        self._paused_until = float("-inf")

    def acquire(self, stop: threading.Event | None = None) -> None:
        while True:
            if stop is not None and stop.is_set():
                raise _Stopped
            with self._lock:
                now = self.clock()
                if now < self._paused_until:
                    start, reserved = self._paused_until, False
                else:
                    start, reserved = max(now, self._next), True
                    self._next = start + self.interval
            if start > now:
                self.sleep(start - now)
            if reserved:
                with self._lock:
                    if self._paused_until <= start:
                        return

    def pause(self, seconds: float) -> None:
        with self._lock:
            until = self.clock() + seconds
            self._paused_until = max(self._paused_until, until)
            self._next = max(self._next, self._paused_until)


class _Run:
    """State of one refresh: client, pacer, counters, stop flag."""

    def __init__(
        self,
        adapter: Adapter,
        client: httpx.Client,
        config: EngineConfig,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        rand: Callable[[], float],
        wall: Callable[[], datetime],
    ):
        self.adapter = adapter
        self.client = client
        self.config = config
        self.sleep = sleep
        self.clock = clock
        self.rand = rand
        self.wall = wall
        self.pacer = Pacer(adapter.rate_per_second, clock, sleep, config.pace_margin)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.fatal: OrderctlError | None = None
        self.retry_after: float | None = None
        self.requests = 0
        self.throttled = 0
        self.reached = False  # some connection to the provider succeeded in this run

    def safe(self, text: object) -> str:
        return redact(text, self.adapter.secrets)

    def set_fatal(self, error: OrderctlError) -> None:
        error.message = self.safe(error.message)
        error.args = (error.message,)
        if error.hint:
            error.hint = self.safe(error.hint)
        with self.lock:
            if self.fatal is None:
                self.fatal = error
        self.stop.set()

    # -- one request ---------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2**attempt)
        return ceiling / 2 + self.rand() * ceiling / 2  # "equal jitter"

    def _read(self, request: ApiRequest) -> tuple[int, httpx.Headers, bytes]:
        cfg = self.config
        deadline = self.clock() + cfg.request_deadline
        timeout = httpx.Timeout(
            connect=min(cfg.connect_timeout, cfg.request_deadline),
            read=min(cfg.read_timeout, cfg.request_deadline),
            write=min(cfg.write_timeout, cfg.request_deadline),
            pool=None,  # concurrency is bounded by our executor, not by pool waits
        )
        with self.client.stream(
            request.method,
            self.adapter.url(request.path),
            params=request.params,
            json=request.json,
            timeout=timeout,
        ) as response:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > cfg.max_response_bytes:
                raise BatchError(f"{self.adapter.label} sent a response larger than allowed")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > cfg.max_response_bytes:
                    raise BatchError(f"{self.adapter.label} sent a response larger than allowed")
                if self.clock() > deadline:
                    raise _Transient(
                        f"{self.adapter.label} did not finish answering within "
                        f"{cfg.request_deadline:g} s"
                    )
            return response.status_code, response.headers, bytes(body)

    def send(self, request: ApiRequest) -> BatchResult:
        """Send one request with pacing and retries; return its parsed result."""
        cfg = self.config
        label = self.adapter.label
        attempt = throttles = 0
        last = "no attempt made"
        while True:
            self.pacer.acquire(self.stop)
            with self.lock:
                self.requests += 1
            try:
                status, headers, body = self._read(request)
            except httpx.ConnectError as exc:
                if not self.reached:
                    # Nothing ever got through: the machine is offline (or the
                    # host is gone). Say so once and stop, rather than retrying
                    # every parcel.
                    raise offline_error(label, _connect_reason(exc)) from None
                last = f"{label} could not be reached ({type(exc).__name__}: {self.safe(exc)})"
            except httpx.TimeoutException as exc:
                if not isinstance(exc, httpx.ConnectTimeout):
                    self.reached = True
                last = f"{label} timed out ({type(exc).__name__})"
            except (httpx.TransportError, _Transient) as exc:
                last = (
                    self.safe(exc)
                    if isinstance(exc, _Transient)
                    else (f"{label} could not be reached ({type(exc).__name__}: {self.safe(exc)})")
                )
            else:
                self.reached = True
                if status == 429:
                    throttles += 1
                    with self.lock:
                        self.throttled += 1
                    wait = parse_retry_after(
                        headers.get("retry-after"), self.wall(), cfg.retry_after_max
                    )
                    wait = cfg.retry_after_default if wait is None else wait
                    if wait > cfg.retry_after_cap or throttles > cfg.max_throttles:
                        self.retry_after = wait
                        raise ProviderError(
                            f"{label} is rate limiting this key (asked to wait {wait:.0f} s); "
                            "the run was stopped",
                            hint="Try again later; results fetched so far were kept.",
                        )
                    log.debug("%s answered 429; pausing provider for %.2f s", label, wait)
                    self.pacer.pause(wait)
                    continue
                if status >= 500:
                    last = f"{label} server error (HTTP {status})"
                elif status in (401, 403):
                    raise self.adapter.credentials_error(status)
                else:
                    try:
                        payload: Any = json.loads(body)
                    except ValueError:
                        raise BatchError(
                            f"{label} sent a malformed (non-JSON) response (HTTP {status})"
                        ) from None
                    try:
                        return self.adapter.parse(request, status, payload)
                    except RetryLater as exc:
                        last = self.safe(exc)
            attempt += 1
            log.debug("%s %s attempt %d failed: %s", label, request.kind, attempt, last)
            if attempt >= cfg.max_attempts:
                raise BatchError(f"{last}; gave up after {attempt} attempts")
            if self.stop.is_set():
                raise _Stopped
            self.sleep(self._backoff(attempt - 1))

    def run_batch(self, request: ApiRequest) -> BatchResult:
        """``send`` with every exception turned into a result (never raises)."""
        try:
            return self._scrub(self.send(request))
        except _Stopped:
            return BatchResult()
        except (CredentialsError, ProviderError) as exc:
            self.set_fatal(exc)
            return BatchResult()
        except BatchError as exc:
            reason = self.safe(exc)
            return BatchResult(failures={n: reason for n in request.numbers})
        except Exception as exc:  # a bug must not lose the other batches' results
            reason = self.safe(f"{self.adapter.label}: unexpected {type(exc).__name__}")
            log.debug("unexpected error in batch: %s", self.safe(repr(exc)))
            return BatchResult(failures={n: reason for n in request.numbers})

    def _scrub(self, result: BatchResult) -> BatchResult:
        """Every provider-supplied text passes the redactor before anyone can show it.

        Per-parcel rejection messages, warnings and event texts come straight
        from the provider's body; a provider that echoes the key in one of them
        must not get it printed (issue 9).
        """
        result.failures = {n: self.safe(r) for n, r in result.failures.items()}
        if self.adapter.secrets:
            for number, track in list(result.results.items()):
                result.results[number] = track.redacted(self.safe)
        if result.fatal is not None:
            result.fatal.message = self.safe(result.fatal.message)
            result.fatal.args = (result.fatal.message,)
            if result.fatal.hint:
                result.fatal.hint = self.safe(result.fatal.hint)
        return result

    def run_all(
        self, requests: list[ApiRequest], on_done: Callable[[BatchResult, ApiRequest], None]
    ) -> None:
        if not requests:
            return
        workers = max(1, min(self.config.concurrency, len(requests)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="orderctl-net") as pool:
            futures = [(pool.submit(self.run_batch, r), r) for r in requests]
            for future, request in futures:
                result = future.result()
                if result.fatal is not None:
                    self.set_fatal(result.fatal)
                on_done(result, request)


def _unique(numbers: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(n.strip().upper() for n in numbers if n and n.strip()))


def refresh(
    numbers: Sequence[str],
    settings: ProviderSettings,
    *,
    registered: Collection[str] = frozenset(),
    transport: httpx.BaseTransport | None = None,
    config: EngineConfig | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rand: Callable[[], float] = random.random,
    wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_progress: Callable[[int, int], None] | None = None,
    adapter: Adapter | None = None,
) -> RefreshOutcome:
    """Fetch tracking for ``numbers`` from the provider in ``settings``.

    ``registered`` are numbers already registered with this provider (the
    caller stores them); only the others are registered, and those newly
    registered come back in ``outcome.registered`` so quota is spent once.
    Never raises for provider trouble: a run-stopping error is in
    ``outcome.fatal`` and every number without a result has a reason in
    ``outcome.failures``. ``on_progress(done, total)`` counts fetched numbers.
    ``adapter`` overrides the one built from ``settings`` (tests, benchmarks).
    """
    config = config or EngineConfig()
    adapter = adapter or make_adapter(settings)
    wanted = _unique(numbers)
    known = {n.strip().upper() for n in registered}
    outcome = RefreshOutcome(provider=adapter.name)
    if not wanted:
        return outcome
    client = httpx.Client(
        transport=transport,
        headers=adapter.headers(),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=config.concurrency, max_keepalive_connections=4),
    )
    run = _Run(adapter, client, config, sleep, clock, rand, wall)
    collector = _Collector(outcome, known, len(wanted), on_progress)
    try:
        with client:
            _fetch_all(run, adapter, wanted, collector)
    finally:
        outcome.fatal = run.fatal
        outcome.retry_after = run.retry_after
        outcome.requests = run.requests
        outcome.throttled = run.throttled
    _settle(outcome, wanted, run.fatal)
    return outcome


class _Collector:
    """Merges each batch's answers into the outcome as the batches finish."""

    def __init__(
        self,
        outcome: RefreshOutcome,
        known: set[str],
        total: int,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        self.outcome = outcome
        self.known = known
        self.total = total
        self.on_progress = on_progress
        self.done = 0
        self.register_failed: set[str] = set()
        self.unregistered: set[str] = set()

    def collect(self, result: BatchResult, request: ApiRequest) -> None:
        self.outcome.results.update(result.results)
        for number, reason in result.failures.items():
            self.outcome.failures.setdefault(number, reason)
        self.outcome.registered |= result.registered - self.known
        self.known.update(result.registered)
        if request.kind == "register":
            self.register_failed.update(result.failures)
        else:
            self.done += len(request.numbers)
            if self.on_progress is not None:
                self.on_progress(min(self.done, self.total), self.total)

    def collect_fetch(self, result: BatchResult, request: ApiRequest) -> None:
        self.unregistered.update(result.unregistered)
        self.collect(result, request)


def _fetch_all(run: _Run, adapter: Adapter, wanted: list[str], c: _Collector) -> None:
    """Register what is new, fetch everything, and register-and-fetch once more what was stale."""

    def register(batch: list[str]) -> None:
        run.run_all(adapter.register_requests(batch), c.collect)

    if adapter.needs_registration:
        register([n for n in wanted if n not in c.known])
    fetchable = [n for n in wanted if n not in c.register_failed]
    run.run_all(adapter.fetch_requests(fetchable), c.collect_fetch)
    # The caller's record was stale (deleted or expired registration):
    # register those once and fetch them again.
    retry = [n for n in fetchable if n in c.unregistered and n not in c.outcome.results]
    if retry and adapter.needs_registration and not run.stop.is_set():
        c.done -= len(retry)
        c.known.difference_update(retry)
        register(retry)
        again = [n for n in retry if n not in c.register_failed]
        c.unregistered.clear()
        run.run_all(adapter.fetch_requests(again), c.collect_fetch)
    for number in c.unregistered:
        if number not in c.outcome.results:
            c.outcome.failures.setdefault(number, f"{adapter.label} does not know this number yet")


def _settle(outcome: RefreshOutcome, wanted: list[str], fatal: OrderctlError | None) -> None:
    """Every wanted number ends with a result or a reason, never both."""
    for number in wanted:
        if number not in outcome.results and number not in outcome.failures:
            reason = fatal.message if fatal else "no answer from the provider"
            outcome.failures[number] = f"not refreshed: {reason}"
        elif number in outcome.results:
            outcome.failures.pop(number, None)
