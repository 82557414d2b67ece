"""The cycle collector is paused only while the book is read, and always switched back on."""

from __future__ import annotations

import gc

import pytest

from orderctl.store.gc_pause import collector_paused


def test_paused_inside_and_back_on_after_even_on_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner exit must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a corrupt book")
    assert gc.isenabled()


def test_left_off_when_the_caller_had_it_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_store_reads_with_the_collector_paused(tmp_path, monkeypatch):
    from orderctl.paths import Paths
    from orderctl.store import schema
    from orderctl.store.repository import OrderStore

    seen: list[bool] = []
    real = schema.validate
    monkeypatch.setattr(schema, "validate", lambda raw: seen.append(gc.isenabled()) or real(raw))
    store = OrderStore(Paths(tmp_path))
    store.orders()
    assert seen == [False] and gc.isenabled()
