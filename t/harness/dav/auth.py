"""esn-sabre's authentication (lib/DAV/Auth/Backend/Esn.php; docs/reference/auth.md §5.4), in its
order: Bearer JWT, then the `TwakeCalendarToken` header, then Basic admin impersonation.

The shim knows no JWT key and no LDAP, so a Bearer token and a plain (non-impersonating) Basic
login both fail with 401.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from .directory import Directory, User

TECHNICAL_REMOTE_USER = "technicalUser"   # Radicale user name of every technical tenant
DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


@dataclass(frozen=True)
class Identity:
    principal: str                      # what esn-sabre reports as connectedUser
    remote_user: str                    # what Radicale sees as REMOTE_USER
    user: User | None = None            # the user acting (None for a technical tenant)
    technical_domain: str | None = None  # domain id a technical tenant is scoped to


class Authenticator:
    def __init__(self, directory: Directory, admin_user: str, admin_password: str,
                 introspect_url: str | None = None, timeout: float = 5.0):
        self._directory = directory
        self._admin_user = admin_user
        self._admin_password = admin_password
        self._introspect_url = introspect_url
        self._timeout = timeout

    def authenticate(self, environ) -> Identity | None:
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if re.match(r"^Bearer\s+\S+$", authorization):
            return None                              # esn-sabre: RS256 JWT; not supported here
        token = environ.get("HTTP_TWAKECALENDARTOKEN")
        if token:
            return self._technical_token(token)
        return self._basic(authorization)

    # -- Basic admin impersonation: "<admin>&<email>:<admin password>" --------------------------
    def _basic(self, authorization: str) -> Identity | None:
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            login, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        prefix = f"{self._admin_user}&"
        login = login.strip()
        if not sep or not self._admin_user or not login.startswith(prefix):
            return None                              # esn-sabre would try an LDAP bind
        if not hmac.compare_digest(password.encode(), self._admin_password.encode()):
            return None
        user = self._directory.authenticate_email(login[len(prefix):])
        if user is None:
            return None
        return Identity(user.principal, user.id, user=user)

    # -- TwakeCalendarToken: introspected by the worker ----------------------------------------
    def _technical_token(self, token: str) -> Identity | None:
        if not self._introspect_url:
            return None
        request = urllib.request.Request(self._introspect_url, headers={"X-TECHNICAL-TOKEN": token})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                if response.status != 200:
                    return None
                info = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError):
            return None
        if not isinstance(info, dict) or not info.get("domainId") or "_id" not in info:
            return None
        if "domain" in info:
            if not DOMAIN.match(str(info["domain"])):
                return None
        elif "email" not in info or "@" not in str(info["email"]):
            return None
        principal = f"principals/users/{info['_id']}"
        if info.get("user_type") == "technical":
            return Identity(principal, TECHNICAL_REMOTE_USER, technical_domain=str(info["domainId"]))
        user = User(str(info["_id"]), str(info.get("email", "")), str(info["domainId"]))
        return Identity(principal, user.id, user=user)
