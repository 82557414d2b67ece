"""demo: the whole flow on bundled sample data, offline, through the real commands.

Each step runs the same command a user would type, in-process, against a
throwaway home (or ``--home DIR``), with the clock pinned so the story reads
the same every time. The only thing swapped is the network: tracking
replays recorded 17TRACK responses through the real 17TRACK adapter.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from orderctl.cli import output
from orderctl.errors import InvalidInput, OperationFailed

DEMO_NOW = "2026-11-27T10:00:00Z"
SHIPPED_ORDER = "8208460785972844"


@dataclass
class Step:
    title: str
    args: list[str]
    why: str
    obj: dict[str, Any] | None = None
    expect: tuple[int, ...] = (0,)


def demo_data() -> Path:
    """The bundled sample files (package data, so this works from any directory)."""
    return Path(str(resources.files("orderctl.data").joinpath("demo")))


@contextmanager
def _environment(home: Path) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("ORDERCTL_HOME", "ORDERCTL_NOW")}
    os.environ["ORDERCTL_HOME"] = str(home)
    os.environ.setdefault("ORDERCTL_NOW", DEMO_NOW)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run(args: list[str], obj: dict[str, Any] | None) -> int:
    from orderctl.cli.app import app

    command = typer.main.get_command(app)
    code = command.main(args=args, prog_name="orderctl", standalone_mode=False, obj=obj or {})
    return code if isinstance(code, int) else 0


# Modules in orderctl/cli/demo_steps that add steps, in story order; each has steps(data).
# A new capability adds its module name here.
STEP_MODULES: tuple[str, ...] = ("tracking", "inspection", "confirmation", "disputes", "mail")


def _steps(data: Path) -> list[Step]:
    steps = [
        Step(
            "Import your orders",
            ["import", str(data / "orders.csv")],
            "Orders come from a CSV export (or `orderctl add`). Any bad row and nothing is "
            "imported; re-importing changes nothing.",
        ),
        Step("See the order book", ["list"], "Every order, its state and its next deadline."),
        Step(
            "Look at one order",
            ["show", SHIPPED_ORDER],
            "Items, deadlines with advice, and (after tracking) the parcel's timeline.",
        ),
        Step(
            "What is due",
            ["due"],
            "Every deadline that protects your money, grouped by order, soonest first. "
            "`--verbose` adds what to do; `--ics FILE` puts them in your calendar.",
        ),
    ]
    for extend in _extensions():
        steps += extend(data)
    return steps


def _extensions() -> list[Callable[[Path], list[Step]]]:
    """Later capabilities (tracking, inspection, confirmation, disputes) add their steps."""
    found: list[Callable[[Path], list[Step]]] = []
    for name in STEP_MODULES:
        try:
            module = __import__(f"orderctl.cli.demo_steps.{name}", fromlist=["steps"])
        except ModuleNotFoundError:
            continue
        found.append(module.steps)
    return found


DEMO_NAME = "Alex Example"


def _write_demo_config(home: Path) -> None:
    """Sign the demo's drafts (config.toml ``name``), as a user's own config would."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    config.write_text(f'name = "{DEMO_NAME}"\n', encoding="utf-8")
    config.chmod(0o600)


def _clock_text(now: str) -> str:
    """``2026-11-27 10:00 UTC`` from the pinned ISO time (as given when it does not parse)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
    except ValueError:
        return now
    zone = moment.tzname() or ""
    return f"{moment:%Y-%m-%d %H:%M} {'UTC' if zone in ('UTC', 'UTC+00:00') else zone}".strip()


def demo(
    home: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Run in this folder (must be empty or new) and keep it, instead of a temp "
            "folder that is removed at the end.",
        ),
    ] = None,
    keep: Annotated[
        bool,
        typer.Option("--keep", help="Keep the temp folder afterwards, to explore the results."),
    ] = False,
) -> None:
    """Run the whole flow on bundled sample orders, offline, narrating each step."""
    import shlex
    import shutil

    temporary = home is None
    if home is None:
        home = Path(tempfile.mkdtemp(prefix="orderctl-demo-"))
    elif home.exists() and any(home.iterdir()):
        raise InvalidInput(
            f"--home {home} is not empty; the demo only writes into an empty or new folder"
        )
    home = home.absolute()
    _write_demo_config(home)
    data = demo_data()
    steps = _steps(data)
    now = os.environ.get("ORDERCTL_NOW") or DEMO_NOW
    env = f"ORDERCTL_HOME={shlex.quote(str(home))} ORDERCTL_NOW={shlex.quote(now)}"
    output.say(f"orderctl demo: sample data, offline, in {home}", style="bold")
    output.say(
        f"The demo's clock is fixed at {_clock_text(now)}, so its deadlines and "
        '"days left" read the same on any day.'
    )
    if temporary and not keep:
        output.say("The folder is removed at the end (--keep or --home DIR keeps it).")
    else:
        output.say(f"To run the commands below on the demo's data yourself: export {env}")
    try:
        with _environment(home):
            for number, step in enumerate(steps, start=1):
                output.say("")
                output.say(f"Step {number}/{len(steps)}: {step.title}", style="bold cyan")
                output.say(f"  $ {shlex.join(['orderctl', *step.args])}")
                output.say(f"  {step.why}")
                code = _run(step.args, step.obj)
                if code not in step.expect:
                    raise OperationFailed(
                        f"demo step {number} ({step.title}) exited with {code}",
                        hint=f"Home: {home}" if keep or not temporary else None,
                    )
    finally:
        if temporary and not keep:
            shutil.rmtree(home, ignore_errors=True)
    output.say("")
    if temporary and not keep:
        output.say(
            "Done. The demo's folder was removed; `orderctl demo --keep` keeps it to explore.",
            style="bold",
        )
    else:
        output.say(f"Done. Explore the demo data with: {env} orderctl list", style="bold")


def register(app: typer.Typer) -> None:
    app.command()(demo)
