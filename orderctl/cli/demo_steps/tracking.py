"""Demo steps for tracking: refresh every parcel offline, then show one timeline.

``tracking_replay`` makes ``track`` use the packaged 17TRACK recordings
through the real 17TRACK adapter and refresh engine (only the transport is
swapped), so the demo shows exactly what a live run would.
"""

from __future__ import annotations

from pathlib import Path

from orderctl.cli.commands.demo import SHIPPED_ORDER, Step


def steps(data: Path) -> list[Step]:
    return [
        Step(
            "Track every parcel",
            ["track", "--all"],
            "Asks the tracking provider about every active parcel (here: recorded 17TRACK "
            "answers, offline), saves the merged timelines in one write, marks delivered "
            "orders and flags stuck parcels. Cron-friendly: add --quiet.",
            obj={"tracking_replay": True},
        ),
        Step(
            "The parcel's timeline",
            ["show", SHIPPED_ORDER],
            "Delivered on 25 Nov: both numbers (Cainiao LP… and PostNL RR…) in one timeline, "
            "and the protection deadline now counts from delivery.",
        ),
    ]
