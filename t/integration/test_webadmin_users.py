"""Credential users `/users` (docs/webadmin.md §4): read-only LDAP (the stack's worker, whose
sample folder has usersrepository.xml) and the in-memory store (a worker without it)."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from harness.worker_conf import start_worker


@pytest.fixture(scope="module")
def memory(stack, tmp_path_factory):
    worker = start_worker(stack, tmp_path_factory.mktemp("memory-users"), drop=("usersrepository.xml",))
    yield worker
    worker.stop()


def call(worker, method, path, body=None, **kwargs):
    if body is not None and not isinstance(body, (str, bytes)):
        kwargs["json"] = body
    elif body is not None:
        kwargs["data"] = body
    return requests.request(method, worker.webadmin_url + path, timeout=30, **kwargs)


def error(r):
    return r.status_code, r.json()["type"], r.json()["message"]


# ---- LDAP ------------------------------------------------------------------------------------

def test_ldap_users_are_listed(stack):
    r = call(stack.worker, "GET", "/users")
    assert r.status_code == 200
    names = [u["username"] for u in r.json()]
    assert {"alice@example.com", "bob@example.com", "carol@example.com", "ldap-test@example.com"} <= set(names)
    assert names == sorted(names)
    assert all(set(u) == {"username"} for u in r.json())


def test_ldap_existence(stack):
    assert call(stack.worker, "HEAD", "/users/alice@example.com").status_code == 200
    assert call(stack.worker, "HEAD", "/users/nobody@example.com").status_code == 404
    assert call(stack.worker, "HEAD", "/users/not-an-address").status_code == 400


def test_ldap_is_read_only(stack):
    r = call(stack.worker, "PUT", "/users/alice@example.com", {"password": "changed"})
    assert error(r)[:2] == (409, "WrongState")
    assert "LDAP" in r.json()["message"] and "alice@example.com" in r.json()["message"]
    r = call(stack.worker, "PUT", "/users/new-one@example.com?force", {"password": "x"})
    assert r.status_code == 409
    # James's quirk: DELETE answers 204 and removes nothing.
    assert call(stack.worker, "DELETE", "/users/alice@example.com").status_code == 204
    assert call(stack.worker, "HEAD", "/users/alice@example.com").status_code == 200
    assert call(stack.worker, "POST", "/users/alice@example.com/verify", {"password": "alice-secret"}).status_code == 204


def test_ldap_verify(stack):
    assert call(stack.worker, "POST", "/users/bob@example.com/verify", {"password": "bob-secret"}).status_code == 204
    r = call(stack.worker, "POST", "/users/bob@example.com/verify", {"password": "wrong"})
    assert (r.status_code, r.text) == (401, "")
    assert call(stack.worker, "POST", "/users/bob@example.com/verify", {"password": ""}).status_code == 401
    assert call(stack.worker, "POST", "/users/nobody@example.com/verify", {"password": "x"}).status_code == 401
    r = call(stack.worker, "POST", "/users/bob@example.com/verify", {"pass": "x"})
    assert error(r) == (400, "InvalidArgument", "JSON payload of the request is not valid")


# ---- memory ----------------------------------------------------------------------------------

def test_memory_store_with_james_semantics(memory):
    user = f"u{uuid.uuid4().hex[:8]}@example.com"
    assert call(memory, "HEAD", f"/users/{user}").status_code == 404
    r = call(memory, "PUT", f"/users/{user}", {"password": "first"})
    assert (r.status_code, r.text) == (204, "")
    assert call(memory, "HEAD", f"/users/{user}").status_code == 200
    assert {"username": user} in call(memory, "GET", "/users").json()

    r = call(memory, "PUT", f"/users/{user}", {"password": "second"})
    assert error(r) == (409, "WrongState", f"User '{user}' already exists")
    assert call(memory, "POST", f"/users/{user}/verify", {"password": "first"}).status_code == 204
    assert call(memory, "POST", f"/users/{user}/verify", {"password": "second"}).status_code == 401

    assert call(memory, "PUT", f"/users/{user}?force", {"password": "second"}).status_code == 204
    assert call(memory, "POST", f"/users/{user}/verify", {"password": "second"}).status_code == 204
    assert call(memory, "POST", f"/users/{user}/verify", {"password": "first"}).status_code == 401

    assert call(memory, "DELETE", f"/users/{user}").status_code == 204
    assert call(memory, "HEAD", f"/users/{user}").status_code == 404
    assert call(memory, "DELETE", f"/users/{user}").status_code == 204  # absent: still 204
    assert {"username": user} not in call(memory, "GET", "/users").json()


def test_memory_username_rules(memory):
    # The local part is kept as given, the domain lower-cased.
    assert call(memory, "PUT", "/users/Mixed.Case@EXAMPLE.com", {"password": "p"}).status_code == 204
    assert call(memory, "HEAD", "/users/Mixed.Case@example.com").status_code == 200
    assert {"username": "Mixed.Case@example.com"} in call(memory, "GET", "/users").json()

    for bad in ["no-domain", "a(b@example.com", "a%20b@example.com", "a%3Ab@example.com", "x@bad_.com"]:
        r = call(memory, "PUT", f"/users/{bad}", {"password": "p"})
        assert error(r) == (400, "InvalidArgument", "Username supplied is invalid"), bad
    r = call(memory, "PUT", "/users/someone@unknown-domain.test", {"password": "p"})
    assert error(r) == (400, "InvalidArgument", "Username supplied is invalid")
    assert "unknown-domain.test" in r.json()["details"]


@pytest.mark.parametrize("body", ["", "not json", "[]", '{"password": 1}', '{"password": null}', "{}",
                                  '{"password": "p", "extra": 1}'])
def test_memory_body_is_strict(memory, body):
    r = call(memory, "PUT", "/users/strict@example.com", body, headers={"Content-Type": "application/json"})
    assert error(r) == (400, "InvalidArgument", "JSON payload of the request is not valid")


def test_passwords_never_reach_the_log(memory):
    secret = f"pw-{uuid.uuid4().hex}"
    call(memory, "PUT", "/users/logged@example.com?force", {"password": secret})
    call(memory, "POST", "/users/logged@example.com/verify", {"password": secret})
    call(memory, "PUT", "/users/logged@example.com?force", '{"password": "' + secret + '"',  # broken JSON
         headers={"Content-Type": "application/json"})
    assert secret not in memory.log_path.read_text()
    entries = [json.loads(line) for line in memory.log_path.read_text().splitlines() if line.strip()]
    bodies = [e["mdc"]["request-body"] for e in entries if e["message"] == "WebAdmin request received"
              and e["mdc"]["endpoint"].startswith("/users/logged@example.com")]
    assert bodies[0] == '{"password":"***"}'
    assert "not logged" in bodies[-1]


def test_memory_users_are_lost_at_restart(memory):
    assert call(memory, "PUT", "/users/ephemeral@example.com?force", {"password": "p"}).status_code == 204
    memory.restart()
    assert call(memory, "GET", "/users").json() == []
    assert call(memory, "HEAD", "/users/ephemeral@example.com").status_code == 404
