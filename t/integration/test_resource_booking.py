"""Booking a resource (docs/reference/rabbitmq.md §3.6, docs/reference/rest-api.md §10.3): an
organizer invites a room through the edge's /dav; the worker delivers the invitation into the
room's calendar; the room accepts at once when nobody administers it (or the organizer does),
else its administrators are mailed accept and decline links that work through the edge without
logging in, and the organizer is mailed the answer. On the whole stack."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

import jwt as pyjwt
import pytest
import requests

from test_api_public import technical_token
from test_api_resources import add_resource, share
from test_itip_delivery import bearer, wait_for

CALENDAR_APP = "https://calendar.example.com/calendar"     # spa.calendar.url of the stack


@dataclass
class Person:
    email: str
    id: str
    token: str

    @property
    def calendar(self) -> str:
        return f"/dav/calendars/{self.id}/{self.id}/"


@dataclass
class Room:
    id: str
    domain: str
    domain_id: str

    @property
    def address(self) -> str:
        return f"{self.id}@{self.domain}"


def person(stack, domain: str) -> Person:
    """A user of the domain known to the identity provider, provisioned by its first call."""
    email = f"u{uuid.uuid4().hex[:8]}@{domain}"
    stack.oidc.add_account({"sub": email, "email": email, "password": "x"})
    token = stack.oidc.token(email)
    me = requests.get(stack.edge_url + "/api/user", headers=bearer(token), timeout=10)
    assert me.status_code == 200, me.text
    return Person(email, me.json()["_id"], token)


def room(db, people, domain: str) -> Room:
    domain_id = people.domain_id(domain)
    return Room(add_resource(db, domain_id, name="Blue room"), domain, domain_id)


def administered_room(stack, db, people, domain: str, *administrators: Person) -> Room:
    r = room(db, people, domain)
    share(stack, r.id, r.domain_id, [{"dav:href": f"mailto:{a.email}", "dav:administration": True}
                                     for a in administrators])
    return r


def invite(stack, organizer: Person, r: Room, summary: str) -> str:
    """The organizer's PUT of an event inviting the room; returns its UID."""
    uid = f"booking-{uuid.uuid4()}"
    ics = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Twake//booking test//EN", "BEGIN:VEVENT", f"UID:{uid}",
        "DTSTAMP:20261129T100000Z", "DTSTART:20301201T100000Z", "DTEND:20301201T110000Z", f"SUMMARY:{summary}",
        f"ORGANIZER:mailto:{organizer.email}", f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer.email}",
        f"ATTENDEE;CUTYPE=RESOURCE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Blue room:mailto:{r.address}",
        "END:VEVENT", "END:VCALENDAR", ""])
    put = requests.put(stack.edge_url + organizer.calendar + f"{uid}.ics", data=ics.encode(), timeout=10,
                       headers={**bearer(organizer.token), "Content-Type": "text/calendar"})
    assert put.status_code == 201, put.text
    return uid


def room_partstat(text: str, r: Room) -> str | None:
    unfolded = text.replace("\r\n ", "")
    line = next((l for l in unfolded.splitlines() if l.startswith("ATTENDEE") and r.address in l.lower()), None)
    found = re.search(r"PARTSTAT=([A-Z-]+)", line or "")
    return found.group(1) if found else None


def organizer_sees(stack, organizer: Person, uid: str, r: Room) -> str | None:
    got = requests.get(stack.edge_url + organizer.calendar + f"{uid}.ics", headers=bearer(organizer.token), timeout=10)
    return room_partstat(got.text, r) if got.status_code == 200 else None


def room_copy(stack, r: Room, uid: str) -> tuple[str, str] | None:
    """(file name without .ics, text) of the room's copy, read from the DAV server with the
    domain's technical token, or None."""
    headers = {"TwakeCalendarToken": technical_token(stack, r.domain_id)}
    listing = requests.request("PROPFIND", f"{stack.dav.url}/calendars/{r.id}/{r.id}/", timeout=10,
                               headers={**headers, "Depth": "1"})
    for href in re.findall(r"<(?:\w+:)?href>([^<]+\.ics)</(?:\w+:)?href>", listing.text):
        got = requests.get(stack.dav.url + href, headers=headers, timeout=10)
        if f"UID:{uid}" in got.text:
            return href.rsplit("/", 1)[1].removesuffix(".ics"), got.text
    return None


def mails_to(stack, address: str, subject_part: str) -> list:
    return [m for m in stack.smtp.messages() if m["To"] and address in m["To"].lower() and subject_part in m["Subject"]]


