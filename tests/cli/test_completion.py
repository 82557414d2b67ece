"""Shell completion: order ids, states, platforms and checklists, without parsing the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orderctl.cli import completion
from orderctl.paths import Paths
from orderctl.store.ids_cache import cache_path, read_ids
from tests.helpers.env import child_env

HUB = "8208460785972844"
MUG = "1234567890"


def add_two(cli) -> None:
    assert cli("add", HUB, "--title", "USB-C hub", "--shipped", "2026-11-02").exit_code == 0
    args = ("add", MUG, "--title", "Mug", "--platform", "etsy", "--delivered", "2026-11-20")
    assert cli(*args).exit_code == 0


def test_the_store_keeps_the_id_list_in_step(cli, home: Path):
    add_two(cli)
    lines = cache_path(Paths(home)).read_text().splitlines()
    assert lines[0].startswith("# orderctl order ids v1 ")
    assert lines[1:] == [f"{HUB}\tshipped\taliexpress\tUSB-C hub", f"{MUG}\tdelivered\tetsy\tMug"]
    assert cli("rm", MUG, "--yes").exit_code == 0
    assert [e.order_id for e in read_ids(Paths(home))] == [HUB]


def test_order_ids_complete_with_titles(cli):
    add_two(cli)
    assert completion.order_ids("82") == [(HUB, "USB-C hub (shipped)")]
    assert {i for i, _ in completion.order_ids("")} == {HUB, MUG}
    assert completion.order_ids("9") == []


def test_a_hand_edited_index_is_read_again(cli, home: Path):
    add_two(cli)
    db = home / "orders.json"
    raw = json.loads(db.read_text())
    for doc in raw["orders"].values():
        if doc["order_id"] == MUG:
            doc["order_id"] = "5550001"
    db.write_text(json.dumps(raw))
    assert {i for i, _ in completion.order_ids("")} == {HUB, "5550001"}
    # ... and the rebuilt list is saved for the next key press.
    assert "5550001" in cache_path(Paths(home)).read_text()


def test_no_store_no_suggestions_and_no_error(home: Path):
    assert completion.order_ids("") == []
    assert not home.exists()  # completing never creates the home


def test_garbage_index_gives_no_suggestions(home: Path):
    home.mkdir()
    (home / "orders.json").write_text("{not json")
    assert completion.order_ids("") == []
    assert completion.platforms("e") == ["ebay", "etsy"]


def test_states_platforms_and_checklists(cli, home: Path):
    add_two(cli)
    assert completion.states("d") == ["delivered", "disputed"]
    assert completion.platforms("")[:2] == ["aliexpress", "ebay"]
    (home / "checklists").mkdir()
    (home / "checklists" / "shoes.toml").write_text('name = "shoes"\n')
    assert completion.checklists("") == ["clothing", "electronics", "generic", "shoes"]


def test_platform_list_matches_the_policy_data():
    import tomllib
    from importlib import resources

    text = resources.files("orderctl.data").joinpath("policies.toml").read_text("utf-8")
    assert set(completion.PLATFORMS) == set(tomllib.loads(text)["platforms"])


def _complete(home: Path, words: str, cword: int) -> list[str]:
    env = child_env(
        home, _ORDERCTL_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword)
    )
    result = subprocess.run(
        [sys.executable, "-m", "orderctl"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completion_end_to_end(cli, home: Path):
    add_two(cli)
    os.environ.pop("_ORDERCTL_COMPLETE", None)
    assert _complete(home, "orderctl show 82", 2) == [HUB]
    assert _complete(home, "orderctl evidence rm 12", 3) == [MUG]
    assert _complete(home, "orderctl list --state sh", 3) == ["shipped"]
    assert _complete(home, "orderctl inspect X --checklist el", 4) == ["electronics"]
    assert _complete(home, "orderctl config set notify.d", 3) == ["notify.digest"]
