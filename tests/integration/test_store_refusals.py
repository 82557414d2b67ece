"""R6: a corrupt, empty, hand-broken or future-version store is refused and never touched.

Every read command (``list``, ``show``, ``due``) and every write command (``add``) runs
through the CLI entry point against a broken ``orders.json`` (the whole matrix in one
worker process, a sample as separate ``python -m orderctl`` processes): each must exit 7,
print nothing on stdout, name the file on stderr, and leave it byte-identical (same bytes,
same mtime) with no new files beside it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from orderctl.domain.models import Order
from orderctl.store.shards import shard_name
from tests.helpers.env import child_env

WORKERS = Path(__file__).resolve().parents[1] / "helpers" / "store_workers.py"

ORDER_ID = "8100000000000001"
OTHER_ID = "8100000000000002"
NEW_ID = "8100000000000099"
COMMANDS = {
    "list": ["list"],
    "show": ["show", ORDER_ID],
    "due": ["due"],
    "add": ["add", NEW_ID, "--title", "New order"],
}


def _order(order_id: str, **changes: object) -> dict[str, object]:
    doc = Order(order_id=order_id, title=f"Order {order_id}", ordered_at=None).to_dict()
    doc.update(ordered_at="2026-11-01", created_at="2026-11-01T10:00:00Z")
    doc.update(changes)
    return doc


def _book(orders: object = None, meta: object = None, **tables: object) -> bytes:
    raw: dict[str, object] = {
        "_meta": {"1": {"schema_version": 1, "app_version": "0.1.0", "created": "2026-11-01"}}
        if meta is None
        else meta,
        "orders": {"1": _order(ORDER_ID), "2": _order(OTHER_ID)} if orders is None else orders,
    }
    raw.update(tables)
    return json.dumps(raw).encode()


VALID = _book()

BROKEN: dict[str, bytes] = {
    "trailing-comma": VALID[:-2] + b"},}",
    "truncated": VALID[: len(VALID) // 2],
    "zero-bytes": b"",
    "whitespace-only": b" \n\t \n",
    "not-utf8": b"\xff\xfe" + VALID,
    "top-level-list": b"[]",
    "top-level-string": b'"orders"',
    "orders-table-is-a-list": _book(orders=[_order(ORDER_ID)]),
    "document-is-a-string": _book(orders={"1": "abc"}),
    "document-id-not-a-number": _book(orders={"abc": _order(ORDER_ID)}),
    "order-missing-title": _book(
        orders={"1": {k: v for k, v in _order(ORDER_ID).items() if k != "title"}}
    ),
    "bad-date": _book(orders={"1": _order(ORDER_ID, ordered_at="2026-02-30")}),
    "bad-state": _book(orders={"1": _order(ORDER_ID, state="lost-in-space")}),
    "bad-price": _book(orders={"1": _order(ORDER_ID, price="twelve dollars")}),
    "duplicate-order-id": _book(orders={"1": _order(ORDER_ID), "2": _order(ORDER_ID)}),
    "unknown-table": _book(invoices={}),
    "meta-without-version": _book(meta={"1": {"app_version": "0.1.0"}}),
    "two-meta-documents": _book(meta={"1": {"schema_version": 1}, "2": {"schema_version": 1}}),
    "future-schema": _book(meta={"1": {"schema_version": 999, "app_version": "9.0.0"}}),
}

# Hand edits the store does not catch yet (see the report): they crash a command with a
# traceback (exit 1) or read as an empty book, instead of a clear refusal (exit 7).
STORE_BUGS: dict[str, bytes] = {
    "json-null": b"null",
    "items-not-objects": _book(orders={"1": _order(ORDER_ID, items=["Phone case"])}),
    "platform-is-a-list": _book(orders={"1": _order(ORDER_ID, platform=[])}),
    "payment-method-is-a-number": _book(orders={"1": _order(ORDER_ID, payment_method=1)}),
    "inspection-is-a-string": _book(orders={"1": _order(ORDER_ID, inspection="done")}),
    "document-id-superscript-digit": _book(orders={"\u00b2": _order(ORDER_ID)}),
}


def _env(home: Path) -> dict[str, str]:
    return child_env(home, ORDERCTL_LOCK_TIMEOUT="20")


def _run(home: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orderctl", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _run_all(home: Path, commands: dict[str, list[str]]) -> dict[str, subprocess.CompletedProcess]:
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        futures = {name: pool.submit(_run, home, args) for name, args in commands.items()}
        return {name: future.result() for name, future in futures.items()}


def _listing(home: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under home except the lock sidecar and cache/ (derived, safe to drop)."""
    return {
        str(p.relative_to(home)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(home.rglob("*"))
        if p.is_file()
        and not p.name.startswith("orders.json.lock")
        and "cache" not in p.relative_to(home).parts
    }


def _talk(stderr: str) -> str:
    return " ".join(stderr.split())


def _check_refused(
    db: Path, content: bytes, before: dict, after: dict, results: dict[str, dict]
) -> dict[str, str]:
    for name, result in results.items():
        assert result["code"] == 7, f"{name}: exit {result['code']}\n{result['stderr']}"
        assert result["stdout"] == "", f"{name} printed on stdout: {result['stdout']!r}"
        assert str(db) in _talk(result["stderr"]), f"{name}: path not named: {result['stderr']}"
        assert "Traceback" not in result["stderr"]
    assert db.read_bytes() == content
    assert after == before, "a refused command wrote or created files"
    return {name: _talk(result["stderr"]) for name, result in results.items()}


def _check_messages(name: str, messages: dict[str, str]) -> None:
    for message in messages.values():
        if name == "future-schema":
            assert "newer orderctl" in message
            assert "Nothing was changed" in message
        else:
            assert "left unchanged" in message


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Every fixture x every command, run through the CLI entry point in one worker process.

    One interpreter for the whole matrix keeps it fast; the real-process matrix below
    covers a sample. Returns name -> (db, content, listing before, listing after, results).
    """
    root = tmp_path_factory.mktemp("refusals")
    homes = {}
    for name, content in {**BROKEN, **STORE_BUGS}.items():
        home = root / name
        home.mkdir()
        (home / "orders.json").write_bytes(content)
        homes[name] = (home, content, _listing(home))
    runs = [
        {"home": str(home), "args": args}
        for home, _, _ in homes.values()
        for args in COMMANDS.values()
    ]
    worker = subprocess.run(
        [sys.executable, str(WORKERS), "cli-batch"],
        input=json.dumps(runs),
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    results = iter(json.loads(worker.stdout))
    out = {}
    for name, (home, content, before) in homes.items():
        per_command = {command: next(results) for command in COMMANDS}
        out[name] = (home / "orders.json", content, before, _listing(home), per_command)
    return out


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_store_is_refused_by_every_command(batch: dict, name: str) -> None:
    _check_messages(name, _check_refused(*batch[name]))


@pytest.mark.parametrize("name", list(STORE_BUGS))
def test_hand_edited_store_with_wrong_types_is_refused(batch: dict, name: str) -> None:
    """Fails today: see "store bugs" in the report (schema.validate / read_json_file)."""
    _check_refused(*batch[name])


def _assert_refused(home: Path, content: bytes) -> dict[str, str]:
    """Each command as its own ``python -m orderctl`` process, all four at once."""
    db = home / "orders.json"
    db.write_bytes(content)
    before = _listing(home)
    results = {
        name: {"code": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
        for name, r in _run_all(home, COMMANDS).items()
    }
    return _check_refused(db, content, before, _listing(home), results)


@pytest.mark.parametrize("name", ["trailing-comma", "zero-bytes", "future-schema"])
def test_broken_store_is_refused_by_real_processes(tmp_path: Path, name: str) -> None:
    _check_messages(name, _assert_refused(tmp_path, BROKEN[name]))


def test_refusal_points_to_the_newest_backup(tmp_path: Path) -> None:
    assert _run(tmp_path, ["add", ORDER_ID, "--title", "First"]).returncode == 0
    assert _run(tmp_path, ["add", OTHER_ID, "--title", "Second"]).returncode == 0  # daily backup
    (backup,) = (tmp_path / "backups").iterdir()
    messages = _assert_refused(tmp_path, BROKEN["truncated"])
    for message in messages.values():
        assert str(backup) in message


def test_valid_store_passes_the_same_commands(tmp_path: Path) -> None:
    """The control case: the fixture builder itself produces a store every command accepts."""
    (tmp_path / "orders.json").write_bytes(VALID)
    results = _run_all(tmp_path, {k: v for k, v in COMMANDS.items() if k != "add"})
    for name, result in results.items():
        assert result.returncode == 0, f"{name}: {result.stderr}"
    assert _run(tmp_path, COMMANDS["add"]).returncode == 0


def test_corrupt_details_shard_is_refused_and_kept(tmp_path: Path) -> None:
    (tmp_path / "orders.json").write_bytes(VALID)
    shard = tmp_path / "details" / shard_name(ORDER_ID)
    shard.parent.mkdir()
    content = b'{"version": 1, "orders": {"' + ORDER_ID.encode() + b'": {"events": [{"ti'
    shard.write_bytes(content)
    before = _listing(tmp_path)
    results = _run_all(
        tmp_path,
        {
            "show": ["show", ORDER_ID, "--json"],
            "rm": ["rm", ORDER_ID, "--yes"],  # a write that must load the shard
            "list": ["list", "--json"],  # reads no shard: unaffected
        },
    )
    for name in ("show", "rm"):
        result = results[name]
        assert result.returncode == 7, f"{name}: exit {result.returncode}\n{result.stderr}"
        if name == "show":  # --json: the failure is one {"error": ...} document
            assert json.loads(result.stdout)["error"]["code"] == 7
        else:
            assert result.stdout == ""
        assert shard.name in _talk(result.stderr)
    assert results["list"].returncode == 0
    assert [o["order_id"] for o in json.loads(results["list"].stdout)] == [ORDER_ID, OTHER_ID]
    assert _listing(tmp_path) == before
