"""inspect and checklists: check what arrived against a checklist, with evidence and a verdict.

``inspect`` asks one check at a time on a terminal, or reads ``--answers
FILE`` anywhere else; without either it fails at once (exit 2) instead of
waiting for input nobody will type. Ctrl-C keeps the answers as a draft and
exits 130; the next run resumes at the first unanswered check.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orderctl.cli import output
from orderctl.cli.completion import checklists as complete_checklists
from orderctl.cli.completion import order_ids
from orderctl.cli.context import app_context, can_prompt
from orderctl.cli.labels import bullets
from orderctl.cli.options import JsonOpt

if TYPE_CHECKING:
    from orderctl.services.inspection.plan import InspectionPlan
    from orderctl.services.inspection.run import InspectionOutcome

INTERRUPTED = 130


def inspect(
    ctx: typer.Context,
    order_id: Annotated[
        str,
        typer.Argument(help="The order whose parcel you are checking.", autocompletion=order_ids),
    ],
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            help="Checklist to use (see `orderctl checklists`) [default: by the order's "
            "category, else generic].",
            show_default=False,
            autocompletion=complete_checklists,
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answers file (TOML or JSON) instead of questions: "
            '{"checks": {"CHECK_ID": {"result": "pass|reservation|fail|na", "note": "...", '
            '"evidence": ["photo.jpg"]}}}; paths are relative to the file.',
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    amend: Annotated[
        bool,
        typer.Option(
            "--amend",
            help="Start from the last inspection (answers, notes, evidence) and save a new "
            "revision; with --answers, the file only needs the checks it changes.",
        ),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Inspect a delivered parcel: a guided checklist, evidence, and a pass/fail verdict.

    On a terminal it asks one check at a time (Ctrl-C keeps a draft that the next run
    resumes); anywhere else give --answers FILE. Evidence files are copied into the
    evidence store, named by their SHA-256. Exit 2 on bad answers (nothing is saved),
    6 for a confirmed, disputed or closed order, 130 when interrupted.
    """
    from orderctl.services.inspection.run import InspectionPaused, run_inspection

    app = app_context(ctx)
    prompter = None
    if answers is None and can_prompt(ctx, json_output=json_output):
        from orderctl.cli.prompter import TerminalPrompter

        prompter = TerminalPrompter()
    try:
        outcome = run_inspection(
            app,
            order_id,
            checklist_name=checklist,
            answers_file=answers,
            prompter=prompter,
            on_plan=_walk_announcer(prompter) if prompter is not None else _plan_warnings,
            amend=amend,
        )
    except InspectionPaused as paused:
        _paused(paused)
        raise typer.Exit(INTERRUPTED if paused.interrupted else 0) from None
    output.warnings(outcome.warnings)
    if json_output:
        output.print_json(outcome.inspection.to_dict())
        return
    _render(outcome)


def _plan_warnings(plan: InspectionPlan) -> None:
    output.warnings(plan.warnings)


def _walk_announcer(prompter: Any) -> Any:
    """Announce the plan, and let the prompter show stored evidence under its file names."""

    def announce(plan: InspectionPlan) -> None:
        prompter.display_names = dict(plan.evidence_names)
        _announce(plan)

    return announce


def _announce(plan: InspectionPlan) -> None:
    output.warnings(plan.warnings)
    total = len(plan.checklist.checks)
    output.say(
        f"Inspecting {plan.order.order_id} ({plan.order.title}) with the "
        f"{plan.checklist.name!r} checklist: {output.plural(total, 'check')}. Type ? for help.",
        style="bold",
    )
    if plan.amend and not plan.resumed:
        output.say(
            "Amending the last inspection: every answer is kept; choose [c]hange at the "
            "review to change a check.",
            style="yellow",
        )
    if plan.resumed:
        output.say(
            f"Resuming the draft started {plan.started_at}: {len(plan.existing)} of {total} "
            f"checks answered; continuing at check {min(plan.first_unanswered, total)}.",
            style="yellow",
        )


def _paused(paused: Any) -> None:
    oid = paused.order_id
    if not paused.saved:
        output.say("Interrupted before any answer; nothing was saved.", style="yellow")
        return
    if paused.interrupted:
        output.say("")  # Ctrl-C leaves the cursor after the unanswered prompt
    how = "Interrupted" if paused.interrupted else "Stopped"
    output.say(
        f"{how}: {paused.answered} of {paused.total} checks answered, kept as a draft. "
        f"Run `orderctl inspect {oid}` to resume where you stopped.",
        style="yellow",
    )


