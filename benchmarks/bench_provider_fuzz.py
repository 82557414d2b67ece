"""A long run of the provider-adapter fuzzing suite (issue 9): cases per second, and what it found.

CI runs tests/property/test_provider_fuzz.py with 60 examples per property; this
runs the same properties with many more (``--examples``, default 2,000 per
property × 3 properties × 3 adapters) and reports the rate and the outcome.

Run: python benchmarks/bench_provider_fuzz.py [--examples 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import machine, save_result  # noqa: E402

SUITE = "tests/property/test_provider_fuzz.py"
PROPERTIES = 3 * 3  # properties × adapters driven by hypothesis


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=2000)
    args = parser.parse_args()
    env = {**os.environ, "ORDERCTL_FUZZ_EXAMPLES": str(args.examples)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", SUITE, "-q", "-p", "no:cacheprovider", "-o", "timeout=0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    cases = args.examples * PROPERTIES
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    result = {
        "examples_per_property": args.examples,
        "cases": cases,
        "seconds": round(seconds, 1),
        "cases_per_second": round(cases / seconds, 1),
        "passed": done.returncode == 0,
        "pytest_summary": summary,
        "found": [] if done.returncode == 0 else done.stdout[-4000:].splitlines(),
        "machine": machine(),
    }
    save_result("provider_fuzz", result)
    print(json.dumps({k: v for k, v in result.items() if k != "found"}, indent=2))
    return result


if __name__ == "__main__":
    main()
