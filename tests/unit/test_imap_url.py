"""IMAP URLs and the server-side search (no server needed)."""

from __future__ import annotations

from datetime import date

import pytest

from orderctl.errors import InvalidInput
from orderctl.mailbox.imap import parse_imap_url, search_criteria


def test_gmail_style_user_and_encoded_folder():
    target = parse_imap_url("imaps://you@gmail.com@imap.gmail.com/%5BGmail%5D/All%20Mail")
    assert (target.user, target.host, target.port, target.folder) == (
        "you@gmail.com",
        "imap.gmail.com",
        993,
        "[Gmail]/All Mail",
    )
    assert parse_imap_url("imap://me%40example.org@localhost:1143").folder == "INBOX"
    assert parse_imap_url("imap://me%40example.org@localhost:1143").port == 1143


@pytest.mark.parametrize(
    "url",
    ["imaps://me:secret@host/INBOX", "imaps://host/INBOX", "http://me@host/", "imaps://me@host:x/"],
)
def test_bad_urls_are_usage_errors(url):
    with pytest.raises(InvalidInput) as info:
        parse_imap_url(url)
    assert "secret" not in str(info.value)


def test_search_is_a_flat_or_chain():
    criteria = search_criteria(date(2026, 8, 1), ["ebay", "ups"], ["order"])
    assert criteria == [
        "SINCE",
        date(2026, 8, 1),
        "OR",
        "FROM",
        "ebay",
        "OR",
        "FROM",
        "ups",
        "SUBJECT",
        "order",
    ]
