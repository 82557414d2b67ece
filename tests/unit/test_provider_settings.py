"""Provider choice precedence, credentials and token masking."""

from __future__ import annotations

import pytest

from orderctl.errors import CredentialsError, InvalidInput
from orderctl.providers.settings import resolve_provider

CONFIG = {
    "tracking": {
        "provider": "aftership",
        "17track": {"token": "cfg17"},
        "aftership": {"key": "cfgAS"},
    }
}


def test_flag_beats_env_beats_config():
    env = {"ORDERCTL_TRACKING_PROVIDER": "17track"}
    assert resolve_provider("cainiao", env, CONFIG).name == "cainiao"
    s = resolve_provider(None, env, CONFIG)
    assert (s.name, s.token, s.source) == ("17track", "cfg17", "env")
    assert resolve_provider(None, {}, CONFIG).name == "aftership"


def test_env_token_and_url_beat_config():
    env = {"ORDERCTL_17TRACK_TOKEN": "env17", "ORDERCTL_17TRACK_URL": "http://127.0.0.1:9/v/"}
    s = resolve_provider("17track", env, CONFIG)
    assert s.token == "env17" and s.base_url == "http://127.0.0.1:9/v"


def test_defaults():
    assert resolve_provider(None, {}, {}).name == "cainiao"
    assert resolve_provider(None, {}, {}).base_url == "https://global.cainiao.com"
    assert resolve_provider(None, {"ORDERCTL_AFTERSHIP_KEY": "k"}, {}).name == "aftership"
    both = {"ORDERCTL_AFTERSHIP_KEY": "k", "ORDERCTL_17TRACK_TOKEN": "t"}
    s = resolve_provider(None, both, {})
    assert (s.name, s.base_url) == ("17track", "https://api.17track.net/track/v2.2")


def test_cainiao_default_warns_about_foreign_numbers():
    assert resolve_provider(None, {}, {}, ["LP00123456789012"]).warning is None
    assert "1Z999" in resolve_provider(None, {}, {}, ["1Z999AA10123456784"]).warning


def test_errors():
    with pytest.raises(InvalidInput):
        resolve_provider("dhl", {}, {})
    with pytest.raises(CredentialsError) as err:
        resolve_provider("17track", {}, {})
    assert "ORDERCTL_17TRACK_TOKEN" in err.value.hint
    with pytest.raises(InvalidInput):
        resolve_provider(
            "17track", {"ORDERCTL_17TRACK_TOKEN": "t", "ORDERCTL_17TRACK_URL": "ftp://x"}, {}
        )


def test_repr_masks_token():
    s = resolve_provider("17track", {"ORDERCTL_17TRACK_TOKEN": "SENTINEL-TOKEN-123"}, {})
    assert "SENTINEL" not in repr(s) and "SENTINEL" not in str(s) and "***" in repr(s)
