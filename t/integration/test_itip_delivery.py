"""iTIP local delivery (docs/reference/rabbitmq.md §3.3): the worker consumes
`calendar:itip:localDelivery`, splits a message with several recipients, and delivers to a local
user through the DAV server's `POST /itip` as that user; a malformed message is dead-lettered with
its reason (§6.3). Driven through the edge's /dav as real clients would, on the stack's worker."""

from __future__ import annotations

import json
import re
import time
import uuid

import requests

from harness import broker

EXCHANGE = "calendar:itip:localDelivery"
DLQ = "tcalendar:itip:localDelivery:dead-letter"

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//iTIP test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
DTSTART:20301201T100000Z
DTEND:20301201T110000Z
SUMMARY:{summary}
ORGANIZER:mailto:alice@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com
ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com
END:VEVENT
END:VCALENDAR
"""


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def calendar_of(stack, email: str) -> tuple[str, str]:
    """(token, the user's default calendar under /dav); the user is provisioned on the way."""
    token = stack.oidc.token(email)
    me = requests.get(stack.edge_url + "/api/user", headers=bearer(token), timeout=10).json()["_id"]
    return token, f"/dav/calendars/{me}/{me}/"


def wait_for(probe, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def find_copy(stack, token: str, calendar: str, uid: str):
    """(href, text) of the object with that UID in the calendar, listed with PROPFIND, or None."""
    listing = requests.request("PROPFIND", stack.edge_url + calendar, timeout=10,
                               headers={**bearer(token), "Depth": "1"})
    assert listing.status_code == 207, listing.text
    for href in re.findall(r"<(?:\w+:)?href>([^<]+\.ics)</(?:\w+:)?href>", listing.text):
        path = href if href.startswith("/dav/") else "/dav" + href
        got = requests.get(stack.edge_url + path, headers=bearer(token), timeout=10)
        if got.status_code == 200 and f"UID:{uid}" in got.text:
            return path, got.text
    return None


def put(stack, token: str, path: str, text: str):
    return requests.put(stack.edge_url + path, data=text.replace("\r\n", "\n").replace("\n", "\r\n").encode(),
                        headers={**bearer(token), "Content-Type": "text/calendar"}, timeout=10)


def publish(stack, body: bytes):
    broker.publish(stack, EXCHANGE, body)


def test_an_invitation_reaches_the_attendee_and_the_reply_the_organizer(stack):
    alice, alice_calendar = calendar_of(stack, "alice@example.com")
    bob, bob_calendar = calendar_of(stack, "bob@example.com")
    uid = f"itip-{uuid.uuid4()}"
    organizer_copy = alice_calendar + f"{uid}.ics"
    assert put(stack, alice, organizer_copy, EVENT.format(uid=uid, summary="Planning")).status_code == 201

    href, text = wait_for(lambda: find_copy(stack, bob, bob_calendar, uid), "the attendee's copy")
    assert "SUMMARY:Planning" in text and "ORGANIZER:mailto:alice@example.com" in text

    accepted = text.replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=ACCEPTED")
    assert "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@example.com" in accepted.replace("\r\n ", "")
    assert put(stack, bob, href, accepted).status_code in (201, 204)

    def organizer_sees_accepted():
        got = requests.get(stack.edge_url + organizer_copy, headers=bearer(alice), timeout=10).text
        bob_line = next(line for line in got.replace("\r\n ", "").splitlines() if "bob@example.com" in line)
        return "PARTSTAT=ACCEPTED" in bob_line

    wait_for(organizer_sees_accepted, "the reply in the organizer's copy")


def test_a_message_for_several_recipients_is_split_and_external_ones_skipped(stack):
    _, bob_calendar = calendar_of(stack, "bob@example.com")
    bob = stack.oidc.token("bob@example.com")
    uid = f"itip-{uuid.uuid4()}"
    message = EVENT.format(uid=uid, summary="Split").replace("VERSION:2.0", "VERSION:2.0\nMETHOD:REQUEST")
    publish(stack, json.dumps({
        "sender": "mailto:alice@example.com", "method": "REQUEST", "uid": uid, "hasChange": True,
        "message": message.replace("\n", "\r\n"), "calendarId": "unused",
        "recipients": ["mailto:someone@elsewhere.example", "mailto:BOB@example.com"]}).encode())
    _, text = wait_for(lambda: find_copy(stack, bob, bob_calendar, uid), "the local recipient's copy")
    assert "SUMMARY:Split" in text


def test_a_malformed_message_is_dead_lettered_with_its_reason(stack):
    body = json.dumps({"uid": f"itip-{uuid.uuid4()}", "method": "REQUEST"}).encode()
    publish(stack, body)
    props = broker.take_dead_letter(stack, DLQ, body)
    assert props.headers["x-twake-dead-letter-reason"] == "`sender` is missing or not a string"
    assert props.headers["x-twake-dead-letter-queue"] == "tcalendar:itip:localDelivery"
