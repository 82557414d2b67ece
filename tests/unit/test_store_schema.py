"""Schema versions, validation on load and the migration registry (pure functions)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from orderctl.store import schema
from orderctl.store.atomic_storage import AtomicJSONStorage, CorruptFileError, read_json_file

V0 = {
    "orders": {
        "1": {"order_id": "8100000000000001", "title": "Lamp", "tracking_number": "LP1"},
        "2": {"order_id": "8100000000000002", "title": "Cable", "quantity": 3},
    },
    "providers": {"1": {"name": "17track", "quota": 100}},
}


def test_registry_covers_every_version_step() -> None:
    assert sorted(schema.MIGRATIONS) == list(range(schema.SCHEMA_VERSION))


def test_v0_to_v1_is_pure_valid_and_idempotent() -> None:
    original = copy.deepcopy(V0)
    migrated = schema.migrate(V0, 0)
    assert original == V0, "migration mutated its input"
    entries = schema.validate(migrated)
    lamp = entries["8100000000000001"][1]
    cable = entries["8100000000000002"][1]
    assert (lamp.state.value, cable.state.value) == ("shipped", "ordered")
    assert [(i.title, i.quantity) for i in cable.items] == [("Cable", 3)]
    assert lamp.platform == cable.platform == "aliexpress"
    assert migrated["providers"] == V0["providers"]
    assert schema.MIGRATIONS[0](migrated) == migrated
    assert schema.migrate(migrated, schema.SCHEMA_VERSION) == migrated


def test_future_version_is_refused_by_migrate() -> None:
    with pytest.raises(schema.FutureSchema) as info:
        schema.migrate({}, schema.SCHEMA_VERSION + 1)
    assert info.value.version == schema.SCHEMA_VERSION + 1


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (None, 0),
        ({}, 0),
        ({"1": {"schema_version": 1}}, 1),
        ({"1": {"schema_version": 999}}, 999),
    ],
)
def test_schema_version(meta: object, expected: int) -> None:
    raw = {} if meta is None else {"_meta": meta}
    assert schema.schema_version(raw) == expected


@pytest.mark.parametrize(
    "meta",
    [
        {"1": {"schema_version": True}},
        {"1": {"schema_version": 0}},
        {"1": {"schema_version": "1"}},
        {"1": {}},
        {"1": "v1"},
        {"1": {"schema_version": 1}, "2": {"schema_version": 1}},
    ],
)
def test_bad_meta_is_a_schema_problem(meta: object) -> None:
    with pytest.raises(schema.SchemaProblem):
        schema.schema_version({"_meta": meta})


def test_duplicate_order_names_both_documents() -> None:
    raw = copy.deepcopy(schema.migrate(V0, 0))
    raw["orders"]["7"] = dict(raw["orders"]["1"])
    with pytest.raises(schema.SchemaProblem, match=r"documents 1 and 7"):
        schema.validate(raw)


def test_storage_read_distinguishes_missing_empty_and_broken(tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None  # missing: a new, empty book
    for content, reason in [
        (b"", "empty"),
        (b"\n  \n", "empty"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"orders": {}', "invalid JSON"),
        (b"\xff\xfe\x00", "UTF-8"),
    ]:
        path.write_bytes(content)
        with pytest.raises(CorruptFileError, match=reason) as info:
            storage.read()
        assert info.value.path == path
        assert path.read_bytes() == content


def test_storage_write_is_compact_private_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    data = {"_meta": {"1": {"schema_version": 1}}, "orders": {"1": {"title": "Café ☕"}}}
    AtomicJSONStorage(path).write(data)
    assert read_json_file(path) == data
    assert "Café ☕".encode() in path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_bytes()) == data
