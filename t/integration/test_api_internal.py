"""The calls the edge makes on the worker's API listener (docs/reference/edge-worker.md §2)."""

from __future__ import annotations

import base64
import urllib.parse


def basic(login: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


def test_provision_creates_the_openpaas_document_once(api, db, people):
    domain = people.domain()
    email = f"Grace.Hopper@{domain.upper()}"
    r = api.post("/internal/provision", headers={
        "X-Twake-User": email,
        "X-Twake-Given-Name": urllib.parse.quote("Grâce Marie"),
        "X-Twake-Family-Name": "Hopper"})
    assert r.status == 200
    body = r.json()
    assert body["created"] is True and len(body["id"]) == 24
    doc = db.users.find_one({"_id": __import__("bson").ObjectId(body["id"])})
    lowered = email.lower()
    assert list(doc.keys()) == ["_id", "firstname", "lastname", "firstnames", "password", "email",
                                "domains", "accounts"]
    assert doc["firstname"] == "Grâce Marie" and doc["lastname"] == "Hopper"
    assert doc["firstnames"] == ["Grâce", "Marie"]
    assert doc["email"] == lowered
    assert doc["accounts"] == [{"type": "email", "emails": [lowered]}]
    assert doc["domains"] == [{"domain_id": db.domains.find_one({"name": domain})["_id"]}]
    again = api.post("/internal/provision", headers={"X-Twake-User": lowered})
    assert again.status == 200 and again.json() == {"id": body["id"], "created": False}


def test_provision_without_claims_takes_names_from_ldap_or_the_address(api, db, people):
    # carol@example.com is in the LDAP directory, example.com is created from `domains`.
    db.users.delete_many({"accounts.emails": "carol@example.com"})
    r = api.post("/internal/provision", headers={"X-Twake-User": "carol@example.com"})
    assert r.status == 200
    doc = db.users.find_one({"accounts.emails": "carol@example.com"})
    assert (doc["firstname"], doc["lastname"]) == ("Carol", "Petit")
    unknown = f"nobody@{people.domain()}"
    assert api.post("/internal/provision", headers={"X-Twake-User": unknown}).status == 200
    doc = db.users.find_one({"accounts.emails": unknown})
    assert (doc["firstname"], doc["lastname"]) == (unknown, unknown)


def test_provision_in_an_unknown_domain_is_forbidden(api, db):
    r = api.post("/internal/provision", headers={"X-Twake-User": "someone@not-registered.test"})
    assert r.status == 403
    assert r.json() == {"error": {"code": 403, "type": "Forbidden", "message": "Forbidden",
                                  "details": "Domain not-registered.test is not registered"}}
    assert db.users.count_documents({"accounts.emails": "someone@not-registered.test"}) == 0


def test_provision_refuses_what_is_not_an_address(api):
    for bad in ["", "no-at-sign", "@example.com", "a@-bad-.com"]:
        r = api.post("/internal/provision", headers={"X-Twake-User": bad} if bad else {})
        assert r.status == 400, bad
        assert r.json()["error"]["type"] == "BadRequest"


def test_basic_auth_checks_the_ldap_directory(api):
    r = api.get("/internal/basic-auth", headers=basic("alice@example.com", "alice-secret"))
    assert (r.status, r.json()) == (200, {"username": "alice@example.com"})
    for login, password in [("alice@example.com", "wrong"), ("alice@example.com", ""),
                            ("ghost@example.com", "x"), ("*", "alice-secret")]:
        r = api.get("/internal/basic-auth", headers=basic(login, password))
        assert r.status == 401, (login, password)
        assert r.json()["error"]["type"] == "Unauthorized"
    assert api.get("/internal/basic-auth", headers={"Authorization": "Basic !!!"}).status == 401
    assert api.get("/internal/basic-auth").status == 401


def test_domain_exists(api, people):
    domain = people.domain()
    assert api.request("HEAD", f"/internal/domains/{domain}").status == 204
    assert api.request("HEAD", f"/internal/domains/{domain.upper()}").status == 204
    assert api.request("HEAD", "/internal/domains/absent.test").status == 404
    assert api.request("HEAD", "/internal/domains/not..valid").status == 404


def test_unknown_route_is_a_json_404(api):
    r = api.get("/api/nothing/here", user="alice@example.com")
    assert r.status == 404
    assert r.json()["error"]["code"] == 404
    assert r.headers["content-type"] == "application/json; charset=utf-8"
