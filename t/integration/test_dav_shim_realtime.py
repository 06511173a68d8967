"""What the stack's DAV server gives the WebSocket side, as esn-sabre does
(docs/reference/realtime.md §3): a calendar's ctag (its sync token) and an address book's
`dav:syncToken` as JSON to their owner, and the `calendar:calendar:*` messages of a calendar
made, changed, removed or shared (lib/Publisher/CalDAV/CalendarRealTimePlugin.php)."""

from __future__ import annotations

import json

import requests

from test_dav_shim import add_user, db, domain, event_ics, put, tap  # noqa: F401 (fixtures)

CALENDAR_TOPICS = ("calendar:calendar:created", "calendar:calendar:updated", "calendar:calendar:deleted")


def get_json(stack, email, path):
    return requests.get(stack.dav.url + path, auth=stack.dav.impersonation(email),
                        headers={"Accept": "application/json"}, timeout=10)


def test_tokens_as_json_change_with_the_collection(stack, db, domain):
    alice, alice_email = add_user(db, domain, "alice")
    bob, bob_email = add_user(db, domain, "bob")
    first = get_json(stack, alice_email, f"/calendars/{alice}/{alice}.json")
    assert first.status_code == 200, first.text
    ctag = first.json()["calendarserver:ctag"]
    assert ctag
    assert put(stack, alice_email, f"/calendars/{alice}/{alice}/ev.ics", event_ics("uid-ctag")).status_code == 201
    assert get_json(stack, alice_email, f"/calendars/{alice}/{alice}.json").json()["calendarserver:ctag"] != ctag
    # The ctag is the token a sync REPORT answers.
    report = requests.request("REPORT", stack.dav.url + f"/calendars/{alice}/{alice}.json",
                              auth=stack.dav.impersonation(alice_email), timeout=10,
                              headers={"Accept": "application/json", "Content-Type": "application/json"},
                              data=json.dumps({"sync-token": ctag}))
    assert report.json()["sync-token"] == get_json(
        stack, alice_email, f"/calendars/{alice}/{alice}.json").json()["calendarserver:ctag"]
    assert get_json(stack, bob_email, f"/calendars/{alice}/{alice}.json").status_code == 403
    assert get_json(stack, alice_email, f"/calendars/{alice}/nope.json").status_code == 404

    book = get_json(stack, alice_email, f"/addressbooks/{alice}/contacts?limit=0")
    assert book.status_code == 200, book.text
    assert book.json()["dav:syncToken"]
    assert get_json(stack, bob_email, f"/addressbooks/{alice}/contacts?limit=0").status_code == 403
    assert get_json(stack, alice_email, f"/addressbooks/{alice}/nope?limit=0").status_code == 404