def _render(outcome: InspectionOutcome) -> None:
    from rich.text import Text

    from orderctl.cli.render_order import inspection_table
    from orderctl.domain.dispute import REASON_LABELS
    from orderctl.domain.inspection.answers import CheckResult

    def reason_label(reason: str) -> str:
        return REASON_LABELS.get(reason, reason)

    console = output.out()
    inspection = outcome.inspection
    failed = set(inspection.failed or ())
    table = inspection_table(f"Inspection of {outcome.order_id} ({inspection.checklist} checklist)")
    for check in inspection.checks:
        definition = outcome.checklist.get(check.id)
        label = definition.label if definition else check.id
        style = "red" if check.id in failed else ""
        evidence = ", ".join(str(e.name) for e in check.evidence)
        table.add_row(
            Text(label, style=style),
            Text(CheckResult(check.result).label, style=style),
            Text(output.visible(bullets(check.note))),
            Text(output.visible(evidence)),
        )
    output.print_table(table)
    verdict = inspection.verdict
    line = f"Verdict: {verdict}"

    def labels(check_ids: Sequence[str]) -> str:
        found = (outcome.checklist.get(check_id) for check_id in check_ids)
        return ", ".join(d.label if d else c for d, c in zip(found, check_ids, strict=True))

    if inspection.failed:
        line += f" (failed: {labels(inspection.failed)}; suggested dispute reasons: "
        line += f"{', '.join(reason_label(r) for r in inspection.suggested_reasons)})"
    if inspection.reservations:
        line += f" (with reservation: {labels([c for c, _ in inspection.reserved()])})"
    console.print(Text(line, style="bold green" if verdict == "pass" else "bold red"))
    if outcome.previous:
        console.print(Text(f"Earlier inspections kept in the history: {outcome.previous}"))
        console.print(Text(f"Saved as revision {inspection.revision}."))
    console.print(Text("Next:", style="bold"))
    for step in outcome.next_steps:
        output.indented(step)


def checklists(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="Show this checklist's checks instead of listing all checklists.",
            autocompletion=complete_checklists,
        ),
    ] = None,
    template: Annotated[
        bool,
        typer.Option(
            "--template",
            help="With NAME: print an answers file to fill in for `inspect --answers`.",
        ),
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """List the inspection checklists, or show one with its questions and guidance."""
    from orderctl.services.inspection.answers_file import answers_template
    from orderctl.services.inspection.checklists import checklist_summaries, get_checklist

    app = app_context(ctx)
    if name is None:
        if template:
            from orderctl.errors import InvalidInput

            raise InvalidInput(
                "--template needs a checklist NAME",
                hint="e.g. orderctl checklists generic --template > answers.toml",
            )
        rows = checklist_summaries(app)
        if json_output:
            output.print_json(rows)
        else:
            _render_list(rows, app.paths.checklists_dir)
        return
    checklist = get_checklist(app, name)
    if template:
        output.plain(answers_template(checklist), end="")
    elif json_output:
        output.print_json(checklist.to_dict())
    else:
        _render_checklist(checklist.to_dict())


def _render_list(rows: list[dict[str, Any]], user_dir: Path) -> None:

    table = output.table()
    table.add_column("Name", no_wrap=True)
    table.add_column("Checks", no_wrap=True, drop=1)
    table.add_column("Description", overflow="fold")
    table.add_column("Source", overflow="fold", drop=2)
    for row in rows:
        table.add_row(row["name"], str(row["check_count"]), row["description"], row["source"])
    output.print_table(table)
    output.say(f"Add or override checklists with TOML files in {user_dir}.")


def _render_checklist(data: dict[str, Any]) -> None:
    from rich.text import Text

    console = output.out()
    console.print(Text(f"{data['name']}: {data['description']}", style="bold"))
    if data.get("extends"):
        console.print(Text(f"Extends {data['extends']}; source {data['source']}"))
    for number, check in enumerate(data["checks"], start=1):
        console.print()
        console.print(Text(f"{number}. {check['title']} ({check['id']})", style="bold"))
        console.print(Text(f"   {check['question']}"))
        if check["guidance"]:
            console.print(Text(f"   How to check: {check['guidance']}"))
        if check["evidence"]:
            console.print(Text(f"   Evidence if it fails: {check['evidence']}"))
        console.print(Text(f"   A failure points to the dispute reason: {check['reason']}"))


def register(app: typer.Typer) -> None:
    app.command()(inspect)
    app.command()(checklists)
