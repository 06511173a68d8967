"""A minimal Redis client (RESP2 over a socket) for tests: commands and a subscriber.
The stack's Redis has no password and listens on loopback."""

from __future__ import annotations

import socket
from urllib.parse import urlparse


class RespClient:
    def __init__(self, url: str, timeout: float = 5.0):
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port or 6379), timeout=timeout)
        self.reader = self.sock.makefile("rb")

    def close(self):
        self.reader.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, *args) -> None:
        parts = [f"*{len(args)}\r\n".encode()]
        for a in args:
            data = a if isinstance(a, bytes) else str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
        self.sock.sendall(b"".join(parts))

    def read(self):
        line = self.reader.readline()
        if not line:
            raise ConnectionError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.reader.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError(f"unexpected RESP line {line!r}")

    def call(self, *args):
        self.send(*args)
        return self.read()


class Subscriber:
    """SUBSCRIBE to channels; `message(timeout)` returns the next (channel, data) or None."""

    def __init__(self, url: str, *channels: str):
        self.client = RespClient(url)
        self.client.send("SUBSCRIBE", *channels)
        for _ in channels:
            assert self.client.read()[0] == "subscribe"

    def message(self, timeout: float = 3.0):
        self.client.sock.settimeout(timeout)
        try:
            while True:
                reply = self.client.read()
                if reply[0] == "message":
                    return reply[1], reply[2]
        except (socket.timeout, TimeoutError):
            return None

    def close(self):
        self.client.close()
