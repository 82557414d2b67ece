"""Offline is a state, not a retry loop (issue 12 §6), and identical failures are grouped."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.helpers.loopback import LoopbackServer
from tests.helpers.providers import CainiaoScript, SeventeenScript

IDS = [f"82084607859728{i:02d}" for i in range(3)]
NUMBERS = [f"LP0012345678901{i}" for i in range(3)]


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting fails at once, like a machine offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def add_all(cli) -> None:
    for order_id, number in zip(IDS, NUMBERS, strict=True):
        args = ["add", order_id, "--title", "Hub", "--shipped", "2026-11-02", "--tracking", number]
        assert cli(*args).exit_code == 0


@pytest.fixture
def cainiao(monkeypatch: pytest.MonkeyPatch) -> Iterator[CainiaoScript]:
    app = CainiaoScript()
    with LoopbackServer(app) as server:
        app.use(monkeypatch, server)
        yield app


def test_no_network_says_so_once_keeps_events_exits_5_and_hints(cli, cainiao, monkeypatch):
    add_all(cli)
    cainiao.records[NUMBERS[0]] = {
        "mailNo": NUMBERS[0],
        "detailList": [
            {"time": 1763629200000, "timeStr": "2025-11-20 17:00:00", "desc": "包裹已出库"}
        ],
    }
    assert cli("track").exit_code == 0
    stored = cli("show", IDS[0], "--json").json()["events"]
    assert len(stored) == 1

    monkeypatch.setenv("ORDERCTL_CAINIAO_URL", closed_port_url())
    result = cli("track", *IDS)

    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr.count("no network (") == 1
    assert "gave up after" not in result.stderr
    assert "--provider" in result.stderr
    assert "orderctl config set tracking.17track.token KEY" in result.stderr
    assert cli("show", IDS[0], "--json").json()["events"] == stored

    as_json = cli("track", *IDS, "--json")
    assert as_json.exit_code == 5
    assert all(row["error"].startswith("not refreshed: no network") for row in as_json.json())


def test_identical_failures_are_one_line_with_a_count(cli, monkeypatch):
    app = SeventeenScript()
    with LoopbackServer(app) as server:
        app.use(monkeypatch, server)
        add_all(cli)
        for number in NUMBERS:
            app.rejected[number] = (-18019910, "The carrier could not be detected.")
        result = cli("track")
    assert result.exit_code == 5
    assert result.stderr.count("carrier could not be detected") == 1
    assert "(3 orders: " in result.stderr
