"""Webadmin domain routes: domains (docs/webadmin.md §2.1), administrators (§2.2), settings (§2.3),
and the documents behind them (docs/reference/mongodb.md §5, §8)."""

from __future__ import annotations

import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import ldap3
import pytest
import requests
from bson import ObjectId

from harness.worker_process import SAMPLE_CONF, Worker


@pytest.fixture(scope="module")
def admin(stack):
    """Webadmin calls: (method, path, body) → requests.Response."""

    def call(method: str, path: str, body=None, data: str | None = None):
        kwargs = {"timeout": 30}
        if body is not None:
            kwargs["json"] = body
        if data is not None:
            kwargs["data"] = data.encode()
            kwargs["headers"] = {"Content-Type": "application/json"}
        return requests.request(method, stack.worker.webadmin_url + path, **kwargs)

    return call


def error(status: int, type_: str, message: str, details=None) -> dict:
    return {"statusCode": status, "type": type_, "message": message, "details": details}


def assert_no_content(r):
    assert r.status_code == 204, r.text
    assert r.content == b""


def fresh_name() -> str:
    return f"n{uuid.uuid4().hex[:10]}.test"


# ---- docs/webadmin.md §2.1 domains ----------------------------------------------------------

def test_list_and_existence(admin, people):
    d = people.domain()
    r = admin("GET", "/domains")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    names = r.json()
    assert d in names and "example.com" in names
    assert all(isinstance(n, str) for n in names)
    assert_no_content(admin("GET", f"/domains/{d}"))
    assert_no_content(admin("GET", f"/domains/{d.upper()}"))
    unknown = fresh_name()
    r = admin("GET", f"/domains/{unknown}")
    assert r.status_code == 404
    assert r.json() == error(404, "InvalidArgument", f"The domain list does not contain: {unknown}")


@pytest.mark.parametrize("name", ["bad_.test", "-bad.test", "a..test", "x.123", "sp%20ace.test", "a" * 64 + ".test"])
def test_invalid_domain_names(admin, name):
    from urllib.parse import unquote

    for method in ("GET", "PUT", "DELETE"):
        r = admin(method, f"/domains/{name}")
        assert r.status_code == 400, (method, r.text)
        body = r.json()
        assert body["type"] == "InvalidArgument" and body["statusCode"] == 400
        assert body["message"] == f"Invalid request for domain creation {unquote(name)}"
        assert isinstance(body["details"], str)
    assert admin("GET", f"/domains/{name}/users").status_code == 400


def test_put_creates_once_and_is_idempotent(admin, db):
    name = fresh_name()
    assert_no_content(admin("PUT", f"/domains/{name.upper()}"))
    assert_no_content(admin("PUT", f"/domains/{name}"))
    docs = list(db.domains.find({"name": name}))
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc["_id"], ObjectId)
    assert {k: doc[k] for k in ("name", "company_name", "hostnames", "administrators")} == {
        "name": name, "company_name": name, "hostnames": [], "administrators": []}
    assert isinstance(doc["timestamps"]["creation"], datetime)
    assert_no_content(admin("GET", f"/domains/{name}"))


def test_delete_is_not_supported(admin, people, db):
    d = people.domain()
    r = admin("DELETE", f"/domains/{d}")
    assert r.status_code == 501
    assert r.json() == error(501, "ServerError", "Domain removal is not supported")
    assert db.domains.count_documents({"name": d}) == 1


def test_aliases_are_not_routes(admin, people):
    d = people.domain()
    r = admin("GET", f"/domains/{d}/aliases")
    assert r.status_code == 404
    assert r.json() == error(404, "notFound", f"GET /domains/{d}/aliases can not be found")


