"""Schema versions, validation on load, and the migration registry.

TinyDB validates nothing, so orderctl checks the shape of everything it
reads and refuses anything it does not understand instead of "repairing" it.
A file without ``_meta`` but with orders is a version-0 file (the layout
before versioning); migrations are pure functions from one version's raw
document to the next, applied in order in memory and written once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orderctl.domain.models import Order

SCHEMA_VERSION = 1
META_TABLE = "_meta"
ORDERS_TABLE = "orders"
PROVIDERS_TABLE = "providers"
KNOWN_TABLES = (META_TABLE, ORDERS_TABLE, PROVIDERS_TABLE)

Raw = dict[str, dict[str, Any]]


class SchemaProblem(Exception):
    """The document's shape is wrong; the message says where."""


class FutureSchema(Exception):
    """Written by a newer orderctl."""

    def __init__(self, version: int):
        super().__init__(f"schema version {version}")
        self.version = version


def schema_version(raw: Raw) -> int:
    """The stored version; 0 for a pre-versioning file."""
    meta = raw.get(META_TABLE)
    if not meta:
        return 0
    if not isinstance(meta, dict) or len(meta) != 1:
        raise SchemaProblem("the _meta table must hold exactly one document")
    (doc,) = meta.values()
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SchemaProblem("_meta.schema_version is missing or not a positive integer")
    return version


def validate(raw: Raw) -> dict[str, tuple[str, Order]]:
    """Check every table and order document; raise SchemaProblem naming the first bad spot.

    Returns ``{order_id: (doc_id, Order)}`` so callers parse each document once.
    """
    for table_name, table in raw.items():
        if table_name not in KNOWN_TABLES:
            raise SchemaProblem(f"unknown table {table_name!r}")
        if not isinstance(table, dict):
            raise SchemaProblem(f"table {table_name!r} is not an object")
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit()):
                raise SchemaProblem(f"table {table_name!r}: document id {doc_id!r} is not a number")
            if not isinstance(doc, dict):
                raise SchemaProblem(f"table {table_name!r}, document {doc_id}: not an object")
    seen: dict[str, tuple[str, Order]] = {}
    for doc_id, doc in raw.get(ORDERS_TABLE, {}).items():
        try:
            order = Order.from_dict(doc)
        except (KeyError, ValueError, TypeError, ArithmeticError, AttributeError) as exc:
            raise SchemaProblem(f"order document {doc_id}: {exc}") from None
        if order.order_id in seen:
            first = seen[order.order_id][0]
            raise SchemaProblem(
                f"order {order.order_id} appears twice (documents {first} and {doc_id})"
            )
        seen[order.order_id] = (doc_id, order)
    return seen


def _v0_to_v1(raw: Raw) -> Raw:
    """Version 0 kept orders without items or state; give each its first item and a state."""
    orders = {}
    for doc_id, doc in raw.get(ORDERS_TABLE, {}).items():
        doc = dict(doc)
        doc.setdefault("platform", "aliexpress")
        if not doc.get("items"):
            doc["items"] = [{"title": doc.get("title", ""), "quantity": doc.get("quantity", 1)}]
        if "state" not in doc:
            doc["state"] = "shipped" if doc.get("tracking_number") else "ordered"
        orders[doc_id] = doc
    out = {k: v for k, v in raw.items() if k != META_TABLE}
    out[ORDERS_TABLE] = orders
    return out


MIGRATIONS: dict[int, Callable[[Raw], Raw]] = {0: _v0_to_v1}


def migrate(raw: Raw, from_version: int) -> Raw:
    """Apply every migration from ``from_version`` up to SCHEMA_VERSION (pure)."""
    if from_version > SCHEMA_VERSION:
        raise FutureSchema(from_version)
    for version in range(from_version, SCHEMA_VERSION):
        raw = MIGRATIONS[version](raw)
    return raw


def meta_document(app_version: str, created: str) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "app_version": app_version, "created": created}
