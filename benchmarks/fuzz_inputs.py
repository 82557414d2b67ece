"""The long fuzzing run: importers and the answers parser under hostile input.

The same cases as ``tests/property/test_fuzz_inputs.py`` (mutated recorded samples
and random bytes, run through the real CLI on a fresh home each), for as long as you
give it, without the CI budget. Reports cases per second, the outcome mix (how many
cases were accepted and how many refused: a fuzzer that only ever hits one path proves
little) and every finding (traceback, undocumented exit code, store changed on refusal,
a book that cannot be read back after an accepted import), with a reproducer written
to ``benchmarks/results/fuzz-findings/``.

Run: .venv/bin/python benchmarks/fuzz_inputs.py [--seconds 300] [--target all|import|answers]
Exit status 1 when anything was found.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RESULTS, machine, save_result  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.helpers.fuzz_inputs import (  # noqa: E402
    ANSWER_SEEDS,
    IMPORT_SEEDS,
    Finding,
    Sandbox,
    hostile_values,
    mutated,
    random_bytes,
)


def run_batch(strategy, target: str, one) -> None:
    """Up to 25 hypothesis-generated cases for ``target`` (stops at the deadline)."""

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def batch(case: tuple[str, bytes]) -> None:
        one(target, case)

    batch()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--target", choices=["all", "import", "answers"], default="all")
    args = parser.parse_args()

    sandbox = Sandbox()
    findings: list[tuple[str, Finding]] = []
    outcomes: Counter[str] = Counter()
    cases = 0
    deadline = time.monotonic() + args.seconds

    targets = {
        "import-mutated": (mutated(IMPORT_SEEDS), sandbox.import_case),
        "import-values": (hostile_values(IMPORT_SEEDS), sandbox.import_case),
        "import-random": (random_bytes().map(lambda b: ("random.csv", b)), sandbox.import_case),
        "answers-mutated": (mutated(ANSWER_SEEDS), sandbox.answers_case),
        "answers-values": (hostile_values(ANSWER_SEEDS), sandbox.answers_case),
    }
    chosen = [k for k in targets if args.target == "all" or k.startswith(args.target)]
    cases_by_target: Counter[str] = Counter()

    def one(target: str, case: tuple[str, bytes]) -> None:
        nonlocal cases
        if time.monotonic() > deadline:
            return
        name, data = case
        _strategy, run = targets[target]
        finding = run(name, data)
        cases += 1
        cases_by_target[target] += 1
        outcomes[f"{target} exit {sandbox.last_exit_code}"] += 1
        if finding is not None:
            outcomes[finding.kind] += 1
            findings.append((target, finding))

    started = time.monotonic()
    try:
        while time.monotonic() < deadline:
            for target in chosen:
                run_batch(targets[target][0], target, one)
    finally:
        elapsed = time.monotonic() - started
        sandbox.close()

    folder = RESULTS / "fuzz-findings"
    written = []
    for target, finding in findings:
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(finding.data).hexdigest()[:12]
        path = folder / f"{target}-{digest}.bin"
        path.write_bytes(finding.data)
        written.append(
            {
                "target": target,
                "kind": finding.kind,
                "exit_code": finding.exit_code,
                "detail": finding.detail,
                "reproducer": str(path.relative_to(ROOT)),
            }
        )
    result = {
        "machine": machine(),
        "seconds": round(elapsed, 1),
        "cases": cases,
        "cases_per_second": round(cases / elapsed, 1) if elapsed else 0.0,
        "cases_by_target": dict(cases_by_target),
        "outcomes": dict(outcomes),
        "findings": written,
    }
    print(f"{cases} cases in {elapsed:.1f} s: {result['cases_per_second']} cases/s")
    print(f"by target: {dict(cases_by_target)}")
    print(f"outcomes: {dict(sorted(outcomes.items()))}")
    print(f"findings: {len(written)}")
    for entry in written:
        print(
            f"  {entry['target']}: {entry['kind']} (exit {entry['exit_code']}): {entry['detail']}"
        )
        print(f"    reproducer: {entry['reproducer']}")
    print(f"results: {save_result('fuzz_inputs', result)}")
    return 1 if written else 0


if __name__ == "__main__":
    raise SystemExit(main())
