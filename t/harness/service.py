"""What every server of the stack has in common: a process, a log file, a readiness probe."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPS = REPO / ".deps"
BUILD = REPO / "build"


class StartError(RuntimeError):
    """A server did not become ready; the message carries the tail of its log."""


_handed_out: set[int] = set()


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 now, below the kernel's ephemeral range.

    Ports are chosen when the stack is built and bound seconds later; a port of the ephemeral
    range could meanwhile become the source port of some outgoing connection (seen: the OIDC
    provider failing to listen). Ports below that range are only taken by listeners.
    """
    low, high = 20000, 32000
    try:
        first = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
        high = min(high, first - 1)
    except (OSError, ValueError, IndexError):
        pass
    for _ in range(200):
        port = random.randint(low, high)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free TCP port below the ephemeral range")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Service:
    """One server process. Subclasses set `name` and implement `command()` and `ready()`.

    `workdir` is the service's own folder (data, config, log). Ports are chosen in
    `__init__` so that other services can be configured before this one starts.
    """

    name = "service"
    start_timeout = 30.0
    stop_timeout = 10.0

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / f"{self.name}.log"
        self.proc: subprocess.Popen | None = None
        self.last_exit: int | None = None  # exit status of the last stopped process

    # -- to implement -------------------------------------------------------
    def prepare(self) -> None:
        """Write configuration and data files before the first start."""

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return {}

    def ready(self) -> bool:
        raise NotImplementedError

    def after_stop(self) -> None:
        """Clean-up of helpers the main process leaves behind (e.g. epmd)."""

    # -- lifecycle ----------------------------------------------------------
    def start(self) -> None:
        self.prepare()
        self.launch()

    def launch(self) -> None:
        """Start the process (again) with the prepared files and wait until it answers."""
        env = dict(os.environ)
        env.update(self.environment())
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.command(),
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise StartError(
                    f"{self.name} exited with status {self.proc.returncode} while starting; "
                    f"log {self.log_path}:\n{log_tail(self.log_path)}"
                )
            try:
                if self.ready():
                    return
            except Exception:  # a probe that fails means "not yet"
                pass
            time.sleep(0.1)
        self.stop()
        raise StartError(
            f"{self.name} not ready after {self.start_timeout:.0f} s; "
            f"log {self.log_path}:\n{log_tail(self.log_path)}"
        )

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM to the process group, then SIGKILL after `stop_timeout`."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        if proc is not None:
            self.last_exit = proc.returncode
        self.after_stop()

    def restart(self) -> None:
        self.stop()
        self.launch()
