"""The DAV server of the stack: Radicale behind the esn-sabre compatibility shim (t/harness/dav/),
in its own process on a loopback port."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

from .service import REPO, Service, free_port


class DavServer(Service):
    name = "dav"
    start_timeout = 20.0

    def __init__(self, workdir, mongo_url: str, mongo_database: str, amqp_url: str,
                 admin_user: str, admin_password: str, technical_token_introspect_url: str | None = None):
        super().__init__(workdir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_user = admin_user
        self.admin_password = admin_password
        self.config_path = self.workdir / "dav.json"
        self._config = {
            "port": self.port,
            "storage": str(self.workdir / "storage"),
            "mongo_url": mongo_url,
            "mongo_database": mongo_database,
            "amqp_url": amqp_url,
            "admin_user": admin_user,
            "admin_password": admin_password,
            "technical_token_introspect_url": technical_token_introspect_url,
        }

    def prepare(self):
        self.config_path.write_text(json.dumps(self._config, indent=2))
        self.config_path.chmod(0o600)            # holds the admin password

    def command(self):
        return [sys.executable, "-m", "harness.dav", str(self.config_path)]

    def environment(self):
        return {"PYTHONPATH": str(REPO / "t")}

    def ready(self) -> bool:
        """Any HTTP answer will do (401 without credentials); a refused connection raises."""
        try:
            with urllib.request.urlopen(self.url + "/", timeout=1):
                return True
        except urllib.error.HTTPError:
            return True

    def impersonation(self, email: str) -> tuple[str, str]:
        """The Basic credentials (for requests' `auth=`) that act as `email`."""
        return f"{self.admin_user}&{email}", self.admin_password
