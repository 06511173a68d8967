"""A JSON answer from a test's own small HTTP server (http.server handlers)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler


def reply_json(handler: BaseHTTPRequestHandler, payload, status: int = 200) -> None:
    body = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
