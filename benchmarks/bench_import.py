"""Does ``orderctl import`` scale linearly, with one store write per import?

Generates CSVs of 1,000 and 10,000 orders in orderctl's own columns, times
``orderctl import FILE`` into a fresh home (median of 3 each) and reports the 10k/1k
ratio (target <= 12x: linear plus start-up). Then imports both files once in-process
through the service layer and counts store writes with ``OrderStore.index_writes``
(target: exactly 1 index write per import), and checks the CLI's result file.

Run: /work/venv/bin/python benchmarks/bench_import.py [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import machine, save_result  # noqa: E402

from orderctl.domain.exporters import CSV_COLUMNS as COLUMNS  # noqa: E402
from orderctl.services.context import AppContext  # noqa: E402
from orderctl.services.orders.transfer import import_orders  # noqa: E402

SIZES = (1_000, 10_000)
TARGET = 12.0
NOW = "2026-11-28T12:00:00Z"


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for k in range(count):
            shipped = k % 3 != 0
            day = 1 + k % 28
            writer.writerow(
                [
                    f"81{k:014d}",
                    "aliexpress",
                    f"Wireless earbuds model {k} with charging case",
                    f"Store {k % 97}",
                    f"{5 + k % 50}.{k % 100:02d}",
                    "USD",
                    1 + k % 3,
                    f"2026-10-{day:02d}",
                    f"2026-11-{day:02d}" if shipped else "",
                    f"LP00{k:012d}" if shipped else "",
                    "cainiao" if shipped else "",
                    "",
                    "electronics" if k % 2 else "",
                    f"https://www.aliexpress.com/item/{100000 + k}.html",
                ]
            )


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERCTL_")}
    env.update(ORDERCTL_HOME=str(home), ORDERCTL_NOW=NOW, NO_COLOR="1")
    return env


def time_cli_import(csv_path: Path, work: Path, runs: int) -> tuple[list[float], Path]:
    times = []
    home = work
    for run in range(runs):
        home = work / f"home-{csv_path.stem}-{run}"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "orderctl", "import", str(csv_path)],
            env=env_for(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - start)
    return times, home


def count_writes(csv_path: Path, work: Path) -> dict[str, object]:
    home = work / f"inproc-{csv_path.stem}"
    ctx = AppContext.from_env({"ORDERCTL_HOME": str(home), "ORDERCTL_NOW": NOW})
    start = time.perf_counter()
    report = import_orders(ctx, csv_path)
    elapsed = time.perf_counter() - start
    return {
        "added": len(report.added),
        "index_writes": ctx.store.index_writes,
        "shard_writes": ctx.store.shard_writes,
        "in_process_s": round(elapsed, 3),
    }


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="orderctl-bench-import-"))
    rows: dict[str, dict[str, object]] = {}
    for size in SIZES:
        csv_path = work / f"orders-{size}.csv"
        write_csv(csv_path, size)
        times, home = time_cli_import(csv_path, work, args.runs)
        stored = json.loads((home / "orders.json").read_bytes())
        rows[str(size)] = {
            "csv_bytes": csv_path.stat().st_size,
            "cli_median_s": round(statistics.median(times), 3),
            "cli_runs_s": [round(t, 3) for t in times],
            "cli_orders_stored": len(stored["orders"]),
            "index_bytes": (home / "orders.json").stat().st_size,
            **count_writes(csv_path, work),
        }
    ratio = rows["10000"]["cli_median_s"] / rows["1000"]["cli_median_s"]
    one_write = all(r["index_writes"] == 1 for r in rows.values())
    result = {
        "benchmark": "import",
        "machine": machine(),
        "runs": args.runs,
        "sizes": rows,
        "ratio_10k_to_1k": round(ratio, 2),
        "target_ratio": TARGET,
        "meets_target": ratio <= TARGET,
        "one_index_write_per_import": one_write,
    }
    print(f"machine: {result['machine']}")
    print(
        f"{'orders':>7} {'CSV KB':>7} {'CLI median s':>13} {'in-proc s':>10} "
        f"{'index writes':>13} {'shard writes':>13} {'stored':>7}"
    )
    for size, row in rows.items():
        print(
            f"{size:>7} {row['csv_bytes'] / 1024:>7.0f} {row['cli_median_s']:>13.3f}"
            f" {row['in_process_s']:>10.3f} {row['index_writes']:>13} {row['shard_writes']:>13}"
            f" {row['cli_orders_stored']:>7}"
        )
    print(
        f"10k/1k = {ratio:.2f}x (target <= {TARGET}x: {'met' if ratio <= TARGET else 'NOT met'});"
        f" one index write per import: {one_write}"
    )
    save_result("import", result)
    return result


if __name__ == "__main__":
    main()
