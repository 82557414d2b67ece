"""How close does a 17TRACK refresh get to the documented rate limit, without a 429?

400 numbers through a loopback 17TRACK stand-in that allows 3 requests/s and
answers in 200 ms: 10 register + 10 gettrackinfo requests of 40 numbers. The
floor set by the rate limit is (requests − 1) / 3 s plus one response time;
the ratio total / floor shows the cost of our 5 % pacing margin and overhead.

Run: /work/venv/bin/python benchmarks/bench_track_rate.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orderctl.providers.engine import EngineConfig, refresh  # noqa: E402
from orderctl.providers.settings import ProviderSettings  # noqa: E402
from tests.helpers.loopback import LoopbackServer, SeventeenTrackStandIn  # noqa: E402

NUMBERS = 400
RATE = 3
LATENCY = 0.2
TOKEN = "bench-token"


def main() -> dict[str, object]:
    numbers = [f"LP{i:014d}" for i in range(NUMBERS)]
    stand_in = SeventeenTrackStandIn(TOKEN, rate=RATE, latency=LATENCY)
    with LoopbackServer(stand_in) as server:
        settings = ProviderSettings("17track", TOKEN, server.url + "/track/v2.2")
        start = time.monotonic()
        out = refresh(numbers, settings, config=EngineConfig())
        total = time.monotonic() - start
        hits = len(server.hits)
    requests = 2 * -(-NUMBERS // 40)
    floor = (requests - 1) / RATE + LATENCY
    result = {
        "numbers": NUMBERS,
        "requests_expected": requests,
        "requests_sent": hits,
        "rate_limit_per_s": RATE,
        "server_latency_s": LATENCY,
        "floor_s": round(floor, 3),
        "total_s": round(total, 3),
        "ratio": round(total / floor, 3),
        "http_429": stand_in.throttled,
        "results": len(out.results),
        "failures": len(out.failures),
        "fatal": None if out.fatal is None else out.fatal.message,
    }
    width = max(len(k) for k in result)
    print(f"{'metric':<{width}}  value")
    print(f"{'-' * width}  -----")
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    target = ROOT / "benchmarks" / "results" / "track_rate.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
