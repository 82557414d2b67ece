"""Fuzzing as a habit (issue 9): importers and the answers parser under hostile input.

Starts from recorded valid samples and mutates them (see ``tests/helpers/fuzz_inputs.py``);
every case runs the real CLI on a fresh home and must end without a traceback, with a
documented exit code, and with the store byte-identical when the command refused. A
bounded budget runs here; ``benchmarks/fuzz_inputs.py`` runs the same cases for as long
as you like and reports cases per second and findings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from tests.helpers.fuzz_inputs import (
    ANSWER_SEEDS,
    IMPORT_SEEDS,
    Sandbox,
    hostile_values,
    mutated,
    random_bytes,
)

BUDGET = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # CI stays reproducible; the long run explores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Well-formed files with absurd values reach the most code: a bigger share of the budget
# (60 cases find the far-date crash of issue 9 case 3 on the release before the fix).
VALUES_BUDGET = settings(BUDGET, max_examples=60)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    yield box
    box.close()


def test_seeds_are_valid(sandbox: Sandbox) -> None:
    """The starting points import and parse cleanly (else mutations prove nothing)."""
    for name, data in IMPORT_SEEDS.items():
        assert sandbox.import_case(name, data) is None, name
        assert sandbox.last_exit_code == 0, name
    for name, data in ANSWER_SEEDS.items():
        assert sandbox.answers_case(name, data) is None, name
        assert sandbox.last_exit_code == 0, name


@BUDGET
@given(case=mutated(IMPORT_SEEDS))
def test_fuzz_import_mutated_samples(sandbox: Sandbox, case: tuple[str, bytes]) -> None:
    name, data = case
    finding = sandbox.import_case(name, data)
    assert finding is None, finding


@VALUES_BUDGET
@given(case=hostile_values(IMPORT_SEEDS))
def test_fuzz_import_hostile_values(sandbox: Sandbox, case: tuple[str, bytes]) -> None:
    """Well-formed files with absurd values: these reach deadlines, exports and the store."""
    name, data = case
    finding = sandbox.import_case(name, data)
    assert finding is None, finding


@BUDGET
@given(case=hostile_values(ANSWER_SEEDS))
def test_fuzz_answers_hostile_values(sandbox: Sandbox, case: tuple[str, bytes]) -> None:
    name, data = case
    finding = sandbox.answers_case(name, data)
    assert finding is None, finding


@BUDGET
@given(data=random_bytes())
def test_fuzz_import_random_bytes(sandbox: Sandbox, data: bytes) -> None:
    finding = sandbox.import_case("random.csv", data)
    assert finding is None, finding


@BUDGET
@given(case=mutated(ANSWER_SEEDS))
def test_fuzz_answers_mutated_samples(sandbox: Sandbox, case: tuple[str, bytes]) -> None:
    name, data = case
    finding = sandbox.answers_case(name, data)
    assert finding is None, finding
