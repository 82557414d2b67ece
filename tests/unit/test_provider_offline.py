"""The engine treats a first failed connection as "no network": one line, no retry loop."""

from __future__ import annotations

import httpx

from orderctl.errors import ProviderError
from orderctl.providers.engine import EngineConfig, refresh
from orderctl.providers.settings import ProviderSettings

CAINIAO = ProviderSettings("cainiao", None, "https://cainiao.test")
NUMBERS = [f"LP0000000000{i:04d}" for i in range(35)]  # 4 batches of 10


def run(handler, **kw):
    return refresh(
        NUMBERS,
        CAINIAO,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
        rand=lambda: 0.5,
        config=EngineConfig(concurrency=1),
        **kw,
    )


def test_dns_failure_on_the_first_request_stops_the_provider_without_retries():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    out = run(handler)

    assert len(calls) == 1  # not 4 attempts × 4 batches
    assert isinstance(out.fatal, ProviderError) and out.fatal.exit_code == 5
    assert out.fatal.message.startswith("no network (Cainiao: the provider's host name could")
    assert "--provider" in (out.fatal.hint or "")
    assert set(out.failures) == set(NUMBERS)
    assert all(r.startswith("not refreshed: no network") for r in out.failures.values())


def test_connection_refused_first_is_offline_too():
    out = run(lambda r: (_ for _ in ()).throw(httpx.ConnectError("[Errno 111] Connection refused")))
    assert out.fatal is not None and "the connection was refused" in out.fatal.message


def test_a_connect_error_after_the_provider_answered_is_retried_not_offline():
    answers = iter(
        [
            httpx.Response(200, json={"success": True, "module": []}),
            httpx.ConnectError("[Errno 111] Connection refused"),
        ]
    )

    def handler(request):
        answer = next(answers, None)
        if isinstance(answer, Exception):
            raise answer
        return answer or httpx.Response(200, json={"success": True, "module": []})

    out = run(handler)
    assert out.fatal is None
    assert set(out.failures) == set(NUMBERS)  # "returned nothing", per number — not offline
    assert not any("no network" in r for r in out.failures.values())
