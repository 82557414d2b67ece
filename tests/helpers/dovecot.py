"""A real Dovecot IMAP server on 127.0.0.1 for the tests (Debian package ``dovecot-imapd``).

Started per test module in a temporary folder with its own configuration:
plain-text login allowed on loopback only, one user with a password file,
Maildir storage. ``.ci/run`` installs Dovecot; where the binary is missing
locally the tests that need it are skipped with that reason.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
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


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen
    binary: str
    config: Path

    @property
    def url(self) -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/INBOX"

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


def start_dovecot() -> Dovecot:
    binary = dovecot_binary()
    if binary is None:
        raise FileNotFoundError("dovecot")
    root = Path(tempfile.mkdtemp(prefix="orderctl-dovecot-"))
    os.chmod(root, 0o755)  # the login and mail processes run as other users when root
    port = _free_port()
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
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
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
    port = 0
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
    server = Dovecot(root, port, process, binary, config)
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
