"""The whole test and demo stack: every server real, on free loopback ports, in one folder.

Used by the pytest session fixture (t/integration/conftest.py) and by `make run`
(t/harness/run.py): one composition, two front ends.
"""

from __future__ import annotations

import time
from pathlib import Path

from .dav_server import DavServer
from .ldap_server import Ldap
from .mongo_server import FerretDB
from .nginx_server import Nginx
from .oidc_server import OidcProvider
from .opensearch_server import OpenSearch
from .rabbitmq_server import RabbitMQ
from .redis_server import Redis
from .keys import write_rsa_key_pair
from .service import REPO, free_port
from .smtp_server import SmtpSink
from .worker_process import Worker

MONGO_DATABASE = "esn_docker"
DEMO_DOMAIN = "example.com"
DAV_ADMIN_USER = "admin"
DAV_ADMIN_PASSWORD = "dav-admin-secret"
# The admin Basic account of the edge (Twake Mail's DAV access, docs/reference/auth.md §3.2).
ADMIN_USER = "admin@open-paas.org"
ADMIN_PASSWORD = "admin-secret"

# The demo people: the same in the IdP and in the LDAP directory (t/harness/ldap/users.ldif).
ACCOUNTS = [
    {"sub": "alice", "email": "alice@example.com", "given_name": "Alice", "family_name": "Martin",
     "password": "alice-secret"},
    {"sub": "bob", "email": "bob@example.com", "given_name": "Bob", "family_name": "Durand",
     "password": "bob-secret"},
    {"sub": "carol", "email": "carol@example.com", "given_name": "Carol", "family_name": "Petit",
     "password": "carol-secret"},
]


class Stack:
    """Creates the services (choosing their ports) at construction; `start()` starts them
    in dependency order and `stop()` stops them in reverse order."""

    def __init__(self, root: Path, log=print, edge_port: int | None = None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.timings: dict[str, float] = {}
        self.mongo_database = MONGO_DATABASE
        self.accounts = ACCOUNTS
        self.redis = Redis(self.root / "redis")
        self.rabbitmq = RabbitMQ(self.root / "rabbitmq")
        self.ldap = Ldap(self.root / "ldap")
        self.mongo = FerretDB(self.root / "ferretdb")
        self.smtp = SmtpSink(self.root / "smtp")
        self.opensearch = OpenSearch(self.root / "opensearch")
        # The identity provider calls the worker's back-channel logout endpoint, as in
        # production (docs/reference/edge-worker.md §4).
        self.webadmin_port = free_port()
        self.oidc = OidcProvider(self.root / "oidc", ACCOUNTS,
                                 backchannel_logout_uri=f"http://127.0.0.1:{self.webadmin_port}/add-revoked-token")
        self.edge_port = edge_port or free_port()
        self.edge_url = f"http://127.0.0.1:{self.edge_port}"
        self.jwt_private_key, self.jwt_public_key = write_rsa_key_pair(self.root / "keys")
        self.technical_token_secret = "stack-technical-token-secret-0123456789abcdef"
        # esn-sabre introspects technical tokens through the edge, as in production.
        self.dav = DavServer(self.root / "dav", self.mongo.url, self.mongo_database, self.rabbitmq.url,
                             DAV_ADMIN_USER, DAV_ADMIN_PASSWORD,
                             technical_token_introspect_url=self.edge_url + "/api/technicalToken/introspect")
        self.worker = Worker(self.root / "worker", self.worker_environment(), webadmin_port=self.webadmin_port)
        self.admin_user, self.admin_password = ADMIN_USER, ADMIN_PASSWORD
        self.nginx = Nginx(self.root / "nginx", port=self.edge_port, values=self.nginx_values())
        # Start order: what others depend on first; the slow JVM early so it overlaps nothing
        # it does not need to.
        self.services = [self.redis, self.ldap, self.mongo, self.smtp, self.rabbitmq, self.opensearch,
                         self.oidc, self.dav, self.worker, self.nginx]

    def nginx_values(self) -> dict[str, str]:
        """Values of the @NAME@ markers of conf/nginx.conf (the sample configuration)."""
        return {
            "DAV_SERVER": f"127.0.0.1:{self.dav.port}",
            "WORKER": f"unix:{self.worker.socket}",
            "IDP_INTROSPECTION_URL": self.oidc.introspection_url,
            "IDP_USERINFO_URL": self.oidc.userinfo_url,
            "IDP_CLIENT_AUTHORIZATION": self.oidc.client_authorization(),
            "OIDC_AUDIENCE": "tcalendar",
            "REDIS": f"127.0.0.1:{self.redis.port}",
            "ADMIN_USER": ADMIN_USER,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "DAV_ADMIN_USER": DAV_ADMIN_USER,
            "DAV_ADMIN_PASSWORD": DAV_ADMIN_PASSWORD,
            "JWT_PUBLIC_KEY": str(self.jwt_public_key),
            "JWT_PRIVATE_KEY": str(self.jwt_private_key),
        }

    def worker_environment(self) -> dict[str, str]:
        """Values of the ${env:...} references of conf/worker (the sample configuration)."""
        return {
            "TCAL_MONGO_URL": self.mongo.url,
            "TCAL_MONGO_DATABASE": self.mongo_database,
            "TCAL_AMQP_URI": self.rabbitmq.url,
            "TCAL_OPENSEARCH_HOSTS": f"127.0.0.1:{self.opensearch.http_port}",
            "TCAL_REDIS_URL": self.redis.url,
            "TCAL_LDAP_URL": self.ldap.url,
            "TCAL_LDAP_PRINCIPAL": self.ldap.admin_dn,
            "TCAL_LDAP_PASSWORD": self.ldap.admin_password,
            "TCAL_LDAP_USER_BASE": self.ldap.users_dn,
            "TCAL_DOMAINS": DEMO_DOMAIN,
            "TCAL_DAV_URL": self.dav.url,
            "TCAL_DAV_ADMIN_USER": DAV_ADMIN_USER,
            "TCAL_DAV_ADMIN_PASSWORD": DAV_ADMIN_PASSWORD,
            "TCAL_SELF_URL": self.edge_url,
            "TCAL_JWT_PRIVATE_KEY": f"file://{self.jwt_private_key}",
            "TCAL_JWT_PUBLIC_KEY": f"file://{self.jwt_public_key}",
            "TCAL_TECHNICAL_TOKEN_SECRET": self.technical_token_secret,
            "TCAL_SMTP_HOST": "127.0.0.1",
            "TCAL_SMTP_PORT": str(self.smtp.port),
            "TCAL_SMTP_HELO": "worker.localhost",
            "TCAL_MAIL_SENDER": f"no-reply@{DEMO_DOMAIN}",
            "TCAL_MAIL_TEMPLATES": str(REPO / "conf" / "mail-templates"),
        }

    def start(self) -> None:
        started = []
        try:
            for s in self.services:
                t = time.monotonic()
                s.start()
                started.append(s)
                self.timings[s.name] = time.monotonic() - t
                self.log(f"stack: {s.name} ready in {self.timings[s.name]:.1f} s")
        except BaseException:
            for s in reversed(started):
                s.stop()
            raise

    def stop(self) -> None:
        for s in reversed(self.services):
            try:
                s.stop()
            except Exception as e:  # keep stopping the others
                self.log(f"stack: stopping {s.name} failed: {e}")
