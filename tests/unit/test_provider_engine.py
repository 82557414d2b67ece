"""Engine rules with MockTransport and a fake clock: retries, 429 pauses, caps, redaction."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from orderctl.errors import CredentialsError, ProviderError
from orderctl.providers.engine import EngineConfig, Pacer, parse_retry_after, refresh
from orderctl.providers.redact import redact
from orderctl.providers.settings import ProviderSettings

KEY = "SENTINEL-KEY-0123456789"
S17 = ProviderSettings("17track", KEY, "https://api.test/track/v2.2")
OK = {
    "code": 0,
    "data": {
        "accepted": [],
        "rejected": [
            {"number": "LP00000000000001", "error": {"code": -18019909, "message": "none yet"}}
        ],
    },
}


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds


def run(handler, clock=None, **kw):
    clock = clock or FakeClock()
    kw.setdefault("config", EngineConfig(concurrency=1))
    return refresh(
        ["LP00000000000001"],
        S17,
        registered={"LP00000000000001"},
        transport=httpx.MockTransport(handler),
        sleep=clock.sleep,
        clock=clock,
        rand=lambda: 0.5,
        **kw,
    )


def test_parse_retry_after():
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None


def test_pacer_spaces_requests_and_honours_pause():
    clock = FakeClock()
    pacer = Pacer(3.0, clock, clock.sleep)
    starts = []
    for _ in range(4):
        pacer.acquire()
        starts.append(clock.now)
    assert starts == pytest.approx([0, 1 / 3, 2 / 3, 1.0])
    pacer.pause(5)
    pacer.acquire()
    assert clock.now == pytest.approx(6.0)


def test_5xx_retried_with_capped_backoff_then_success():
    answers = [httpx.Response(503), httpx.Response(500), httpx.Response(200, json=OK)]
    clock = FakeClock()
    out = run(lambda r: answers.pop(0), clock)
    assert out.results["LP00000000000001"].pending and out.requests == 3
    backoffs = [s for s in clock.sleeps if s > 0.34]  # pacing sleeps are ≤ 1/3 s
    assert backoffs == pytest.approx([0.375, 0.75])  # equal jitter at rand=0.5


def test_gives_up_after_max_attempts():
    out = run(lambda r: httpx.Response(502), config=EngineConfig(max_attempts=3, concurrency=1))
    assert out.requests == 3 and out.fatal is None
    assert "gave up after 3 attempts" in out.failures["LP00000000000001"]


def test_timeouts_and_connection_errors_are_retried():
    errors = [httpx.ReadTimeout("slow"), httpx.ConnectError("refused")]

    def handler(request):
        if errors:
            raise errors.pop(0)
        return httpx.Response(200, json=OK)

    assert run(handler).results["LP00000000000001"].pending


def test_429_pauses_provider_for_retry_after():
    answers = [httpx.Response(429, headers={"Retry-After": "4"}), httpx.Response(200, json=OK)]
    clock = FakeClock()
    out = run(lambda r: answers.pop(0), clock)
    assert out.throttled == 1 and out.results
    assert 4.0 in clock.sleeps


def test_429_beyond_cap_stops_the_run():
    out = run(lambda r: httpx.Response(429, headers={"Retry-After": "3600"}))
    assert isinstance(out.fatal, ProviderError) and out.retry_after == 3600
    assert "rate limiting" in out.fatal.message


def test_response_size_cap():
    big = httpx.Response(200, content=b" " * 5000)
    out = run(lambda r: big, config=EngineConfig(max_response_bytes=1000))
    assert "larger than allowed" in out.failures["LP00000000000001"]


def test_redact():
    assert redact(f"GET /x?api_key={KEY}&a=1", [KEY]) == "GET /x?api_key=***&a=1"
    assert KEY not in redact(f"17token: {KEY}")
    assert KEY not in redact(f"as-api-key={KEY}")


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: (_ for _ in ()).throw(httpx.ConnectError(f"cannot reach ?token={KEY} {KEY}")),
        lambda r: httpx.Response(401, text=KEY),
        lambda r: httpx.Response(500, text=KEY),
        lambda r: httpx.Response(200, text=f"oops {KEY}"),
        lambda r: httpx.Response(
            200,
            json={
                "code": -18010002,
                "data": {"errors": [{"code": -18010002, "message": f"bad key {KEY}"}]},
            },
        ),
        lambda r: httpx.Response(
            200, json={"code": -1, "data": {"errors": [{"code": -1, "message": f"weird {KEY}"}]}}
        ),
    ],
)
def test_sentinel_key_never_leaks(handler, caplog):
    caplog.set_level(logging.DEBUG)
    out = run(handler, config=EngineConfig(max_attempts=2, concurrency=1))
    text = repr(out.fatal) + str(out.fatal) + repr(out.failures) + repr(out.results)
    if out.fatal is not None:
        text += str(out.fatal.hint) + repr(out.fatal.args)
    text += caplog.text
    assert KEY not in text
    assert out.fatal is not None or out.failures


def test_wrong_key_exit_code():
    out = run(lambda r: httpx.Response(401))
    assert isinstance(out.fatal, CredentialsError) and out.fatal.exit_code == 4


def test_http_loggers_quiet():
    assert logging.getLogger("httpx").getEffectiveLevel() > logging.INFO
    assert logging.getLogger("httpcore").getEffectiveLevel() > logging.INFO
