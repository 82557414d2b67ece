"""Does refreshing 1,000 parcels cost one store write, and where does the time go?

1,000 shipped orders, refreshed twice through a loopback 17TRACK stand-in that
enforces 3 requests/s and 40 numbers per request: first run registers and
fetches (25 + 25 requests), the second only fetches (registrations are
remembered) and finds nothing new. Each run is timed per phase: plan (one
lock-free read), network (the engine, paced by the rate limit) and save (one
transaction). The store must be written once per run: ``index_writes == 1``.

Run: /work/venv/bin/python benchmarks/bench_track_store.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orderctl.domain.models import Item, Order, OrderState  # noqa: E402
from orderctl.services.context import AppContext  # noqa: E402
from orderctl.services.tracking.refresh import fetch, plan_refresh, save  # noqa: E402
from tests.helpers.loopback import LoopbackServer, SeventeenTrackStandIn  # noqa: E402

ORDERS = 1000
RATE = 3
TOKEN = "bench-token"


def seed(ctx: AppContext) -> None:
    with ctx.store.transaction(ctx.now) as txn:
        for i in range(ORDERS):
            txn.put(
                Order(
                    order_id=f"81{i:014d}",
                    title=f"Item {i}",
                    state=OrderState.SHIPPED,
                    tracking_number=f"LP{i:014d}",
                    items=[Item(title=f"Item {i}")],
                )
            )


def run_once(label: str, hits_before: int, server: LoopbackServer) -> dict[str, object]:
    ctx = AppContext.from_env()
    t0 = time.perf_counter()
    plan = plan_refresh(ctx, all_orders=True, stale_hours=0)
    t1 = time.perf_counter()
    outcome = fetch(plan)
    t2 = time.perf_counter()
    report = save(ctx, plan, outcome)
    t3 = time.perf_counter()
    return {
        "run": label,
        "orders_refreshed": len(report.orders),
        "failed": len(report.failed),
        "new_events": sum(o.new_events for o in report.orders),
        "requests": len(server.hits) - hits_before,
        "index_writes": ctx.store.index_writes,
        "shard_writes": ctx.store.shard_writes,
        "plan_s": round(t1 - t0, 3),
        "network_s": round(t2 - t1, 3),
        "save_s": round(t3 - t2, 3),
        "total_s": round(t3 - t0, 3),
    }


def main() -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix="orderctl-bench-track-"))
    stand_in = SeventeenTrackStandIn(TOKEN, rate=RATE)
    with LoopbackServer(stand_in) as server:
        os.environ.update(
            {
                "ORDERCTL_HOME": str(home),
                "ORDERCTL_NOW": "2026-11-28T12:00:00Z",
                "ORDERCTL_17TRACK_URL": server.url + "/track/v2.2",
                "ORDERCTL_17TRACK_TOKEN": TOKEN,
            }
        )
        seed(AppContext.from_env())
        first = run_once("first (register + fetch)", 0, server)
        second = run_once("second (fetch only, nothing new)", len(server.hits), server)
    result = {
        "orders": ORDERS,
        "rate_limit_per_s": RATE,
        "http_429": stand_in.throttled,
        "index_bytes": AppContext.from_env().paths.db.stat().st_size,
        "runs": [first, second],
    }
    shutil.rmtree(home, ignore_errors=True)
    for run in result["runs"]:
        print(f"\n{run['run']}")
        for key, value in run.items():
            if key != "run":
                print(f"  {key:<17} {value}")
    print(f"\nhttp_429 {stand_in.throttled}")
    target = ROOT / "benchmarks" / "results" / "track_store.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
