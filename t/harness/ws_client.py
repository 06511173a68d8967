"""WebSocket clients for the real-time tests (docs/reference/realtime.md): the `websockets`
library's sync client on the worker's API socket with the identity headers the edge would
send, and a raw client that shows the frames (PINGs) and can stay silent (never a PONG)."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
from pathlib import Path

from websockets.sync.client import ClientConnection, unix_connect


def identity(user: str, auth: str = "oidc") -> dict[str, str]:
    return {"X-Twake-User": user, "X-Twake-Auth": auth}


def open_socket(socket_path: Path, user: str, **kwargs) -> ClientConnection:
    """A socket on the worker's `GET /ws` as `user`; the first message is already read and
    checked."""
    ws = unix_connect(str(socket_path), "ws://localhost/ws", additional_headers=identity(user),
                      compression=None, open_timeout=5, **kwargs)
    first = json.loads(ws.recv(timeout=5))
    assert first == {"calendarListRegistered": True}, first
    return ws


def ask(ws: ClientConnection, message, timeout: float = 10) -> dict:
    """Sends one message (JSON-encoded unless a str) and returns the next message."""
    ws.send(message if isinstance(message, str) else json.dumps(message))
    return json.loads(ws.recv(timeout=timeout))


class RawWebSocket:
    """Speaks the handshake and reads frames itself; never answers a PING."""

    OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA

    def __init__(self, socket_path: Path, user: str, timeout: float = 10):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(socket_path))
        key = base64.b64encode(os.urandom(16)).decode()
        headers = {"Host": "localhost", "Upgrade": "websocket", "Connection": "Upgrade",
                   "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13", **identity(user)}
        request = "GET /ws HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.sock.sendall(request.encode())
        self._buffer = b""
        while b"\r\n\r\n" not in self._buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            self._buffer += chunk
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ", 2)[1])

    def _read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self._buffer += chunk
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def frame(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame; ConnectionError when the server closed."""
        b0, b1 = self._read(2)
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        return b0 & 0x0F, self._read(length)

    def send_text(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def close(self) -> None:
        self.sock.close()
