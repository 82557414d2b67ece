"""Subprocess workers for the store reliability tests (crash, concurrency, lock, disk full).

Run as a script with the venv's interpreter, e.g.::

    python tests/helpers/store_workers.py hold-lock HOME

Every worker works on a real orderctl home through the real store code
(``OrderStore`` transactions or the service layer); nothing is mocked. The
pure helpers (:func:`crash_target`, :data:`MARKER`) are imported by the tests
too, so the parent can check that a file holds exactly a state a writer wrote.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
MARKER = "8199999999999999"  # the crash writer's bookkeeping order: title "seq N"
FIRST_ID = 8100000000000000


# -- the crash writer's deterministic states ------------------------------------------------------


def crash_target(seq: int) -> dict[str, str]:
    """Order id -> title the crash writer stores in its ``seq``-th committed state.

    Even states are big (150-270 orders with long titles), odd ones small (1-4 orders), so
    the writer alternately adds, deletes and (every third state, new titles) edits orders.
    """
    if seq <= 0:
        return {}
    count = 150 + (seq % 7) * 20 if seq % 2 == 0 else 1 + seq % 4
    revision = seq // 3
    return {
        str(FIRST_ID + k): f"item {k} rev {revision} " + "x" * (40 + (k * 7) % 200)
        for k in range(count)
    }


def marker_seq(title: str) -> int:
    return int(title.split()[1])


def marker_event(seq: int) -> dict[str, str | None]:
    return {
        "time": "2026-11-28T12:00:00",
        "time_utc": "2026-11-28T12:00:00Z",
        "status": "in_transit",
        "description": f"seq {seq}",
        "location": None,
        "provider": "crash-test",
        "detail": None,
    }


def _crash_writer(home: Path, log_path: Path) -> None:
    """Loop forever: move the store from state N to state N+1 in one transaction."""
    from orderctl.domain.models import Order
    from orderctl.paths import Paths
    from orderctl.store.repository import OrderStore

    store = OrderStore(Paths(home), lock_timeout=30)
    with open(log_path, "a", encoding="ascii") as log:
        while True:
            with store.transaction(NOW) as txn:
                marker = txn.find(MARKER)
                seq = marker_seq(marker.title) + 1 if marker else 1
                target = crash_target(seq)
                for order in txn.orders():
                    if order.order_id != MARKER and order.order_id not in target:
                        txn.delete(order.order_id)
                for order_id, title in target.items():
                    current = txn.find(order_id)
                    if current is None or current.title != title:
                        txn.put(Order(order_id=order_id, title=title))
                txn.put(Order(order_id=MARKER, title=f"seq {seq}"))
                txn.set_details(MARKER, {"events": [marker_event(seq)]})
            log.write(f"{seq}\n")
            log.flush()


def zygote(home: str, log_path: str) -> None:
    """A fork server: imports orderctl once, then forks a crash writer per ``fork`` line.

    Protocol on stdin/stdout, one line each: ``fork`` -> child pid; ``reap PID`` -> the raw
    wait status; ``quit``. The parent SIGKILLs the children itself. Forking from a warm
    process lets the parent kill a writer every few milliseconds instead of paying
    interpreter start-up for every kill.
    """
    import filelock  # noqa: F401  (warm: store_lock imports it lazily)

    import orderctl.store.repository  # noqa: F401

    for line in sys.stdin:
        command, *args = line.split()
        if command == "fork":
            pid = os.fork()
            if pid == 0:  # the writer
                try:
                    _crash_writer(Path(home), Path(log_path))
                except BaseException:
                    traceback.print_exc()
                    sys.stderr.flush()
                    os._exit(1)
                os._exit(0)
            print(pid, flush=True)
        elif command == "reap":
            _, status = os.waitpid(int(args[0]), 0)
            print(status, flush=True)
        elif command == "quit":
            return


# -- lock holder ----------------------------------------------------------------------------------


def hold_lock(home: str, seconds: str = "120") -> None:
    """Hold the store lock, say so on stdout, and sleep (the test SIGKILLs us)."""
    from orderctl.paths import Paths
    from orderctl.store.lock import store_lock

    with store_lock(Paths(Path(home)).lock, timeout=10):
        print(f"locked {os.getpid()}", flush=True)
        time.sleep(float(seconds))


# -- concurrent read-modify-write -----------------------------------------------------------------


COUNTER = "8177777777777777"


def increment(home: str, times: str) -> None:
    """Read the counter order's title, add one, write it back: ``times`` transactions."""
    from orderctl.domain.models import Order
    from orderctl.paths import Paths
    from orderctl.store.repository import OrderStore

    store = OrderStore(Paths(Path(home)), lock_timeout=60)
    for _ in range(int(times)):
        with store.transaction(NOW) as txn:
            order = txn.find(COUNTER)
            value = int(order.title.split()[1]) if order else 0
            txn.put(Order(order_id=COUNTER, title=f"count {value + 1}"))


def add_service(home: str, prefix: str, count: str) -> None:
    """Add ``count`` orders one command at a time through the service layer."""
    from orderctl.services.context import AppContext
    from orderctl.services.orders.book import add_order

    env = {"ORDERCTL_HOME": home, "ORDERCTL_NOW": NOW.isoformat(), "ORDERCTL_LOCK_TIMEOUT": "60"}
    for i in range(int(count)):
        order_id = f"{prefix}{i:04d}"
        add_order(AppContext.from_env(env), order_id, {"title": f"service order {order_id}"})


def cli_add(home: str, worker: str, count: str) -> None:
    """Run the real CLI entry point ``count`` times in this process: ``orderctl add ...``.

    One interpreter start per worker instead of per command keeps a 4 x 25 race fast on
    two cores, while every add still goes through argument parsing, the error boundary
    and its own AppContext and transaction. Exits non-zero on the first failed add.
    """
    from orderctl.cli.app import main

    os.environ.update(ORDERCTL_HOME=home, ORDERCTL_NOW=NOW.isoformat(), ORDERCTL_LOCK_TIMEOUT="60")
    for n in range(int(count)):
        order_id = cli_order_id(int(worker), n)
        sys.argv = ["orderctl", "add", order_id, "--title", f"w{worker} #{n}"]
        try:
            main()
        except SystemExit as exc:
            if exc.code not in (0, None):
                sys.exit(f"orderctl add {order_id} exited {exc.code}")


def cli_batch() -> None:
    """Run many CLI invocations in this one process, as a script would run them one by one.

    stdin: a JSON list of ``{"home": ..., "args": [...]}``; stdout: a JSON list of
    ``{"code", "stdout", "stderr"}``. Each run gets fresh streams, ``sys.argv`` and
    ``ORDERCTL_HOME``, and goes through the real entry point and error boundary; an
    exception escaping it counts as exit 1 with its traceback on stderr, as it would
    in a fresh interpreter.
    """
    import io

    from orderctl.cli.app import main

    runs = json.load(sys.stdin)
    real_stdout, real_stderr = sys.stdout, sys.stderr
    results = []
    for run in runs:
        os.environ["ORDERCTL_HOME"] = run["home"]
        out, err = io.StringIO(), io.StringIO()
        sys.stdout, sys.stderr = out, err
        sys.argv = ["orderctl", *run["args"]]
        code: object = 0
        try:
            main()
        except SystemExit as exc:
            code = 0 if exc.code is None else exc.code
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
        if not isinstance(code, int):  # sys.exit("message")
            err.write(f"{code}\n")
            code = 1
        results.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
    json.dump(results, real_stdout)


def cli_order_id(worker: int, n: int) -> str:
    """A 16-digit AliExpress-style order number, distinct per worker and n."""
    return f"81{worker:02d}{n:012d}"


# -- disk full ------------------------------------------------------------------------------------


def disk_full(home: str, orders: str, title_size: str) -> None:
    """Cap file size just above the current index, then try a transaction that grows it.

    Prints one JSON line: ``{"outcome": "ok"}`` or the exception's type and errno.
    """
    import resource

    from orderctl.domain.models import Order
    from orderctl.paths import Paths
    from orderctl.store.repository import OrderStore

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    paths = Paths(Path(home))
    limit = paths.db.stat().st_size + 4096
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    store = OrderStore(paths, lock_timeout=10)
    try:
        with store.transaction(NOW) as txn:
            for k in range(int(orders)):
                order_id = str(8155000000000000 + k)
                txn.put(Order(order_id=order_id, title=f"big {k} " + "y" * int(title_size)))
    except Exception as exc:
        err = getattr(exc, "errno", None)
        print(
            json.dumps(
                {
                    "outcome": "error",
                    "type": type(exc).__name__,
                    "errno": err,
                    "efbig": err == errno.EFBIG,
                    "message": str(exc),
                    "limit": limit,
                }
            ),
            flush=True,
        )
        return
    print(json.dumps({"outcome": "ok", "limit": limit}), flush=True)


def limit_file_size(limit: int) -> None:
    """``preexec_fn`` for CLI runs under a file-size cap (SIGXFSZ ignored: EFBIG instead)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))


COMMANDS = {
    "zygote": zygote,
    "hold-lock": hold_lock,
    "increment": increment,
    "add-service": add_service,
    "cli-add": cli_add,
    "cli-batch": cli_batch,
    "disk-full": disk_full,
}


if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
