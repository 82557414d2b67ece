"""Types and helpers every importer shares: row errors, the batch, CSV records.

Line numbers are the ones an editor shows: the header is line 1, and a row
whose quoted field spans several lines is reported at the line where it
starts, so "line 4" always points at the start of the offending record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from orderctl.domain.models import Order
from orderctl.errors import InvalidInput

T = TypeVar("T")

FORMAT_GENERIC_CSV = "generic-csv"
FORMAT_SHOPPER_INVENTORY = "shopper-inventory-csv"
FORMAT_JSON = "orderctl-json"


@dataclass(frozen=True)
class RowError:
    """One problem in one row: the row is not imported."""

    line: int
    field: str | None
    message: str
    order_id: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, {self.field}" if self.field else f"line {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowWarning(RowError):
    """Something odd that did not stop the row from being imported."""


@dataclass
class ImportBatch:
    """What one file yielded.

    ``orders`` holds only valid orders; ``errors`` says what was left out and
    why. Whether to import the valid part of a file with errors is the
    service's decision, not the parser's. ``details`` carries what a JSON
    export kept inline per order id (tracking ``events``, ``inspections``
    history...); ``lines`` maps each order id to the line its record starts
    on, so later checks (e.g. "already in the store") can point at the file.
    """

    format: str
    orders: list[Order] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def raise_for_errors(self, source: str) -> None:
        """Raise ``InvalidInput`` listing every row error, if there are any."""
        if self.errors:
            count = len(self.errors)
            raise InvalidInput(
                f"{source}: {count} problem{'s' if count != 1 else ''} found; nothing was imported",
                hint="Fix the rows listed above, or import the good ones with --skip-invalid.",
                details=[str(e) for e in self.errors],
            )


class RowProblems:
    """Collects a row's errors and warnings so one bad cell does not hide the next."""

    def __init__(self, line: int, order_id: str | None = None) -> None:
        self.line = line
        self.order_id = order_id
        self.errors: list[RowError] = []
        self.warnings: list[RowWarning] = []

    def error(self, field_name: str | None, message: str) -> None:
        self.errors.append(RowError(self.line, field_name, message, self.order_id))

    def warn(self, field_name: str | None, message: str) -> None:
        self.warnings.append(RowWarning(self.line, field_name, message, self.order_id))

    def parse(self, field_name: str, parser: Callable[..., T], text: str, *args: Any) -> T | None:
        """``parser(text, *args)``, or ``None`` for an empty cell or a recorded error."""
        if not text:
            return None
        try:
            return parser(text, *args)
        except ValueError as exc:
            self.error(field_name, str(exc))
            return None


def csv_records(text: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Yield ``(start line, cells, None)`` per record or ``(line, None, message)`` on bad CSV.

    Blank records (an empty line, or only empty cells as spreadsheets leave
    them) are skipped. ``strict`` parsing turns a stray quote into an error
    instead of a silently merged field.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield previous + 1, None, f"malformed CSV: {exc}"
            if reader.line_num == previous:  # no progress: stop rather than loop
                return
            previous = reader.line_num
            continue
        start, previous = previous + 1, reader.line_num
        if any(cell.strip() for cell in row):
            yield start, row, None


def exact_unit_price(total: Decimal | None, quantity: int) -> Decimal | None:
    """``total / quantity`` when it divides to at most two decimals, else ``None``.

    An order file gives the price paid for the whole line; the unit price is
    only recorded when it is exact, never a rounded guess.
    """
    if total is None:
        return None
    if quantity == 1:
        return total
    unit = total / quantity
    exponent = unit.as_tuple().exponent
    if unit * quantity == total and isinstance(exponent, int) and exponent >= -2:
        return unit
    return None
