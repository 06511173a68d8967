"""Copies of the sample worker configuration folder (conf/worker) with some keys changed or
some files removed, for tests that need a worker of their own (auth modes, no LDAP, no Redis)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .worker_process import SAMPLE_CONF, Worker


def copy_sample_conf(dest: Path, settings: dict[str, dict[str, str | None]] | None = None,
                     drop: tuple[str, ...] = ()) -> Path:
    """`settings` maps a file name to {key: value}; None removes the key. The first definition
    of a key wins in properties files, so a changed key replaces the sample's line."""
    shutil.copytree(SAMPLE_CONF, dest)
    for name in drop:
        (dest / name).unlink()
    for name, values in (settings or {}).items():
        path = dest / name
        lines = path.read_text().splitlines() if path.exists() else []
        kept = [line for line in lines if line.split("=", 1)[0].strip() not in values]
        kept += [f"{key}={value}" for key, value in values.items() if value is not None]
        path.write_text("\n".join(kept) + "\n")
    return dest


def start_worker(stack, root: Path, settings=None, drop=()) -> Worker:
    """A started worker on the stack's servers with an edited copy of the sample folder."""
    conf = copy_sample_conf(root / "conf", settings, drop)
    worker = Worker(root / "worker", stack.worker_environment(), conf_dir=conf)
    worker.start()
    return worker
