"""One module per group of commands; each exposes ``register(app)``.

``COMMANDS`` maps every command to its module so that a run of one command
imports and builds only that module's commands: turning all of them into
Click commands costs more start-up time than the command itself usually takes.
"""

from __future__ import annotations

import importlib

import typer

_PACKAGE = "orderctl.cli.commands"

# In the order a buyer meets them; `orderctl --help` lists them this way.
COMMANDS: dict[str, str] = {
    "demo": "demo",
    "add": "orders",
    "list": "orders",
    "show": "orders",
    "edit": "orders",
    "rm": "orders",
    "import": "transfer",
    "export": "transfer",
    "due": "due",
    "track": "tracking",
    "checklists": "inspection",
    "inspect": "inspection",
    "evidence": "evidence",
    "confirm": "confirmation",
    "feedback": "confirmation",
    "note": "disputes",
    "contact": "disputes",
    "dispute": "disputes",
    "dispute-progress": "disputes",
    "verify": "disputes",
    "carrier": "carrier",
    "paths": "paths",
    "notify": "notify",
    "schedule": "schedule",
    "config": "config",
    "policies": "policies",
}


def register_all(app: typer.Typer) -> None:
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"{_PACKAGE}.{module}").register(app)


def register_for(app: typer.Typer, command: str) -> bool:
    """Register only the module that holds ``command``; False if no module does."""
    module = COMMANDS.get(command)
    if module is None:
        return False
    importlib.import_module(f"{_PACKAGE}.{module}").register(app)
    return True
