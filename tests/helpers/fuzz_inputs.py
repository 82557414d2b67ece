"""Fuzzing the importers and the answers parser through the real CLI.

Shared by the bounded CI tests (``tests/property/test_fuzz_inputs.py``) and
the long run (``benchmarks/fuzz_inputs.py``). Inputs start from recorded
valid samples (``tests/data``, ``examples``) and are mutated byte-wise and
token-wise with what hostile files contain: far dates, huge numbers, formula
cells, control characters, path escapes, broken quoting, truncation.

Every case runs ``orderctl`` in-process against a fresh copy of a small home
and is judged by :func:`judge`: no traceback, an exit code in the documented
set, and the store byte-identical whenever the command refused.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

IMPORT_SEEDS: dict[str, bytes] = {
    path.name: path.read_bytes()
    for path in [
        DATA / "imports" / "generic_valid.csv",
        DATA / "imports" / "export_valid.json",  # `export --format json` of examples/
        DATA / "imports" / "shopper_inventory.csv",
        ROOT / "examples" / "orders.csv",
        ROOT / "examples" / "shopper-inventory.csv",
    ]
}
ANSWER_SEEDS: dict[str, bytes] = {
    path.name: path.read_bytes()
    for path in [
        DATA / "answers" / "generic-complete.toml",
        DATA / "answers" / "generic-complete.json",
    ]
}

#: What hostile files put in cells: every case of issue 9 and its neighbours.
HOSTILE_TOKENS: list[bytes] = [
    b"9999-12-31",
    b"0001-01-01",
    b"1989-12-31",
    b"2999-02-29",
    b"1e999999999",
    b"1E+400",
    b"-1",
    b"NaN",
    b"Infinity",
    b"99999999999999999999",
    b"1,234,567,890,123.45",
    b'=HYPERLINK("http://x","y")',
    b"+cmd|' /C calc'!A0",
    b"@SUM(1)",
    b"\t=1+1",
    b"\x1b]0;pwned\x07",
    b"\x1b[2J",
    b"\x00",
    b"\xff\xfe",
    b"../../../../../etc/passwd",
    b"/etc/passwd",
    b"~/.ssh/id_rsa",
    b'"',
    b'""',
    b",",
    b"\r\n",
    b"\n",
    b"[",
    b"]",
    b"{",
    b"}",
    b"null",
    b"true",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"\xef\xbb\xbf",
    "ｆｕｌｌｗｉｄｔｈ".encode(),
    b"\xe2\x80\xae",  # right-to-left override
    b"A" * 300,
]

#: Values that parse as a date or a number but are absurd: what gets past a parser.
VALUE_TOKENS: list[bytes] = [
    b"9999-12-31",
    b"0001-01-01",
    b"1900-01-01",
    b"2100-01-01",
    b"1e999999999",
    b"999999999999.99",
    b"0.001",
    b"100000",
    b"=1+1",
    b"-1",
]

#: Exit codes a command may end with (README): anything else is a finding.
IMPORT_EXITS = frozenset({0, 2})
INSPECT_EXITS = frozenset({0, 2, 6})


@st.composite
def mutated(draw: st.DrawFn, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    """A seed with up to six mutations: byte flips, deletions, hostile splices, truncation."""
    name = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[name])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(
            st.sampled_from(["flip", "delete", "insert", "replace", "truncate", "dup", "field"])
        )
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "field":
            data = bytearray(_replace_field(bytes(data), draw))
        elif op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 16))]
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from(HOSTILE_TOKENS))
        elif op == "replace" and data:
            token = draw(st.sampled_from(HOSTILE_TOKENS))
            data[pos : pos + len(token)] = token
        elif op == "truncate":
            del data[pos:]
        elif op == "dup" and data:
            end = min(len(data), pos + draw(st.integers(1, 200)))
            data[pos:pos] = data[pos:end]
    return name, bytes(data)


@st.composite
def hostile_values(draw: st.DrawFn, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    """A seed, well-formed, with one to three whole values swapped for hostile ones."""
    name = draw(st.sampled_from(sorted(seeds)))
    data = seeds[name]
    for _ in range(draw(st.integers(1, 3))):
        data = _replace_field(data, draw)
    return name, data


_JSON_VALUE = re.compile(rb'"([A-Za-z_]+)": ("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*)')


def _datelike(name: bytes) -> bool:
    return name.endswith(b"_at") or b"date" in name.lower()


def _replace_field(data: bytes, draw: st.DrawFn) -> bytes:
    """Swap one whole value (a CSV cell, or a JSON string/number) for a hostile token.

    Byte noise rarely survives parsing; a well-formed file with one hostile value
    is what reaches the code behind the parser (deadlines, exports, the store).
    Half the time the value is a date field and the token a date: those feed the
    deadline arithmetic, where one bad value used to take the whole book down.
    """
    dates_only = draw(st.booleans())
    if dates_only:
        token = draw(st.sampled_from(VALUE_TOKENS[:4]))
    else:
        token = draw(st.sampled_from(VALUE_TOKENS) | st.sampled_from(HOSTILE_TOKENS))
    if data.lstrip()[:1] in (b"[", b"{"):
        matches = [m for m in _JSON_VALUE.finditer(data) if not dates_only or _datelike(m[1])]
        if not matches:
            return data
        m = matches[draw(st.integers(0, len(matches) - 1))]
        quoted = json.dumps(token.decode("utf-8", "replace")).encode()
        return data[: m.start(2)] + quoted + data[m.end(2) :]
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    header = lines[0].split(b",")
    row = draw(st.integers(1, len(lines) - 1))
    cells = lines[row].split(b",")
    columns = [
        c
        for c in range(len(cells))
        if not dates_only or _datelike(header[c : c + 1][0] if c < len(header) else b"")
    ]
    if not columns:
        return data
    col = columns[draw(st.integers(0, len(columns) - 1))]
    cells[col] = b'"' + token.replace(b'"', b'""') + b'"'
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def random_bytes() -> st.SearchStrategy[bytes]:
    """Unstructured input: raw bytes and JSON/CSV-ish text."""
    return st.binary(max_size=400) | st.text(
        st.sampled_from(list('[]{}",:0123456789.-eE \n\t\r=+@abcdefghijklmnopqrstuvwxyz_')),
        max_size=300,
    ).map(str.encode)


@dataclass
class Finding:
    """A case that broke a promise."""

    kind: str
    exit_code: int
    detail: str
    data: bytes


def snapshot(home: Path) -> dict[str, bytes]:
    """The store's files (derived caches and the lock excluded)."""
    return {
        p.relative_to(home).as_posix(): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and "cache" not in p.parts and not p.name.endswith((".lock", ".owner"))
    }


