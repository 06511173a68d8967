"""OpenLDAP (Debian slapd) on a loopback port, loaded from t/harness/ldap/users.ldif."""

from __future__ import annotations

import subprocess
from pathlib import Path

import ldap3

from .service import Service, free_port

LDIF = Path(__file__).parent / "ldap" / "users.ldif"
SCHEMAS = ["core", "cosine", "nis", "inetorgperson"]


class Ldap(Service):
    name = "slapd"
    start_timeout = 15.0
    base_dn = "dc=twake,dc=test"
    users_dn = "ou=users,dc=twake,dc=test"
    admin_dn = "cn=admin,dc=twake,dc=test"
    admin_password = "ldap-admin-secret"

    def __init__(self, workdir):
        super().__init__(workdir)
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"

    def prepare(self):
        data = self.workdir / "data"
        data.mkdir(exist_ok=True)
        conf = self.workdir / "slapd.conf"
        conf.write_text(
            "".join(f"include /etc/ldap/schema/{s}.schema\n" for s in SCHEMAS)
            + f"pidfile {self.workdir / 'slapd.pid'}\n"
            "modulepath /usr/lib/ldap\n"
            "moduleload back_mdb\n"
            "database mdb\n"
            f'suffix "{self.base_dn}"\n'
            f'rootdn "{self.admin_dn}"\n'
            f"rootpw {self.admin_password}\n"
            f"directory {data}\n"
            "maxsize 104857600\n"
        )
        if not (data / "data.mdb").exists():
            subprocess.run(
                ["slapadd", "-f", str(conf), "-l", str(LDIF)],
                check=True, capture_output=True,
            )

    def command(self):
        return ["slapd", "-h", f"ldap://127.0.0.1:{self.port}/", "-f", str(self.workdir / "slapd.conf"), "-d", "0"]

    def ready(self) -> bool:
        r = subprocess.run(
            ["ldapwhoami", "-x", "-H", self.url, "-D", self.admin_dn, "-w", self.admin_password],
            capture_output=True, timeout=5,
        )
        return r.returncode == 0

    def add_person(self, uid: str, mail: str, password: str, given: str = "Shape", family: str = "Test") -> str:
        """Adds a person under the users' branch, returns its DN (tests remove what they add:
        others count the directory's users)."""
        dn = f"uid={uid},{self.users_dn}"
        with ldap3.Connection(ldap3.Server(self.url), self.admin_dn, self.admin_password, auto_bind=True) as conn:
            if not conn.add(dn, "inetOrgPerson", {"cn": f"{given} {family}", "givenName": given, "sn": family,
                                                  "mail": mail, "userPassword": password}):
                raise RuntimeError(f"cannot add {dn}: {conn.result}")
        return dn

    def delete(self, *dns: str) -> None:
        with ldap3.Connection(ldap3.Server(self.url), self.admin_dn, self.admin_password, auto_bind=True) as conn:
            for dn in dns:
                conn.delete(dn)
