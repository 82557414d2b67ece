"""config: read and change settings in config.toml (validated, written 0600)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.options import JsonOpt
from orderctl.errors import InvalidInput, OperationFailed

config_app = typer.Typer(
    name="config",
    help="Read and change settings in config.toml.\n\nTracking keys, your name (signs drafts), "
    "time zone, default platform, mail, notifications, evidence limits and policy overrides; "
    "`orderctl config list` shows them all.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _config_path() -> Any:
    from orderctl.paths import resolve_paths

    return resolve_paths().config_file


def _file(ctx: typer.Context) -> Any:
    import os

    from orderctl.services.context import _lock_timeout
    from orderctl.services.settings import ConfigFile

    obj = ctx.find_root().obj or {}
    return ConfigFile(_config_path(), _lock_timeout(os.environ, obj.get("lock_timeout")))


def _text(value: Any) -> str:
    """A value as a person reads it: strings bare, everything else as TOML would write it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _complete_key(incomplete: str) -> list[str]:
    from orderctl.services.settings import SCHEMA

    return [s.key for s in SCHEMA if s.key.startswith(incomplete)]


KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="A setting, e.g. tracking.17track.token (see `orderctl config list`).",
        autocompletion=_complete_key,
    ),
]


@config_app.command("get")
def get(
    ctx: typer.Context,
    key: KeyArg,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Print a secret's value instead of ***.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Print one setting (its default when unset).

    Exit 3 when it has neither; secrets print as *** unless --reveal.
    """
    from orderctl.services.settings import require_entry

    found = require_entry(_file(ctx).load(), key)
    data = found.to_dict(reveal=reveal)
    if json_output:
        output.print_json(data)
        return
    sys.stdout.write(_text(data["value"]) + "\n")


@config_app.command("set")
def set_(
    ctx: typer.Context,
    key: KeyArg,
    values: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="VALUE...",
            help="The value; lists take one VALUE per item (or 7,2,0 for numbers). "
            "'-' reads the value from stdin (keeps secrets out of shell history).",
        ),
    ] = None,
) -> None:
    """Set a setting, checked against the schema.

    The file is written atomically with mode 0600; other keys are kept.
    """
    texts = list(values or [])
    if texts == ["-"]:
        texts = [line for line in sys.stdin.read().splitlines() if line.strip()] or [""]
    if not texts:
        raise InvalidInput(
            f"`config set {key}` needs a VALUE",
            hint=f"e.g. `orderctl config set {key} VALUE`, or '-' to read it from stdin.",
        )
    setting, value = _file(ctx).set(key, texts)
    shown = "***" if setting.secret else _text(value)
    output.say(f"Set {key} = {shown} in {_config_path()}")


@config_app.command("unset")
def unset(ctx: typer.Context, key: KeyArg) -> None:
    """Remove a setting (its default applies again)."""
    if _file(ctx).unset(key):
        output.say(f"Removed {key} from {_config_path()}")
    else:
        output.say(f"{key} was not set; nothing changed.")


@config_app.command("list")
def list_(ctx: typer.Context, json_output: JsonOpt = False) -> None:
    """Every setting with its value or default.

    Secrets are shown as ***.
    """
    from orderctl.services.settings import entries

    rows = entries(_file(ctx).load())
    if json_output:
        output.print_json([r.to_dict() for r in rows])
        return
    table = output.table()
    table.add_column("Key", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("Help", drop=1)
    for row in rows:
        data = row.to_dict()
        if row.is_set:
            value = _text(data["value"])
        elif row.default is not None:
            value = f"{_text(row.default)} (default)"
        else:
            value = "-"
        table.add_row(row.key, value, row.help)
    output.print_table(table)


@config_app.command("path")
def path() -> None:
    """Print where config.toml is (may not exist yet)."""
    sys.stdout.write(f"{_config_path()}\n")


TEMPLATE = """\
# orderctl settings; `orderctl config list` shows every key.
# name = "Jane Doe"
# tz = "Europe/Berlin"
# [tracking.17track]
# token = "..."
"""


@config_app.command("edit")
def edit(ctx: typer.Context) -> None:
    """Edit config.toml in $EDITOR, checked on save.

    Uses $VISUAL or $EDITOR (else vi) on a copy; the copy replaces config.toml only
    when it is valid TOML and passes the schema.
    """
    import os
    import shlex
    import subprocess
    import tempfile
    import tomllib
    from pathlib import Path

    from orderctl.services.settings import validate_document

    cfg = _file(ctx)
    cfg.load()  # refuses a file other users can read, before copying it anywhere
    target: Path = cfg.path
    before = target.read_text("utf-8") if target.exists() else TEMPLATE
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix="config-edit-", suffix=".toml", dir=target.parent)
    tmp = Path(tmp_name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(before)
    os.chmod(tmp, 0o600)
    try:
        try:
            code = subprocess.run([*shlex.split(editor), str(tmp)], check=False).returncode
        except (OSError, ValueError) as exc:
            raise InvalidInput(
                f"Cannot run the editor {editor!r}: {exc}",
                hint="Set EDITOR (or VISUAL) to your editor, e.g. EDITOR=nano.",
            ) from None
        if code != 0:
            raise OperationFailed(f"The editor exited with status {code}; nothing changed.")
        after = tmp.read_text("utf-8")
        if after == before:
            output.say("Nothing changed.")
            return
        try:
            doc = tomllib.loads(after)
        except tomllib.TOMLDecodeError as exc:
            problems = [f"not valid TOML: {exc}"]
        else:
            problems = validate_document(doc)
        if problems:
            kept = target.with_name(target.name + ".rejected")
            os.replace(tmp, kept)
            raise InvalidInput(
                f"The edited config has {output.plural(len(problems), 'problem')}; "
                f"{target} is unchanged.",
                details=problems,
                hint=f"Your edit is kept in {kept}; fix it there and copy it over, "
                "or run `orderctl config edit` again.",
            )
        cfg.replace_text(after)
        output.say(f"Saved {target}")
    finally:
        tmp.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
