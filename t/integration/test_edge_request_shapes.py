"""Every credential kind × every request shape through the edge (docs/reference/edge-worker.md §5):
a request whose credential needs a lookup (identity provider, provisioning, LDAP, domain check) must
not make the internal calls wait for the client's body, and a HEAD must leave the keep-alive
connection usable. Each row runs on one connection, so a request that breaks it fails the next. """

from __future__ import annotations

import base64
import http.client
import time
import uuid

import pytest

from test_api_public import technical_token
from test_edge_auth import legacy_jwt

# Well under the internal locations' timeouts (5 s): nothing waits on a timeout.
FAST = 2.0
PROPFIND = (b'<?xml version="1.0" encoding="utf-8"?>'
            b'<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>')
CONFIGURATIONS = b'[{"name":"core","keys":["language"]}]'


def big_event(uid: str) -> bytes:
    """An iCalendar event of about 1 MB (a long description, folded)."""
    description = "x" * (1 << 20)
    folded = "\r\n ".join(description[i:i + 70] for i in range(0, len(description), 70))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//shapes//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260110T100000Z\r\n"
            f"DTEND:20260110T110000Z\r\nSUMMARY:big\r\nDESCRIPTION:{folded}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def chunks(body: bytes, size: int = 7):
    for i in range(0, len(body), size):
        yield body[i:i + size]


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


class Row:
    """Makes the credential of one kind: `fresh()` one the edge has never seen (for the *_new
    kinds), else the same one each time (warmed once by the first request)."""

    def __init__(self, kind: str, stack, people):
        self.kind, self.stack, self.people = kind, stack, people
        self.domain = people.domain()
        self.user = people.user(self.domain)
        self._cached: dict | None = None
        self.directory_entries: list[str] = []

    def headers(self) -> dict:
        if self.kind.endswith("_new") or self._cached is None:
            made = self._make()
            if self.kind.endswith("_new"):
                return made
            self._cached = made
        return self._cached

    def remove_directory_entries(self) -> None:
        self.stack.ldap.delete(*self.directory_entries)

    def _make(self) -> dict:
        email = self.user["email"]
        if self.kind.startswith("oidc"):
            if self.kind == "oidc_new":
                # A token the edge has never seen: introspection, userinfo and the provisioning
                # call (the user exists, so that its calendar's path is known).
                self.user = self.people.user(self.domain)
                email = self.user["email"]
            self.stack.oidc.add_account({"sub": email, "email": email, "given_name": "Ada",
                                         "family_name": "Shape", "password": "x"})
            return {"Authorization": "Bearer " + self.stack.oidc.token(email)}
        if self.kind.startswith("jwt"):
            if self.kind == "jwt_new":
                # A domain the edge has not checked yet (its domain check is cached 60 s).
                self.domain = self.people.domain()
                self.user = self.people.user(self.domain)
            return {"Authorization": "Bearer " + legacy_jwt(self.stack, sub=self.user["email"])}
        if self.kind == "admin":
            return {"Authorization": basic(self.stack.admin_user, self.stack.admin_password)}
        if self.kind.startswith("ldap"):
            # A directory entry of the demo domain, known to the worker (esn-sabre needs it).
            uid = "s" + uuid.uuid4().hex[:10]
            email, password = f"{uid}@example.com", "pw-" + uid
            self.directory_entries.append(self.stack.ldap.add_person(uid, email, password))
            self.user = self.people.user("example.com", local=uid)
            return {"Authorization": basic(email, password)}
        if self.kind == "technical":
            return {"X-TECHNICAL-TOKEN": technical_token(self.stack, self.people.domain_id(self.domain))}
        raise AssertionError(self.kind)


KINDS = ["oidc_new", "oidc_cached", "jwt_new", "jwt_cached", "admin", "ldap_new", "ldap_cached", "technical"]
SHAPES = ["GET", "HEAD", "POST JSON", "PROPFIND body", "PUT 1 MB", "PUT chunked", "POST chunked"]


