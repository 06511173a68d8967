"""A real single-node OpenSearch 2.19, run from Maven Central jars.

No OpenSearch distribution can be downloaded here, so `t/harness/opensearch/` is a
small Maven project: its pom pulls org.opensearch:opensearch and the three modules the
worker needs (transport-netty4-client, analysis-common, lang-painless) into
`target/lib/`, and `OpenSearchLauncher` starts an in-process node with them:

    java <JVM_OPTIONS> -cp 't/harness/opensearch/target/classes:t/harness/opensearch/target/lib/*' \\
        org.twake.harness.OpenSearchLauncher --home DIR --http-port N --transport-port M

Build it once with BUILD_COMMAND, from the repository root (offline once ~/.m2 holds
the jars; `built()` says whether it must run). Differences from bin/opensearch: no
bootstrap checks, jar hell check, security manager or JNA set-up, no security plugin,
only those three modules, logs on stdout only (see OpenSearchLauncher.java).
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from pathlib import Path

from .service import REPO, Service, StartError, free_port

PROJECT = Path(__file__).resolve().parent / "opensearch"
POM = PROJECT / "pom.xml"
CLASSES = PROJECT / "target" / "classes"
LIB = PROJECT / "target" / "lib"
MAIN_CLASS = "org.twake.harness.OpenSearchLauncher"

# Run with cwd=REPO. Compiles the launcher and copies the runtime jars to target/lib
# (which it empties first). Every Maven plugin version is pinned in the pom, so once
# ~/.m2 is filled this needs no network (it also passes with `mvn -o`).
BUILD_COMMAND = [
    "mvn", "-q", "-B", "-f", "t/harness/opensearch/pom.xml", "process-classes",
]

# Small heap, the serial collector and C1 only: the harness's workload is tiny, and on
# 2 cores this is ready in ~3.3 s at ~200 MiB RSS, against ~4.3 s and ~305 MiB with the
# JVM's defaults (G1, C2) and -Xms256m. The -D options are those of a distribution's
# jvm.options that still matter here.
JVM_OPTIONS = [
    "-Xms128m",
    "-Xmx512m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-XX:+ExitOnOutOfMemoryError",  # no OpenSearch uncaught-exception handler here
    "-XX:-OmitStackTraceInFastThrow",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Djava.locale.providers=SPI,COMPAT",  # OpenSearch's date formats expect these
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dlog4j2.disable.jmx=true",
]


def opensearch_version() -> str:
    """The org.opensearch version the pom asks for."""
    match = re.search(r"<opensearch\.version>([^<]+)</opensearch\.version>", POM.read_text())
    assert match, f"no <opensearch.version> in {POM}"
    return match.group(1)


def built() -> bool:
    """Whether BUILD_COMMAND has run since the pom or the launcher's sources last changed.

    The build empties and refills target/lib, so the folder's mtime is when it last ran.
    """
    launcher = CLASSES / (MAIN_CLASS.replace(".", "/") + ".class")
    if not (launcher.is_file() and (LIB / f"opensearch-{opensearch_version()}.jar").is_file()):
        return False
    inputs = [POM, *(p for p in (PROJECT / "src").rglob("*") if p.is_file())]
    return LIB.stat().st_mtime >= max(p.stat().st_mtime for p in inputs)


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    return str(Path(home) / "bin" / "java") if home else "java"


class OpenSearch(Service):
    """`self.url` answers the REST API; the node keeps its data in `workdir/home/data`."""

    name = "opensearch"
    start_timeout = 120.0  # measured: 3.3 s (5 s on a restart with data); margin for a loaded CI
    stop_timeout = 30.0

    def __init__(self, workdir: Path):
        super().__init__(workdir)
        self.http_port = free_port()
        self.transport_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.home = self.workdir / "home"
        self.start_seconds: float | None = None  # how long the last launch() took

    def prepare(self) -> None:
        if not built():
            raise StartError(
                f"the OpenSearch launcher is not built; run from {REPO}: {' '.join(BUILD_COMMAND)}"
            )
        (self.home / "tmp").mkdir(parents=True, exist_ok=True)

    def command(self) -> list[str]:
        return [
            java(),
            *JVM_OPTIONS,
            f"-Djava.io.tmpdir={self.home / 'tmp'}",
            "-cp", f"{CLASSES}:{LIB}/*",
            MAIN_CLASS,
            "--home", str(self.home),
            "--http-port", str(self.http_port),
            "--transport-port", str(self.transport_port),
        ]

    def launch(self) -> None:
        started = time.monotonic()
        super().launch()
        self.start_seconds = time.monotonic() - started

    def ready(self) -> bool:
        # A single node leaves replicas unassigned: yellow is as good as it gets.
        return self.request("GET", "/_cluster/health", timeout=2).get("status") in ("green", "yellow")

    def request(self, method: str, path: str, body=None, timeout: float = 30) -> dict:
        """One REST call; `body` is sent as JSON. An HTTP error raises urllib's HTTPError,
        whose `.read()` holds OpenSearch's JSON error."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else {}
