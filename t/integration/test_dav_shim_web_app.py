"""The DAV shim serves the Twake Calendar web app's own DAV calls (esn-sabre's JSON API, jCal
events) in esn-sabre's shapes: calendar list, create / change / delete a calendar, events of a
time range, PUT and GET of jCal (docs/testing.md §3, the DAV server)."""

from __future__ import annotations

import json
import uuid

import requests

JSON = {"Accept": "application/json, text/plain, */*"}
LIST_QUERY = "personal=true&sharedDelegationStatus=accepted&sharedPublicSubscription=true&withRights=true"


def call(stack, user, method, path, body=None, headers=None):
    data = json.dumps(body) if body is not None and not isinstance(body, (str, bytes)) else body
    return requests.request(method, stack.dav.url + path, data=data, headers={**JSON, **(headers or {})},
                            auth=stack.dav.impersonation(user["email"]), timeout=10)


def jcal_event(uid, summary, start="2030-03-04T10:00:00Z", end="2030-03-04T11:00:00Z", extra=()):
    """What the web app PUTs: a VCALENDAR in jCal."""
    return ["vcalendar", [["version", {}, "text", "2.0"], ["prodid", {}, "text", "-//Twake//Calendar//EN"]], [
        ["vevent", [["uid", {}, "text", uid], ["dtstamp", {}, "date-time", "2030-01-01T00:00:00Z"],
                    ["dtstart", {"tzid": "Europe/Paris"}, "date-time", start.rstrip("Z")],
                    ["dtend", {"tzid": "Europe/Paris"}, "date-time", end.rstrip("Z")],
                    ["summary", {}, "text", summary], *extra], []]]]


def props(component, name):
    return [p for p in component[1] if p[0] == name]