def text_of(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def links_in(message) -> dict:
    """The accept and decline links of a resource-request mail."""
    found = re.findall(r"(https?://\S+/participation\?status=(ACCEPTED|DECLINED)\S*)", text_of(message))
    return {status: url for url, status in found}


def link_token(stack, resource_id: str, event_id: str, **changes) -> str:
    now = int(time.time())
    claims = {"resourceId": resource_id, "eventId": event_id, "iat": now, "exp": now + 3600, **changes}
    claims = {k: v for k, v in claims.items() if v is not None}
    return pyjwt.encode(claims, stack.jwt_private_key.read_text(), algorithm="RS256",
                        headers={"typ": "JWT", "alg": "RS256"})


def participation(stack, resource_id: str, event_id: str, **query):
    return requests.get(f"{stack.edge_url}/calendar/api/resources/{resource_id}/{event_id}/participation",
                        params=query, allow_redirects=False, timeout=10)


# -- auto-acceptance --------------------------------------------------------------------------------

def test_a_room_nobody_administers_accepts_at_once(stack, db, people):
    domain = people.domain()
    organizer = person(stack, domain)
    r = room(db, people, domain)
    uid = invite(stack, organizer, r, "Planning")

    wait_for(lambda: room_partstat((room_copy(stack, r, uid) or ("", ""))[1], r) == "ACCEPTED",
             "the room's copy accepted")
    wait_for(lambda: organizer_sees(stack, organizer, uid, r) == "ACCEPTED", "the organizer's copy")
    time.sleep(1)
    assert not mails_to(stack, organizer.email, "Blue room")       # nobody to tell


def test_an_organizer_who_administers_the_room_books_it_at_once(stack, db, people):
    domain = people.domain()
    organizer = person(stack, domain)
    r = administered_room(stack, db, people, domain, organizer)
    uid = invite(stack, organizer, r, "Board meeting")

    wait_for(lambda: organizer_sees(stack, organizer, uid, r) == "ACCEPTED", "the organizer's copy")
    time.sleep(1)
    assert not [m for m in stack.smtp.messages() if "Board meeting" in (m["Subject"] or "")]


# -- moderation by mail -------------------------------------------------------------------------------

@pytest.mark.parametrize("answer,booked", [("ACCEPTED", "booked"), ("DECLINED", "refused")])
def test_an_administrator_answers_by_the_emailed_link(stack, db, people, answer, booked):
    domain = people.domain()
    organizer, administrator = person(stack, domain), person(stack, domain)
    r = administered_room(stack, db, people, domain, administrator)
    summary = f"Review {uuid.uuid4().hex[:6]}"
    uid = invite(stack, organizer, r, summary)

    [request] = wait_for(lambda: mails_to(stack, administrator.email, summary), "the booking request")
    assert "Blue room" in request["Subject"]
    assert not room_partstat(room_copy(stack, r, uid)[1], r) == "ACCEPTED"     # waiting for the answer
    links = links_in(request)
    assert set(links) == {"ACCEPTED", "DECLINED"}
    event_id = room_copy(stack, r, uid)[0]
    assert links["ACCEPTED"].startswith(f"{stack.edge_url}/calendar/api/resources/{r.id}/{event_id}/participation?")

    followed = requests.get(links[answer], allow_redirects=False, timeout=10)    # no credentials
    assert followed.status_code == 302, followed.text
    assert followed.headers["Location"] == CALENDAR_APP
    wait_for(lambda: organizer_sees(stack, organizer, uid, r) == answer, "the organizer's copy")
    [reply] = wait_for(lambda: mails_to(stack, organizer.email, f"Blue room {booked}"), "the answer mail")
    assert summary in reply["Subject"]
    assert ("accepted" if answer == "ACCEPTED" else "declined") in text_of(reply)
    assert not mails_to(stack, administrator.email, "Blue room booked")

    again = requests.get(links[answer], allow_redirects=False, timeout=10)         # idempotent
    assert again.status_code == 302


# -- the link's refusals --------------------------------------------------------------------------------

def assert_error(response, status: int, details_part: str):
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == status and details_part in body["details"]


def test_the_link_refuses_what_it_cannot_trust(stack, db, people):
    domain = people.domain()
    r = room(db, people, domain)
    ok = link_token(stack, r.id, "sabredav-1")

    assert_error(participation(stack, r.id, "sabredav-1", status="MAYBE", referrer="email", jwt=ok), 400, "status")
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="web", jwt=ok), 400, "referrer")
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", jwt=ok), 400, "referrer")
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="email"), 401, "jwt")
    tampered = ok[:-4] + ("AAAA" if not ok.endswith("AAAA") else "BBBB")
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="EMAIL", jwt=tampered), 401, "JWT")
    expired = link_token(stack, r.id, "sabredav-1", iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="email", jwt=expired), 401, "JWT")
    other_event = link_token(stack, r.id, "sabredav-2")
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="email", jwt=other_event), 403, "JWT")
    no_event = link_token(stack, r.id, None)
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="email", jwt=no_event), 403, "JWT")

    ghost = "0123456789abcdef01234567"
    assert_error(participation(stack, ghost, "sabredav-1", status="ACCEPTED", referrer="email",
                               jwt=link_token(stack, ghost, "sabredav-1")), 404, "Resource")
    assert_error(participation(stack, r.id, "sabredav-1", status="ACCEPTED", referrer="email", jwt=ok), 404, "event")


def test_the_worker_never_logs_the_link_token(stack, db, people):
    domain = people.domain()
    r = room(db, people, domain)
    token = link_token(stack, r.id, "sabredav-logged")
    participation(stack, r.id, "sabredav-logged", status="ACCEPTED", referrer="email", jwt=token)
    participation(stack, r.id, "sabredav-logged", status="ACCEPTED", referrer="email", jwt=token[:-3] + "abc")
    time.sleep(0.5)
    assert token[-20:] not in stack.worker.log_path.read_text()
    assert token[-20:] not in stack.nginx.access_log.read_text()
