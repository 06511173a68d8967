"""An SMTP listener (Debian aiosmtpd) that keeps every message in a Maildir for assertions."""

from __future__ import annotations

import mailbox
import socket
import subprocess
import sys

from .service import REPO, Service, free_port, port_open


class SmtpSink(Service):
    name = "smtp"
    start_timeout = 15.0

    def __init__(self, workdir):
        super().__init__(workdir)
        self.port = free_port()
        self.maildir = self.workdir / "maildir"

    def command(self):
        return [
            sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
            "-c", "aiosmtpd.handlers.Mailbox", str(self.maildir),
        ]

    def ready(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            return s.recv(512).startswith(b"220")

    def messages(self) -> list:
        """Every message received so far (email.message.Message objects)."""
        if not self.maildir.exists():
            return []
        return list(mailbox.Maildir(self.maildir, create=False))


class TlsSmtpServer(Service):
    """An SMTP server demanding TLS — STARTTLS on a clear connection, or TLS from the first byte
    (`mode` "tls") — and AUTH with `user` / `password`, with a self-signed certificate."""

    start_timeout = 20.0
    user, password = "mailer", "mailer-secret"

    def __init__(self, workdir, mode: str):
        self.name = f"smtp-{mode}"
        super().__init__(workdir)
        self.mode = mode
        self.port = free_port()
        self.maildir = self.workdir / "maildir"
        self.cert, self.key = self.workdir / "cert.pem", self.workdir / "key.pem"

    def prepare(self):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(self.key), "-out", str(self.cert)],
                       check=True, capture_output=True)

    def command(self):
        return [sys.executable, "-m", "harness.smtp_tls", "--mode", self.mode, "--port", str(self.port),
                "--cert", str(self.cert), "--key", str(self.key), "--maildir", str(self.maildir),
                "--user", self.user, "--password", self.password]

    def environment(self):
        return {"PYTHONPATH": str(REPO / "t")}

    def ready(self) -> bool:
        return port_open(self.port)

    def messages(self) -> list:
        if not self.maildir.exists():
            return []
        return list(mailbox.Maildir(self.maildir, create=False))
