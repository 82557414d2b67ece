"""How much does orderctl add to a bare Typer start-up?

Runs ``orderctl --version`` and ``orderctl list`` (empty home) as fresh processes next to
``python -c "import typer"``, interleaved, and compares medians. Target: orderctl within
1.5x of importing Typer.

Two environments: ``as_is`` (the current environment; with PYTHONDONTWRITEBYTECODE=1 and
an editable install, orderctl's own modules are compiled on every start) and
``bytecode_cached`` (a private PYTHONPYCACHEPREFIX, warmed first: what an installed wheel
gets). Also lists the slowest imports of ``orderctl list`` (``-X importtime``).

Run: /work/venv/bin/python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine as common_machine
from _common import save_result

TARGET = 1.5


def machine() -> dict[str, object]:
    """Also whether bytecode is cached: it changes start-up time."""
    return {
        **common_machine(),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
    }


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def measure(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, dict]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm the OS file cache (and the bytecode cache)
        timed(cmd, env)
    for _ in range(runs):  # interleaved, so load changes hit every command alike
        for name, cmd in commands.items():
            times[name].append(timed(cmd, env))
    base = statistics.median(times["import typer"])
    return {
        name: {
            "median_s": round(statistics.median(ts), 4),
            "min_s": round(min(ts), 4),
            "ratio_to_typer": round(statistics.median(ts) / base, 2),
        }
        for name, ts in times.items()
    }


def slowest_imports(cmd: list[str], env: dict[str, str], top: int = 8) -> list[dict[str, object]]:
    """Self import time per top-level package of ``cmd`` (one ``-X importtime`` run)."""
    run = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], env=env, capture_output=True, text=True
    )
    totals: dict[str, int] = {}
    for line in run.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) != 3 or not parts[0].isdigit():
            continue
        package = parts[2].split(".")[0]
        totals[package] = totals.get(package, 0) + int(parts[0])  # microseconds
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)[:top]
    return [{"package": name, "self_ms": round(us / 1000, 1)} for name, us in ranked]


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="orderctl-bench-startup-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERCTL_")}
    env.update(ORDERCTL_HOME=home, NO_COLOR="1")
    cached = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="orderctl-bench-pycache-")
    py = sys.executable
    commands = {
        "import typer": [py, "-c", "import typer"],
        "python -m orderctl --version": [py, "-m", "orderctl", "--version"],
        "python -m orderctl list": [py, "-m", "orderctl", "list"],
    }
    script = Path(py).with_name("orderctl")
    if script.exists():
        commands["orderctl list (console script)"] = [str(script), "list"]

    environments = {"as_is": env, "bytecode_cached": cached}
    tables = {name: measure(commands, e, args.runs) for name, e in environments.items()}
    worst = {
        name: max(r["ratio_to_typer"] for n, r in rows.items() if n != "import typer")
        for name, rows in tables.items()
    }
    result = {
        "benchmark": "startup",
        "machine": machine(),
        "runs": args.runs,
        "environments": tables,
        "target_ratio": TARGET,
        "worst_ratio": worst,
        "meets_target": {name: w <= TARGET for name, w in worst.items()},
        "slowest_imports_of_list": slowest_imports(commands["python -m orderctl list"], cached),
    }
    print(f"machine: {result['machine']}")
    for env_name, rows in tables.items():
        print(f"\n[{env_name}] {args.runs} runs each")
        print(f"{'command':<34} {'median s':>9} {'min s':>7} {'x typer':>8}")
        for name, row in rows.items():
            print(
                f"{name:<34} {row['median_s']:>9.3f} {row['min_s']:>7.3f}"
                f" {row['ratio_to_typer']:>8.2f}"
            )
        met = "met" if worst[env_name] <= TARGET else "NOT met"
        print(f"target <= {TARGET}x: {met} (worst {worst[env_name]}x)")
    print("\nslowest imports of `orderctl list` (self time, bytecode cached):")
    for row in result["slowest_imports_of_list"]:
        print(f"  {row['package']:<20} {row['self_ms']:>7.1f} ms")
    save_result("startup", result)
    return result


if __name__ == "__main__":
    main()
