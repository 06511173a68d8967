"""The Debian packages (docs/install.md#packages): `make deb` builds them clean of lintian
errors; dpkg installs them on this machine; the module is enabled through
/etc/nginx/modules-enabled as Debian's own modules are, with the nginx ABI dependency; the
worker's configuration is root:twake-calendar 0750 with worker.env (passwords) 0600; the worker
started from the installed unit (ExecStart as its User, its EnvironmentFile filled in as an
operator would, its RuntimeDirectory) sends READY=1; a private nginx on the installed sample
configuration loads the module through modules-enabled and answers an authenticated request
through it; `dpkg --purge` leaves nothing the packages installed or created.

Runs as root only (it installs packages); purges in a finally, so a failure leaves the machine as
it was."""

from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from harness.debian_packages import (DEB_DIR, MODULE_PACKAGE, MODULES_ENABLED, PACKAGES, USER, WORKER_PACKAGE,
                                     InstalledWorker, PackagedNginx, build, files, fill_environment_file,
                                     owned_by_another_package, purge, run)
from harness.service import REPO, free_port

pytestmark = [pytest.mark.skipif(os.geteuid() != 0, reason="installs Debian packages: needs root"),
              pytest.mark.timeout(600)]

ENABLED = MODULES_ENABLED / "50-mod-http-twake-calendar.conf"
CONF_DIR = Path("/etc/twake-calendar")
ENV_FILE = CONF_DIR / "worker.env"
# What the packages' maintainer scripts and deb-systemd-helper create besides their files.
CREATED = [ENABLED, Path(f"{ENABLED}.removed"), CONF_DIR,
           Path("/etc/systemd/system/multi-user.target.wants/twake-calendar-worker.service"),
           Path("/var/lib/systemd/deb-systemd-helper-enabled/twake-calendar-worker.service.dsh-also"),
           Path("/run/twake-calendar")]


def timed(timings: dict, name: str, action):
    start = time.monotonic()
    result = action()
    timings[name] = round(time.monotonic() - start, 1)
    return result


def check_module_enabled_as_debian_does():
    assert ENABLED.is_symlink()
    assert os.readlink(ENABLED) == "/usr/share/nginx/modules-available/mod-http-twake-calendar.conf"
    assert ENABLED.read_text().strip() == "load_module modules/ngx_http_twake_calendar_module.so;"
    depends = run("dpkg-query", "-W", "-f=${Depends}", MODULE_PACKAGE).stdout.split(", ")
    abi = [d for d in depends if d.startswith("nginx-abi-")]
    assert len(abi) == 1, depends
    assert abi[0] in run("dpkg-query", "-W", "-f=${Provides}", "nginx").stdout.split(", ")
    # Debian's own nginx.conf includes modules-enabled.
    run("nginx", "-t", "-q")


def check_configuration_is_protected():
    conffiles = {line.split()[0] for line in
                 run("dpkg-query", "-W", "-f=${Conffiles}", WORKER_PACKAGE).stdout.splitlines() if line.strip()}
    expected = {str(CONF_DIR / p.name) for p in (REPO / "conf" / "worker").iterdir()} | {str(ENV_FILE)}
    assert conffiles == expected
    st = CONF_DIR.stat()
    assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o750, 0, grp.getgrnam(USER).gr_gid)
    st = ENV_FILE.stat()
    assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o600, 0, 0)


def worker_values(stack, keys: Path, webadmin_port: int, edge_url: str) -> dict[str, str]:
    """The stack's values of the sample's ${env:...} references, with the key pair copied where
    the unit's user can read it and the mail templates the package installed."""
    values = dict(stack.worker_environment())
    del values["TCAL_MAIL_TEMPLATES"]  # the package's default line is kept
    keys.mkdir(mode=0o700)
    for name, src in (("TCAL_JWT_PRIVATE_KEY", stack.jwt_private_key), ("TCAL_JWT_PUBLIC_KEY", stack.jwt_public_key)):
        dest = keys / Path(src).name
        shutil.copy(src, dest)
        shutil.chown(dest, USER, USER)
        values[name] = f"file://{dest}"
    shutil.chown(keys, USER, USER)
    values["TCAL_WEBADMIN_PORT"] = str(webadmin_port)
    values["TCAL_SELF_URL"] = edge_url
    return values


def leftovers(paths: list[Path]) -> list[str]:
    left = [str(p) for p in paths if (p.exists() or p.is_symlink()) and not owned_by_another_package(p)]
    if subprocess.run(["getent", "passwd", USER], capture_output=True).returncode == 0:
        left.append(f"user {USER}")
    if subprocess.run(["getent", "group", USER], capture_output=True).returncode == 0:
        left.append(f"group {USER}")
    left += [f"statoverride {line}" for line in
             subprocess.run(["dpkg-statoverride", "--list"], capture_output=True, text=True).stdout.splitlines()
             if "twake-calendar" in line]
    return left


def test_packages_build_install_serve_and_purge_clean(stack):
    timings: dict[str, float] = {}
    purge()  # what an interrupted run left
    debs = timed(timings, "build", build)
    assert sorted(p.name.split("_")[0] for p in debs) == sorted(PACKAGES)
    lintian = (DEB_DIR / "lintian.txt").read_text()
    assert not [line for line in lintian.splitlines() if line.startswith("E:")], lintian

    workdir = Path(tempfile.mkdtemp(prefix="tcal-packages-", dir="/tmp"))
    os.chmod(workdir, 0o755)  # the notification socket is reached by the unit's user
    worker = nginx = None
    installed_paths: list[Path] = []
    try:
        timed(timings, "install", lambda: run("dpkg", "-i", *map(str, debs)))
        installed_paths = [p for package in PACKAGES for p in files(package)]
        check_module_enabled_as_debian_does()
        check_configuration_is_protected()

        edge_port, webadmin_port = free_port(), free_port()
        fill_environment_file(ENV_FILE, worker_values(stack, workdir / "keys", webadmin_port,
                                                      f"http://127.0.0.1:{edge_port}"))
        worker = InstalledWorker(workdir / "worker", webadmin_port)
        timed(timings, "worker ready", worker.start)
        nginx = PackagedNginx(workdir / "nginx", values={**stack.nginx_values(), "WORKER": f"unix:{worker.socket}"},
                              port=edge_port)
        nginx.start()

        r = requests.get(nginx.url + "/api/user", timeout=10,
                         headers={"Authorization": f"Bearer {stack.oidc.token('alice@example.com')}"})
        assert r.status_code == 200, r.text
        assert r.json()["preferredEmail"] == "alice@example.com"
        entry = nginx.entry_after("/api/user", 0)
        assert (entry["auth"], entry["user"]) == ("oidc", "alice@example.com")
    finally:
        for service in (nginx, worker):
            if service is not None:
                service.stop()
        timed(timings, "purge", purge)
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"packages: {', '.join(f'{p.name} {p.stat().st_size} bytes' for p in debs)}; "
              f"seconds: {timings}")

    assert installed_paths
    assert leftovers(installed_paths + CREATED) == []
