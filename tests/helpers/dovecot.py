"""A real Dovecot IMAP server on 127.0.0.1 for the tests (Debian package ``dovecot-imapd``).

Started per test module in a temporary folder with its own configuration:
plain-text login allowed on loopback only, one user with a password file,
Maildir storage. ``.ci/run`` installs Dovecot; where the binary is missing
locally the tests that need it are skipped with that reason.

With ``tls=`` (a certificate made by :func:`make_certificate`) the server also
offers STARTTLS on its IMAP port and implicit TLS on a second port; with
``oauth2_url=`` it accepts ``AUTHENTICATE XOAUTH2`` and checks each token with
Dovecot's own oauth2 passdb against that token introspection URL (RFC 7662,
POST), which the test serves on loopback.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

USER = "buyer"
PASSWORD = "s3cret-IMAP-sentinel-7f3a"


def dovecot_binary() -> str | None:
    for candidate in (shutil.which("dovecot"), "/usr/sbin/dovecot"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Certificate:
    """A private CA and a server certificate it signed, for 127.0.0.1 and localhost."""

    ca_file: Path  # what a client trusts
    cert_file: Path  # server certificate (PEM)
    key_file: Path  # server key (PEM)


def make_certificate(folder: Path, name: str = "orderctl test CA") -> Certificate:
    """A fresh CA and a server certificate signed by it, written as PEM files in ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = Certificate(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    files.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    files.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen
    binary: str
    config: Path
    tls_port: int | None = None  # implicit TLS (imaps), when started with a certificate

    @property
    def url(self) -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/INBOX"

    @property
    def imaps_url(self) -> str:
        assert self.tls_port is not None, "started without tls="
        return f"imaps://{USER}@127.0.0.1:{self.tls_port}/INBOX"

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def admin(self) -> imaplib.IMAP4:
        """A plain client for test set-up and checks (never used by the code under test)."""
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, messages: list[bytes], folder: str = "INBOX", flags: str = "") -> None:
        client = self.admin()
        try:
            for data in messages:
                client.append(folder, flags or None, None, data)
        finally:
            client.logout()

    def flags(self, folder: str = "INBOX") -> dict[str, str]:
        """UID -> FLAGS of every message, read with EXAMINE so reading changes nothing."""
        client = self.admin()
        try:
            client.select(folder, readonly=True)
            _, data = client.uid("FETCH", "1:*", "(FLAGS)")
            out = {}
            for line in data:
                if isinstance(line, bytes) and b"UID" in line:
                    text = line.decode()
                    uid = text.split("UID ")[1].split()[0].rstrip(")")
                    out[uid] = text.split("FLAGS (")[1].split(")")[0]
            return out
        finally:
            client.logout()

    def recreate(self, folder: str, messages: list[bytes]) -> None:
        """Delete and create the folder again: a new UIDVALIDITY."""
        client = self.admin()
        try:
            client.delete(folder)
            client.create(folder)
        finally:
            client.logout()
        self.append(messages, folder)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.terminate()  # the master (run with -F) stops its children
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _tls_settings(root: Path, tls: Certificate | None) -> tuple[str, int | None]:
    if tls is None:
        return "ssl = no", None
    # Dovecot reads the files as root before dropping privileges; copies keep them private.
    cert, key = root / "tls-cert.pem", root / "tls-key.pem"
    shutil.copyfile(tls.cert_file, cert)
    shutil.copyfile(tls.key_file, key)
    os.chmod(key, 0o600)
    return f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}", _free_port()


def _oauth2_settings(root: Path, url: str | None) -> tuple[str, str]:
    """The oauth2 passdb (before the password file) and its mechanisms."""
    if url is None:
        return "", "plain login"
    conf = root / "dovecot-oauth2.conf.ext"
    conf.write_text(
        f"introspection_mode = post\nintrospection_url = {url}\n"
        "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
    )
    os.chmod(conf, 0o644)
    passdb = f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {conf}
}}
"""
    return passdb, "plain login xoauth2 oauthbearer"


def start_dovecot(tls: Certificate | None = None, oauth2_url: str | None = None) -> Dovecot:
    binary = dovecot_binary()
    if binary is None:
        raise FileNotFoundError("dovecot")
    root = Path(tempfile.mkdtemp(prefix="orderctl-dovecot-"))
    os.chmod(root, 0o755)  # the login and mail processes run as other users when root
    port = _free_port()
    ssl_settings, tls_port = _tls_settings(root, tls)
    oauth2_passdb, mechanisms = _oauth2_settings(root, oauth2_url)
    me = pwd.getpwuid(os.getuid()).pw_name
    if os.getuid() == 0:
        login_user, internal_user = "dovenull", "dovecot"
        mail_user, mail_group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
    else:
        login_user = internal_user = mail_user = me
        mail_group = grp.getgrgid(os.getgid()).gr_name
    mail = root / "mail"
    mail.mkdir()
    if os.getuid() == 0:
        os.chown(mail, pwd.getpwnam(mail_user).pw_uid, grp.getgrnam(mail_group).gr_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    os.chmod(root / "passwd", 0o644)
    config = root / "dovecot.conf"
    config.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = orderctl-test-{port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{ssl_settings}
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:{mail}/%u
{oauth2_passdb}passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port or 0}
    ssl = {"yes" if tls_port else "no"}
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Dovecot(root, port, process, binary, config, tls_port)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            shutil.rmtree(root, ignore_errors=True)
            raise RuntimeError(f"dovecot exited: {err} {log}")
        try:
            server.admin().logout()
            return server
        except (OSError, imaplib.IMAP4.error):
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("dovecot did not start in 15 s")


class TokenIntrospection:
    """An OAuth 2.0 token introspection endpoint (RFC 7662) on loopback for Dovecot.

    Answers ``{"active": true, "username": USER}`` for the tokens in ``good``
    and ``{"active": false}`` for any other; records every token it was asked
    about, so a test can check what reached the server.
    """

    def __init__(self, good: set[str]):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs

        self.good = set(good)
        self.asked: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
                token = (form.get("token") or [""])[0]
                outer.asked.append(token)
                answer = {"active": True, "username": USER} if token in outer.good else {}
                answer.setdefault("active", False)
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/introspect"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