def test_domain_users_come_from_ldap(admin, people, stack):
    d = people.domain()
    server = ldap3.Server(stack.ldap.url)
    conn = ldap3.Connection(server, stack.ldap.admin_dn, stack.ldap.admin_password, auto_bind=True)
    entries = {"zoe": f"Zoe@{d.upper()}", "adam": f"adam@{d}", "other": f"other@sub.{d}", "nomail": None}
    dns = []
    try:
        for uid, mail in entries.items():
            dn = f"uid={uid}-{d},{stack.ldap.users_dn}"
            attrs = {"cn": uid, "sn": uid, "uid": f"{uid}-{d}"}
            if mail:
                attrs["mail"] = mail
            assert conn.add(dn, ["inetOrgPerson"], attrs), conn.result
            dns.append(dn)
        r = admin("GET", f"/domains/{d}/users")
        assert r.status_code == 200
        assert r.json() == [f"adam@{d}", f"zoe@{d}"]
    finally:
        for dn in dns:
            conn.delete(dn)
        conn.unbind()
    assert admin("GET", f"/domains/{d}/users").json() == []
    demo = admin("GET", "/domains/example.com/users").json()
    assert {"alice@example.com", "bob@example.com", "carol@example.com"} <= set(demo)
    assert demo == sorted(demo)
    unknown = fresh_name()
    r = admin("GET", f"/domains/{unknown}/users")
    assert r.status_code == 404
    assert r.json() == error(404, "InvalidArgument", f"The domain list does not contain: {unknown}")


def test_domain_users_without_ldap_is_an_empty_list(stack, people, tmp_path):
    conf = tmp_path / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    (conf / "usersrepository.xml").unlink()
    worker = Worker(tmp_path / "worker", stack.worker_environment(), conf_dir=conf)
    worker.start()
    try:
        r = requests.get(f"{worker.webadmin_url}/domains/example.com/users", timeout=30)
        assert (r.status_code, r.json()) == (200, [])
        r = requests.get(f"{worker.webadmin_url}/domains/{fresh_name()}/users", timeout=30)
        assert r.status_code == 404
    finally:
        worker.stop()


# ---- docs/webadmin.md §2.2 administrators ---------------------------------------------------

def admin_ids(db, domain: str) -> list:
    return [a["user_id"] for a in db.domains.find_one({"name": domain})["administrators"]]


def test_grant_list_and_revoke(admin, people, db):
    d = people.domain()
    assert admin("GET", f"/domains/{d}/admins").json() == []
    b = people.user(d, local="b" + uuid.uuid4().hex[:6])
    a = people.user(d, local="a" + uuid.uuid4().hex[:6])
    foreign = people.user()  # any registered user may administer any domain
    for u in (b, a, foreign):
        assert_no_content(admin("PUT", f"/domains/{d}/admins/{u['email']}"))
    assert_no_content(admin("PUT", f"/domains/{d}/admins/{b['email'].upper()}"))  # idempotent
    r = admin("GET", f"/domains/{d}/admins")
    assert r.status_code == 200
    assert r.json() == sorted([a["email"], b["email"], foreign["email"]], key=str.lower)
    ids = admin_ids(db, d)
    assert ids == [ObjectId(b["id"]), ObjectId(a["id"]), ObjectId(foreign["id"])]
    entry = db.domains.find_one({"name": d})["administrators"][0]
    assert isinstance(entry["timestamps"]["creation"], datetime)

    assert_no_content(admin("DELETE", f"/domains/{d}/admins/{b['email']}"))
    assert_no_content(admin("DELETE", f"/domains/{d}/admins/{b['email']}"))  # not admin: still 204
    assert admin("GET", f"/domains/{d}/admins").json() == sorted([a["email"], foreign["email"]])
    assert admin_ids(db, d) == [ObjectId(a["id"]), ObjectId(foreign["id"])]
    # Admins whose user is gone are skipped.
    db.users.delete_one({"_id": ObjectId(a["id"])})
    assert admin("GET", f"/domains/{d}/admins").json() == [foreign["email"]]


