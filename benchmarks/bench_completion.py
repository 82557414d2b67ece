"""Is shell completion of order ids fast with 10,000 orders in the book?

Completing ``orderctl show 81<TAB>`` starts orderctl once per key press. The
store keeps ``cache/order-ids.tsv`` (ids, states, platforms, titles) up to date
on every commit, so completion reads that small file instead of parsing and
validating the index. Builds a 10-order and a 10,000-order home, then times a
bash completion request (``_ORDERCTL_COMPLETE=complete_bash``) as a fresh
process: with the id list fresh (every key press after a write by orderctl),
and with it missing (the first key press after a hand edit of the index, when
the list is rebuilt from the raw index once). Baseline: ``python -c "import
typer"``. Target (for the fresh id list, i.e. every key press after orderctl
wrote): 10k/10 <= 1.5x and under 0.3 s per key press. The rebuild is a one-off
and reported for information.

Run: /work/venv/bin/python benchmarks/bench_completion.py [--runs 7] [--orders 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from _common import machine, save_result  # noqa: E402
from bench_list import NOW, build_home  # noqa: E402

TARGET_RATIO = 1.5
TARGET_SECONDS = 0.3


def timed(cmd: list[str], env: dict[str, str], expect: str | None) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    if expect is not None:
        assert expect in run.stdout.split(), run.stdout[:200]  # a real answer
    return elapsed


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="orderctl-bench-completion-"))
    homes = {"small": (work / "small", 10), "big": (work / "big", args.orders)}
    built = {name: build_home(home, count) for name, (home, count) in homes.items()}
    py = sys.executable
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERCTL_")}
    base_env.update(NO_COLOR="1", ORDERCTL_NOW=NOW.isoformat())
    complete = {
        "_ORDERCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": "orderctl show 8100000000000",
        "COMP_CWORD": "2",
    }
    expect = "8100000000000007"  # order 7 exists in both homes
    cases = {
        "show <TAB> (id list fresh)": False,
        "show <TAB> (id list rebuilt)": True,
    }
    times: dict[str, dict[str, list[float]]] = {c: {"small": [], "big": []} for c in cases}
    baseline: list[float] = []
    for _ in range(args.runs + 1):  # the first round warms caches and is dropped
        round_times = {c: {} for c in cases}
        baseline_t = timed([py, "-c", "import typer"], base_env, None)
        for case, cold in cases.items():
            for name, (home, _) in homes.items():
                env = {**base_env, **complete, "ORDERCTL_HOME": str(home)}
                if cold:
                    shutil.rmtree(home / "cache", ignore_errors=True)
                round_times[case][name] = timed([py, "-m", "orderctl"], env, expect)
        if _ == 0:
            continue
        baseline.append(baseline_t)
        for case in cases:
            for name in homes:
                times[case][name].append(round_times[case][name])
    rows = {}
    for case, by_home in times.items():
        small = statistics.median(by_home["small"])
        big = statistics.median(by_home["big"])
        rows[case] = {
            "small_median_s": round(small, 4),
            "big_median_s": round(big, 4),
            "ratio": round(big / small, 2),
        }
    base = statistics.median(baseline)
    result = {
        "benchmark": "completion",
        "machine": machine(),
        "runs": args.runs,
        "homes": built,
        "import_typer_median_s": round(base, 4),
        "cases": rows,
        "target": {"ratio": TARGET_RATIO, "seconds": TARGET_SECONDS},
        "meets_target": {
            c: r["ratio"] <= TARGET_RATIO and r["big_median_s"] <= TARGET_SECONDS
            for c, r in rows.items()
            if "fresh" in c
        },
    }
    print(f"machine: {result['machine']}")
    print(f"python -c 'import typer': {base:.3f} s")
    print(f"{'case':<30} {'10 orders s':>12} {f'{args.orders} orders s':>16} {'ratio':>6}")
    for case, row in rows.items():
        print(
            f"{case:<30} {row['small_median_s']:>12.3f} {row['big_median_s']:>16.3f}"
            f" {row['ratio']:>6.2f}"
        )
    for case, ok in result["meets_target"].items():
        print(f"{case}: target {'met' if ok else 'NOT met'}")
    save_result("completion", result)
    shutil.rmtree(work, ignore_errors=True)
    return result


if __name__ == "__main__":
    main()
