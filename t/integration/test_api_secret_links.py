"""Secret links (docs/reference/rest-api.md §9, docs/reference/auth.md §6.1): a user's link to a
calendar, stored as OpenPaaS stores it, and the internal call through which the edge learns whose
link a token is and what to export (docs/reference/edge-worker.md §2.4)."""

from __future__ import annotations

import re
import uuid

import requests

from test_edge_dav import bearer, put_event

LINK = re.compile(r"^(?P<base>.+)/api/calendars/(?P<home>[^/]+)/(?P<cal>[^/]+)/calendar\.ics\?token=(?P<token>[A-Za-z0-9_-]{30})$")


def my_id(stack, token: str) -> str:
    return requests.get(stack.edge_url + "/api/user", headers=bearer(token), timeout=10).json()["_id"]


def secret_link(stack, token: str, home: str, cal: str, reset: str | None = None) -> re.Match:
    query = f"?shouldResetLink={reset}" if reset is not None else ""
    r = requests.get(f"{stack.edge_url}/calendar/api/calendars/{home}/{cal}/secret-link{query}",
                     headers=bearer(token), timeout=10)
    assert r.status_code == 200, r.text
    assert list(r.json()) == ["secretLink"]
    m = LINK.match(r.json()["secretLink"])
    assert m, r.json()
    return m


def lookup(api, home: str, cal: str, token: str | None):
    headers = {"X-Twake-Link-Token": token} if token is not None else {}
    return api.get(f"/internal/secret-link/{home}/{cal}", headers=headers)


def alice_calendar(stack) -> tuple[str, str, str]:
    """Alice's token and her default calendar, with an event in it."""
    token = stack.oidc.token("alice@example.com")
    me = my_id(stack, token)
    assert put_event(stack, token, f"/dav/calendars/{me}/{me}/{uuid.uuid4().hex}.ics").status_code == 201
    return token, me, me


def test_a_user_keeps_one_link_per_calendar_until_reset(stack, db):
    token, home, cal = alice_calendar(stack)
    first = secret_link(stack, token, home, cal)
    assert (first["base"], first["home"], first["cal"]) == (stack.edge_url, home, cal)
    assert secret_link(stack, token, home, cal)["token"] == first["token"]
    assert secret_link(stack, token, home, cal, reset="false")["token"] == first["token"]
    reset = secret_link(stack, token, home, cal, reset="TRUE")
    assert reset["token"] != first["token"]
    docs = list(db.secretlinks.find({"calendarHomeId": home, "calendarId": cal}, {"_id": 0}))
    user = db.users.find_one({"accounts.emails": "alice@example.com"})
    assert docs == [{"user_id": user["_id"], "calendarHomeId": home, "calendarId": cal, "token": reset["token"]}]


def test_two_users_have_their_own_links_to_one_calendar(stack):
    _, home, cal = alice_calendar(stack)
    alice = secret_link(stack, stack.oidc.token("alice@example.com"), home, cal)["token"]
    bob = secret_link(stack, stack.oidc.token("bob@example.com"), home, cal)["token"]
    assert alice != bob


def test_the_internal_call_names_the_owner_and_the_export_path(stack, api):
    token, home, cal = alice_calendar(stack)
    link = secret_link(stack, token, home, cal)["token"]
    r = lookup(api, home, cal, f"  {link} ")
    assert r.status == 200, r.body
    assert r.json() == {"owner": "alice@example.com", "exportPath": f"/calendars/{home}/{cal}?export"}


def test_a_token_opens_its_own_calendar_only(stack, api):
    token, home, cal = alice_calendar(stack)
    old = secret_link(stack, token, home, cal)["token"]
    new = secret_link(stack, token, home, cal, reset="true")["token"]
    forbidden = {"error": {"code": 403, "type": "Forbidden", "message": "Forbidden",
                           "details": "Token validation failed"}}
    for h, c, t in [(home, cal, old), (home, cal, None), (home, cal, ""), (home, cal, "A" * 30),
                    (home, "another-calendar", new), ("5f1a0c2b9d3e4f5a6b7c8d9e", cal, new)]:
        r = lookup(api, h, c, t)
        assert (r.status, r.json()) == (403, forbidden), (h, c, t)
    assert lookup(api, home, cal, new).status == 200


def test_a_token_with_other_characters_is_a_bad_request(api):
    r = lookup(api, "h1", "c1", "abc+def")
    assert r.status == 400
    assert r.json() == {"error": {"code": 400, "type": "BadRequest", "message": "Bad Request",
                                  "details": "Invalid token: only letters, digits, hyphen, and underscore are allowed."}}


def test_a_link_to_a_calendar_the_server_does_not_have_is_not_found(stack, api):
    token = stack.oidc.token("alice@example.com")
    home = my_id(stack, token)
    link = secret_link(stack, token, home, "no-such-calendar")["token"]
    r = lookup(api, home, "no-such-calendar", link)
    assert r.status == 404
    assert r.json()["error"]["details"] == f"Calendar not found: {home}/no-such-calendar"


def test_the_token_is_never_logged(stack, api):
    token, home, cal = alice_calendar(stack)
    link = secret_link(stack, token, home, cal, reset="true")["token"]
    lookup(api, home, cal, link)
    assert link not in stack.worker.log_path.read_text()
