"""A client of the worker's API listener (a unix socket, or TCP with the edge secret) that
speaks as the edge does: identity in X-Twake-* headers (docs/reference/edge-worker.md §1)."""

from __future__ import annotations

import http.client
import json
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


class ApiClient:
    def __init__(self, socket_path: Path | None = None, tcp: tuple[str, int] | None = None,
                 secret: str | None = None, timeout: float = 30):
        self.socket_path, self.tcp, self.secret, self.timeout = socket_path, tcp, secret, timeout

    def _connection(self):
        if self.tcp:
            return http.client.HTTPConnection(*self.tcp, timeout=self.timeout)
        return _UnixConnection(str(self.socket_path), self.timeout)

    def request(self, method: str, path: str, user: str | None = None, auth: str = "oidc",
                headers: dict | None = None, body=None) -> Answer:
        """`user` sets X-Twake-User/X-Twake-Auth as the edge would; `body` may be bytes, str or
        a JSON-serialisable value."""
        h = {"X-Twake-Request-Id": uuid.uuid4().hex}
        if user is not None:
            h["X-Twake-User"] = user
            h["X-Twake-Auth"] = auth
        if self.secret is not None:
            h["X-Twake-Edge-Secret"] = self.secret
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)
