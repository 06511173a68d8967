"""A worker or DAV server stand-in for tests of what the edge sends upstream: it keeps each
request's method, path and headers, and answers 200 `{}`, or what `answers` says for a path
prefix."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .json_reply import reply_json


class Recorder(ThreadingHTTPServer):
    def __init__(self, answers: dict[str, tuple[int, object]] | None = None):
        self.seen: list[tuple[str, str, dict]] = []
        # path prefix → (status, JSON payload); changed by tests as they go.
        self.answers = dict(answers or {})
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def __getattr__(self, name):
                if name.startswith("do_"):
                    return self.record
                raise AttributeError(name)

            def record(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, payload = next((answer for prefix, answer in recorder.answers.items()
                                        if self.path.startswith(prefix)), (200, {}))
                reply_json(self, payload, status)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def last(self, path_prefix: str) -> dict:
        return [headers for _, path, headers in self.seen if path.startswith(path_prefix)][-1]
