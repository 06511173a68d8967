"""The Twake Calendar web app's own DAV traffic through the edge, as the app sends it: from
another origin (preflights first), an OIDC bearer token, esn-sabre's JSON API under /dav/
with query strings and JSON bodies that must reach esn-sabre unchanged, as the caller."""

from __future__ import annotations

import json
import uuid

import requests

from test_dav_shim_web_app import LIST_QUERY, jcal_event

APP = "https://calendar.example.com"


class WebApp:
    """One signed-in tab of the app: every call cross-origin, preflighted like a browser does
    for a non-simple method or header."""

    def __init__(self, stack, token: str):
        self.stack, self.token = stack, token

    def call(self, method: str, path: str, body=None, content_type="application/json", accept="application/json"):
        preflight = requests.options(self.stack.edge_url + path, timeout=5, headers={
            "Origin": APP, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type"})
        assert preflight.status_code == 204, preflight.text
        assert method in preflight.headers["Access-Control-Allow-Methods"].split(", ")
        data = json.dumps(body) if body is not None else None
        r = requests.request(method, self.stack.edge_url + path, data=data, timeout=10, headers={
            "Origin": APP, "Authorization": f"Bearer {self.token}", "Accept": accept,
            **({"Content-Type": content_type} if data is not None else {})})
        assert r.headers["Access-Control-Allow-Origin"] == "*", (method, path, r.status_code)
        return r


def test_the_web_apps_first_load_and_an_event_lifecycle(stack, people):
    user = people.user()
    stack.oidc.add_account({"sub": user["email"], "email": user["email"], "given_name": "Ada",
                            "family_name": "App", "password": "x"})
    app = WebApp(stack, stack.oidc.token(user["email"]))
    me = app.call("GET", "/api/user").json()["_id"]
    assert me == user["id"]

    # The calendar list, with the app's query string (esn-sabre reads every parameter).
    listing = app.call("GET", f"/dav/calendars/{me}.json?{LIST_QUERY}")
    assert listing.status_code == 200, listing.text
    [default] = listing.json()["_embedded"]["dav:calendar"]
    assert default["_links"]["self"]["href"] == f"/calendars/{me}/{me}.json"
    assert app.call("GET", f"/dav/calendars/{me}.json?personal=false").content == b""  # the query reached it

    # Create an event (jCal labelled text/calendar, as the app does), see it in the month view.
    uid = str(uuid.uuid4())
    path = f"/dav/calendars/{me}/{me}/{uid}.ics"
    assert app.call("PUT", path, jcal_event(uid, "Sprint review"), content_type="text/calendar; charset=utf-8"
                    ).status_code == 201
    month = {"match": {"start": "20300301T000000", "end": "20300401T000000"}}
    report = app.call("REPORT", f"/dav/calendars/{me}/{me}.json", month)
    assert report.status_code == 200, report.text
    [item] = report.json()["_embedded"]["dav:item"]
    assert item["_links"]["self"]["href"] == f"/calendars/{me}/{me}/{uid}.ics"
    etag = item["etag"]
    shown = app.call("GET", path, accept="application/calendar+json")
    assert shown.headers["ETag"] == etag  # readable cross-origin: exposed
    assert "Sprint review" in shown.text

    # Edit, then delete.
    assert app.call("PUT", path, jcal_event(uid, "Sprint review (moved)"),
                    content_type="text/calendar; charset=utf-8").status_code in (201, 204)
    assert "moved" in app.call("GET", path, accept="application/calendar+json").text
    assert app.call("DELETE", path).status_code in (200, 204)
    assert app.call("REPORT", f"/dav/calendars/{me}/{me}.json", month).json()["_embedded"]["dav:item"] == []


def test_the_app_reaches_only_its_own_home(stack, people):
    user, other = people.user(), people.user()
    stack.oidc.add_account({"sub": user["email"], "email": user["email"], "given_name": "A", "family_name": "B",
                            "password": "x"})
    app = WebApp(stack, stack.oidc.token(user["email"]))
    # Impersonated as the caller: esn-sabre refuses another user's home.
    assert app.call("GET", f"/dav/calendars/{other['id']}.json?{LIST_QUERY}").status_code == 403
    created = app.call("POST", f"/dav/calendars/{user['id']}.json",
                       {"id": uuid.uuid4().hex, "dav:name": "Projects", "apple:color": "#00ff00",
                        "caldav:description": ""})
    assert created.status_code == 201, created.text
    names = [c["dav:name"] for c in
             app.call("GET", f"/dav/calendars/{user['id']}.json?{LIST_QUERY}").json()["_embedded"]["dav:calendar"]]
    assert "Projects" in names