def test_admin_errors(admin, people):
    d = people.domain()
    u = people.user(d)
    unknown = fresh_name()
    for method in ("PUT", "DELETE"):
        r = admin(method, f"/domains/{unknown}/admins/{u['email']}")
        assert r.status_code == 404
        assert r.json() == error(404, "notFound", f"Domain not found: {unknown}")
        r = admin(method, f"/domains/bad_.test/admins/{u['email']}")
        assert r.status_code == 400
        assert r.json()["message"] == "Invalid request for domain creation bad_.test"
        r = admin(method, f"/domains/{d}/admins/nobody@{d}")
        assert r.status_code == 404
        assert r.json() == error(404, "notFound", f"Admin username not found: nobody@{d}")
        r = admin(method, f"/domains/{d}/admins/%20")
        assert r.status_code == 400
        assert r.json() == error(400, "InvalidArgument", "Invalid arguments supplied in the user request",
                                 "Username must not be blank")
        for bad in ("nobody", "nobody@bad_.test", "@" + d):
            r = admin(method, f"/domains/{d}/admins/{bad}")
            assert r.status_code == 400, bad
            body = r.json()
            assert (body["type"], body["message"]) == ("InvalidArgument",
                                                       "Invalid arguments supplied in the user request")
    r = admin("GET", f"/domains/{unknown}/admins")
    assert r.json() == error(404, "notFound", f"Domain not found: {unknown}")
    assert admin("GET", "/domains/bad_.test/admins").status_code == 400


def test_legacy_administrator_entries(admin, people, db):
    d = people.domain()
    string_admin = people.user(d)
    bare_admin = people.user(d)
    gone = ObjectId()
    legacy = [
        {"user_id": string_admin["id"].upper()},  # a string id (esn-sabre fixtures), no timestamps
        {"user_id": ObjectId(bare_admin["id"])},  # no timestamps
        {"user_id": gone, "timestamps": {"creation": datetime(2020, 1, 1)}},
    ]
    db.domains.update_one({"name": d}, {"$set": {"administrators": legacy, "__v": 4, "schemaVersion": 1}})
    r = admin("GET", f"/domains/{d}/admins")
    assert r.status_code == 200
    assert r.json() == sorted([string_admin["email"], bare_admin["email"]])
    # Granting someone already there as a string id adds nothing.
    assert_no_content(admin("PUT", f"/domains/{d}/admins/{string_admin['email']}"))
    assert len(admin_ids(db, d)) == 3
    # Revoking removes the legacy entries and keeps the others untouched.
    assert_no_content(admin("DELETE", f"/domains/{d}/admins/{string_admin['email']}"))
    assert_no_content(admin("DELETE", f"/domains/{d}/admins/{bare_admin['email']}"))
    doc = db.domains.find_one({"name": d})
    assert doc["administrators"] == [legacy[2]]
    assert (doc["__v"], doc["schemaVersion"]) == (4, 1)
    assert admin("GET", f"/domains/{d}/admins").json() == []


def test_concurrent_grants_do_not_duplicate(admin, people, db):
    d = people.domain()
    u = people.user(d)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: admin("PUT", f"/domains/{d}/admins/{u['email']}").status_code,
                                 range(16)))
    assert statuses == [204] * 16
    assert admin_ids(db, d) == [ObjectId(u["id"])]


def test_concurrent_grants_and_revocations_of_several_admins(admin, people, db):
    d = people.domain()
    users = [people.user(d) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda u: admin("PUT", f"/domains/{d}/admins/{u['email']}").status_code, users))
    assert statuses == [204] * 6
    assert sorted(admin_ids(db, d)) == sorted(ObjectId(u["id"]) for u in users)
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda u: admin("DELETE", f"/domains/{d}/admins/{u['email']}").status_code,
                                 users[:5]))
    assert statuses == [204] * 5
    assert admin_ids(db, d) == [ObjectId(users[5]["id"])]


# ---- docs/webadmin.md §2.3 settings ---------------------------------------------------------

NOTHING_STORED = {"userSearchMode": None, "resourceSearchEnabled": None,
                  "defaultCalendarPublicVisibility": None, "calendarPublicVisibilitySettingEnabled": None}
DEFAULTS = {"userSearchMode": "enabled", "resourceSearchEnabled": True,
            "defaultCalendarPublicVisibility": "private", "calendarPublicVisibilitySettingEnabled": True}