def test_calendar_list_as_the_web_app_asks_it(stack, people):
    alice = people.user()
    me = alice["id"]
    answer = call(stack, alice, "GET", f"/calendars/{me}.json?{LIST_QUERY}",
                  headers={"Accept": "application/calendar+json"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["_links"]["self"]["href"] == f"/calendars/{me}.json"
    [default] = body["_embedded"]["dav:calendar"]
    assert default["_links"]["self"]["href"] == f"/calendars/{me}/{me}.json"
    assert default["dav:name"] == "#default"
    assert default["calendarserver:ctag"]
    assert {"principal": f"principals/users/{me}", "privilege": "{DAV:}all", "protected": True} in default["acl"]
    assert default["invite"][0]["href"] == f"mailto:{alice['email']}"

    # Another user's home is refused; only shared calendars asked: nothing, and no body (as sabre).
    bob = people.user(domain=alice["domain"])
    assert call(stack, bob, "GET", f"/calendars/{me}.json?{LIST_QUERY}").status_code == 403
    shared = call(stack, alice, "GET", f"/calendars/{me}.json?personal=false&sharedDelegationStatus=accepted")
    assert shared.status_code == 200 and shared.content == b""


def test_create_change_and_delete_a_calendar(stack, people):
    alice = people.user()
    me, cal = alice["id"], uuid.uuid4().hex
    created = call(stack, alice, "POST", f"/calendars/{me}.json",
                   {"id": cal, "dav:name": "Team", "apple:color": "#00FF00", "caldav:description": "work"})
    assert created.status_code == 201, created.text
    assert call(stack, alice, "POST", f"/calendars/{me}.json", {"dav:name": "no id"}).status_code == 400

    def listed():
        body = call(stack, alice, "GET", f"/calendars/{me}.json?{LIST_QUERY}").json()
        return {c["_links"]["self"]["href"]: c for c in body["_embedded"]["dav:calendar"]}

    team = listed()[f"/calendars/{me}/{cal}.json"]
    assert (team["dav:name"], team["apple:color"], team["caldav:description"]) == ("Team", "#00FF00", "work")

    patched = call(stack, alice, "PROPPATCH", f"/calendars/{me}/{cal}.json",
                   {"dav:name": "Team 2", "caldav:description": "", "apple:color": "#0000FF"})
    assert patched.status_code == 204
    assert call(stack, alice, "PROPPATCH", f"/calendars/{me}/{cal}.json", {"calendarserver:ctag": "x"}).status_code == 403
    team = listed()[f"/calendars/{me}/{cal}.json"]
    assert (team["dav:name"], team["apple:color"]) == ("Team 2", "#0000FF")

    assert call(stack, alice, "DELETE", f"/calendars/{me}/{cal}.json").status_code == 204
    assert f"/calendars/{me}/{cal}.json" not in listed()


def test_event_lifecycle_in_jcal(stack, people):
    alice = people.user()
    me, uid = alice["id"], f"{uuid.uuid4()}"
    path = f"/calendars/{me}/{me}/{uid}.ics"

    # The web app PUTs jCal with a text/calendar Content-Type; it is stored as iCalendar.
    put = call(stack, alice, "PUT", path, jcal_event(uid, "Kick-off"),
               headers={"Content-Type": "text/calendar; charset=utf-8"})
    assert put.status_code == 201, put.text
    ics = call(stack, alice, "GET", path, headers={"Accept": "text/calendar"})
    assert "BEGIN:VCALENDAR" in ics.text and "DTSTART;TZID=Europe/Paris:20300304T100000" in ics.text

    as_jcal = call(stack, alice, "GET", path, headers={"Accept": "application/calendar+json"})
    assert as_jcal.headers["Content-Type"].startswith("application/calendar+json")
    vevent = as_jcal.json()[2][0]
    assert props(vevent, "summary") == [["summary", {}, "text", "Kick-off"]]

    # The month view: events of a time range, in UTC, with their etag.
    month = {"match": {"start": "20300301T000000", "end": "20300401T000000"}}
    report = call(stack, alice, "REPORT", f"/calendars/{me}/{me}.json", month)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["_links"]["self"]["href"] == f"/calendars/{me}/{me}.json"
    [item] = body["_embedded"]["dav:item"]
    assert item["_links"]["self"]["href"] == path and item["status"] == 200
    assert item["etag"] == ics.headers["ETag"]
    vevent = next(c for c in item["data"][2] if c[0] == "vevent")
    assert props(vevent, "dtstart") == [["dtstart", {}, "date-time", "2030-03-04T09:00:00Z"]]
    other_month = {"match": {"start": "20300401T000000", "end": "20300501T000000"}}
    assert call(stack, alice, "REPORT", f"/calendars/{me}/{me}.json", other_month).json()["_embedded"]["dav:item"] == []

    # Edit, then the event found by UID in the home; delete.
    assert call(stack, alice, "PUT", path, jcal_event(uid, "Kick-off moved")).status_code in (201, 204)
    by_uid = call(stack, alice, "REPORT", f"/calendars/{me}.json", {"uid": uid})
    assert by_uid.status_code == 200
    assert "Kick-off moved" in json.dumps(by_uid.json()["_embedded"]["dav:item"][0]["data"])
    assert call(stack, alice, "DELETE", path).status_code in (200, 204)
    assert call(stack, alice, "REPORT", f"/calendars/{me}.json", {"uid": uid}).status_code == 404


def test_recurring_events_are_expanded(stack, people):
    alice = people.user()
    me, uid = alice["id"], f"{uuid.uuid4()}"
    weekly = jcal_event(uid, "Weekly", extra=[["rrule", {}, "recur", {"freq": "WEEKLY", "count": 3}]])
    assert call(stack, alice, "PUT", f"/calendars/{me}/{me}/{uid}.ics", weekly).status_code == 201

    report = call(stack, alice, "REPORT", f"/calendars/{me}/{me}.json",
                  {"match": {"start": "20300301T000000", "end": "20300401T000000"}})
    [item] = report.json()["_embedded"]["dav:item"]
    instances = [c for c in item["data"][2] if c[0] == "vevent"]
    assert [props(v, "recurrence-id")[0][3] for v in instances] == [
        "2030-03-04T09:00:00Z", "2030-03-11T09:00:00Z", "2030-03-18T09:00:00Z"]
    assert all(not props(v, "rrule") for v in instances)


def test_sync_token_report_lists_changes(stack, people):
    alice = people.user()
    me = alice["id"]
    first = call(stack, alice, "REPORT", f"/calendars/{me}/{me}.json",
                 {"match": {"start": "20300101T000000", "end": "20300102T000000"}}).json()
    token = first["_embedded"]["sync-token"]
    uid = f"{uuid.uuid4()}"
    assert call(stack, alice, "PUT", f"/calendars/{me}/{me}/{uid}.ics", jcal_event(uid, "New")).status_code == 201

    changes = call(stack, alice, "REPORT", f"/calendars/{me}/{me}.json", {"sync-token": token})
    assert changes.status_code == 207
    body = changes.json()
    assert body["_embedded"]["dav:item"] == [{"_links": {"self": {"href": f"/calendars/{me}/{me}/{uid}.ics"}},
                                              "status": 200}]
    assert body["sync-token"] and body["sync-token"] != token
