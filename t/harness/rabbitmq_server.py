"""RabbitMQ (Debian rabbitmq-server) as a private node: own HOME, node name, ports and data.

The /usr/sbin wrappers switch to the system user and folders, so the scripts under
/usr/lib/rabbitmq/bin are run directly with an environment of our own.
"""

from __future__ import annotations

import socket
import subprocess

from .service import Service, free_port

RABBIT_BIN = "/usr/lib/rabbitmq/bin"


class RabbitMQ(Service):
    name = "rabbitmq"
    start_timeout = 60.0
    user = "guest"
    password = "guest"

    def __init__(self, workdir):
        super().__init__(workdir)
        self.port = free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = f"tcal{self.port}@localhost"
        self.url = f"amqp://{self.user}:{self.password}@127.0.0.1:{self.port}/%2F"

    def prepare(self):
        home = self.workdir / "home"
        home.mkdir(exist_ok=True)
        (self.workdir / "rabbitmq-env.conf").write_text("")
        (self.workdir / "enabled_plugins").write_text("[].\n")
        (self.workdir / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\n"
            "loopback_users = none\n"
            "log.console = true\n"
            "log.console.level = warning\n"
            "log.file = false\n"
        )

    def environment(self):
        w = self.workdir
        return {
            "HOME": str(w / "home"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_CONF_ENV_FILE": str(w / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(w / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(w / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(w / "mnesia"),
            "RABBITMQ_LOG_BASE": str(w / "log"),
            "RABBITMQ_PID_FILE": str(w / "rabbitmq.pid"),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            # Keep Erlang distribution on loopback (it listens on every interface otherwise).
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_CTL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def command(self):
        return [f"{RABBIT_BIN}/rabbitmq-server"]

    def ready(self) -> bool:
        # A real AMQP 0-9-1 handshake: the broker must answer the protocol header with
        # a Connection.Start method frame (type 1, class 10, method 10).
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(b"AMQP\x00\x00\x09\x01")
            frame = s.recv(11)
        return len(frame) >= 11 and frame[0] == 1 and frame[7:11] == b"\x00\x0a\x00\x0a"

    def after_stop(self):
        env = self.environment()
        subprocess.run(
            ["epmd", "-port", env["ERL_EPMD_PORT"], "-kill"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )
