"""Mail import on a large generated mbox: header-pass speed and peak memory.

Generates an mbox of ``--messages`` messages (default 50,000) and about
``--size-mb`` MB (default 2048), of which ``--order-mails`` (default 2,000)
are order and shipping mails from the test corpus (with unique Message-IDs),
the rest newsletters and private mail with bulky bodies. Then, each in a
fresh process:

1. the header pass alone (stream the mbox, parse headers, decide what to read);
2. ``orderctl import FILE --dry-run --json`` (header pass, decoding and
   recognising the order mails, merging in memory).

Reports messages/s and peak resident memory (ru_maxrss of the child).
Targets: header pass >= 2,000 messages/s; peak memory < 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, save_result

from tests.helpers.mail import corpus_files

HEADER_PASS = """
import sys, time
from orderctl.domain.mail import header_candidate
from orderctl.mailbox.files import MboxSource
start = time.perf_counter()
seen = wanted = 0
for _, headers, data in MboxSource(__import__("pathlib").Path(sys.argv[1])).messages(
    lambda h: header_candidate(h.sender, h.subject)
):
    seen += 1
    wanted += data is not None
print(seen, wanted, time.perf_counter() - start)
print("PEAK_KB", __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss,
      file=sys.stderr)
"""
# Runs orderctl in this process and reports its own peak memory on stderr's last line.
WITH_PEAK = """
import resource, runpy, sys
sys.argv = ["orderctl", *sys.argv[1:]]
try:
    runpy.run_module("orderctl", run_name="__main__")
finally:
    print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

WORDS = [
    *("weekly", "digest", "offers", "meeting", "notes", "holiday", "photos", "invoice"),
    *("reminder", "newsletter", "update", "community", "garden", "report", "minutes"),
    *("agenda", "family", "recipe", "travel", "plans"),
]


def _filler(rng: random.Random, number: int, body_bytes: int) -> bytes:
    subject = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
    sender = rng.choice(["news@example.com", "friend@example.net", "club@example.org"])
    head = (
        f"From: {sender}\nTo: alex.buyer@example.org\nSubject: {subject}\n"
        f"Date: Mon, 02 Nov 2026 10:{number % 60:02d}:00 +0000\n"
        f"Message-ID: <filler-{number}@bench.orderctl.test>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
    ).encode()
    line = (" ".join(rng.choice(WORDS) for _ in range(12)) + "\n").encode()
    return head + line * max(1, body_bytes // len(line))


def generate(path: Path, messages: int, order_mails: int, size_mb: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    corpus = [p.read_bytes().replace(b"\r\n", b"\n") for p in corpus_files()]
    orders = set(rng.sample(range(messages), order_mails))
    body_bytes = max(200, size_mb * 1024 * 1024 // messages - 400)
    with path.open("wb") as out:
        for number in range(messages):
            if number in orders:
                data = corpus[number % len(corpus)].replace(
                    b"@corpus.orderctl.test>", f"-{number}@corpus.orderctl.test>".encode()
                )
            else:
                data = _filler(rng, number, body_bytes)
            data = data.replace(b"\nFrom ", b"\n>From ")
            out.write(b"From bench@example.org Mon Nov  2 10:00:00 2026\n" + data + b"\n")
    return path.stat().st_size


def run_child(args: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """(stdout, seconds, peak MB of the child, as it reports it)."""
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - start
    peak_kb = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    return done.stdout, seconds, int(peak_kb[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--order-mails", type=int, default=2_000)
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--dir", type=Path, default=None, help="where to write the mbox")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="orderctl-bench-mail-", dir=options.dir))
    box = folder / "bench.mbox"
    try:
        start = time.perf_counter()
        size = generate(box, options.messages, options.order_mails, options.size_mb)
        generated = time.perf_counter() - start
        env = dict(os.environ, ORDERCTL_HOME=str(folder / "home"), NO_COLOR="1")
        env.setdefault("ORDERCTL_NOW", "2026-11-28T12:00:00Z")
        out, seconds, peak = run_child([sys.executable, "-c", HEADER_PASS, str(box)], env)
        seen, wanted, inner = out.split()
        header = {
            "messages": int(seen),
            "read_in_full": int(wanted),
            "seconds": round(float(inner), 2),
            "messages_per_second": round(int(seen) / float(inner)),
            "peak_mb": round(peak, 1),
        }
        out, seconds, peak = run_child(
            [sys.executable, "-c", WITH_PEAK, "import", str(box), "--dry-run", "--json"], env
        )
        report = json.loads(out)
        full = {
            "messages_seen": report["messages_seen"],
            "messages_matched": report["messages_matched"],
            "seconds": round(seconds, 2),
            "messages_per_second": round(report["messages_seen"] / seconds),
            "peak_mb": round(peak, 1),
        }
    finally:
        for child in sorted(folder.rglob("*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
        folder.rmdir()
    result = {
        "machine": machine(),
        "mbox_bytes": size,
        "generate_seconds": round(generated, 1),
        "header_pass": header,
        "import_dry_run": full,
        "targets": {"header_pass_messages_per_second": 2000, "peak_mb": 200},
    }
    print(json.dumps(result, indent=2))
    save_result("mail", result)


if __name__ == "__main__":
    main()
