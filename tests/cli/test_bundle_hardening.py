"""Issue 9 cases 6 and 12 for bundles: verify trusts nothing it can check.

Each test is named after its case; all failed on the release before the fix.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.cli.test_dispute import ORDER, seed_failed_order, state


@pytest.fixture
def built(cli, tmp_path) -> dict:
    seed_failed_order(cli, tmp_path)
    result = cli("dispute", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def _rewrite_report_and_manifest(folder: Path) -> None:
    """The attack: edit report.md and put its new hash into manifest.json."""
    report = folder / "report.md"
    report.write_text(report.read_text("utf-8") + "\nThe seller agreed to pay 1000 USD.\n")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    data = report.read_bytes()
    for entry in manifest["files"]:
        if entry["path"] == "report.md":
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["size"] = len(data)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")


def test_case6_verify_order_refuses_a_rewritten_manifest(cli, built):
    _rewrite_report_and_manifest(Path(built["bundle_dir"]))
    # On its own the folder is self-consistent ...
    alone = cli("verify", built["bundle_dir"], "--json")
    assert alone.exit_code == 0
    # ... but not against the hash recorded on the order, nor against the zip.
    result = cli("verify", "--order", ORDER, "--json")
    assert result.exit_code == 1
    report = result.json()
    assert report["intact"] is False
    folder, zipped = report["bundles"]
    assert folder["intact"] is False and zipped["intact"] is False
    assert any("recorded on the order" in p for p in folder["problems"])
    assert any("different manifests" in p for p in zipped["problems"])
    text = cli("verify", "--order", ORDER)
    assert text.exit_code == 1
    assert "problem: manifest sha256" in text.stdout
    assert "does not match" in text.stderr


def test_case6_intact_bundle_has_no_problems(cli, built):
    result = cli("verify", "--order", ORDER, "--json")
    assert result.exit_code == 0, result.stderr
    assert [b["problems"] for b in result.json()["bundles"]] == [[], []]


def test_case12_bundle_paths_are_stored_relative_to_the_home(cli, built, home: Path):
    dispute = state().dispute
    assert not Path(dispute.bundle_dir).is_absolute()
    assert home / dispute.bundle_dir == Path(built["bundle_dir"])


def test_case12_copied_home_verifies_its_own_bundle(cli, built, home: Path, tmp_path, monkeypatch):
    copy = tmp_path / "copied-home"
    shutil.copytree(home, copy, symlinks=True)
    # Damage the original: the copy must not look at it.
    _rewrite_report_and_manifest(Path(built["bundle_dir"]))
    monkeypatch.setenv("ORDERCTL_HOME", str(copy))
    result = cli("verify", "--order", ORDER, "--json")
    assert result.exit_code == 0, result.stdout
    paths = [b["path"] for b in result.json()["bundles"]]
    assert all(p.startswith(str(copy)) for p in paths)


def test_case12_moved_home_verifies_instead_of_exit_3(
    cli, built, home: Path, tmp_path, monkeypatch
):
    moved = tmp_path / "moved-home"
    shutil.move(str(home), moved)
    monkeypatch.setenv("ORDERCTL_HOME", str(moved))
    result = cli("verify", "--order", ORDER)
    assert result.exit_code == 0, result.stderr


def test_case12_missing_manifest_is_exit_1_not_intact(cli, built):
    (Path(built["bundle_dir"]) / "manifest.json").unlink()
    result = cli("verify", built["bundle_dir"], "--json")
    assert result.exit_code == 1
    (bundle,) = result.json()["bundles"]
    assert bundle["intact"] is False and bundle["problems"]


def test_case12_invalid_manifest_in_zip_is_exit_1(cli, built, tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(built["bundle_zip"]) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = b"{nope" if info.filename.endswith("manifest.json") else src.read(info)
            dst.writestr(info.filename, data)
    result = cli("verify", str(bad))
    assert result.exit_code == 1
    assert "NOT intact" in result.stdout and "not valid JSON" in result.stdout


def _small_video_limit(home: Path) -> None:
    config = home / "config.toml"
    config.write_text("[policies.aliexpress]\nevidence_video_max_bytes = 1000\n")
    config.chmod(0o600)


def test_case12_large_video_kept_out_of_the_zip_and_linked_in_the_report(cli, tmp_path, home):
    seed_failed_order(cli, tmp_path)
    _small_video_limit(home)
    result = cli("dispute", ORDER, "--yes", "--json", "--videos-outside-zip")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    video = "evidence/measurements-unboxing.mp4"
    assert (Path(data["bundle_dir"]) / video).is_file()
    with zipfile.ZipFile(data["bundle_zip"]) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert video not in names
    (entry,) = [f for f in manifest["files"] if f["path"] == video]
    assert entry["in_zip"] is False
    report = (Path(data["bundle_dir"]) / "report.md").read_text("utf-8")
    assert f"it is in the bundle folder at `{video}`" in report
    assert "kept out of the zip" in result.stderr
    verified = cli("verify", "--order", ORDER, "--json")
    assert verified.exit_code == 0, verified.stdout
    # Taking the video out of the folder is still caught.
    (Path(data["bundle_dir"]) / video).unlink()
    assert cli("verify", "--order", ORDER).exit_code == 1


def test_case12_large_video_without_the_option_is_zipped_and_the_option_offered(
    cli, tmp_path, home
):
    seed_failed_order(cli, tmp_path)
    _small_video_limit(home)
    result = cli("dispute", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(result.json()["bundle_zip"]) as zf:
        assert "evidence/measurements-unboxing.mp4" in zf.namelist()
    assert "--videos-outside-zip" in result.stderr


# --- 6: optional signing -----------------------------------------------------


@pytest.fixture
def signed(cli, tmp_path) -> dict:
    seed_failed_order(cli, tmp_path)
    result = cli("dispute", ORDER, "--yes", "--json", "--sign")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_case6_sign_writes_manifest_sig_and_keeps_the_key_private(cli, signed, home: Path):
    import base64
    import os
    import stat

    key_file = home / "keys" / "bundle-signing.pem"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_file.parent).st_mode) == 0o700
    assert len(base64.b64decode(signed["signed_by"])) == 32
    assert (Path(signed["bundle_dir"]) / "manifest.sig").is_file()
    with zipfile.ZipFile(signed["bundle_zip"]) as zf:
        assert "manifest.sig" in zf.namelist()
    # The private key never reaches the bundle.
    pem = key_file.read_bytes()
    for path in Path(signed["bundle_dir"]).rglob("*"):
        if path.is_file():
            assert b"PRIVATE KEY" not in path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert state().dispute.signed_by == signed["signed_by"]


def test_case6_verify_checks_the_signature_with_the_public_key(cli, signed, tmp_path):
    key = signed["signed_by"]
    for target in (signed["bundle_dir"], signed["bundle_zip"]):
        result = cli("verify", target, "--public-key", key, "--json")
        assert result.exit_code == 0, result.stdout
        assert result.json()["bundles"][0]["signed_by"] == key
    # Someone else's key: refused.
    other = __import__("base64").b64encode(b"\x01" * 32).decode()
    result = cli("verify", signed["bundle_dir"], "--public-key", other, "--json")
    assert result.exit_code == 1
    assert "signed with another key" in result.json()["bundles"][0]["problems"][0]
    assert cli("verify", signed["bundle_dir"], "--public-key", "not-a-key").exit_code == 2


def test_case6_signed_bundle_with_rewritten_manifest_fails_even_alone(cli, signed):
    _rewrite_report_and_manifest(Path(signed["bundle_dir"]))
    result = cli("verify", signed["bundle_dir"], "--json")
    assert result.exit_code == 1
    (bundle,) = result.json()["bundles"]
    assert any("does not match manifest.json" in p for p in bundle["problems"])


def test_case6_resigned_by_an_attacker_fails_against_the_recorded_key(cli, signed, home):
    """Rewrite the manifest and re-sign it with a fresh key: --order pins the recorded key."""
    from orderctl.evidence.signing import load_or_create_key, sign_manifest

    folder = Path(signed["bundle_dir"])
    _rewrite_report_and_manifest(folder)
    attacker = load_or_create_key(home / "attacker")
    (folder / "manifest.sig").write_bytes(
        sign_manifest(attacker, (folder / "manifest.json").read_bytes())
    )
    assert cli("verify", str(folder)).exit_code == 0  # self-consistent on its own ...
    result = cli("verify", "--order", ORDER, "--json")  # ... but not with the recorded key
    assert result.exit_code == 1
    problems = result.json()["bundles"][0]["problems"]
    assert any("signed with another key" in p for p in problems)


def test_case6_unsigned_bundle_with_public_key_required_is_not_intact(cli, built):
    key = __import__("base64").b64encode(b"\x02" * 32).decode()
    result = cli("verify", built["bundle_dir"], "--public-key", key)
    assert result.exit_code == 1
    assert "not signed" in result.stdout


def test_case5_oversized_photo_stored_before_the_limit_no_longer_blocks_the_dispute(
    cli, tmp_path, home
):
    """A photo attached by an older release, over the pixel limit: left out with a warning."""
    import shutil as sh

    from tests.cli.test_hardening import _png_header

    seed_failed_order(cli, tmp_path)
    small = _png_header(tmp_path / "fine.png", 20, 20)
    assert cli("note", ORDER, "photo", "--attach", str(small)).exit_code == 0
    # Swap the stored blob for a bomb, as an older release would have stored it.
    (blob,) = [p for p in (home / "evidence").rglob("*.png")]
    sh.copyfile(_png_header(tmp_path / "bomb.png", 60000, 60000), blob)
    result = cli("dispute", ORDER, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert "megapixels" in result.stderr and "not included" in result.stderr
