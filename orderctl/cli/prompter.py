"""The terminal side of the inspection walk: Rich output and line prompts, all on stderr.

Implements the domain's :class:`~orderctl.domain.inspection.walk.Prompter`; the walk
decides what to ask and in which order, this only shows and reads. stdout
stays free for the result, so every prompt, hint and table here goes to
stderr. Lines are read with :func:`input` (end of input raises EOFError,
which the walk treats like Ctrl-C: the answers so far become a draft). When
stdin and stdout are a terminal, file paths get Tab completion via readline.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from orderctl.cli import output
from orderctl.cli.labels import bullets
from orderctl.domain.inspection.answers import Answer, CheckResult
from orderctl.domain.inspection.templates import Check, Checklist
from orderctl.domain.inspection.verdict import evaluate
from orderctl.domain.inspection.walk import Action

if TYPE_CHECKING:
    from rich.console import Console

ACTION_WORDS: dict[str, Action] = {
    "p": Action.PASS,
    "pass": Action.PASS,
    "y": Action.PASS,
    "yes": Action.PASS,
    "w": Action.RESERVATION,
    "with": Action.RESERVATION,
    "reservation": Action.RESERVATION,
    "f": Action.FAIL,
    "fail": Action.FAIL,
    "no": Action.FAIL,
    "na": Action.NA,
    "n/a": Action.NA,
    "-": Action.NA,
    "s": Action.SKIP,
    "skip": Action.SKIP,
    "b": Action.BACK,
    "back": Action.BACK,
    "r": Action.REVIEW,
    "review": Action.REVIEW,
    "q": Action.QUIT,
    "quit": Action.QUIT,
}
HELP = (
    "p / yes = pass (the answer to the question is yes)   f / no = fail (something is wrong)\n"
    "w = pass with reservation (acceptable, but a minor issue worth a star less in feedback)\n"
    "na = does not apply to this item   s = skip for now   b = back to the previous check\n"
    "r = review all answers   q = quit and keep a draft   Ctrl-C also keeps a draft"
)
CLEAR = "-"


class TerminalPrompter:
    """Asks on the terminal. ``console`` and ``read_line`` are injectable for tests."""

    def __init__(
        self,
        console: Console | None = None,
        read_line: Callable[[], str] | None = None,
    ):
        self.console = console or output.err()
        self.read_line = read_line
        self._review_choice = ""
        #: Names to show for files already in the evidence store (``inspect --amend``).
        self.display_names: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------------------------

    def _print(self, text: str = "", style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(text, style=style))

    def _ask(self, prompt: str) -> str:
        if self.read_line is None and _readline_in_use():
            # readline redraws the line it edits (completion lists, an empty Enter), so it
            # must own the prompt; it writes to stdout, which is this same terminal here.
            return input(prompt).strip()
        from rich.text import Text

        self.console.print(Text(prompt, style="bold"), end="")
        self.console.file.flush()
        return (self.read_line or input)().strip()

    # -- the Prompter protocol -----------------------------------------------------------------

    def show_check(
        self,
        check: Check,
        position: int,
        total: int,
        context: Mapping[str, Any],
        current: Answer | None,
    ) -> None:
        from rich.text import Text

        self.console.print()
        self.console.rule(Text(f"Check {position}/{total}: {check.label}"), style="cyan")
        self._print(f"Order {context.get('order_id', '')}  {context.get('title', '')}", "dim")
        for item in context.get("items") or []:
            attrs = ", ".join(f"{k}: {v}" for k, v in (item.get("attributes") or {}).items())
            if attrs or len(context.get("items") or []) > 1:
                self._print(f"  {item.get('quantity', 1)} x {item.get('title')}  {attrs}", "dim")
        if context.get("url"):
            self._print(f"  Listing: {context['url']}", "dim")
        self._print(check.question, "bold")
        if check.guidance:
            self._print(f"How to check: {check.guidance}")
        if check.evidence:
            self._print(f"Evidence if it fails: {check.evidence}", "italic")
        if current is not None:
            self._print(
                f"Current answer: {_describe(current, self.display_names)} (Enter keeps it)",
                "yellow",
            )

    def ask_result(self, check: Check, *, current: Answer | None, can_go_back: bool) -> str:
        # One prompt for every width, short enough for 60 columns: a prompt longer than the
        # terminal makes readline scroll it sideways. `?` lists every key (skip, back, review,
        # quit); "Current answer: … (Enter keeps it)" is printed above when there is one.
        prompt = "Answer [p]ass/[w]ith reservation/[f]ail/[na]/[?]: "
        while True:
            text = self._ask(prompt).lower()
            if not text and current is not None:
                return current.result.value
            if text in ("?", "h", "help"):
                self._print(HELP)
                continue
            action = ACTION_WORDS.get(text)
            if action is Action.BACK and not can_go_back:
                self._print("This is the first check.", "yellow")
                continue
            if action is not None:
                return action.value
            if text == "n":
                self._print("Type no (it fails) or na (it does not apply).", "yellow")
            elif text:
                self._print(f"Not an answer: {text!r}. Type ? for help.", "yellow")

    def ask_note(self, check: Check, result: CheckResult, *, current: str) -> str:
        keep = f" Enter keeps: {current!r}; {CLEAR} clears it." if current else ""
        if result is CheckResult.RESERVATION:
            text = self._ask(f"What is the minor issue (it goes into your feedback)?{keep} ")
            return text or current
        if result is not CheckResult.FAIL:
            text = self._ask(f"Note (optional; a note does not change a pass).{keep} ")
            if not text:
                return current
            return "" if text == CLEAR else text
        self._print(f"What is wrong? One difference per line; an empty line ends.{keep}", "bold")
        lines: list[str] = []
        while True:
            text = self._ask("> ")
            if not text:
                break
            lines.append(text)
        if not lines:
            return current
        return "" if lines == [CLEAR] else "\n".join(lines)

    def ask_evidence(
        self,
        check: Check,
        result: CheckResult,
        *,
        current: Sequence[str],
        problems: Sequence[str],
    ) -> list[str]:
        kept = list(current)
        if problems:
            for problem in problems:
                self._print(f"  refused: {problem}", "red")
            kept = [c for c in current if not any(p.startswith(f"{c.strip()}: ") for p in problems)]
        need = (
            "A failure without a photo or video is hard to prove in a dispute."
            if result is CheckResult.FAIL
            else "Optional for a pass."
        )
        self._print(
            f"Evidence files (photos, videos): one path per line, Tab completes, an empty "
            f"line ends. {need}",
            "bold",
        )
        if kept:
            shown = ", ".join(self.display_names.get(k, k) for k in kept)
            self._print(f"  attached: {shown}  ({CLEAR} on its own removes them)")
        entered: list[str] = []
        with _path_completion():
            while True:
                text = self._ask("file> ")
                if not text:
                    break
                if text == CLEAR:
                    kept = []
                    continue
                entered.append(text)
        return kept + entered

    def confirm_review(
        self, checklist: Checklist, answers: Mapping[str, Answer], unanswered: Sequence[str]
    ) -> bool:
        self._review_table(checklist, answers)
        if unanswered:
            names = ", ".join(_label(checklist, check_id) for check_id in unanswered)
            self._print(f"{len(unanswered)} not answered yet: {names}", "yellow")
            prompt = "[a]nswer them / [c]hange a check / [q]uit and keep a draft: "
            choices = {"a": "answer", "": "answer", "c": "change", "q": "quit"}
        else:
            verdict = evaluate(checklist, answers)
            names = [_label(checklist, check_id) for check_id in verdict.failed]
            failed = f" (failed: {', '.join(names)})" if names else ""
            if verdict.reservations:
                kept = [_label(checklist, r.check_id) for r in verdict.reservations]
                failed += f" (with reservation: {', '.join(kept)})"
            self._print(f"Verdict: {verdict.verdict}{failed}", "bold")
            prompt = "[s]ave / [c]hange a check (Ctrl-C keeps a draft): "
            choices = {"s": "save", "": "save", "y": "save", "c": "change"}
        while True:
            choice = choices.get(self._ask(prompt).lower()[:1])
            if choice is not None:
                break
        self._review_choice = choice
        return choice in ("save", "quit")

    def choose_check(self, checklist: Checklist, answers: Mapping[str, Answer]) -> str | None:
        if self._review_choice != "change":
            return None
        total = len(checklist.checks)
        while True:
            text = self._ask(f"Which check (1-{total} or its id; Enter: first unanswered)? ")
            if not text:
                return None
            if text.isdigit() and 1 <= int(text) <= total:
                return checklist.checks[int(text) - 1].id
            if checklist.get(text) is not None:
                return text
            self._print(f"No check {text!r}.", "yellow")

    def _review_table(self, checklist: Checklist, answers: Mapping[str, Answer]) -> None:

        table = output.table(title="Review", title_justify="left")
        table.add_column("#", no_wrap=True)
        table.add_column("Check", overflow="fold")
        table.add_column("Result", no_wrap=True)
        table.add_column("Note", overflow="fold", drop=2)
        table.add_column("Evidence", overflow="fold", drop=1)
        for number, check in enumerate(checklist.checks, start=1):
            answer = answers.get(check.id)
            table.add_row(
                str(number),
                check.label,
                answer.result.label if answer else "-",
                bullets(answer.note) if answer else "",
                ", ".join(self.display_names.get(str(p), p.name) for p in answer.evidence)
                if answer
                else "",
            )
        self.console.print()
        output.fit_columns(table, self.console.width)
        self.console.print(table)


def _label(checklist: Checklist, check_id: str) -> str:
    check = checklist.get(check_id)
    return check.label if check is not None else check_id


def _describe(answer: Answer, names: Mapping[str, str] | None = None) -> str:
    parts = [answer.result.label]
    if answer.note:
        parts.append(answer.note.replace("\n", "; "))
    if answer.evidence:
        parts.append(", ".join((names or {}).get(str(p), p.name) for p in answer.evidence))
    return " - ".join(parts)


# --------------------------------------------------------------------------- completion


def complete_path(text: str, state: int) -> str | None:
    """readline completer: files and folders matching ``text`` (``~`` expanded)."""
    expanded = os.path.expanduser(text)
    matches = sorted(glob.glob(glob.escape(expanded) + "*"))
    matches = [m + os.sep if os.path.isdir(m) else m for m in matches]
    if text.startswith("~"):
        home = os.path.expanduser("~")
        matches = ["~" + m[len(home) :] for m in matches]
    return matches[state] if state < len(matches) else None


def _readline_in_use() -> bool:
    """Whether input() goes through readline: loaded, and stdin and stdout are the terminal."""
    if "readline" not in sys.modules:
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def _path_completion() -> Iterator[None]:
    """Tab-complete file paths while asking for evidence, where readline can do it.

    input() only uses readline when stdin and stdout are the terminal, so
    anything else (tests, redirected output) skips it.
    """
    try:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive:
        yield
        return
    try:
        import readline
    except ImportError:  # Windows without pyreadline
        yield
        return
    old_completer = readline.get_completer()
    old_delims = readline.get_completer_delims()
    readline.set_completer(complete_path)
    readline.set_completer_delims("\t\n")
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    try:
        yield
    finally:
        readline.set_completer(old_completer)
        readline.set_completer_delims(old_delims)
