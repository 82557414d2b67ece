"""One module per group of commands; each exposes ``register(app)``."""

from __future__ import annotations

import importlib

import typer

# In the order a buyer meets them; `orderctl --help` lists them this way.
MODULES = (
    "orderctl.cli.commands.demo",
    "orderctl.cli.commands.orders",
    "orderctl.cli.commands.transfer",
    "orderctl.cli.commands.due",
    "orderctl.cli.commands.tracking",
    "orderctl.cli.commands.inspection",
    "orderctl.cli.commands.confirmation",
    "orderctl.cli.commands.disputes",
    "orderctl.cli.commands.misc",
)


def register_all(app: typer.Typer) -> None:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # capability not built yet
        module.register(app)
