"""Event search (docs/reference/rest-api.md §13): events saved through the edge's /dav are
found by their owner's search box within seconds, the calendars searched are only those of the
caller's calendar list, and bad input or an unavailable OpenSearch get JSON errors."""

from __future__ import annotations

import uuid

import pytest
import requests

from test_itip_delivery import bearer, calendar_of, put, wait_for
from test_search_indexing import RECURRING

SEARCH = "/calendar/api/events/search"

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//search test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
DTSTART:{start}
DTEND:20310301T110000Z
SUMMARY:{summary}
LOCATION:Room 4
ORGANIZER;CN=Alice:mailto:alice@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com
ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com
ATTENDEE;CN=Room;CUTYPE=RESOURCE:mailto:room@example.com
END:VEVENT
END:VCALENDAR
"""



def word() -> str:
    """A word no other test writes, so that each test finds only its own events."""
    return "w" + uuid.uuid4().hex[:10]


def ids(calendar: str) -> dict:
    home, cal = calendar.strip("/").split("/")[2:4]
    return {"userId": home, "calendarId": cal}


def search(stack, token: str, body, query: str = ""):
    return requests.post(stack.edge_url + SEARCH + query, json=body, headers=bearer(token), timeout=10)


def found(stack, token: str, body, query: str = "") -> list[dict]:
    answer = search(stack, token, body, query)
    assert answer.status_code == 200, answer.text
    return answer.json()["_embedded"]["events"]


def save(stack, token: str, calendar: str, summary: str, start="20310301T100000Z", uid=None) -> str:
    uid = uid or f"search-{uuid.uuid4()}"
    answer = put(stack, token, calendar + f"{uid}.ics", EVENT.format(uid=uid, summary=summary, start=start))
    assert answer.status_code in (201, 204), answer.text
    return uid


def test_an_event_put_through_dav_is_found_by_its_owner_in_the_documented_shape(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    text = word()
    uid = save(stack, alice, calendar, f"Quarterly {text}")
    body = {"calendars": [ids(calendar)], "query": text}
    events = wait_for(lambda: found(stack, alice, body), "the event in the search")
    answer = search(stack, alice, body).json()
    assert answer["_links"] == {"self": {"href": SEARCH + "?limit=30&offset=0"}}
    assert answer["_total_hits"] == 1
    home, cal = ids(calendar)["userId"], ids(calendar)["calendarId"]
    assert events == [{
        "_links": {"self": {"href": f"/calendars/{home}/{cal}/{uid}.ics"}},
        "data": {"uid": uid, "summary": f"Quarterly {text}", "location": "Room 4", "description": None,
                 "start": "2031-03-01T10:00:00Z", "end": "2031-03-01T11:00:00Z", "class": None,
                 "allDay": False, "hasResources": True, "durationInDays": 0, "isRecurrentMaster": None,
                 "attendees": [{"email": "alice@example.com", "cn": None}, {"email": "bob@example.com", "cn": "Bob"}],
                 "organizer": {"email": "alice@example.com", "cn": "Alice"},
                 "resources": [{"email": "room@example.com", "cn": "Room"}],
                 "x-openpaas-videoconference": None, "x-openpaas-booking-link": None,
                 "userId": home, "calendarId": cal, "dtstamp": "2026-11-29T10:00:00Z"}}]
    # An attendee's or organizer's name or address matches too; a prefix of the summary's word.
    assert len(found(stack, alice, {"calendars": [ids(calendar)], "query": "Quarterly " + text[:6]})) >= 1
    # A query string naming the calendar twice, with paging the self link keeps only the paging.
    paged = search(stack, alice, body, "?limit=5&offset=0&limit=7").json()
    assert paged["_links"]["self"]["href"] == SEARCH + "?limit=5&offset=0"


def test_another_users_calendar_is_not_searched(stack):
    alice, alice_calendar = calendar_of(stack, "alice@example.com")
    bob, bob_calendar = calendar_of(stack, "bob@example.com")
    text = word()
    save(stack, alice, alice_calendar, f"Private {text}")
    # Once indexed for its owner (also through the calendar list, two calendars named)...
    both = {"calendars": [ids(alice_calendar), ids(bob_calendar)], "query": text}
    wait_for(lambda: found(stack, alice, both), "the event in its owner's search")
    # ... bob naming alice's calendar finds nothing of it, alone or beside his own (where his
    # copy of the invitation may be, delivered by scheduling).
    assert found(stack, bob, {"calendars": [ids(alice_calendar)], "query": text}) == []
    assert all(e["data"]["userId"] == ids(bob_calendar)["userId"] for e in found(stack, bob, both))
    assert found(stack, bob, {"query": text}) == []


def test_updates_and_deletions_are_reflected(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    first, second = word(), word()
    uid = save(stack, alice, calendar, f"Plan {first}")
    wait_for(lambda: found(stack, alice, {"calendars": [ids(calendar)], "query": first}), "the event")
    save(stack, alice, calendar, f"Plan {second}", uid=uid)
    wait_for(lambda: found(stack, alice, {"calendars": [ids(calendar)], "query": second}), "the new summary")
    assert found(stack, alice, {"calendars": [ids(calendar)], "query": first}) == []
    gone = requests.delete(stack.edge_url + calendar + f"{uid}.ics", headers=bearer(alice), timeout=10)
    assert gone.status_code in (200, 204), gone.text
    wait_for(lambda: found(stack, alice, {"calendars": [ids(calendar)], "query": second}) == [], "the removal")


def test_a_recurring_event_with_an_override_is_one_result_its_master(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    text, uid = word(), f"search-{uuid.uuid4()}"
    text_event = RECURRING.format(uid=uid).replace("SUMMARY:Weekly", f"SUMMARY:{text} weekly")
    assert put(stack, alice, calendar + f"{uid}.ics", text_event).status_code == 201
    events = wait_for(lambda: found(stack, alice, {"calendars": [ids(calendar)], "query": text}), "the event")
    assert len(events) == 1
    assert events[0]["data"]["isRecurrentMaster"] is True
    assert events[0]["data"]["summary"] == f"{text} weekly"
    assert events[0]["data"]["start"] == "2030-06-03T08:00:00Z"


def test_filters_paging_and_order(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    text = word()
    uids = [save(stack, alice, calendar, f"Series {text}", start=f"2031030{day}T100000Z") for day in (1, 2, 3)]
    base = {"calendars": [ids(calendar)], "query": text}
    wait_for(lambda: len(found(stack, alice, base)) == 3, "the three events")
    # Sorted by start, latest first; paged.
    assert [e["data"]["uid"] for e in found(stack, alice, base)] == uids[::-1]
    assert [e["data"]["uid"] for e in found(stack, alice, base, "?limit=2")] == uids[:0:-1]
    assert [e["data"]["uid"] for e in found(stack, alice, base, "?limit=2&offset=2")] == uids[:1]
    # Organizers and attendees, addresses compared without case.
    assert len(found(stack, alice, {**base, "organizers": ["ALICE@example.com"]})) == 3
    assert found(stack, alice, {**base, "organizers": ["carol@example.com"]}) == []
    assert len(found(stack, alice, {**base, "attendees": ["bob@example.com"]})) == 3
    assert found(stack, alice, {**base, "attendees": ["dave@example.com"]}) == []
    # No text: every event of the calendar matching the other criteria.
    assert len(found(stack, alice, {"calendars": [ids(calendar)], "organizers": ["alice@example.com"]},
                     "?limit=256")) >= 3
    # No calendar: nothing, without asking anyone.
    assert found(stack, alice, {"query": text}) == []
    assert search(stack, alice, None).json()["_embedded"]["events"] == []


def test_bad_input_gets_a_json_400_and_no_identity_a_401(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    cases = [
        ({}, "?limit=0", "limit param must be positive"),
        ({}, "?limit=abc", "Invalid limit param: abc"),
        ({}, "?limit=1000", "limit param must not exceed 256"),
        ({}, "?offset=-1", "offset param must be non-negative"),
        ({"calendars": [{"calendarId": "x"}]}, "", "userId field is missing"),
        ({"calendars": [{"userId": "x"}]}, "", "calendarId field is missing"),
        ({"organizers": ["not an address"]}, "", "Invalid organizer email address"),
        ({"attendees": ["@"]}, "", "Invalid attendee email address"),
        ({"bookingLink": "nope"}, "", "Invalid bookingLink: nope"),
    ]
    for body, query, details in cases:
        answer = search(stack, alice, body, query)
        assert answer.status_code == 400, (body, query, answer.text)
        assert answer.json() == {"error": {"code": 400, "type": "BadRequest", "message": "Bad request",
                                           "details": details}}
    broken = requests.post(stack.edge_url + SEARCH, data=b"{not json", headers=bearer(alice), timeout=10)
    assert broken.status_code == 400 and broken.json()["error"]["details"] == "The body must be a JSON object"
    anonymous = requests.post(stack.edge_url + SEARCH, json={"calendars": [ids(calendar)]}, timeout=10)
    assert anonymous.status_code == 401


@pytest.mark.fault
def test_opensearch_stopped_gives_a_503_and_search_comes_back_with_it(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    text = word()
    save(stack, alice, calendar, f"Outage {text}")
    body = {"calendars": [ids(calendar)], "query": text}
    wait_for(lambda: found(stack, alice, body), "the event")
    stack.opensearch.stop()
    try:
        answer = search(stack, alice, body)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"] == {"code": 503, "type": "ServiceUnavailable",
                                          "message": "Service Unavailable",
                                          "details": "OpenSearch is unavailable"}
    finally:
        stack.opensearch.start()
    wait_for(lambda: search(stack, alice, body).status_code == 200 and found(stack, alice, body),
             "search after OpenSearch is back", timeout=60)
