"""`orderctl carrier --stdin` on 10,000 numbers in one process: the per-number cost.

The numbers cycle through tests/data/carrier-corpus.json (published numbers of 27
carriers, spaced variants included) plus, for every tenth, a non-number, so the
batch exercises every format and the no-match path. The whole command runs as a
subprocess — start-up included — and the per-number cost is (total − the cost of
the same command on one number) / 10,000.

Run: python benchmarks/bench_carrier.py [--numbers 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import machine, save_result  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "carrier-corpus.json"


def numbers(count: int) -> list[str]:
    valid = [v["number"] for v in json.loads(CORPUS.read_text(encoding="utf-8"))["valid"]]
    out = []
    for i in range(count):
        out.append(f"NOT-A-NUMBER-{i}" if i % 10 == 9 else valid[i % len(valid)])
    return out


def run(lines: list[str]) -> tuple[float, list[str]]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ORDERCTL_HOME": home}
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "orderctl", "carrier", "--stdin"],
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        return time.perf_counter() - start, done.stdout.splitlines()


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=10_000)
    args = parser.parse_args()
    batch = numbers(args.numbers)
    one, _ = run(batch[:1])
    total, out = run(batch)
    assert len(out) == len(batch), (len(out), len(batch))
    matched = sum(bool(json.loads(line)["candidates"]) for line in out)
    result = {
        "numbers": len(batch),
        "matched": matched,
        "one_number_s": round(one, 3),
        "total_s": round(total, 3),
        "per_number_us": round((total - one) / len(batch) * 1e6, 1),
        "machine": machine(),
    }
    save_result("carrier", result)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
