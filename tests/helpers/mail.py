"""Test helpers for mail: the corpus, and mbox files built from it."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent.parent / "data" / "mail" / "corpus"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.eml"))


def mbox_bytes(messages: list[bytes]) -> bytes:
    """An mboxrd file: envelope lines, ``From `` inside messages quoted."""
    out = bytearray()
    for data in messages:
        body = data.replace(b"\r\n", b"\n")
        quoted = b"\n".join(
            b">" + line if line.lstrip(b">").startswith(b"From ") else line
            for line in body.split(b"\n")
        )
        out += b"From sender@example.org Mon Nov  2 09:14:03 2026\n" + quoted
        if not quoted.endswith(b"\n"):
            out += b"\n"
        out += b"\n"
    return bytes(out)


def write_mbox(path: Path, names: list[str] | None = None) -> Path:
    files = corpus_files()
    if names is not None:
        files = [CORPUS / f"{n}.eml" for n in names]
    path.write_bytes(mbox_bytes([f.read_bytes() for f in files]))
    return path
