"""policies: every number with its source URL, title, date checked and confidence."""

from __future__ import annotations


def test_policies_json_lists_every_value_with_its_source(cli):
    result = cli("policies", "--json")
    assert result.exit_code == 0, result.stderr
    entries = result.json()
    keys = [e["key"] for e in entries]
    for platform in ("aliexpress", "ebay", "amazon", "temu", "etsy", "wish", "shein", "paypal"):
        assert platform in keys
    for entry in entries:
        for value in entry["values"]:
            assert value["source"] and value["confidence"], (entry["key"], value["key"])
            assert value["checked"] == "2026-11-28"
            assert set(value) >= {"key", "value", "unit", "title", "alternatives", "starts_at"}
            for alt in value["alternatives"]:
                assert alt["source"] and alt["confidence"]


def test_conflicting_values_are_all_kept_and_the_conservative_one_used(cli):
    (ae,) = cli("policies", "aliexpress", "--json").json()
    values = {v["key"]: v for v in ae["values"]}
    opens = values["dispute_opens_after_days"]
    assert opens["value"] == 11 and opens["confidence"] == "CONFLICT"
    assert sorted(a["value"] for a in opens["alternatives"]) == [5, 6, 10]
    feedback = values["feedback_window_days"]
    assert feedback["value"] == 15 and {a["value"] for a in feedback["alternatives"]} == {30, 7}
    protection = values["protection_days"]
    assert (protection["typical_days"], protection["value"], protection["max_days"]) == (
        30,
        60,
        120,
    )
    assert ae["zone"]["name"] == "Asia/Shanghai"
    assert ae["zone"]["alternatives"] == ["America/Los_Angeles"]
    assert ae["feedback_form"]["scale"] == "stars5"


def test_policies_table_and_one_platform(cli):
    result = cli("policies", "eBay")
    assert result.exit_code == 0
    assert "eBay (ebay)" in result.stdout and "business days" in result.stdout
    assert "AliExpress" not in result.stdout
    assert "also seen" in result.stderr


def test_unknown_platform_is_a_usage_error(cli):
    result = cli("policies", "mars", "--json")
    assert result.exit_code == 2
    assert result.json()["error"]["code"] == 2
    assert "mars" in result.stderr and "aliexpress" in result.stderr


def test_config_override_shows_as_the_used_value(cli, home):
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text("[policies.aliexpress]\nprotection_days = 90\n")
    path.chmod(0o600)
    (ae,) = cli("policies", "aliexpress", "--json").json()
    value = next(v for v in ae["values"] if v["key"] == "protection_days")
    assert (value["value"], value["source"], value["confidence"]) == (90, "config.toml", "user")
    assert value["alternatives"][0]["value"] == 60
