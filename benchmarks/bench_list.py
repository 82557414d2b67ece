"""Do ``list`` and ``show`` stay fast when the book holds 10,000 tracked orders?

Builds two homes: 10 orders, and 10,000 orders whose parcels carry 20 tracking events
each (events written straight into the details shards with ``DetailShards``, orders in
one ``Transaction``). Times ``orderctl list --json`` and ``orderctl show ID --json`` as
fresh processes (median of 5 each) and reports big/small ratios (target <= 3x: ``show``
reads one shard, ``list`` reads no shard at all).

``--history N`` gives every order N history entries shaped like the ones a mail import and
an inspection write (typed records since 0.1.0's successor: they are parsed on every full
read of the book); results then go to ``results/list-history.json``.

Run: /work/venv/bin/python benchmarks/bench_list.py [--runs 5] [--orders 10000] [--history 0]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import machine, save_result  # noqa: E402

from orderctl.domain.models import Item, Order, OrderState  # noqa: E402
from orderctl.domain.records import HistoryEntry, MailSource  # noqa: E402
from orderctl.paths import Paths  # noqa: E402
from orderctl.store.repository import OrderStore  # noqa: E402
from orderctl.store.shards import DetailShards  # noqa: E402

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
EVENTS_PER_ORDER = 20
TARGET = 3.0
STATUSES = ("info_received", "in_transit", "in_transit", "out_for_delivery", "delivered")


def order_id(k: int) -> str:
    return f"81{k:014d}"


MAIL_FIELDS = ("price", "store", "ordered_at", "tracking_number", "carrier", "shipped_at")


def history(k: int, count: int) -> list[HistoryEntry]:
    """``count`` entries: fields filled from order mails, then inspected and confirmed."""
    source = MailSource(
        message_id=f"<order-{k}@notice.aliexpress.com>",
        date="2026-10-02T08:00:00+00:00",
        sender="transaction@notice.aliexpress.com",
    )
    entries = [
        HistoryEntry(
            at="2026-10-02T09:00:00Z",
            event="mail",
            kind="order_placed",
            field_name=MAIL_FIELDS[n % len(MAIL_FIELDS)],
            value=f"value {n}",
            source=source,
        )
        for n in range(max(count - 2, 0))
    ]
    entries += [
        HistoryEntry(
            at="2026-11-27T10:00:00Z", event="inspected", verdict="pass", checklist="generic"
        ),
        HistoryEntry(at="2026-11-28T10:00:00Z", event="confirmed", forced=False),
    ][: count - len(entries)]
    return entries


def make_order(k: int, history_entries: int = 0) -> Order:
    ordered = date(2026, 10, 1) + timedelta(days=k % 40)
    price = Decimal(f"{5 + k % 50}.{k % 100:02d}")
    return Order(
        order_id=order_id(k),
        title=f"Wireless earbuds model {k} with charging case",
        store=f"Store {k % 97}",
        price=price,
        currency="USD",
        category="electronics",
        state=OrderState.SHIPPED,
        ordered_at=ordered,
        shipped_at=ordered + timedelta(days=3),
        tracking_number=f"LP00{k:012d}",
        carrier="cainiao",
        tracking_numbers=[f"LP00{k:012d}"],
        shipment_status="in_transit",
        items=[Item(title=f"Wireless earbuds model {k}", unit_price=price, currency="USD")],
        history=history(k, history_entries),
    )


def events(k: int) -> list[dict[str, object]]:
    start = datetime(2026, 10, 5, 8, 0, tzinfo=UTC) + timedelta(hours=k % 500)
    out = []
    for n in range(EVENTS_PER_ORDER):
        moment = start + timedelta(hours=7 * n)
        out.append(
            {
                "time": moment.strftime("%Y-%m-%dT%H:%M:%S"),
                "time_utc": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "status": STATUSES[min(n * len(STATUSES) // EVENTS_PER_ORDER, 4)],
                "description": f"Parcel scanned at sorting center {n} (hub {k % 31})",
                "location": f"Shenzhen hub {n % 7}",
                "provider": "17track",
                "detail": None,
            }
        )
    return out


def build_home(home: Path, count: int, history_entries: int = 0) -> dict[str, object]:
    paths = Paths(home)
    store = OrderStore(paths)
    start = time.perf_counter()
    with store.transaction(NOW) as txn:
        for k in range(count):
            txn.put(make_order(k, history_entries))
    shards = DetailShards(paths.details_dir)
    for k in range(count):
        shards.set(order_id(k), {"events": events(k)})
    shard_files = shards.flush()
    details_bytes = sum(p.stat().st_size for p in paths.details_dir.glob("*.json"))
    return {
        "orders": count,
        "index_bytes": paths.db.stat().st_size,
        "details_bytes": details_bytes,
        "shard_files": shard_files,
        "build_s": round(time.perf_counter() - start, 2),
    }


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, check=True)
    elapsed = time.perf_counter() - start
    json.loads(run.stdout)  # a real, complete answer
    return elapsed


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=0, help="history entries per order")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="orderctl-bench-list-"))
    homes = {"small": (work / "small", 10), "big": (work / "big", args.orders)}
    built = {name: build_home(home, count, args.history) for name, (home, count) in homes.items()}
    show_id = order_id(7)  # present in both homes
    py = sys.executable
    commands = {
        "list --json": [py, "-m", "orderctl", "list", "--json"],
        "show ID --json": [py, "-m", "orderctl", "show", show_id, "--json"],
        # The first read after a write validates the whole index and recomputes
        # (cache/ emptied before each of these runs):
        "list --json (cold)": [py, "-m", "orderctl", "list", "--json"],
        "show ID --json (cold)": [py, "-m", "orderctl", "show", show_id, "--json"],
    }
    times: dict[str, dict[str, list[float]]] = {c: {"small": [], "big": []} for c in commands}
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERCTL_")}
    base_env.update(NO_COLOR="1", ORDERCTL_NOW=NOW.isoformat())
    for cmd in commands.values():  # warm-up
        for home, _ in homes.values():
            timed(cmd, {**base_env, "ORDERCTL_HOME": str(home)})
    for _ in range(args.runs):  # interleaved
        for command, cmd in commands.items():
            for name, (home, _) in homes.items():
                env = {**base_env, "ORDERCTL_HOME": str(home)}
                if command.endswith("(cold)"):
                    shutil.rmtree(home / "cache", ignore_errors=True)
                else:
                    timed(cmd, env)  # untimed: fills the cache a cold run emptied
                times[command][name].append(timed(cmd, {**base_env, "ORDERCTL_HOME": str(home)}))
    rows = {}
    for command, by_home in times.items():
        small = statistics.median(by_home["small"])
        big = statistics.median(by_home["big"])
        rows[command] = {
            "small_median_s": round(small, 4),
            "big_median_s": round(big, 4),
            "ratio": round(big / small, 2),
        }
    result = {
        "benchmark": "list",
        "machine": machine(),
        "runs": args.runs,
        "events_per_order": EVENTS_PER_ORDER,
        "history_entries_per_order": args.history,
        "homes": built,
        "commands": rows,
        "target_ratio": TARGET,
        "meets_target": {c: r["ratio"] <= TARGET for c, r in rows.items()},
    }
    print(f"machine: {result['machine']}")
    for name, info in built.items():
        print(
            f"{name:>5} home: {info['orders']} orders, index {info['index_bytes'] / 1e6:.2f} MB,"
            f" details {info['details_bytes'] / 1e6:.2f} MB in {info['shard_files']} shards"
        )
    print(f"{'command':<22} {'10 orders s':>12} {f'{args.orders} orders s':>16} {'ratio':>6}")
    for command, row in rows.items():
        print(
            f"{command:<22} {row['small_median_s']:>12.3f} {row['big_median_s']:>16.3f}"
            f" {row['ratio']:>6.2f}"
        )
    for command, ok in result["meets_target"].items():
        print(f"{command}: target <= {TARGET}x {'met' if ok else 'NOT met'}")
    save_result("list-history" if args.history else "list", result)
    return result


if __name__ == "__main__":
    main()