def settings_of(admin, d):
    r = admin("GET", f"/domains/{d}/settings")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def stored_fields(db, d):
    doc = db.domain_settings.find_one({"domain": d})
    return None if doc is None else {k: v for k, v in doc.items() if k != "_id"}


def test_settings_default_then_put_then_patch(admin, people, db):
    d = people.domain()
    assert settings_of(admin, d) == {**NOTHING_STORED, "resolved": DEFAULTS}
    assert_no_content(admin("PUT", f"/domains/{d}/settings", {
        "userSearchMode": "LIMITED", "resourceSearchEnabled": False,
        "defaultCalendarPublicVisibility": "Read", "calendarPublicVisibilitySettingEnabled": False}))
    stored = {"userSearchMode": "limited", "resourceSearchEnabled": False,
              "defaultCalendarPublicVisibility": "read", "calendarPublicVisibilitySettingEnabled": False}
    assert settings_of(admin, d) == {**stored, "resolved": stored}
    assert stored_fields(db, d) == {"domain": d, **stored}

    # PATCH: absent keeps, null clears, a value sets.
    assert_no_content(admin("PATCH", f"/domains/{d}/settings",
                            {"userSearchMode": "disabled", "resourceSearchEnabled": None}))
    assert settings_of(admin, d) == {
        "userSearchMode": "disabled", "resourceSearchEnabled": None,
        "defaultCalendarPublicVisibility": "read", "calendarPublicVisibilitySettingEnabled": False,
        "resolved": {"userSearchMode": "disabled", "resourceSearchEnabled": True,
                     "defaultCalendarPublicVisibility": "read", "calendarPublicVisibilitySettingEnabled": False}}
    assert stored_fields(db, d) == {"domain": d, "userSearchMode": "disabled",
                                    "defaultCalendarPublicVisibility": "read",
                                    "calendarPublicVisibilitySettingEnabled": False}
    assert_no_content(admin("PATCH", f"/domains/{d}/settings", {}))
    assert settings_of(admin, d)["userSearchMode"] == "disabled"

    # PUT replaces everything; nulls remove the fields.
    assert_no_content(admin("PUT", f"/domains/{d}/settings", {
        "userSearchMode": None, "resourceSearchEnabled": True,
        "defaultCalendarPublicVisibility": None, "calendarPublicVisibilitySettingEnabled": None}))
    assert settings_of(admin, d) == {**NOTHING_STORED, "resourceSearchEnabled": True, "resolved": DEFAULTS}
    assert stored_fields(db, d) == {"domain": d, "resourceSearchEnabled": True}
    assert db.domain_settings.count_documents({"domain": d}) == 1


def test_patch_upserts_and_an_empty_patch_writes_nothing(admin, people, db):
    d = people.domain()
    assert_no_content(admin("PATCH", f"/domains/{d}/settings", {}))
    assert stored_fields(db, d) is None
    assert_no_content(admin("PATCH", f"/domains/{d}/settings", {"defaultCalendarPublicVisibility": "READ"}))
    assert stored_fields(db, d) == {"domain": d, "defaultCalendarPublicVisibility": "read"}
    e = people.domain()
    assert_no_content(admin("PATCH", f"/domains/{e}/settings", {"userSearchMode": None}))
    assert settings_of(admin, e) == {**NOTHING_STORED, "resolved": DEFAULTS}


def test_concurrent_first_writes_make_one_document(admin, people, db):
    d = people.domain()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(
            lambda i: admin("PATCH", f"/domains/{d}/settings", {"resourceSearchEnabled": i % 2 == 0}).status_code,
            range(8)))
    assert statuses == [204] * 8
    assert db.domain_settings.count_documents({"domain": d}) == 1


def test_stored_values_are_read_leniently(admin, people, db):
    d = people.domain()
    db.domain_settings.insert_one({"domain": d, "userSearchMode": "LIMITED", "resourceSearchEnabled": "yes",
                                   "defaultCalendarPublicVisibility": "public",
                                   "calendarPublicVisibilitySettingEnabled": False})
    assert settings_of(admin, d) == {
        "userSearchMode": "limited", "resourceSearchEnabled": None,
        "defaultCalendarPublicVisibility": None, "calendarPublicVisibilitySettingEnabled": False,
        "resolved": {**DEFAULTS, "userSearchMode": "limited", "calendarPublicVisibilitySettingEnabled": False}}