def expected(kind: str, shape: str) -> int:
    if kind == "technical":  # a public route that only knows GET (and HEAD)
        return {"GET": 200, "HEAD": 200, "PUT 1 MB": 413, "PUT chunked": 413}.get(shape, 404)
    if kind == "admin" and shape in ("PROPFIND body", "PUT 1 MB", "PUT chunked"):
        return 401  # esn-sabre knows no such user: its refusal, passed on
    return {"GET": 200, "HEAD": 200, "POST JSON": 200, "PROPFIND body": 207, "PUT 1 MB": 201,
            "PUT chunked": 201, "POST chunked": 200}[shape]


def send(conn: http.client.HTTPConnection, row: Row, shape: str) -> tuple[int, float]:
    headers = row.headers()
    home = row.user["id"]
    started = time.monotonic()
    if row.kind == "technical":
        path = "/api/technicalToken/introspect"
    elif shape in ("GET", "HEAD"):
        path = "/api/users?email=" + row.user["email"]
    elif shape in ("POST JSON", "POST chunked"):
        path = "/api/configurations"
    elif shape == "PROPFIND body":
        path = "/dav/calendars/"
    else:
        path = f"/dav/calendars/{home}/{home}/{uuid.uuid4().hex}.ics"
    method = {"GET": "GET", "HEAD": "HEAD", "POST JSON": "POST", "PROPFIND body": "PROPFIND",
              "PUT 1 MB": "PUT", "PUT chunked": "PUT", "POST chunked": "POST"}[shape]
    if shape == "POST JSON":
        conn.request(method, path, body=CONFIGURATIONS, headers={**headers, "Content-Type": "application/json"})
    elif shape == "POST chunked":
        conn.request(method, path, body=chunks(CONFIGURATIONS), encode_chunked=True,
                     headers={**headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    elif shape == "PROPFIND body":
        conn.request(method, path, body=PROPFIND,
                     headers={**headers, "Depth": "0", "Content-Type": "application/xml; charset=utf-8"})
    elif shape == "PUT 1 MB":
        conn.request(method, path, body=big_event(uuid.uuid4().hex),
                     headers={**headers, "Content-Type": "text/calendar; charset=utf-8"})
    elif shape == "PUT chunked":
        conn.request(method, path, body=chunks(big_event(uuid.uuid4().hex), 64 * 1024), encode_chunked=True,
                     headers={**headers, "Content-Type": "text/calendar; charset=utf-8",
                              "Transfer-Encoding": "chunked"})
    else:
        conn.request(method, path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, time.monotonic() - started


@pytest.mark.parametrize("kind", KINDS)
def test_every_request_shape_with_every_credential(stack, people, kind):
    row = Row(kind, stack, people)
    conn = http.client.HTTPConnection("127.0.0.1", stack.edge_port, timeout=10)
    results = {}
    try:
        for shape in SHAPES:
            results[shape] = send(conn, row, shape)
        # The connection still serves a request after all of them (HEAD included).
        results["GET again"] = send(conn, row, "GET")
    finally:
        conn.close()
        row.remove_directory_entries()
    statuses = {shape: status for shape, (status, _) in results.items()}
    assert statuses == {**{s: expected(kind, s) for s in SHAPES}, "GET again": expected(kind, "GET")}
    slow = {shape: round(took, 2) for shape, (_, took) in results.items() if took > FAST}
    assert not slow, f"requests that waited: {slow}"


@pytest.mark.parametrize("kind", ["oidc_new", "oidc_refused"])
def test_head_with_a_looked_up_token_keeps_the_connection(stack, people, kind):
    """nginx must finish the HEAD (no body to flush the lookups' subrequests) and read the
    next request on the same connection."""
    email = people.user()["email"]
    stack.oidc.add_account({"sub": email, "email": email, "given_name": "A", "family_name": "B", "password": "x"})
    token = stack.oidc.token(email) + ("-not-a-token" if kind == "oidc_refused" else "")
    conn = http.client.HTTPConnection("127.0.0.1", stack.edge_port, timeout=5)
    try:
        for _ in range(2):
            conn.request("HEAD", "/api/user", headers={"Authorization": "Bearer " + token})
            r = conn.getresponse()
            r.read()
            assert r.status == (401 if kind == "oidc_refused" else 200)
    finally:
        conn.close()
    assert "non-active" not in stack.nginx.error_log.read_text()
