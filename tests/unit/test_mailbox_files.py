"""Local mail sources: streamed mbox (mboxrd quoting, chunk borders), Maildir, .eml."""

from __future__ import annotations

import mailbox

import pytest

from orderctl.errors import InvalidInput
from orderctl.mailbox import files
from orderctl.mailbox.files import MaildirSource, MboxSource
from orderctl.mailbox.source import is_mail_target, open_file_source
from tests.helpers.mail import corpus_files, mbox_bytes


def _messages(n: int, body: bytes = b"hello") -> list[bytes]:
    return [
        b"From: shop@example.com\nSubject: message %d\nMessage-ID: <m%d@test>\n\n%s\n"
        % (i, i, body)
        for i in range(n)
    ]


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_mbox_stream_equals_the_stdlib_reader(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(files, "CHUNK", chunk)
    body = b"line one\nFrom here on it is quoted\n>From already quoted\nend"
    path = tmp_path / "box.mbox"
    path.write_bytes(mbox_bytes(_messages(5, body)))
    ours = list(MboxSource(path).raw_messages())
    theirs = list(mailbox.mbox(str(path)))  # the stdlib reader (mboxo: no unquoting)
    assert len(ours) == len(theirs) == 5
    for mine, stdlib in zip(ours, theirs, strict=True):
        assert b"\nFrom here on it is quoted\n>From already quoted\nend" in mine  # mboxrd
        assert f"Subject: {stdlib['Subject']}".encode() in mine


def test_mbox_header_pass_reads_only_wanted_bodies(tmp_path):
    path = tmp_path / "box"
    path.write_bytes(mbox_bytes([f.read_bytes() for f in corpus_files()]))
    seen = list(MboxSource(path).messages(lambda h: h.sender.endswith("ebay.de")))
    assert len(seen) == len(corpus_files())
    read = [h.message_id for _, h, data in seen if data is not None]
    assert read == ["<ebay-shipped-de@corpus.orderctl.test>"]


def test_not_an_mbox_is_refused(tmp_path):
    path = tmp_path / "x.mbox"
    path.write_bytes(b"hello\n")
    with pytest.raises(InvalidInput):
        list(MboxSource(path).raw_messages())


def test_maildir_reads_cur_and_new_never_tmp(tmp_path):
    box = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    (box / "cur" / "1.host:2,S").write_bytes(_messages(1)[0])
    (box / "new" / "2.host").write_bytes(_messages(2)[1])
    (box / "tmp" / "3.host").write_bytes(b"half written")
    keys = [k for k, _, _ in MaildirSource(box).messages(lambda h: True)]
    assert keys == ["cur/1.host:2,S", "new/2.host"]
    assert isinstance(open_file_source([str(box)]), MaildirSource)


def test_source_detection(tmp_path):
    eml = corpus_files()[0]
    assert is_mail_target([str(eml)])
    assert is_mail_target(["imaps://me@example.org/INBOX"])
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,title\n1,x\n")
    assert not is_mail_target([str(csv)])
    mbox = tmp_path / "export"  # no extension: recognised by its first line
    mbox.write_bytes(mbox_bytes(_messages(1)))
    assert is_mail_target([str(mbox)])
    assert isinstance(open_file_source([str(mbox)]), MboxSource)
    with pytest.raises(InvalidInput):
        open_file_source([str(tmp_path)])  # a folder that is no Maildir
    with pytest.raises(InvalidInput):
        open_file_source([str(eml), str(csv)])
