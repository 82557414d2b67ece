"""The engine against real loopback HTTP servers: pacing, 429, 5xx, stalls, bad bodies."""

from __future__ import annotations

import time

from orderctl.errors import CredentialsError
from orderctl.providers.engine import EngineConfig, refresh
from orderctl.providers.settings import ProviderSettings
from orderctl.providers.seventeen_track import SeventeenTrack
from tests.helpers.loopback import LoopbackServer, Reply, SeventeenTrackStandIn

TOKEN = "LOOPBACK-SENTINEL-TOKEN"


def settings(url: str, token: str = TOKEN) -> ProviderSettings:
    return ProviderSettings("17track", token, url + "/track/v2.2")


def numbers(n: int) -> list[str]:
    return [f"LP{i:014d}" for i in range(n)]


def test_batches_and_pacing_stay_within_documented_limits():
    stand_in = SeventeenTrackStandIn(TOKEN, rate=3)
    with LoopbackServer(stand_in) as server:
        start = time.monotonic()
        out = refresh(numbers(100), settings(server.url))
        elapsed = time.monotonic() - start
    assert out.ok and len(out.results) == 100 and len(out.registered) == 100
    assert len(server.hits) == 6  # 3 register + 3 gettrackinfo batches of ≤ 40
    assert stand_in.throttled == 0 and stand_in.oversized == 0
    assert (6 - 1) / 3 <= elapsed < 6


class FastSeventeen(SeventeenTrack):
    """Misconfigured on purpose: one number per request, far above the real rate."""

    batch_size = 1
    register_batch_size = 1
    rate_per_second = 50.0


def test_429_pauses_the_whole_provider_for_retry_after():
    stand_in = SeventeenTrackStandIn(TOKEN, rate=3, retry_after="1")
    with LoopbackServer(stand_in) as server:
        out = refresh(
            numbers(5),
            settings(server.url),
            registered=set(numbers(5)),
            adapter=FastSeventeen(TOKEN, server.url + "/track/v2.2"),
        )
    assert out.ok and len(out.results) == 5
    assert stand_in.throttled >= 1 and out.throttled == stand_in.throttled
    # Only requests already in flight can meet the 429; every request sent after
    # it waited for Retry-After (1 s): the provider was paused, not one parcel.
    first = stand_in.throttled_at[0]
    assert stand_in.throttled <= EngineConfig().concurrency
    later = [t for t in stand_in.accepted_at if t > first]
    assert later and min(later) - first >= 0.9


def test_5xx_then_success():
    answers = [Reply(503), Reply(502)]

    def app(hit):
        if answers:
            return answers.pop(0)
        return Reply(
            json={
                "code": 0,
                "data": {
                    "accepted": [],
                    "rejected": [
                        {
                            "number": "LP00000000000000",
                            "error": {"code": -18019909, "message": "none"},
                        }
                    ],
                },
            }
        )

    with LoopbackServer(app) as server:
        out = refresh(
            numbers(1),
            settings(server.url),
            registered=set(numbers(1)),
            config=EngineConfig(backoff_base=0.05),
        )
    assert out.results["LP00000000000000"].pending
    assert len(server.hits) == 3


def test_dripping_body_is_cut_off_by_the_overall_deadline():
    # 1 byte every 0.1 s for 60 bytes: each chunk is well inside the read timeout.
    drip = Reply(chunks=[b" "] * 60, chunk_delay=0.1)
    with LoopbackServer(lambda hit: drip) as server:
        start = time.monotonic()
        out = refresh(
            numbers(1),
            settings(server.url),
            registered=set(numbers(1)),
            config=EngineConfig(
                request_deadline=0.5, read_timeout=2.0, max_attempts=2, backoff_base=0.05
            ),
        )
        elapsed = time.monotonic() - start
    assert "did not finish answering within 0.5 s" in out.failures["LP00000000000000"]
    assert len(server.hits) == 2
    assert elapsed < 3.0  # not the 6 s the drip would take per attempt


def test_stalled_headers_hit_the_read_timeout():
    with LoopbackServer(lambda hit: Reply(delay=2.0, json={})) as server:
        start = time.monotonic()
        out = refresh(
            numbers(1),
            settings(server.url),
            registered=set(numbers(1)),
            config=EngineConfig(read_timeout=0.3, max_attempts=2, backoff_base=0.05),
        )
        elapsed = time.monotonic() - start
    assert "timed out" in out.failures["LP00000000000000"]
    assert elapsed < 1.8


def test_malformed_json_fails_the_batch():
    with LoopbackServer(lambda hit: Reply(body=b'{"code": 0, "data": ')) as server:
        out = refresh(numbers(3), settings(server.url), registered=set(numbers(3)))
    assert out.fatal is None and len(out.failures) == 3
    assert all("malformed" in r for r in out.failures.values())
    assert len(server.hits) == 1  # not retried: a broken body is not transient


def test_wrong_key_stops_with_credentials_error():
    stand_in = SeventeenTrackStandIn(TOKEN)
    with LoopbackServer(stand_in) as server:
        out = refresh(
            numbers(90),
            settings(server.url, token="WRONG-KEY-123"),
            config=EngineConfig(concurrency=1),
        )
    assert isinstance(out.fatal, CredentialsError) and out.fatal.exit_code == 4
    assert len(server.hits) == 1
    assert "WRONG-KEY-123" not in str(out.fatal) + repr(out.failures)
