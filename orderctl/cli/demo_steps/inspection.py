"""Demo steps for inspection: the checklists, then one parcel that passes and one that fails.

Both use bundled answers files (the scripted twin of the interactive walk) and
small photos, one of them carrying GPS coordinates in its EXIF data so later
steps can show them stripped from what is shared. The steps work whether or
not tracking ran first: an undelivered parcel is inspected with a warning.
"""

from __future__ import annotations

from pathlib import Path

from orderctl.cli.commands.demo import SHIPPED_ORDER, Step

SHIRT_ORDER = "3065355286098390"


def steps(data: Path) -> list[Step]:
    answers = data / "inspection"
    return [
        Step(
            "The inspection checklists",
            ["checklists"],
            "A checklist per kind of item; the order's category picks one. Add your own as "
            "TOML files, and `orderctl checklists NAME` shows the questions and guidance.",
        ),
        Step(
            "Inspect the USB-C hub",
            ["inspect", SHIPPED_ORDER, "--answers", str(answers / "hub-pass.toml")],
            "On a terminal `orderctl inspect` asks one check at a time; here a bundled "
            "answers file gives the answers. The photo is copied into the evidence store, "
            "named by its SHA-256. Nothing failed, so the next step is to confirm receipt.",
        ),
        Step(
            "Inspect the linen shirt",
            ["inspect", SHIRT_ORDER, "--answers", str(answers / "shirt-fail.toml")],
            "Light grey instead of beige, polyester instead of linen, and it measures like an "
            "M against the size chart for L. The verdict is fail with the dispute reason it "
            "points to: contact the seller first, then dispute before protection ends.",
        ),
    ]
