"""WSGI middleware that gives every route a plain, complete request body and every response a
length, whatever the framing on the wire.

nginx sends a client's chunked PUT on as `Transfer-Encoding: chunked` (proxy_http_version 1.1
with proxy_request_buffering off), which wsgiref hands over undecoded and without
CONTENT_LENGTH. Here the body is read whole (chunked decoded, or CONTENT_LENGTH bytes) into
memory, so routes read `wsgi.input` as usual, and a body a route leaves unread cannot be taken
for the next request on a kept-alive connection (http11.py). Responses are buffered for the same
reason: a Content-Length lets the connection stay open.
"""

from __future__ import annotations

import io

MAX_BODY = 64 * 1024 * 1024         # the shim holds bodies in memory; nothing in the tests is near this
NO_BODY_STATUSES = ("1", "204", "304")


class BodyError(ValueError):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


class Bodies:
    def __init__(self, app):
        self._app = app

    def __call__(self, environ, start_response):
        try:
            body = read_body(environ)
        except BodyError as e:
            # The connection's framing is lost: the connection is not marked framed and http11.py closes it.
            message = (str(e) + "\n").encode()
            start_response(e.status, [("Content-Type", "text/plain"), ("Content-Length", str(len(message)))])
            return [message]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, list(headers)
            return lambda data: captured.setdefault("written", []).append(data)

        result = self._app(environ, capture)
        try:
            chunks = captured.get("written", []) + [c for c in result]
        finally:
            if hasattr(result, "close"):
                result.close()
        payload = b"".join(chunks)
        status, headers = captured["status"], captured["headers"]
        has_length = any(k.lower() == "content-length" for k, _ in headers)
        if not has_length and environ.get("REQUEST_METHOD") != "HEAD" and not status.startswith(NO_BODY_STATUSES):
            headers.append(("Content-Length", str(len(payload))))
        environ.get("dav.connection", {})["framed"] = True   # http11.py may keep the connection open
        start_response(status, headers)
        return [payload]


def read_body(environ) -> bytes:
    stream = environ["wsgi.input"]
    encoding = environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if encoding:
        if [c.strip() for c in encoding.split(",")] != ["chunked"]:
            raise BodyError("501 Not Implemented", f"transfer coding {encoding!r} not supported")
        return _dechunk(stream)
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BodyError("400 Bad Request", "bad Content-Length") from None
    if length < 0:
        raise BodyError("400 Bad Request", "bad Content-Length")
    if length > MAX_BODY:
        raise BodyError("413 Payload Too Large", "body too large")
    body = stream.read(length) if length else b""
    if len(body) != length:
        raise BodyError("400 Bad Request", "body shorter than its Content-Length")
    return body


def _dechunk(stream) -> bytes:
    """RFC 9112 §7.1: size line (hex, optional extensions), data, CRLF; a 0 size ends the body,
    then trailer lines up to an empty one (trailers are dropped)."""
    out = bytearray()
    while True:
        line = stream.readline(1024)
        if not line.endswith(b"\n"):
            raise BodyError("400 Bad Request", "truncated chunk size line")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BodyError("400 Bad Request", "bad chunk size") from None
        if size < 0 or len(out) + size > MAX_BODY:
            raise BodyError("413 Payload Too Large", "body too large")
        if size == 0:
            break
        data = stream.read(size)
        if len(data) != size or stream.readline(3).strip():
            raise BodyError("400 Bad Request", "truncated chunk")
        out += data
    while True:                                        # trailer section
        line = stream.readline(8192)
        if not line.endswith(b"\n"):
            raise BodyError("400 Bad Request", "truncated trailer")
        if not line.strip():
            return bytes(out)
