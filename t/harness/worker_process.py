"""The worker binary with the sample configuration folder (conf/worker), whose values are
given through the environment as the sample's ${env:...} references expect.

Readiness is systemd's: the harness owns a NOTIFY_SOCKET and waits for READY=1, so every
start exercises the worker's sd_notify path.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.request

from .api_client import ApiClient
from .service import BUILD, REPO, Service, StartError, free_port

BINARY = BUILD / "twake-calendar-worker"
SAMPLE_CONF = REPO / "conf" / "worker"


class Worker(Service):
    name = "worker"
    start_timeout = 20.0
    notify_socket_mode: int | None = None

    def __init__(self, workdir, env: dict[str, str], conf_dir=SAMPLE_CONF, webadmin_port: int | None = None):
        super().__init__(workdir)
        self.webadmin_port = webadmin_port or free_port()
        self.webadmin_url = f"http://127.0.0.1:{self.webadmin_port}"
        self.conf_dir = conf_dir
        # systemd's RuntimeDirectory= exports RUNTIME_DIRECTORY; the sample's socket lives there.
        self.runtime_dir = self.workdir / "run"
        self.runtime_dir.mkdir(exist_ok=True)
        self.socket = self.runtime_dir / "worker.sock"
        self.env = {"TCAL_WEBADMIN_PORT": str(self.webadmin_port),
                    "RUNTIME_DIRECTORY": str(self.runtime_dir), **env}
        self.notifications: list[str] = []
        self._notify = None

    def prepare(self):
        if not BINARY.exists():
            raise StartError(f"{BINARY} is missing: run `make build`")

    def launch(self):
        path = self.workdir / "notify.sock"
        if path.exists():
            path.unlink()
        self._notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._notify.bind(str(path))
        if self.notify_socket_mode is not None:  # a worker running as another user sends to it
            os.chmod(path, self.notify_socket_mode)
        self._notify.setblocking(False)
        self.notifications = []
        super().launch()

    def environment(self):
        return {**self.env, "NOTIFY_SOCKET": str(self.workdir / "notify.sock")}

    def command(self):
        return [str(BINARY), "--conf", str(self.conf_dir)]

    def poll_notifications(self) -> list[str]:
        while self._notify is not None:
            try:
                self.notifications.append(self._notify.recv(4096).decode())
            except BlockingIOError:
                break
        return self.notifications

    def ready(self) -> bool:
        return any("READY=1" in n for n in self.poll_notifications())

    def after_stop(self):
        self.poll_notifications()
        if self._notify is not None:
            self._notify.close()
            self._notify = None

    def api(self, **kwargs) -> ApiClient:
        """A client of the API listener that speaks as the edge does (identity headers)."""
        return ApiClient(self.socket, **kwargs)

    def get(self, path: str, timeout: float = 30):
        """GET on webadmin; returns (status, body bytes) for any HTTP status."""
        try:
            with urllib.request.urlopen(self.webadmin_url + path, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
