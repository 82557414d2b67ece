"""Demo steps for confirming receipt and drafting the feedback.

The inspection steps (another capability) leave 8208460785972844 inspected
with a pass; confirming it shows the guardrail-approved path, the new
windows counted from completion, and the feedback draft.
"""

from __future__ import annotations

from pathlib import Path

from orderctl.cli.commands.demo import SHIPPED_ORDER, Step


def steps(data: Path) -> list[Step]:
    return [
        Step(
            "Confirm receipt and draft the feedback",
            ["confirm", SHIPPED_ORDER, "--yes"],
            "Only after a passed inspection: releases the payment, counts the 15-day refund "
            "window and the feedback window from today, and drafts stars, ratings, a review "
            "without personal data and location-free photos.",
        ),
        Step(
            "The windows that remain",
            ["due", "--within", "30"],
            "After confirming, the refund and feedback deadlines count from completion.",
        ),
    ]