def test_calendars_made_changed_and_removed_are_published(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    seen = tap(*CALENDAR_TOPICS)
    auth = stack.dav.impersonation(alice_email)
    json_headers = {"Accept": "application/json", "Content-Type": "application/json"}
    made = requests.post(stack.dav.url + f"/calendars/{alice}.json", auth=auth, headers=json_headers,
                         data=json.dumps({"id": "work", "dav:name": "Work"}), timeout=10)
    assert made.status_code == 201, made.text
    changed = requests.request("PROPPATCH", stack.dav.url + f"/calendars/{alice}/work.json", auth=auth,
                               headers=json_headers, data=json.dumps({"dav:name": "Job"}), timeout=10)
    assert changed.status_code == 204, changed.text
    dav = requests.request("MKCALENDAR", stack.dav.url + f"/calendars/{alice}/home/", auth=auth, timeout=10)
    assert dav.status_code == 201, dav.text
    assert requests.delete(stack.dav.url + f"/calendars/{alice}/home/", auth=auth, timeout=10).status_code in (200, 204)
    assert requests.delete(stack.dav.url + f"/calendars/{alice}/work.json", auth=auth, headers=json_headers,
                           timeout=10).status_code == 204
    messages = seen.wait(lambda e, b: b["calendarPath"].startswith(f"/calendars/{alice}/"), count=5)
    assert [(e, b["calendarPath"]) for e, b in messages] == [
        ("calendar:calendar:created", f"/calendars/{alice}/work"),
        ("calendar:calendar:updated", f"/calendars/{alice}/work"),
        ("calendar:calendar:created", f"/calendars/{alice}/home"),
        ("calendar:calendar:deleted", f"/calendars/{alice}/home"),
        ("calendar:calendar:deleted", f"/calendars/{alice}/work"),
    ]
    assert messages[0][1]["calendarProps"] == {"{DAV:}displayname": "Work"}
    assert messages[3][1]["calendarProps"] is None
    assert messages[0][1]["connectedUser"] == f"principals/users/{alice}"


def test_sharing_publishes_the_sharees_instances(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    bob, bob_email = add_user(db, domain, "bob")
    seen = tap(*CALENDAR_TOPICS)

    def share(body):
        r = requests.post(stack.dav.url + f"/calendars/{alice}/{alice}.json", auth=stack.dav.impersonation(alice_email),
                          headers={"Content-Type": "application/json", "Accept": "application/json"},
                          data=json.dumps({"share": body}), timeout=10)
        assert r.status_code == 200, r.text

    share({"set": [{"dav:href": f"mailto:{bob_email}", "dav:read": True},
                   {"dav:href": "mailto:nobody@example.org", "dav:read": True}]})
    share({"set": [{"dav:href": f"mailto:{bob_email}", "dav:read-write": True}]})
    share({"remove": [{"dav:href": f"mailto:{bob_email}"}]})
    messages = seen.wait(lambda e, b: alice in b["calendarPath"] or bob in b["calendarPath"], count=6)
    instance = messages[0][1]["calendarPath"]
    assert instance.startswith(f"/calendars/{bob}/")
    source = f"/calendars/{alice}/{alice}"
    assert [(e, b["calendarPath"], b["calendarProps"]) for e, b in messages] == [
        ("calendar:calendar:created", instance, {"access": "dav:read"}),
        ("calendar:calendar:updated", source, {"delegation_updated": True}),
        ("calendar:calendar:updated", instance, {"access": "dav:read-write"}),
        ("calendar:calendar:updated", source, {"delegation_updated": True}),
        ("calendar:calendar:deleted", instance, None),
        ("calendar:calendar:updated", source, {"delegation_updated": True}),
    ]


def test_a_sharees_instance_reads_and_publishes_like_the_shared_calendar(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    bob, bob_email = add_user(db, domain, "bob")
    seen = tap("calendar:event:created", "calendar:calendar:created")
    source = f"/calendars/{alice}/{alice}"

    def share(body):
        r = requests.post(stack.dav.url + source + ".json", auth=stack.dav.impersonation(alice_email),
                          headers={"Content-Type": "application/json", "Accept": "application/json"},
                          data=json.dumps({"share": body}), timeout=10)
        assert r.status_code == 200, r.text

    share({"set": [{"dav:href": f"mailto:{bob_email}", "dav:read": True}]})
    instance = seen.wait(lambda e, b: e == "calendar:calendar:created" and bob in b["calendarPath"])[0][1]["calendarPath"]
    assert put(stack, alice_email, f"{source}/shared.ics", event_ics("uid-shared")).status_code == 201
    paths = [b["eventPath"] for _, b in seen.wait(lambda e, b: e == "calendar:event:created", count=2)]
    assert paths == [f"{source}/shared.ics", f"{instance}/shared.ics"]
    mine = get_json(stack, bob_email, instance + ".json")
    assert mine.status_code == 200, mine.text
    assert mine.json()["calendarserver:ctag"] == get_json(stack, alice_email, source + ".json").json()["calendarserver:ctag"]
    share({"remove": [{"dav:href": f"mailto:{bob_email}"}]})
    assert get_json(stack, bob_email, instance + ".json").status_code == 404
