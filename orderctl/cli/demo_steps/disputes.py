"""Demo steps for the seller conversation, the dispute bundle and its verification.

The inspection steps (another capability) leave the linen shirt
3065355286098390 inspected with a fail; these steps log the conversation,
draft the message, build the bundle with the reason taken from the failed
checks, and verify it. The bundle goes to the demo home's bundles folder,
whose path is only known at run time, so the last step uses
``verify --order`` (the order's latest bundle) instead of a static path,
and prints where the bundle is.
"""

from __future__ import annotations

from pathlib import Path

from orderctl.cli.commands.demo import Step

FAILED_ORDER = "3065355286098390"


def steps(data: Path) -> list[Step]:
    return [
        Step(
            "Log your message to the seller",
            [
                "note",
                FAILED_ORDER,
                "The shirt I received is much smaller than the size chart for L and the label "
                "says polyester, not linen. Photos attached in the order chat.",
                "--at",
                "2026-11-26T09:40:00Z",
            ],
            "Keep the conversation on the order (and on the platform): it goes into the "
            "dispute bundle. `--attach FILE` keeps screenshots as evidence.",
        ),
        Step(
            "Log the seller's answer",
            [
                "note",
                FAILED_ORDER,
                "Please confirm receipt first and we will refund you.",
                "--from",
                "seller",
                "--at",
                "2026-11-26T14:05:00Z",
            ],
            "A known scam pattern: confirming releases the money to the seller. orderctl "
            "warns about it; --at records when the message was sent.",
        ),
        Step(
            "Draft the message to the seller",
            ["contact", FAILED_ORDER, "--sent"],
            "What you ordered, each failed check with its note and evidence, the remedy, and a "
            "reply-by date that still leaves time to open a dispute. --sent logs it as sent.",
        ),
        Step(
            "Build the dispute bundle",
            ["dispute", FAILED_ORDER, "--remedy", "refund", "--yes"],
            "The reason comes from the failed checks. The bundle holds report.html/.md (the "
            "statement, the inspection, tracking, the conversation, the deadlines), the "
            "photos without GPS, and a manifest with every file's SHA-256.",
        ),
        Step(
            "Verify the bundle",
            ["verify", "--order", FAILED_ORDER],
            "Checks the folder and the zip against the manifest (exit 1 if anything changed). "
            "`orderctl verify PATH` checks any bundle (run the demo with --keep to keep it).",
        ),
    ]
