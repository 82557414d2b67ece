"""Fuzzing the provider adapters with damaged copies of recorded responses (issues 9 and 12).

Starting from the recorded answers in ``tests/data/providers`` (corpus included),
hypothesis damages copies — values replaced by random JSON, keys deleted, types
swapped — and feeds them to each adapter's ``parse``. Promised:

- nothing escapes but the documented exceptions (``BatchError`` for an unusable
  body, ``RetryLater``, ``OrderctlError``); every result serialises;
- one damaged event never costs its parcel another event;
- one damaged item in a batch never changes another number's result.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderctl.errors import OrderctlError
from orderctl.providers.aftership import AfterShip
from orderctl.providers.base import ApiRequest, BatchError, BatchResult, RetryLater
from orderctl.providers.cainiao import Cainiao
from orderctl.providers.seventeen_track import SeventeenTrack
from tests.helpers.fuzz import damaged

DATA = Path(__file__).parents[1] / "data" / "providers"
FUZZ = settings(
    max_examples=int(__import__("os").environ.get("ORDERCTL_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _corpus(provider: str) -> list[dict[str, Any]]:
    out = []
    for path in sorted((DATA / "corpus").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["provider"] == provider:
            out.append(case["record"])
    return out


def _unique(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item.get(key), str) and item.get("track_info", True) is not None:
            seen.setdefault(item[key], item)
    return list(seen.values())


class Case:
    """One adapter, a batch of recorded items, and where each item keeps its events."""

    def __init__(self, adapter: Any, key: str, items: list[dict[str, Any]], method: str, path: str):
        self.adapter = adapter
        self.key = key
        self.items = items
        self.request = ApiRequest(method, path, tuple(i[key] for i in items))

    def payload(self, items: list[Any]) -> Any:
        raise NotImplementedError

    def event_lists(self, item: dict[str, Any]) -> list[list[Any]]:
        raise NotImplementedError

    def parse(self, items: list[Any]) -> BatchResult:
        return self.adapter.parse(self.request, 200, self.payload(items))


class SeventeenCase(Case):
    def __init__(self) -> None:
        items = _unique(_load("17track_gettrackinfo.json")["data"]["accepted"], "number")
        super().__init__(
            SeventeenTrack("k", "http://x"), "number", items + _corpus("17track"), "POST", "g"
        )

    def payload(self, items: list[Any]) -> Any:
        return {"code": 0, "data": {"accepted": items, "rejected": []}}

    def event_lists(self, item: dict[str, Any]) -> list[list[Any]]:
        providers = item["track_info"]["tracking"]["providers"]
        return [p["events"] for p in providers if p["events"]]


class AfterShipCase(Case):
    def __init__(self) -> None:
        items = _load("aftership_trackings.json")["data"]["trackings"] + _corpus("aftership")
        super().__init__(
            AfterShip("k", "http://x"),
            "tracking_number",
            _unique(items, "tracking_number"),
            "GET",
            "trackings",
        )

    def payload(self, items: list[Any]) -> Any:
        return {"meta": {"code": 200}, "data": {"trackings": items}}

    def event_lists(self, item: dict[str, Any]) -> list[list[Any]]:
        return [item["checkpoints"]] if item.get("checkpoints") else []


class CainiaoCase(Case):
    def __init__(self) -> None:
        items = _load("cainiao_detail.json")["module"] + _corpus("cainiao")
        super().__init__(Cainiao("http://x"), "mailNo", _unique(items, "mailNo"), "GET", "d")

    def payload(self, items: list[Any]) -> Any:
        return {"success": True, "module": items}

    def event_lists(self, item: dict[str, Any]) -> list[list[Any]]:
        return [item["detailList"]] if item.get("detailList") else []


CASES = [SeventeenCase(), AfterShipCase(), CainiaoCase()]
IDS = ["17track", "aftership", "cainiao"]


def _check(result: BatchResult) -> None:
    for number, track in result.results.items():
        json.dumps(track.to_dict())
        assert track.number == number
    assert all(isinstance(r, str) for r in result.failures.values())


def _words(result: BatchResult, number: str) -> set[tuple[str, str | None]]:
    track = result.results.get(number)
    return {(e.description, e.location) for e in track.events} if track else set()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_recorded_batches_parse_cleanly(case):
    result = case.parse(copy.deepcopy(case.items))
    assert set(result.results) == set(case.request.numbers)
    assert not any(t.warnings for t in result.results.values())
    assert sum(len(t.events) for t in result.results.values()) >= 5


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FUZZ
@given(data=st.data())
def test_damaged_response_raises_nothing_undocumented(case, data):
    payload = data.draw(damaged(case.payload(case.items)))
    try:
        result = case.adapter.parse(case.request, 200, payload)
    except (BatchError, RetryLater, OrderctlError):
        return
    _check(result)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FUZZ
@given(data=st.data())
def test_one_damaged_event_never_costs_the_parcel_another_event(case, data):
    with_events = [i for i, item in enumerate(case.items) if case.event_lists(item)]
    index = data.draw(st.sampled_from(with_events))
    item = copy.deepcopy(case.items[index])
    events = data.draw(st.sampled_from(case.event_lists(item)))
    position = data.draw(st.integers(0, len(events) - 1))
    original = events[position]

    del events[position]  # the baseline: the parcel without that event at all
    items = [*case.items[:index], copy.deepcopy(item), *case.items[index + 1 :]]
    baseline = case.parse(items)
    events.insert(position, data.draw(damaged(original)))
    items[index] = item
    result = case.parse(items)

    _check(result)
    number = item[case.key]
    assert number in result.results, result.failures.get(number)
    assert _words(baseline, number) <= _words(result, number)
    for other in case.request.numbers:
        if other != number:
            assert result.results[other].to_dict() == baseline.results[other].to_dict()


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FUZZ
@given(data=st.data())
def test_one_damaged_item_never_changes_another_numbers_result(case, data):
    baseline = case.parse(copy.deepcopy(case.items))
    index = data.draw(st.integers(0, len(case.items) - 1))
    items = copy.deepcopy(case.items)
    items[index] = data.draw(damaged(items[index], keep=(case.key,)))

    result = case.parse(items)

    _check(result)
    damaged_number = case.items[index][case.key]
    for number in case.request.numbers:
        if number != damaged_number:
            assert result.results[number].to_dict() == baseline.results[number].to_dict()
    assert damaged_number in result.results or damaged_number in result.failures
