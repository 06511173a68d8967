"""GET /api/resources/{id} and GET /api/entity/{id} (docs/reference/rest-api.md §10):
resources from MongoDB, their administrators from esn-sabre's calendar rights (the DAV server)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import jwt as pyjwt
import requests
from bson import ObjectId

FAKED = "1970-01-01T00:00:00.000Z"


def add_resource(db, domain_id: str, **fields) -> str:
    rid = ObjectId()
    doc = {"_id": rid, "creator": ObjectId(), "deleted": False, "description": "Room 2nd floor",
           "domain": ObjectId(domain_id), "icon": "meeting-room", "name": "Blue room",
           "timestamps": {"creation": datetime(2025, 5, 24, 10, 0, tzinfo=timezone.utc)}, "type": "resource"}
    doc.update(fields)
    db.resources.insert_one(doc)
    return str(rid)


def share(stack, resource_id: str, domain_id: str, sharees: list[dict]):
    token = pyjwt.encode({"iss": "Twake-calendar-side-service", "domainId": domain_id, "technicalToken": True,
                          "data": {"_id": "x", "user_type": "technical", "domainId": domain_id,
                                   "data": {"principal": "principals/technicalUser"}},
                          "exp": int(time.time()) + 60}, stack.technical_token_secret, algorithm="HS256")
    r = requests.post(f"{stack.dav.url}/calendars/{resource_id}/{resource_id}.json",
                      json={"share": {"set": sharees}}, timeout=10,
                      headers={"TwakeCalendarToken": token, "Accept": "application/json"})
    assert r.status_code == 200, r.text


def test_resource_with_its_administrators(api, db, people, stack):
    alice = people.user()
    bob = people.user(domain=alice["domain"])
    reader = people.user(domain=alice["domain"])
    domain_id = people.domain_id(alice["domain"])
    rid = add_resource(db, domain_id)
    share(stack, rid, domain_id, [
        {"dav:href": f"mailto:{alice['email']}", "dav:read-write": True},
        {"dav:href": f"mailto:{bob['email'].upper()}", "dav:administration": True},
        {"dav:href": f"mailto:{reader['email']}", "dav:read": True},
        {"dav:href": f"mailto:ghost@{alice['domain']}", "dav:read-write": True},
    ])
    r = api.get(f"/api/resources/{rid}", user=reader["email"])
    assert r.status == 200, r.body
    body = r.json()
    assert body["administrators"] == [
        {"id": alice["id"], "_id": alice["id"], "objectType": "user", "davRight": "dav:read-write", "access": 3},
        {"id": bob["id"], "_id": bob["id"], "objectType": "user", "davRight": "dav:administration", "access": 5}]
    assert body["timestamps"] == {"creation": "2025-05-24T10:00:00.000Z"}
    assert (body["_id"], body["name"], body["icon"], body["deleted"], body["__v"]) == (rid, "Blue room", "meeting-room", False, 0)
    assert body["domain"]["name"] == alice["domain"] and body["domain"]["__v"] == 0
    legacy = api.get(f"/linagora.esn.resource/api/resources/{rid}", user=reader["email"])
    assert legacy.json() == body


def test_legacy_and_deleted_resources(api, db, people):
    u = people.user()
    domain_id = people.domain_id(u["domain"])
    rid = add_resource(db, domain_id, deleted=True,
                       timestamps={"creation": datetime(2024, 1, 1, tzinfo=timezone.utc),
                                   "updatedAt": datetime(2024, 6, 1, tzinfo=timezone.utc)})
    body = api.get(f"/api/resources/{rid}", user=u["email"]).json()
    assert body["deleted"] is True
    assert body["timestamps"] == {"creation": "2024-01-01T00:00:00.000Z", "updatedAt": "2024-06-01T00:00:00.000Z"}
    bare = ObjectId()
    db.resources.insert_one({"_id": bare, "name": "Old projector", "domain": ObjectId(domain_id)})
    body = api.get(f"/api/resources/{bare}", user=u["email"]).json()
    assert "icon" not in body and "creator" not in body and body["timestamps"] == {"creation": FAKED}


def test_resource_errors(api, db, people):
    u = people.user()
    rid = add_resource(db, people.domain_id(people.domain()))
    assert api.get(f"/api/resources/{rid}", user=u["email"]).status == 404  # other domain
    assert api.get(f"/api/resources/{rid}", user="admin@open-paas.org", auth="admin").status == 200
    assert api.get("/api/resources/000000000000000000000000", user=u["email"]).status == 404
    assert api.get("/api/resources/bad", user=u["email"]).status == 404
    assert api.get(f"/api/resources/{rid}").status == 401


def test_entity_resolves_users_resources_and_domains(api, db, people):
    u = people.user()
    domain_id = people.domain_id(u["domain"])
    user = api.get(f"/api/entity/{u['id']}", user=u["email"]).json()
    assert list(user) == ["user"] and user["user"]["_id"] == u["id"]
    rid = add_resource(db, domain_id)
    resource = api.get(f"/api/entity/{rid}", user=u["email"]).json()["resource"]
    assert "__v" not in resource
    assert set(resource["domain"]) == {"timestamps", "hostnames", "_id", "name", "company_name", "administrators"}
    domain = api.get(f"/api/entity/{domain_id}", user=u["email"]).json()
    assert list(domain) == ["domain"] and domain["domain"]["name"] == u["domain"]
    other = people.user()
    assert api.get(f"/api/entity/{other['id']}", user=u["email"]).status == 404
    assert api.get(f"/api/entity/{people.domain_id(other['domain'])}", user=u["email"]).status == 404
    assert api.get("/api/entity/000000000000000000000000", user=u["email"]).status == 404


def test_an_unreachable_esn_sabre_is_a_503(api, db, people, stack):
    u = people.user()
    rid = add_resource(db, people.domain_id(u["domain"]))
    stack.dav.stop()
    try:
        r = api.get(f"/api/resources/{rid}", user=u["email"])
        assert r.status == 503
        assert r.json()["error"]["details"] == "esn-sabre is unavailable"
    finally:
        stack.dav.launch()
    assert api.get(f"/api/resources/{rid}", user=u["email"]).status == 200
