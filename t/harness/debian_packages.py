"""The Debian packages of `make deb` (docs/install.md#packages) on this machine: built, installed
and purged with dpkg, the worker started as its installed systemd unit says (there is no systemd
here: its ExecStart, User, EnvironmentFile and RuntimeDirectory are applied by hand), and a
private nginx loading the packaged module through /etc/nginx/modules-enabled."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

from .nginx_server import Nginx, render
from .service import BUILD, REPO
from .worker_process import Worker

MODULE_PACKAGE = "libnginx-mod-http-twake-calendar"
WORKER_PACKAGE = "twake-calendar-worker"
PACKAGES = (MODULE_PACKAGE, WORKER_PACKAGE)
DEB_DIR = BUILD / "deb"
UNIT = Path("/lib/systemd/system/twake-calendar-worker.service")
EXAMPLES = Path("/usr/share/doc") / MODULE_PACKAGE / "examples"
MODULES_ENABLED = Path("/etc/nginx/modules-enabled")
USER = "twake-calendar"


def run(*cmd: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs a command; a non-zero exit is an error carrying its output."""
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited with {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def build() -> list[Path]:
    """`make deb` without its deps and build steps (make test has run them): the .deb files."""
    run(str(REPO / "tools" / "build-deb.sh"), timeout=600)
    return sorted(DEB_DIR.glob("*.deb"))


def known(package: str) -> bool:
    """Installed, or removed with its configuration files left: anything a purge would clean."""
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return r.returncode == 0 and not r.stdout.endswith("not-installed")


def purge() -> None:
    present = [p for p in PACKAGES if known(p)]
    if present:
        run("dpkg", "--purge", *present)


def files(package: str) -> list[Path]:
    """Every path the package installed ("/." aside)."""
    return [Path(line) for line in run("dpkg", "-L", package).stdout.splitlines()
            if line.startswith("/") and line != "/."]


def owned_by_another_package(path: Path) -> bool:
    return subprocess.run(["dpkg", "-S", str(path)], capture_output=True).returncode == 0


def unit_settings(path: Path = UNIT) -> dict[str, str]:
    """The [Service] settings of a unit file (the last value of a setting wins)."""
    settings, section = {}, None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line:
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def read_environment_file(path: Path) -> dict[str, str]:
    """systemd's EnvironmentFile= format: KEY=VALUE lines, comments, optional quotes."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def fill_environment_file(path: Path, values: dict[str, str]) -> None:
    """What an operator does: the commented sample lines given values, the others kept."""
    lines = path.read_text().splitlines()
    given = set()
    out = []
    for line in lines:
        m = re.match(r"#?([A-Z][A-Z0-9_]*)=", line)
        if m and m.group(1) in values:
            out.append(f"{m.group(1)}={values[m.group(1)]}")
            given.add(m.group(1))
        else:
            out.append(line)
    out += [f"{k}={v}" for k, v in values.items() if k not in given]
    path.write_text("\n".join(out) + "\n")


class InstalledWorker(Worker):
    """The worker as systemd would run the installed unit: ExecStart as User/Group, the
    EnvironmentFile's variables, RUNTIME_DIRECTORY created with RuntimeDirectoryMode and removed
    at stop, NOTIFY_SOCKET for Type=notify. `workdir` holds only the harness's own files (log,
    notification socket) and must be reachable by the unit's user."""

    notify_socket_mode = 0o666

    def __init__(self, workdir: Path, webadmin_port: int):
        self.unit = unit_settings()
        env_file = Path(self.unit["EnvironmentFile"].lstrip("-"))
        super().__init__(workdir, read_environment_file(env_file), webadmin_port=webadmin_port)
        shutil.rmtree(self.runtime_dir)  # the base class's; systemd's is under /run
        self.runtime_dir = Path("/run") / self.unit["RuntimeDirectory"]
        self.socket = self.runtime_dir / "worker.sock"
        self.env["RUNTIME_DIRECTORY"] = str(self.runtime_dir)

    def prepare(self):
        shutil.rmtree(self.runtime_dir, ignore_errors=True)
        self.runtime_dir.mkdir(mode=int(self.unit.get("RuntimeDirectoryMode", "0755"), 8))
        shutil.chown(self.runtime_dir, self.unit["User"], self.unit["Group"])

    def command(self):
        exec_start = shlex.split(self.unit["ExecStart"].lstrip("-@:+!"))
        return ["setpriv", f"--reuid={self.unit['User']}", f"--regid={self.unit['Group']}", "--init-groups",
                "--", *exec_start]

    def after_stop(self):
        super().after_stop()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


class PackagedNginx(Nginx):
    """A private nginx on the installed sample configuration (the package's examples) whose
    `load_module` line is Debian's `include /etc/nginx/modules-enabled/*.conf;`. No `-p`: the
    enabled file's `modules/…` path is relative to Debian's prefix, /usr/share/nginx."""

    def __init__(self, workdir, values: dict, port: int | None = None):
        template = (EXAMPLES / "nginx.conf").read_text()
        template, n = re.subn(r"^load_module @MODULE@;$", f"include {MODULES_ENABLED}/*.conf;", template,
                              flags=re.M)
        assert n == 1, "the installed nginx.conf has no `load_module @MODULE@;` line"
        super().__init__(workdir, template=template, values=values, port=port)

    def prepare(self):
        self.conf_path.write_text(self.rendered())
        for extra in EXAMPLES.glob("twake_calendar_*.conf"):
            shutil.copy(extra, self.workdir / extra.name)
        check = self.test_config()
        if check.returncode != 0:
            raise AssertionError(f"nginx -t failed:\n{check.stderr}")

    def rendered(self) -> str:
        return render(self.template, {**self.base_values(), **self.values})

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run(["nginx", "-t", "-e", str(self.error_log), "-c", str(self.conf_path),
                               "-g", self.global_directives()], capture_output=True, text=True)

    def command(self):
        return ["nginx", "-e", str(self.error_log), "-c", str(self.conf_path), "-g", self.global_directives()]
