"""REST routes about users and domains (docs/reference/rest-api.md §4, §5)."""

from __future__ import annotations

FAKED = "1970-01-01T00:00:00.000Z"


def user_object(u, people, timezone="Europe/Paris", first="Ada", last="Lovelace"):
    return {"_id": u["id"], "preferredEmail": u["email"], "objectType": "user", "main_phone": "",
            "followings": 0, "following": False, "followers": 0,
            "domains": [{"domain_id": people.domain_id(u["domain"]), "joined_at": FAKED}],
            "state": [], "emails": [u["email"]], "firstname": first, "lastname": last,
            "timezone": timezone}


def test_get_user_by_id(api, people):
    u = people.user()
    r = api.get(f"/api/users/{u['id']}", user=u["email"])
    assert r.status == 200
    assert r.headers["cache-control"] == "max-age=60, public"
    assert r.json() == user_object(u, people)


def test_user_by_id_errors(api, people):
    u = people.user()
    stranger = people.user()
    assert api.get(f"/api/users/{u['id']}", user=stranger["email"]).status == 404  # other domain
    assert api.get(f"/api/users/{u['id']}", user="root@x.test", auth="admin").status == 200
    assert api.get("/api/users/000000000000000000000000", user=u["email"]).status == 404
    r = api.get("/api/users/not-an-id", user=u["email"])
    assert r.status == 404 and r.json()["error"]["type"] == "NotFound"
    assert api.get(f"/api/users/{u['id']}").status == 401


def test_users_by_email(api, people):
    u = people.user()
    same_domain = people.user(domain=u["domain"])
    r = api.get(f"/api/users?email={u['email'].upper()}", user=same_domain["email"])
    assert r.status == 200 and r.json() == [user_object(u, people)]
    assert api.get(f"/api/users?email=absent@{u['domain']}", user=u["email"]).json() == []
    other = people.user()
    assert api.get(f"/api/users?email={u['email']}", user=other["email"]).json() == []
    assert api.get(f"/api/users?email={u['email']}", user="admin@open-paas.org", auth="admin").json() \
        == [user_object(u, people)]


def test_users_by_email_errors(api, people):
    u = people.user()
    r = api.get("/api/users", user=u["email"])
    assert r.status == 400
    assert r.json()["error"] == {"code": 400, "type": "BadRequest", "message": "Bad request",
                                 "details": "Request for avatar is missing email query parameter"}
    r = api.get("/api/users?email=nodomain", user=u["email"])
    assert r.json() == {"error": {"code": 400, "type": "BadRequest", "message": "Bad Request",
                                  "details": "'email' query parameter must contain a domain part"}}


def test_users_by_email_provisions_people_known_to_ldap(api, db):
    db.users.delete_many({"accounts.emails": "bob@example.com"})
    r = api.get("/api/users?email=bob@example.com", user="alice@example.com")
    assert r.status == 200
    [bob] = r.json()
    assert (bob["firstname"], bob["lastname"]) == ("Bob", "Durand")


def test_profile_of_the_caller(api, people):
    u = people.user()
    api.request("PATCH", "/api/configurations", user=u["email"], body=[
        {"name": "core", "configurations": [{"name": "language", "value": "fr"}]}])
    r = api.get("/api/user", user=u["email"])
    assert r.status == 200
    body = r.json()
    assert body["id"] == body["_id"] == u["id"]
    assert "timezone" not in body
    assert body["accounts"] == [{"hosted": True, "preferredEmailIndex": 0, "type": "email",
                                 "timestamps": {"creation": FAKED}, "emails": [u["email"]]}]
    assert body["isPlatformAdmin"] is False
    assert body["login"] == {"success": FAKED, "failures": []}
    modules = {m["name"]: {c["name"]: c["value"] for c in m["configurations"]}
               for m in body["configurations"]["modules"]}
    assert modules["core"]["language"] == "fr"
    assert modules["core"]["davserver"]["frontend"]["url"].endswith("/dav")
    assert modules["core"]["businessHours"] == [{"start": "8:0", "end": "19:0", "daysOfWeek": [1, 2, 3, 4, 5]}]
    assert modules["calendar"] == {"alarmEmails": True, "displayWeekNumbers": True}
    assert modules["linagora.esn.contact"]["features"]["isDomainMembersAddressbookEnabled"] is True
    assert api.get("/api/user", user=f"ghost@{u['domain']}").status == 404
    assert api.get("/api/user").status == 401


def test_avatar_redirect(api, people, stack):
    u = people.user()
    r = api.get(f"/api/users/{u['id']}/profile/avatar", user=u["email"])
    assert r.status == 302
    assert r.headers["location"] == f"{stack.edge_url}/api/avatars?email={u['email']}"
    assert r.headers["cache-control"] == "max-age=1800, public"
    assert api.get("/api/users/000000000000000000000000/profile/avatar", user=u["email"]).status == 404


def test_domain(api, people):
    u = people.user()
    domain_id = people.domain_id(u["domain"])
    r = api.get(f"/api/domains/{domain_id}", user=u["email"])
    assert r.status == 200
    assert r.json() == {"timestamps": {"creation": FAKED}, "hostnames": [u["domain"]], "schemaVersion": 1,
                        "_id": domain_id, "name": u["domain"], "company_name": u["domain"],
                        "administrators": [], "injections": [], "__v": 0}
    other = people.user()
    assert api.get(f"/api/domains/{domain_id}", user=other["email"]).status == 404
    assert api.get("/api/domains/nope", user=u["email"]).status == 404


def test_themes(api, people, stack):
    u = people.user()
    r = api.get("/api/themes/whatever", user=u["email"])
    assert (r.status, r.body) == (200, b'{"logos":{},"colors":{}}')
    assert r.headers["cache-control"] == "public, max-age=86400"
    r = api.get("/api/themes/whatever/logo", user=u["email"])
    assert r.status == 301
    assert r.headers["location"] == "https://calendar.example.com/calendar/assets/images/white-logo.svg"
    assert api.get("/api/themes/whatever").status == 401


def test_profile_update_is_not_allowed(api):
    assert api.request("PUT", "/api/user/profile", body={"firstname": "x"}).status == 405
