"""`orderctl carrier`: batch mode, platform context and reasons."""

from __future__ import annotations

import json


def test_stdin_prints_one_json_object_per_line_in_order(cli):
    numbers = ["1Z5R89390357567127", "", "  00340434161094042557 ", "not a number", "UR123456789YP"]
    result = cli("carrier", "--stdin", input="\n".join(numbers) + "\n")

    assert result.exit_code == 0
    assert result.stderr == ""
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["number"] for line in lines] == [
        "1Z5R89390357567127",
        "00340434161094042557",
        "NOTANUMBER",
        "UR123456789YP",
    ]
    assert lines[0]["candidates"][0]["carrier"] == "ups"
    assert lines[1]["candidates"][0]["carrier"] == "dhl-paket"
    assert lines[2]["candidates"] == []
    assert lines[3]["candidates"][0]["check_digit"] == "none"
    assert all(c["reason"] for line in lines for c in line["candidates"])


def test_stdin_and_a_number_together_is_a_usage_error(cli):
    result = cli("carrier", "RR123456785CN", "--stdin", input="x\n")
    assert result.exit_code == 2 and result.stdout == ""
    assert "not both" in result.stderr


def test_no_number_and_no_stdin_is_a_usage_error(cli):
    result = cli("carrier")
    assert result.exit_code == 2 and "Missing NUMBER" in result.stderr


def test_platform_context_breaks_ties_and_says_so(cli):
    plain = cli("carrier", "JFV247545960", "--json").json()["candidates"]
    assert [c["carrier"] for c in plain] == ["dhl", "purolator"]
    aliexpress = cli("carrier", "LP00123456789012", "--platform", "aliexpress", "--json").json()
    assert "usual carrier for aliexpress orders" in aliexpress["candidates"][0]["reason"]


def test_fedex_smartpost_and_dhl_paket_are_no_longer_misread_as_usps(cli):
    smartpost = cli("carrier", "61299998820821171811", "--json").json()["candidates"]
    assert smartpost[0]["carrier"] == "fedex" and smartpost[0]["check_digit"] == "ok"
    assert "implied 92" in smartpost[0]["reason"]
    paket = cli("carrier", "00340434161094042557", "--json").json()["candidates"]
    assert paket[0]["carrier"] == "dhl-paket" and paket[0]["check_digit"] == "ok"
    broken = cli("carrier", "00340434161094042558", "--json").json()["candidates"]
    assert {"carrier": "dhl-paket", "check_digit": "bad"}.items() <= broken[0].items()


def test_human_table_shows_why(cli):
    result = cli("carrier", "RB123456785GB")
    assert result.exit_code == 0
    assert "Why" in result.stdout and "issuing post" in result.stdout
