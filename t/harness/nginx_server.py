"""Debian's stock nginx with the built module, as a private instance (`-p prefix -c conf`).

The configuration is a template whose `@NAME@` markers are replaced by the values given;
`conf/nginx.conf` (the sample users get) is rendered the same way.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from pathlib import Path

from .service import BUILD, REPO, Service, StartError, free_port

MODULE = BUILD / "ngx_http_twake_calendar_module.so"
SAMPLE = REPO / "conf" / "nginx.conf"


def render(template: str, values: dict[str, str]) -> str:
    """Replaces every @NAME@ outside comments; a marker without a value is an error, not a
    silent blank."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in values:
            raise KeyError(f"no value for @{name}@ in the nginx configuration template")
        return str(values[name])

    lines = []
    for line in template.splitlines(keepends=True):
        code, hash_, comment = line.partition("#")
        lines.append(re.sub(r"@([A-Z][A-Z0-9_]*)@", sub, code) + hash_ + comment)
    return "".join(lines)


class Nginx(Service):
    name = "nginx"
    start_timeout = 15.0

    def __init__(self, workdir, template: str | None = None, values: dict | None = None, port: int | None = None):
        super().__init__(workdir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.template = template if template is not None else SAMPLE.read_text()
        self.values = dict(values or {})
        self.conf_path = self.workdir / "nginx.conf"
        self.error_log = self.workdir / "error.log"
        self.access_log = self.workdir / "access.log"

    def base_values(self) -> dict[str, str]:
        temp = self.workdir / "temp"
        temp.mkdir(exist_ok=True)
        return {
            "MODULE": str(MODULE),
            "PID": str(self.workdir / "nginx.pid"),
            "ERROR_LOG": str(self.error_log),
            "ACCESS_LOG": str(self.access_log),
            "TEMP": str(temp),
            # nginx's temporary folders, all under TEMP (for the tests' own small templates).
            "TEMP_PATHS": " ".join(f"{kind}_temp_path {temp}/{kind};"
                                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
            "LISTEN": f"127.0.0.1:{self.port}",
        }

    def prepare(self):
        if not MODULE.exists():
            raise StartError(f"{MODULE} is missing: run `make build`")
        self.conf_path.write_text(render(self.template, {**self.base_values(), **self.values}))
        # Files the sample includes sit next to it (nginx resolves includes against its prefix).
        for extra in SAMPLE.parent.glob("twake_calendar_*.conf"):
            (self.workdir / extra.name).write_text(extra.read_text())
        check = self.test_config()
        if check.returncode != 0:
            raise StartError(f"nginx -t failed:\n{check.stderr}")

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["nginx", "-t", "-p", str(self.workdir), "-c", str(self.conf_path), "-g", self.global_directives()],
            capture_output=True, text=True,
        )

    def global_directives(self) -> str:
        # `daemon off` keeps the master in the foreground, under our process group. Worker
        # processes keep root's identity because the test folders are private to root (a
        # production nginx runs its workers as its own user).
        return "daemon off; user root;"

    def command(self):
        return ["nginx", "-p", str(self.workdir), "-c", str(self.conf_path), "-g", self.global_directives()]

    def ready(self) -> bool:
        try:
            urllib.request.urlopen(self.url + "/", timeout=1)
        except urllib.error.HTTPError:
            pass  # any HTTP answer means nginx is serving
        return True

    def log_entries(self, uri: str | None = None) -> list[dict]:
        """The JSON access-log entries (conf/nginx.conf's `twake_calendar` format), oldest first."""
        if not self.access_log.exists():
            return []
        entries = [json.loads(line) for line in self.access_log.read_text().splitlines() if line.strip()]
        return [e for e in entries if uri is None or e["uri"] == uri]

    def entry_after(self, uri: str, count: int, timeout: float = 5.0) -> dict:
        """The first entry for `uri` beyond the `count` there were (nginx writes an entry just
        after answering, so a test waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.log_entries(uri)
            if len(entries) > count:
                return entries[count]
            if time.monotonic() > deadline:
                raise AssertionError(f"no new access-log entry for {uri} in {timeout} s")
            time.sleep(0.02)

    def stop(self):
        # SIGTERM to the group is nginx's fast shutdown; SIGQUIT would wait for keep-alives.
        super().stop()