class Sandbox:
    """A template home (the answers samples' order) copied fresh for every case.

    The import samples' ids are not in it, so a mutated file that still parses is
    imported and the book is then read back (``list``, ``due``, ``export``).
    """

    def __init__(self, runner: CliRunner | None = None) -> None:
        from orderctl.cli.app import app

        self.app = app
        self.runner = runner or CliRunner()
        self._dir = Path(tempfile.mkdtemp(prefix="orderctl-fuzz-"))
        self.template = self._dir / "template"
        env = self.env(self.template)
        self.last_exit_code: int | None = None
        self.answers_order = "8123456789012345"  # the samples' order_id
        result = self.runner.invoke(
            self.app,
            ["add", self.answers_order, "--title", "mug", "--delivered", "2026-11-20"],
            env=env,
        )
        assert result.exit_code == 0, result.output
        # Real media next to the answers files (the samples' evidence names).
        from tests.helpers.images import make_jpeg, mp4_bytes

        answers = self._dir / "answers"
        (answers / "photos").mkdir(parents=True)
        (answers / "videos").mkdir()
        make_jpeg(answers / "photos" / "scratch.jpg")
        make_jpeg(answers / "photos" / "label.jpg", color=(10, 200, 10))
        (answers / "videos" / "unboxing.mp4").write_bytes(mp4_bytes())

    @staticmethod
    def env(home: Path) -> dict[str, str]:
        return {
            "ORDERCTL_HOME": str(home),
            "ORDERCTL_NOW": "2026-11-28T12:00:00Z",
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "TERM": "dumb",
        }

    def fresh_home(self) -> Path:
        home = Path(tempfile.mkdtemp(prefix="case-", dir=self._dir))
        shutil.rmtree(home)
        shutil.copytree(self.template, home)
        return home

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def run(
        self, args: Callable[[Path], list[str]], data: bytes, name: str, allowed: frozenset[int]
    ) -> Finding | None:
        """Write ``data`` as ``name``, run ``args(path)`` on a fresh home, judge the result."""
        home = self.fresh_home()
        folder = self._dir / "answers" if name.endswith((".toml", ".json")) else self._dir
        path = folder / f"fuzz-{home.name}-{name}"
        path.write_bytes(data)
        try:
            before = snapshot(home)
            result = self.runner.invoke(self.app, args(path), env=self.env(home))
            self.last_exit_code = result.exit_code
            return judge(result, allowed, before, home, data)
        finally:
            path.unlink(missing_ok=True)
            shutil.rmtree(home, ignore_errors=True)

    def import_case(self, name: str, data: bytes) -> Finding | None:
        return self.run(lambda p: ["import", str(p), "--json"], data, name, IMPORT_EXITS)

    def answers_case(self, name: str, data: bytes) -> Finding | None:
        order = self.answers_order
        return self.run(
            lambda p: ["--no-input", "inspect", order, "--answers", str(p), "--json"],
            data,
            name,
            INSPECT_EXITS,
        )


def judge(
    result, allowed: frozenset[int], before: dict[str, bytes], home: Path, data: bytes
) -> Finding | None:
    """No traceback, a documented exit code, nothing written on refusal, a readable book after."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        return Finding("traceback", result.exit_code, f"{type(exc).__name__}: {exc}"[:300], data)
    if result.exit_code not in allowed:
        return Finding("exit code", result.exit_code, result.output[-300:], data)
    if result.exit_code != 0 and snapshot(home) != before:
        return Finding("store changed on refusal", result.exit_code, result.output[-300:], data)
    if result.exit_code == 0:
        from orderctl.cli.app import app

        runner = CliRunner()
        for args in (["list", "--json"], ["due", "--json"], ["export", "--format", "csv"]):
            after = runner.invoke(app, args, env=Sandbox.env(home))
            crashed = after.exception is not None and not isinstance(after.exception, SystemExit)
            if after.exit_code != 0 or crashed:
                detail = f"{' '.join(args)} exit {after.exit_code}: {after.exception!r}"
                return Finding("book unreadable after import", after.exit_code, detail, data)
    return None
