"""Webadmin registered users (docs/webadmin.md §7, §7.1): the OpenPaaS user documents of MongoDB
(docs/reference/mongodb.md §4) and the add-missing-fields migration of legacy documents
(docs/reference/mongodb.md §10)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import requests
from bson import ObjectId

JSON_INVALID = "JSON payload of the request is not valid"
INVALID_ARGUMENTS = "Invalid arguments supplied in the user request"


@pytest.fixture(scope="module")
def admin(stack):
    """Webadmin calls: (method, path, body=..., data=...) → requests.Response."""

    def call(method: str, path: str, body=None, data: str | None = None, **kwargs):
        if body is not None:
            kwargs["json"] = body
        if data is not None:
            kwargs["data"] = data.encode()
            kwargs["headers"] = {"Content-Type": "application/json"}
        return requests.request(method, stack.worker.webadmin_url + path, timeout=30, **kwargs)

    return call


def error(status: int, type_: str, message: str, details=None) -> dict:
    return {"statusCode": status, "type": type_, "message": message, "details": details}


def assert_error(r, status: int, type_: str, message: str, details="any"):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["statusCode", "type", "message", "details"]
    assert (body["statusCode"], body["type"], body["message"]) == (status, type_, message), body
    if details == "any":
        assert body["details"] is None or isinstance(body["details"], str)
    else:
        assert body["details"] == details


def assert_empty(r, status: int):
    assert r.status_code == status, r.text
    assert r.content == b""


def local() -> str:
    return f"u{uuid.uuid4().hex[:8]}"


def register(admin, email: str, first="Alice Marie", last="Martin") -> str:
    assert_empty(admin("POST", "/registeredUsers", {"email": email, "firstname": first, "lastname": last}), 201)
    return admin("GET", "/registeredUsers", params={"email": email}).json()["id"]


def legacy_user(db, email: str, domain_id, **extra) -> ObjectId:
    """The legacy OpenPaaS document of docs/reference/mongodb.md §4 (no `email`, no
    `firstnames`)."""
    user_id = ObjectId()
    created = datetime(2024, 12, 6, 22, 39, 53, 619000, tzinfo=timezone.utc)
    doc = {
        "_id": user_id, "__v": 0, "schemaVersion": 2, "firstname": "Bob", "lastname": "Durand",
        "password": "$2a$05$legacyhash", "timestamps": {"creation": created},
        "login": {"disabled": False, "failures": []},
        "domains": [{"domain_id": domain_id, "joined_at": created}],
        "accounts": [{"type": "email", "hosted": True, "preferredEmailIndex": 0,
                      "emails": [email], "timestamps": {"creation": created}}],
        "states": [],
    }
    doc.update(extra)
    db.users.insert_one(doc)
    return user_id


def run_migration(admin) -> dict:
    r = admin("POST", "/registeredUsers?action=addMissingFields")
    assert r.status_code == 201, r.text
    task_id = r.json()["taskId"]
    assert r.json() == {"taskId": task_id}
    assert r.headers["Location"] == f"/tasks/{task_id}"
    report = admin("GET", f"/tasks/{task_id}/await?timeout=60")
    assert report.status_code == 200, report.text
    return report.json()


# ---- docs/webadmin.md §7 /registeredUsers -----------------------------------------------

def test_create_read_and_list(admin, db, people):
    domain = people.domain()
    email = f"{local()}@{domain}"
    mixed = email.replace("u", "U", 1).replace(domain, domain.upper())
    r = admin("POST", "/registeredUsers", {"email": mixed, "firstname": "Alice  Marie", "lastname": "Martin"})
    assert_empty(r, 201)
    r = admin("GET", "/registeredUsers", params={"email": mixed})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    user = r.json()
    assert list(user) == ["email", "firstname", "lastname", "id"]
    assert user["email"] == email and user["firstname"] == "Alice  Marie" and user["lastname"] == "Martin"
    doc = db.users.find_one({"_id": ObjectId(user["id"])})
    assert doc["email"] == email and doc["firstnames"] == ["Alice", "Marie"]
    assert doc["domains"] == [{"domain_id": ObjectId(people.domain_id(domain))}]
    assert doc["accounts"] == [{"type": "email", "emails": [email]}]
    everyone = admin("GET", "/registeredUsers")
    assert everyone.status_code == 200
    assert user in everyone.json()
    assert all(list(u) == ["email", "firstname", "lastname", "id"] for u in everyone.json())


def test_create_refusals(admin, people):
    domain = people.domain()
    email = f"{local()}@{domain}"
    ok = {"email": email, "firstname": "A", "lastname": "B"}
    for body, data in [(None, ""), (None, "not json"), (None, "[]"), (None, '"text"'),
                       (None, '{"email": "a@b.c", "firstname": "A", "lastname": "B"} trailing')]:
        assert_error(admin("POST", "/registeredUsers", body, data), 400, "InvalidArgument", JSON_INVALID)
    for body in [{"firstname": "A", "lastname": "B"}, {**ok, "email": ""}, {**ok, "email": None},
                 {**ok, "email": 5}, {**ok, "firstname": 5}, {**ok, "lastname": ["B"]},
                 {**ok, "nickname": "x"}, {**ok, "id": {"$oid": "x"}}]:
        assert_error(admin("POST", "/registeredUsers", body), 400, "InvalidArgument", JSON_INVALID)
    for body in [{"email": email, "lastname": "B"}, {**ok, "firstname": ""}, {**ok, "lastname": None},
                 {"email": email, "firstname": "A"}, {**ok, "email": "no-at-sign"},
                 {**ok, "email": "a@bad..domain"}]:
        assert_error(admin("POST", "/registeredUsers", body), 400, "InvalidArgument", INVALID_ARGUMENTS)
    unknown = f"{uuid.uuid4().hex[:8]}.unknown.test"
    assert_error(admin("POST", "/registeredUsers", {**ok, "email": f"x@{unknown}"}),
                 404, "InvalidArgument", f"{unknown} does not exist", None)
    assert admin("GET", "/registeredUsers", params={"email": email}).status_code == 404

    # `id` is ignored on input.
    assert_empty(admin("POST", "/registeredUsers", {**ok, "id": "64f1c2a0b1c2d3e4f5a6b7c8"}), 201)
    assert admin("GET", "/registeredUsers", params={"email": email}).json()["id"] != "64f1c2a0b1c2d3e4f5a6b7c8"
    assert_error(admin("POST", "/registeredUsers", {**ok, "email": email.upper()}),
                 409, "InvalidArgument", f"{email} already exists", None)
    # A provisioned user's address is taken too.
    provisioned = people.user(domain)
    assert_error(admin("POST", "/registeredUsers", {**ok, "email": provisioned["email"]}),
                 409, "InvalidArgument", f"{provisioned['email']} already exists", None)


def test_get_by_email_refusals(admin, people):
    domain = people.domain()
    assert_error(admin("GET", "/registeredUsers", params={"email": f"nobody@{domain}"}),
                 404, "notFound", "User does not exist", None)
    assert_error(admin("GET", "/registeredUsers", params={"email": "no-at-sign"}),
                 400, "InvalidArgument", INVALID_ARGUMENTS)


def test_head(admin, people):
    user = people.user()
    assert_empty(admin("HEAD", "/registeredUsers", params={"email": user["email"]}), 200)
    assert_empty(admin("HEAD", "/registeredUsers", params={"email": user["email"].upper()}), 200)
    assert_empty(admin("HEAD", "/registeredUsers", params={"id": user["id"]}), 200)
    assert admin("HEAD", "/registeredUsers", params={"email": f"nobody@{user['domain']}"}).status_code == 404
    assert admin("HEAD", "/registeredUsers", params={"id": str(ObjectId())}).status_code == 404
    assert admin("HEAD", "/registeredUsers", params={"id": "not-an-object-id"}).status_code == 404
    assert admin("HEAD", "/registeredUsers", params={"email": "no-at-sign"}).status_code == 404
    for params in [{}, {"email": user["email"], "id": user["id"]}, {"email": ""}, {"email": "", "id": ""}]:
        assert admin("HEAD", "/registeredUsers", params=params).status_code == 400, params


def test_patch(admin, db, people):
    domain, other = people.domain(), people.domain()
    email = f"{local()}@{domain}"
    user_id = register(admin, email)
    new_email = f"{local()}@{domain}"
    r = admin("PATCH", f"/registeredUsers?id={user_id}",
              {"email": new_email.upper(), "firstname": "Jean Paul", "lastname": "Dupont"})
    assert_empty(r, 204)
    got = admin("GET", "/registeredUsers", params={"email": new_email}).json()
    assert got == {"email": new_email, "firstname": "Jean Paul", "lastname": "Dupont", "id": user_id}
    assert admin("GET", "/registeredUsers", params={"email": email}).status_code == 404
    doc = db.users.find_one({"_id": ObjectId(user_id)})
    assert doc["email"] == new_email and doc["firstnames"] == ["Jean", "Paul"]
    assert doc["accounts"] == [{"type": "email", "emails": [new_email]}]
    assert doc["domains"] == [{"domain_id": ObjectId(people.domain_id(domain))}]

    # Keeping one's own address, and moving to another registered domain.
    assert_empty(admin("PATCH", f"/registeredUsers?id={user_id}",
                       {"email": new_email, "firstname": "Jean", "lastname": "Dupont", "id": "ignored"}), 204)
    moved = f"{local()}@{other}"
    assert_empty(admin("PATCH", f"/registeredUsers?id={user_id}",
                       {"email": moved, "firstname": "Jean", "lastname": "Dupont"}), 204)
    doc = db.users.find_one({"_id": ObjectId(user_id)})
    assert doc["domains"] == [{"domain_id": ObjectId(people.domain_id(other))}]
    assert doc["accounts"] == [{"type": "email", "emails": [moved]}]


def test_patch_refusals(admin, people):
    domain = people.domain()
    user_id = register(admin, f"{local()}@{domain}")
    taken = people.user(domain)["email"]
    ok = {"email": f"{local()}@{domain}", "firstname": "A", "lastname": "B"}
    assert_error(admin("PATCH", "/registeredUsers", ok), 400, "InvalidArgument", "Missing 'id' query parameter", None)
    assert_error(admin("PATCH", "/registeredUsers?id=", ok), 400, "InvalidArgument", "Missing 'id' query parameter")
    for body in [{"firstname": "A", "lastname": "B"}, {**ok, "extra": 1}, {**ok, "firstname": True}]:
        assert_error(admin("PATCH", f"/registeredUsers?id={user_id}", body), 400, "InvalidArgument", JSON_INVALID)
    assert_error(admin("PATCH", f"/registeredUsers?id={user_id}", data="{"), 400, "InvalidArgument", JSON_INVALID)
    for body in [{**ok, "firstname": ""}, {"email": ok["email"], "firstname": "A"}, {**ok, "email": "no-at"}]:
        assert_error(admin("PATCH", f"/registeredUsers?id={user_id}", body), 400, "InvalidArgument",
                     INVALID_ARGUMENTS)
    unknown_id = str(ObjectId())
    assert_error(admin("PATCH", f"/registeredUsers?id={unknown_id}", ok),
                 404, "InvalidArgument", f"User with id {unknown_id} not found", None)
    assert_error(admin("PATCH", "/registeredUsers?id=malformed", ok),
                 404, "InvalidArgument", "User with id malformed not found", None)
    unknown_domain = f"{uuid.uuid4().hex[:8]}.unknown.test"
    assert_error(admin("PATCH", f"/registeredUsers?id={user_id}", {**ok, "email": f"x@{unknown_domain}"}),
                 404, "InvalidArgument", f"{unknown_domain} does not exist", None)
    assert_error(admin("PATCH", f"/registeredUsers?id={user_id}", {**ok, "email": taken}),
                 409, "InvalidArgument", f"{taken} already exists", None)


def test_delete(admin, db, people):
    domain = people.domain()
    email = f"{local()}@{domain}"
    user_id = register(admin, email)
    assert_error(admin("DELETE", "/registeredUsers"), 400, "InvalidArgument", "Missing 'email' query parameter", None)
    assert_error(admin("DELETE", "/registeredUsers?email=%20"), 400, "InvalidArgument",
                 "Missing 'email' query parameter", None)
    assert_error(admin("DELETE", "/registeredUsers?email=no-at-sign"), 400, "InvalidArgument", INVALID_ARGUMENTS)
    assert_error(admin("DELETE", "/registeredUsers", params={"email": f"nobody@{domain}"}),
                 404, "notFound", "User does not exist", None)
    assert_empty(admin("DELETE", "/registeredUsers", params={"email": email.upper()}), 204)
    assert db.users.find_one({"_id": ObjectId(user_id)}) is None
    assert_error(admin("DELETE", "/registeredUsers", params={"email": email}), 404, "notFound",
                 "User does not exist", None)


def test_delete_by_a_secondary_address(admin, db, people):
    domain = people.domain()
    primary, secondary = f"{local()}@{domain}", f"{local()}@{domain}"
    user_id = legacy_user(db, primary, ObjectId(people.domain_id(domain)))
    db.users.update_one({"_id": user_id}, {"$set": {"accounts.0.emails": [primary, secondary]}})
    assert_empty(admin("DELETE", "/registeredUsers", params={"email": secondary}), 204)
    assert db.users.find_one({"_id": user_id}) is None


def test_unknown_action(admin):
    assert_error(admin("POST", "/registeredUsers?action=deleteData"), 400, "InvalidArgument",
                 "Invalid action: 'deleteData'. Supported actions are: addMissingFields", None)
    assert_error(admin("POST", "/registeredUsers?action="), 400, "InvalidArgument",
                 "Invalid action: ''. Supported actions are: addMissingFields", None)


# ---- legacy OpenPaaS documents ------------------------------------------------------------

def test_a_legacy_document_is_upgraded_and_survives_a_patch(admin, db, people):
    domain = people.domain()
    domain_id = ObjectId(people.domain_id(domain))
    email = f"{local()}@{domain}"
    user_id = legacy_user(db, email, domain_id, firstname="Bob  Robert")
    before = db.users.find_one({"_id": user_id})

    # Readable as it is.
    got = admin("GET", "/registeredUsers", params={"email": email}).json()
    assert got == {"email": email, "firstname": "Bob  Robert", "lastname": "Durand", "id": str(user_id)}
    assert got in admin("GET", f"/domains/{domain}/registeredUsers").json()

    report = run_migration(admin)
    assert report["status"] == "completed", report
    info = report["additionalInformation"]
    assert info["type"] == "add-missing-fields" and info["errorCount"] == 0
    assert info["upgradedUsers"] >= 1 and info["processedUsers"] >= info["upgradedUsers"]
    after = db.users.find_one({"_id": user_id})
    assert after["email"] == email and after["firstnames"] == ["Bob", "Robert"]
    assert {k: v for k, v in after.items() if k not in ("email", "firstnames")} == before

    # A second run finds nothing more to do for it.
    again = run_migration(admin)
    assert again["status"] == "completed"
    assert db.users.find_one({"_id": user_id}) == after

    new_email = f"{local()}@{domain}"
    assert_empty(admin("PATCH", f"/registeredUsers?id={user_id}",
                       {"email": new_email, "firstname": "Robert", "lastname": "Durand-Smith"}), 204)
    patched = db.users.find_one({"_id": user_id})
    created = before["timestamps"]["creation"]
    assert patched["accounts"] == [{"type": "email", "hosted": True, "preferredEmailIndex": 0,
                                    "emails": [new_email], "timestamps": {"creation": created}}]
    assert patched["domains"] == [{"domain_id": domain_id, "joined_at": created}]
    assert patched["email"] == new_email and patched["firstnames"] == ["Robert"]
    assert patched["firstname"] == "Robert" and patched["lastname"] == "Durand-Smith"
    for key in ["__v", "schemaVersion", "password", "timestamps", "login", "states"]:
        assert patched[key] == before[key], key


def test_patch_keeps_other_accounts_addresses_and_memberships(admin, db, people):
    domain, old_domain, elsewhere = people.domain(), people.domain(), people.domain()
    ids = {d: ObjectId(people.domain_id(d)) for d in (domain, old_domain, elsewhere)}
    alias, preferred = f"{local()}@{old_domain}", f"{local()}@{old_domain}"
    oauth = {"type": "oauth", "data": {"provider": "google", "id": "123"}}
    user_id = legacy_user(db, alias, ids[old_domain])
    db.users.update_one({"_id": user_id}, {"$set": {
        "accounts": [oauth, {"type": "email", "hosted": True, "preferredEmailIndex": 1,
                             "emails": [alias, preferred]}],
        "domains": [{"domain_id": ids[elsewhere], "status": "member"},
                    {"domain_id": ids[old_domain], "joined_at": datetime(2020, 1, 1, tzinfo=timezone.utc)}],
    }})
    assert admin("HEAD", "/registeredUsers", params={"id": str(user_id)}).status_code == 200
    moved = f"{local()}@{domain}"
    assert_empty(admin("PATCH", f"/registeredUsers?id={user_id}",
                       {"email": moved, "firstname": "Bob", "lastname": "Durand"}), 204)
    doc = db.users.find_one({"_id": user_id})
    assert doc["accounts"] == [oauth, {"type": "email", "hosted": True, "preferredEmailIndex": 1,
                                       "emails": [alias, moved]}]
    # The old domain's membership became the new one's; the other one is kept as it was.
    assert doc["domains"] == [{"domain_id": ids[elsewhere], "status": "member"}, {"domain_id": ids[domain]}]
    assert admin("GET", "/registeredUsers", params={"email": moved}).json()["id"] == str(user_id)


# ---- docs/webadmin.md §7.1 /domains/{domain}/registeredUsers ------------------------------

def scoped(domain: str) -> str:
    return f"/domains/{domain}/registeredUsers"


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD", "PATCH", "DELETE"])
def test_scoped_domain_errors(admin, method):
    body = {"email": "a@x.test", "firstname": "A", "lastname": "B"}
    r = admin(method, scoped("bad..name") + "?email=a@x.test&id=1", body)
    unknown = f"{uuid.uuid4().hex[:8]}.unknown.test"
    r2 = admin(method, scoped(unknown) + "?email=a@x.test&id=1", body)
    if method == "HEAD":
        assert r.status_code == 400 and r2.status_code == 404
        return
    assert_error(r, 400, "InvalidArgument", "Invalid domain: bad..name")
    assert_error(r2, 404, "notFound", f"Domain not found: {unknown}", None)


def test_scoped_list_and_get(admin, people):
    d1, d2 = people.domain(), people.domain()
    a, b = people.user(d1), people.user(d1)
    c = people.user(d2)
    r = admin("GET", scoped(d1))
    assert r.status_code == 200
    assert sorted(u["id"] for u in r.json()) == sorted([a["id"], b["id"]])
    assert all(list(u) == ["email", "firstname", "lastname", "id"] for u in r.json())
    assert admin("GET", scoped(d1.upper())).json() == r.json()
    got = admin("GET", scoped(d1), params={"email": a["email"]})
    assert got.status_code == 200
    assert got.json() == {"email": a["email"], "firstname": "Ada", "lastname": "Lovelace", "id": a["id"]}
    for email in [c["email"], f"nobody@{d1}", "no-at-sign"]:
        assert_error(admin("GET", scoped(d1), params={"email": email}), 404, "notFound", "User does not exist", None)
    assert admin("GET", scoped(people.domain())).json() == []


def test_scoped_create(admin, db, people):
    d1, d2 = people.domain(), people.domain()
    email = f"{local()}@{d1}"
    ok = {"email": email, "firstname": "Zoé", "lastname": "Durand"}
    assert_error(admin("POST", scoped(d1), {**ok, "email": f"{local()}@{d2}"}), 400, "InvalidArgument",
                 f"Email domain must match URL domain: {d1}", None)
    assert_error(admin("POST", scoped(d1), {**ok, "firstname": ""}), 400, "InvalidArgument", INVALID_ARGUMENTS)
    assert_error(admin("POST", scoped(d1), {**ok, "other": 1}), 400, "InvalidArgument", JSON_INVALID)
    assert_error(admin("POST", scoped(d1), {"firstname": "A", "lastname": "B"}), 400, "InvalidArgument",
                 JSON_INVALID)
    assert_empty(admin("POST", scoped(d1), ok), 201)
    user = admin("GET", scoped(d1), params={"email": email}).json()
    assert user["firstname"] == "Zoé"
    assert db.users.find_one({"_id": ObjectId(user["id"])})["domains"] == \
        [{"domain_id": ObjectId(people.domain_id(d1))}]
    assert_error(admin("POST", scoped(d1), ok), 409, "InvalidArgument", f"{email} already exists", None)


def test_scoped_head(admin, people):
    d1, d2 = people.domain(), people.domain()
    a, c = people.user(d1), people.user(d2)
    assert_empty(admin("HEAD", scoped(d1), params={"email": a["email"]}), 200)
    assert_empty(admin("HEAD", scoped(d1), params={"id": a["id"]}), 200)
    assert admin("HEAD", scoped(d1), params={"email": c["email"]}).status_code == 404
    assert admin("HEAD", scoped(d1), params={"id": c["id"]}).status_code == 404
    assert admin("HEAD", scoped(d1), params={"id": "malformed"}).status_code == 404
    assert admin("HEAD", scoped(d1), params={"email": f"nobody@{d1}"}).status_code == 404
    assert admin("HEAD", scoped(d1)).status_code == 400
    assert admin("HEAD", scoped(d1), params={"email": a["email"], "id": a["id"]}).status_code == 400


def test_scoped_patch(admin, db, people):
    d1, d2 = people.domain(), people.domain()
    a, c = people.user(d1), people.user(d2)
    taken = people.user(d1)["email"]
    new_email = f"{local()}@{d1}"
    ok = {"email": new_email, "firstname": "Grace", "lastname": "Hopper"}
    assert_error(admin("PATCH", scoped(d1), ok), 400, "InvalidArgument", "Missing 'id' query parameter", None)
    assert_error(admin("PATCH", scoped(d1) + f"?id={a['id']}", {**ok, "email": f"{local()}@{d2}"}),
                 400, "InvalidArgument", f"Email domain must match URL domain: {d1}", None)
    assert_error(admin("PATCH", scoped(d1) + f"?id={a['id']}", {**ok, "lastname": ""}),
                 400, "InvalidArgument", INVALID_ARGUMENTS)
    assert_error(admin("PATCH", scoped(d1) + f"?id={a['id']}", {"firstname": "A", "lastname": "B"}),
                 400, "InvalidArgument", JSON_INVALID)
    # Another domain's user, an unknown or malformed id: 404.
    for user_id in [c["id"], str(ObjectId()), "malformed"]:
        assert_error(admin("PATCH", scoped(d1) + f"?id={user_id}", ok),
                     404, "notFound", f"User with id {user_id} not found", None)
    assert db.users.find_one({"_id": ObjectId(c["id"])})["email"] == c["email"]
    assert_error(admin("PATCH", scoped(d1) + f"?id={a['id']}", {**ok, "email": taken}),
                 409, "InvalidArgument", f"{taken} already exists", None)
    assert_empty(admin("PATCH", scoped(d1) + f"?id={a['id']}", ok), 204)
    assert admin("GET", scoped(d1), params={"email": new_email}).json() == \
        {"email": new_email, "firstname": "Grace", "lastname": "Hopper", "id": a["id"]}


def test_scoped_delete(admin, db, people):
    d1, d2 = people.domain(), people.domain()
    a, c = people.user(d1), people.user(d2)
    assert_error(admin("DELETE", scoped(d1)), 400, "InvalidArgument", "Missing 'email' query parameter", None)
    assert_error(admin("DELETE", scoped(d1), params={"email": c["email"]}), 404, "notFound",
                 "User does not exist", None)
    assert db.users.find_one({"_id": ObjectId(c["id"])}) is not None
    assert_error(admin("DELETE", scoped(d1), params={"email": f"nobody@{d1}"}), 404, "notFound",
                 "User does not exist", None)
    assert_empty(admin("DELETE", scoped(d1), params={"email": a["email"]}), 204)
    assert db.users.find_one({"_id": ObjectId(a["id"])}) is None
