"""FerretDB 1.24 on SQLite (MongoDB wire protocol), built by `make deps` into .deps/bin."""

from __future__ import annotations

from .service import DEPS, Service, free_port


class FerretDB(Service):
    name = "ferretdb"
    start_timeout = 20.0

    def __init__(self, workdir):
        super().__init__(workdir)
        self.port = free_port()
        self.url = f"mongodb://127.0.0.1:{self.port}/"

    def command(self):
        return [
            str(DEPS / "bin" / "ferretdb"),
            "--listen-addr", f"127.0.0.1:{self.port}",
            "--sqlite-dir", str(self.workdir / "data"),
        ]

    def ready(self) -> bool:
        return self.client(timeout_ms=500).admin.command("ping").get("ok") == 1.0

    def client(self, timeout_ms: int = 5000):
        import pymongo

        return pymongo.MongoClient(self.url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