FULL = {"userSearchMode": "enabled", "resourceSearchEnabled": True,
        "defaultCalendarPublicVisibility": "private", "calendarPublicVisibilitySettingEnabled": True}
JSON_INVALID = "JSON payload of the request is not valid"
GENERIC = "Invalid arguments supplied in the user request"


@pytest.mark.parametrize("body,details", [
    ({k: v for k, v in FULL.items() if k != "calendarPublicVisibilitySettingEnabled"},
     "Missing field: calendarPublicVisibilitySettingEnabled"),
    ({**FULL, "extra": 1}, "Unknown field: extra"),
    ({**FULL, "resourceSearchEnabled": "true"}, "'resourceSearchEnabled' must be a boolean or null"),
    ({**FULL, "userSearchMode": 1}, "'userSearchMode' must be a string or null"),
    ({**FULL, "defaultCalendarPublicVisibility": ["read"]}, "'defaultCalendarPublicVisibility' must be a string or null"),
    ([FULL], "The body is not a JSON object"),
    ("{", "The body is not valid JSON"),
    ("", "The body is not valid JSON"),
])
def test_put_refuses_malformed_bodies(admin, people, body, details):
    d = people.domain()
    r = admin("PUT", f"/domains/{d}/settings", data=body) if isinstance(body, str) else \
        admin("PUT", f"/domains/{d}/settings", body)
    assert r.status_code == 400
    assert r.json() == error(400, "InvalidArgument", JSON_INVALID, details)


def test_put_refuses_unknown_values(admin, people, db):
    d = people.domain()
    r = admin("PUT", f"/domains/{d}/settings", {**FULL, "userSearchMode": "sometimes"})
    assert r.json() == error(400, "InvalidArgument", GENERIC, "Unknown userSearchMode: sometimes")
    r = admin("PUT", f"/domains/{d}/settings", {**FULL, "defaultCalendarPublicVisibility": "public"})
    assert r.json() == error(400, "InvalidArgument", GENERIC, "Unknown defaultCalendarPublicVisibility: public")
    assert stored_fields(db, d) is None


@pytest.mark.parametrize("data,message,details", [
    ("", "Request body is required", None),
    ('{"userSearchMode":"sometimes"}', "Unknown userSearchMode: sometimes", None),
    ('{"defaultCalendarPublicVisibility":"public"}', "Unknown defaultCalendarPublicVisibility: public", None),
    ('{"other":true}', "Invalid request body", "Unknown field: other"),
    ('{"resourceSearchEnabled":"false"}', "Invalid request body", "'resourceSearchEnabled' must be a boolean or null"),
    ('{"userSearchMode":', "Invalid request body", "The body is not valid JSON"),
    ('"limited"', "Invalid request body", "The body is not a JSON object"),
])
def test_patch_refusals(admin, people, db, data, message, details):
    d = people.domain()
    r = admin("PATCH", f"/domains/{d}/settings", data=data)
    assert r.status_code == 400
    assert r.json() == error(400, "InvalidArgument", message, details)
    assert stored_fields(db, d) is None


def test_settings_domain_errors(admin):
    unknown = fresh_name()
    for method, body in (("GET", None), ("PUT", FULL), ("PATCH", {"userSearchMode": "limited"}),
                         ("PUT", {"bad": 1}), ("PATCH", None)):
        r = admin(method, f"/domains/{unknown}/settings", body)
        assert r.status_code == 404, method
        assert r.json() == error(404, "notFound", f"Domain not found: {unknown}")
        r = admin(method, "/domains/bad_.test/settings", body)
        assert r.status_code == 400, method
        body_ = r.json()
        assert (body_["type"], body_["message"]) == ("InvalidArgument", "Invalid domain: bad_.test")
