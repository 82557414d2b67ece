"""Reports escape everything that came from users, sellers or carriers."""

from __future__ import annotations

import re
from typing import Any

from orderctl.evidence.report import md_escape, render_reports, safe_url

XSS = "<script>alert(1)</script>"


def report_context(**overrides: Any) -> dict[str, Any]:
    """A realistic context as the dispute service builds it."""
    context: dict[str, Any] = {
        "order": {
            "order_id": "8123456789012345",
            "platform": "aliexpress",
            "title": "USB-C cable 2 m",
            "store": "Best Cables Store",
            "price": "7.49",
            "currency": "EUR",
            "url": "https://www.aliexpress.com/p/order/detail.html?orderId=8123456789012345",
            "items": [
                {
                    "title": "USB-C cable " + XSS,
                    "quantity": 2,
                    "unit_price": "3.50",
                    "currency": "EUR",
                    "attributes": {"Color": "Black", "Length": "2m"},
                    "url": "javascript:alert(2)",
                }
            ],
            "ordered_at": "2025-01-02",
            "shipped_at": "2025-01-04",
            "delivered_at": "2025-01-20",
            "tracking_number": "LP00123456789012",
            "tracking_numbers": ["LP00123456789012", "RR123456789CN"],
            "carrier": "cainiao",
        },
        "reason": "not_as_described",
        "reason_label": "Item not as described",
        "remedy": "Full refund",
        "amount": "7.49",
        "currency": "EUR",
        "statement": ["The listing says 2 m; the cable measures 0.9 m."],
        "inspection": {
            "verdict": "fail",
            "checklist": "cable",
            "completed_at": "2025-01-21T09:00:00+01:00",
            "checks": [
                {
                    "id": "length",
                    "question": "Is the length as listed?",
                    "result": "fail",
                    "note": "0.9 m measured with a tape",
                    "evidence": [
                        {
                            "name": "tape.jpg",
                            "sha256": "a" * 64,
                            "media_type": "image/jpeg",
                            "size": 123456,
                            "bundle_path": "evidence/tape.jpg",
                        },
                        {
                            "name": "evil.jpg",
                            "sha256": "b" * 64,
                            "media_type": "image/jpeg",
                            "size": 1,
                            "bundle_path": "../../etc/passwd",
                        },
                    ],
                }
            ],
        },
        "events": [
            {
                "time": "2025-01-20T14:02:00+01:00",
                "time_utc": "2025-01-20T13:02:00+00:00",
                "status": "delivered",
                "description": "Delivered to mailbox",
                "location": "Paris",
                "provider": "17track",
            }
        ],
        "notes": [
            {
                "at": "2025-01-21T10:00:00+01:00",
                "sender": "me",
                "text": "Too short.\n# not a heading",
                "attachments": [],
            },
            {
                "at": "2025-01-21T12:00:00+01:00",
                "sender": "seller",
                "text": XSS + " [click](javascript:alert(3)) ![px](http://tracker.example/p.gif)",
                "attachments": ["chat.png"],
            },
        ],
        "deadlines": [
            {
                "kind": "dispute_window",
                "date": "2025-02-05",
                "days_left": 12,
                "advice": "Open it now",
            }
        ],
        "generated_at": "2025-01-24T08:00:00+00:00",
        "orderctl_version": "0.1.0",
    }
    context.update(overrides)
    return context


def test_html_escapes_user_text_and_links_only_http():
    html, _ = render_reports(report_context())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") == 2  # item title and seller note
    assert "javascript:" not in html.split("<body>")[1].replace("javascript:alert(3)", "")
    assert 'href="javascript' not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert "evidence/tape.jpg" in hrefs
    assert all(h.startswith(("https://", "http://", "evidence/")) for h in hrefs)
    assert "../../etc/passwd" not in hrefs
    assert 'src="http' not in html  # no external assets
    assert "<link" not in html and "<script" not in html


def test_html_is_self_contained_with_every_section():
    html, _ = render_reports(report_context())
    for heading in (
        "Order summary",
        "Claim",
        "Statement",
        "Inspection",
        "Tracking timeline",
        "Seller conversation",
        "Deadlines",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "<style>" in html
    assert "Item not as described" in html and "Full refund" in html
    assert "0.9 m measured with a tape" in html
    assert "RR123456789CN" in html
    assert "Open it now" in html


def test_markdown_neutralises_html_and_links():
    _, md = render_reports(report_context())
    assert "<script>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no live link to javascript:
    assert "\\[click\\]" in md  # link syntax from a seller message is inert
    assert not re.search(r"(?<!\\)!\[", md)  # no remote image (tracking pixel)
    assert "[8123456789012345](<https://www.aliexpress.com/" in md
    assert "[tape.jpg](<evidence/tape.jpg>)" in md
    assert "(<../../etc/passwd>)" not in md
    assert "> \\# not a heading" in md
    assert "## Seller conversation" in md and "## Deadlines" in md


def test_missing_optional_sections_render():
    html, md = render_reports(
        report_context(inspection=None, events=[], notes=[], deadlines=[], statement=[])
    )
    assert "No inspection was recorded." in html and "No inspection was recorded." in md
    assert "No tracking events." in md and "No messages recorded." in html


def test_safe_url_and_md_escape():
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "//evil",
        "ftp://x",
        None,
        3,
        'https://a.example/"onmouseover',
    ):
        assert safe_url(bad) is None
    assert md_escape("a <b> & [c](d)") == "a &lt;b&gt; &amp; \\[c\\](d)"


def test_sparse_context_renders():
    html, md = render_reports({"order": {"order_id": "1", "title": "x"}})
    assert "order 1" in html and "order 1" in md
    assert render_reports({})[0].startswith("<!DOCTYPE html>")
