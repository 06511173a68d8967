"""Redis (Debian redis-server), no persistence, on a free loopback port."""

from __future__ import annotations

import socket

from .service import Service, free_port


class Redis(Service):
    name = "redis"
    start_timeout = 15.0

    def __init__(self, workdir, port: int | None = None):
        super().__init__(workdir)
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}"

    def command(self):
        return [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
            "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning",
        ]

    def ready(self) -> bool:
        return self.call("PING") == "+PONG"

    def call(self, *args: str) -> str:
        """Sends one command in RESP and returns the first reply line (enough for probes)."""
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(payload.encode())
            return s.recv(4096).decode().split("\r\n", 1)[0]
