"""/api/configurations (docs/reference/rest-api.md §6) and what it stores
(docs/reference/mongodb.md §6)."""

from __future__ import annotations

from bson import ObjectId


def read(api, user, body):
    return api.post("/api/configurations", user=user, body=body)


def test_read_resolves_table_keys_and_defaults(api, people, stack):
    u = people.user()
    r = read(api, u["email"], [{"name": "core", "keys": ["davserver", "language", "homePage"]},
                               {"name": "linagora.esn.videoconference", "keys": ["jitsiInstanceUrl"]},
                               {"name": "empty.module", "keys": []}])
    assert r.status == 200
    assert r.json() == [
        {"name": "core", "configurations": [
            {"name": "davserver", "value": {"frontend": {"url": stack.edge_url + "/dav"},
                                            "backend": {"url": stack.edge_url + "/dav"}}},
            {"name": "language", "value": "en"},
            {"name": "homePage", "value": None}]},
        {"name": "linagora.esn.videoconference", "configurations": [
            {"name": "jitsiInstanceUrl", "value": "https://jitsi.example.com"}]}]


def test_put_replaces_and_patch_merges(api, db, people):
    u = people.user()
    r = api.request("PUT", "/api/configurations?scope=user", user=u["email"], body=[
        {"name": "core", "configurations": [
            {"name": "language", "value": "fr"},
            {"name": "datetime", "value": {"timeZone": "Asia/Tokyo", "use24hourFormat": False}}]},
        {"name": "linagora.esn.unifiedinbox", "configurations": [{"name": "useEmailLinks", "value": True}]}])
    assert r.status == 204
    r = api.request("PATCH", "/api/configurations", user=u["email"], body=[
        {"name": "core", "configurations": [{"name": "language", "value": "vi"},
                                            {"name": "language", "value": "ru"}]},
        {"name": "calendar", "configurations": [{"name": "alarmEmails", "value": False}]}])
    assert r.status == 204
    got = read(api, u["email"], [{"name": "core", "keys": ["language", "datetime"]},
                                 {"name": "calendar", "keys": ["alarmEmails"]},
                                 {"name": "linagora.esn.unifiedinbox", "keys": ["useEmailLinks", "absent"]}]).json()
    values = {(m["name"], c["name"]): c["value"] for m in got for c in m["configurations"]}
    assert values == {("core", "language"): "ru",
                      ("core", "datetime"): {"timeZone": "Asia/Tokyo", "use24hourFormat": False},
                      ("calendar", "alarmEmails"): False,
                      ("linagora.esn.unifiedinbox", "useEmailLinks"): True,
                      ("linagora.esn.unifiedinbox", "absent"): None}
    doc = db.configurations.find_one({"user_id": ObjectId(u["id"])})
    assert doc["domain_id"] == ObjectId(people.domain_id(u["domain"]))
    assert doc["modules"][0]["name"] == "core"
    # The user object's time zone follows the stored setting.
    assert api.get(f"/api/users/{u['id']}", user=u["email"]).json()["timezone"] == "Asia/Tokyo"


def test_a_stored_zone_that_is_not_a_zone_reads_as_utc(api, people):
    u = people.user()
    api.request("PATCH", "/api/configurations", user=u["email"], body=[
        {"name": "core", "configurations": [{"name": "datetime", "value": {"timeZone": None}}]}])
    assert api.get(f"/api/users/{u['id']}", user=u["email"]).json()["timezone"] == "UTC"


def test_invalid_bodies(api, people):
    u = people.user()
    assert read(api, u["email"], {"name": "core"}).json()["error"]["details"] == "Expecting a JSON array"
    assert api.post("/api/configurations", user=u["email"], body="{not json").status == 400
    r = api.request("PUT", "/api/configurations", user=u["email"], body=[])
    assert r.json()["error"]["details"] == "Invalid scope parameter, expected 'user', got: null"
    r = api.request("PUT", "/api/configurations?scope=domain", user=u["email"], body=[])
    assert r.json()["error"]["details"] == "Invalid scope parameter, expected 'user', got: domain"
    invalid = [
        "not json", [{"configurations": []}], [{"name": " ", "configurations": []}], [{"name": "core"}],
        [{"name": "core", "configurations": [{"name": "language"}]}],
        [{"name": "core", "configurations": [{"name": "language", "value": 1, "extra": 2}]}],
    ]
    for body in invalid:
        for method, path in [("PUT", "/api/configurations?scope=user"), ("PATCH", "/api/configurations")]:
            r = api.request(method, path, user=u["email"], body=body)
            assert r.status == 400, (method, body)
            assert r.json() == {"error": {"code": 400, "type": "BadRequest", "message": "Bad request",
                                          "details": "Invalid request body"}}
    r = api.request("PATCH", "/api/configurations", user=u["email"], body=[
        {"name": "core", "configurations": [{"name": "x", "value": {"$where": "1"}}]}])
    assert r.status == 400
    assert api.post("/api/configurations", body=[]).status == 401
