"""An SMTP listener (Debian aiosmtpd) that keeps every message in a Maildir for assertions."""

from __future__ import annotations

import mailbox
import socket
import sys

from .service import Service, free_port


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
