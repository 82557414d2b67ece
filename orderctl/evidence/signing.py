"""Ed25519 signatures over a bundle's manifest (``dispute --sign``, checked by ``verify``).

A manifest lists every file's SHA-256, so signing the manifest's bytes signs
the whole bundle. The signature travels as ``manifest.sig`` next to the
manifest (folder and zip), a small JSON document::

    {"algorithm": "ed25519", "public_key": "<base64, 32 bytes>", "signature": "<base64>"}

The private key is created on first use in ``<home>/keys/bundle-signing.pem``
(PKCS#8 PEM, mode 0600, folder 0700) and never leaves the home. Anyone given
the public key (printed by ``dispute --sign`` and ``verify``) can check a
bundle with ``verify --public-key KEY``; without it, ``verify`` checks that
the signature matches the key embedded in ``manifest.sig``.

``cryptography`` is imported inside the functions: only signing and checking
a signed bundle pay for it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orderctl.errors import InvalidInput, StoreError
from orderctl.fsutil import atomic_write_bytes

SIGNATURE_NAME = "manifest.sig"
KEY_FILE = "bundle-signing.pem"
ALGORITHM = "ed25519"


def key_path(home: Path) -> Path:
    return Path(home) / "keys" / KEY_FILE


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def load_or_create_key(home: Path) -> Any:
    """The home's Ed25519 private key, created (0600) on first use."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(home)
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
        atomic_write_bytes(path, pem, mode=0o600)
        return key
    except OSError as exc:
        raise StoreError(f"Cannot read the signing key {path}: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise StoreError(
            f"The signing key {path} cannot be used: {exc}",
            hint="Restore it from a backup; a new key would not match bundles already signed.",
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(f"The signing key {path} is not an Ed25519 key")
    return key


def public_key_text(key: Any) -> str:
    """The public half as base64 of its 32 raw bytes (what to hand to a platform or bank)."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(raw)


def sign_manifest(key: Any, manifest: bytes) -> bytes:
    """The ``manifest.sig`` document for ``manifest``'s exact bytes."""
    document = {
        "algorithm": ALGORITHM,
        "public_key": public_key_text(key),
        "signature": _b64(key.sign(manifest)),
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


@dataclass
class SignatureCheck:
    """What ``verify`` found in ``manifest.sig``: who signed, and whether it holds."""

    public_key: str | None
    valid: bool
    problem: str | None = None


def parse_public_key(text: str) -> bytes:
    """A base64 Ed25519 public key (32 bytes) as given to ``verify --public-key``."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise InvalidInput(
            "--public-key: not a base64 Ed25519 public key (32 bytes)",
            hint="Copy the key printed by `orderctl dispute --sign` or `orderctl verify`.",
        )
    return raw


def check_signature(
    signature_doc: bytes, manifest: bytes, expected_key: bytes | None = None
) -> SignatureCheck:
    """Check ``manifest.sig`` against the manifest's bytes (and the expected key, if given)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        doc = json.loads(signature_doc.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("algorithm") != ALGORITHM:
            raise ValueError("not an ed25519 signature document")
        public = base64.b64decode(str(doc["public_key"]), validate=True)
        signature = base64.b64decode(str(doc["signature"]), validate=True)
        key = Ed25519PublicKey.from_public_bytes(public)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, binascii.Error) as exc:
        return SignatureCheck(None, False, f"{SIGNATURE_NAME} is unreadable: {exc}")
    shown = _b64(public)
    if expected_key is not None and public != expected_key:
        return SignatureCheck(shown, False, f"signed with another key ({shown})")
    try:
        key.verify(signature, manifest)
    except InvalidSignature:
        return SignatureCheck(shown, False, "the signature does not match manifest.json")
    return SignatureCheck(shown, True)


__all__ = [
    "KEY_FILE",
    "SIGNATURE_NAME",
    "SignatureCheck",
    "check_signature",
    "key_path",
    "load_or_create_key",
    "parse_public_key",
    "public_key_text",
    "sign_manifest",
]
