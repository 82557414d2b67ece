"""Loading the order book without pauses of Python's cycle collector.

Reading a large book makes hundreds of thousands of small objects (orders,
their items, notes, history entries) and no reference cycles. Each batch of
new objects triggers the cyclic garbage collector, which walks every object
alive, so the load time grows with the square of the book. Measured on a
10,000-order book with eight history entries per order: a cold ``list --json``
takes 2.1 s with the collector running and 1.2 s with it paused while the book
is read (``benchmarks/bench_list.py --history 8``). It is switched back on
afterwards, so nothing is leaked: anything unreachable is freed at the next
collection.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for a bulk load (nested uses are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["collector_paused"]
