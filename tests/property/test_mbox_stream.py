"""Property: an mboxrd file written from any messages reads back as exactly those messages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from orderctl.mailbox import files
from orderctl.mailbox.files import MboxSource
from tests.helpers.mail import mbox_bytes

line = st.one_of(
    st.text(alphabet="abc >From\t", max_size=12),
    st.sampled_from(["From here", ">From there", ">>From x", "From ", ""]),
).map(lambda s: s.encode())
message = st.lists(line, max_size=8).map(
    lambda lines: b"Subject: x\n\n" + b"\n".join(lines) + b"\n"
)


@settings(max_examples=150, deadline=None)
@given(st.lists(message, min_size=1, max_size=6), st.integers(min_value=3, max_value=64))
def test_mboxrd_round_trip_at_any_chunk_size(messages, chunk):
    saved = files.CHUNK
    files.CHUNK = chunk
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "box.mbox"
            path.write_bytes(mbox_bytes(messages))
            read = list(MboxSource(path).raw_messages())
    finally:
        files.CHUNK = saved
    assert [m.removesuffix(b"\n") for m in read] == messages
