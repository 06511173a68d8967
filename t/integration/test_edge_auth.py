"""The edge module authenticates every request inside nginx (docs/reference/auth.md, docs/reference/edge-worker.md §1, §5, §6):
OIDC tokens (shared-memory cache, else introspection + userinfo, then provisioning), the admin
Basic account, LDAP Basic through the worker, legacy OpenPaaS JWTs; and it is the only one to
decide who the caller is."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt as pyjwt
import pytest
import requests


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def logged(stack, uri, send):
    """Sends a request; returns its response and its own access-log entry (nginx writes it just
    after answering: the first entry for `uri` beyond those there were before)."""
    before = len(stack.nginx.log_entries(uri))
    response = send()
    return response, stack.nginx.entry_after(uri, before)


def get_user(stack, headers, **kwargs):
    return requests.get(stack.edge_url + "/api/user", headers=headers, timeout=10, **kwargs)


def get_user_logged(stack, headers, **kwargs):
    return logged(stack, "/api/user", lambda: get_user(stack, headers, **kwargs))


def test_an_oidc_token_is_resolved_once_then_served_from_shared_memory(stack):
    token = stack.oidc.token("alice@example.com")
    first, entry = get_user_logged(stack, bearer(token))
    assert first.status_code == 200
    assert first.json()["preferredEmail"] == "alice@example.com"
    assert entry["cache"] == "idp"
    second, entry = get_user_logged(stack, bearer(token))
    assert second.status_code == 200
    assert (entry["cache"], entry["auth"], entry["user"]) == ("shm", "oidc", "alice@example.com")


def test_a_new_user_is_provisioned_before_the_token_is_used(stack, db, people):
    domain = people.domain()
    email = f"newcomer{uuid.uuid4().hex[:6]}@{domain}"
    account = {"sub": email, "email": email, "given_name": "Nora", "family_name": "Newcomer", "password": "x"}
    stack.oidc.add_account(account)
    token = stack.oidc.token(email)
    r = requests.request("PROPFIND", stack.edge_url + "/dav/calendars/", headers={**bearer(token), "Depth": "0"},
                         timeout=10)
    assert r.status_code == 207, r.text  # esn-sabre knew the user: the worker created it first
    doc = db.users.find_one({"accounts.emails": email})
    assert (doc["firstname"], doc["lastname"]) == ("Nora", "Newcomer")


def test_own_calendar_through_dav_and_another_users_refused(stack, people):
    token = stack.oidc.token("alice@example.com")
    me = get_user(stack, bearer(token)).json()["_id"]
    r = requests.request("PROPFIND", stack.edge_url + f"/dav/calendars/{me}/{me}/",
                         headers={**bearer(token), "Depth": "1"}, timeout=10)
    assert r.status_code == 207
    bob_token = stack.oidc.token("bob@example.com")
    bob = get_user(stack, bearer(bob_token)).json()["_id"]
    r = requests.request("PROPFIND", stack.edge_url + f"/dav/calendars/{bob}/{bob}/",
                         headers={**bearer(token), "Depth": "1"}, timeout=10)
    assert r.status_code == 403  # refused by the DAV server, as alice
    assert "WWW-Authenticate" not in r.headers


@pytest.mark.parametrize("headers,details", [
    ({}, "No credentials"),
    ({"Authorization": "Bearer garbage-token"}, "Token is not active"),
    ({"Authorization": "Negotiate abc"}, "Unsupported credentials"),
    ({"Authorization": "Basic !!!"}, "Unsupported credentials"),
])
def test_missing_or_bad_credentials_get_a_bearer_challenge_and_json(stack, headers, details):
    r = get_user(stack, headers)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="twake_calendar"'
    assert r.json() == {"error": {"code": 401, "type": "Unauthorized", "message": "Unauthorized", "details": details}}


def test_an_expired_token_is_refused(stack):
    token = stack.oidc.token("carol@example.com", ttl=1)
    time.sleep(1.5)
    r = get_user(stack, bearer(token))
    assert r.status_code == 401


def test_the_admin_account(stack):
    r, entry = logged(stack, "/api/users", lambda: requests.get(
        stack.edge_url + "/api/users?email=alice@example.com", auth=(stack.admin_user, stack.admin_password),
        timeout=10))
    assert r.status_code == 200 and r.json()[0]["preferredEmail"] == "alice@example.com"
    assert entry["auth"] == "admin"
    r = requests.get(stack.edge_url + "/api/users?email=alice@example.com",
                     auth=(stack.admin_user, "wrong"), timeout=10)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="twake_calendar"'  # never Basic


def test_ldap_basic_is_checked_by_the_worker_then_cached(stack):
    r, entry = get_user_logged(stack, {}, auth=("bob@example.com", "bob-secret"))
    assert r.status_code == 200 and r.json()["preferredEmail"] == "bob@example.com"
    assert entry["auth"] == "basic"
    again, entry = get_user_logged(stack, {}, auth=("bob@example.com", "bob-secret"))
    assert again.status_code == 200
    assert entry["cache"] == "shm"
    assert get_user(stack, {}, auth=("bob@example.com", "not-bob")).status_code == 401
    assert get_user(stack, {}, auth=("nobody@example.com", "x")).status_code == 401


def legacy_jwt(stack, sub="alice@example.com", **changes):
    now = int(time.time())
    claims = {"sub": sub, "twake_calendar_auth_type": "jwt", "iat": now, "exp": now + 3600, **changes}
    return pyjwt.encode(claims, stack.jwt_private_key.read_text(), algorithm="RS256",
                        headers={"typ": "JWT", "alg": "RS256"})


def test_a_legacy_jwt_signed_with_the_key_is_accepted(stack):
    r, entry = get_user_logged(stack, bearer(legacy_jwt(stack)))
    assert r.status_code == 200 and r.json()["preferredEmail"] == "alice@example.com"
    assert entry["auth"] == "jwt"
    # A JWT minted by the worker works too (docs/reference/rest-api.md §8.1).
    minted = json.loads(requests.post(stack.edge_url + "/api/jwt/generate",
                                      headers=bearer(stack.oidc.token("bob@example.com")), timeout=10).text)
    assert get_user(stack, bearer(minted)).json()["preferredEmail"] == "bob@example.com"


def test_tampered_expired_and_foreign_legacy_jwts_are_refused(stack):
    token = legacy_jwt(stack)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "bob@example.com"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert get_user(stack, bearer(f"{header}.{forged}.{signature}")).status_code == 401
    assert get_user(stack, bearer(legacy_jwt(stack, exp=int(time.time()) - 10))).status_code == 401
    assert get_user(stack, bearer(legacy_jwt(stack, sub="eve@unknown-domain.test"))).status_code == 401


def test_hs256_signed_with_the_public_key_is_refused(stack):
    # libjwt 1.10 would accept it: the header chooses HMAC with the PEM text as secret.
    now = int(time.time())
    claims = {"sub": "alice@example.com", "twake_calendar_auth_type": "jwt", "iat": now, "exp": now + 3600}
    public_pem = stack.jwt_public_key.read_bytes()
    header = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"HS256"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    import hashlib, hmac
    sig = base64.urlsafe_b64encode(hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()).decode().rstrip("=")
    r = get_user(stack, bearer(f"{header}.{body}.{sig}"))
    assert r.status_code == 401
    assert "algorithm" in r.json()["error"]["details"]


def test_an_unknown_domain_is_forbidden_at_provisioning(stack):
    email = f"stranger{uuid.uuid4().hex[:6]}@not-registered.test"
    stack.oidc.add_account({"sub": email, "email": email, "password": "x"})
    r = get_user(stack, bearer(stack.oidc.token(email)))
    assert r.status_code == 403
    assert r.json()["error"]["details"] == "Domain not-registered.test is not registered"


@pytest.mark.fault
def test_idp_outage_keeps_cached_tokens_working_and_refuses_new_ones_with_503(stack):
    cached = stack.oidc.token("bob@example.com")
    assert get_user(stack, bearer(cached)).status_code == 200
    fresh = stack.oidc.token("carol@example.com")
    stack.oidc.stop()
    try:
        assert get_user(stack, bearer(cached)).status_code == 200
        r = get_user(stack, bearer(fresh))
        assert r.status_code == 503
        assert r.json()["error"]["type"] == "ServiceUnavailable"
    finally:
        stack.oidc.start()
