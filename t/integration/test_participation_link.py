"""The participation links of invitation mails (docs/reference/rest-api.md §16,
docs/reference/auth.md §6.2): an organizer invites a user through the edge's /dav; the links of
the invitation mail, followed without credentials through the edge, set the attendee's answer
in its copy, from which esn-sabre's scheduling takes it to the organizer's copy and mailbox.
The same link twice changes nothing more; a tampered, expired or foreign token is refused.
On the whole stack."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid

import jwt as pyjwt
import pytest
import requests

from test_itip_delivery import bearer, find_copy, put, wait_for
from test_resource_booking import person
from test_scheduling_mail import mails_about

ROUTE = "/calendar/api/calendars/event/participation"
EXCAL = "https://excal.example.com/excal/?jwt="     # spa.excal.url of the stack
INVALID = {"error": {"code": 401, "type": "Unauthorized", "message": "Unauthorized",
                     "details": "JWT is missing or invalid"}}

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//participation test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20301101T100000Z
SEQUENCE:0
DTSTART:20301203T100000Z
DTEND:20301203T110000Z
SUMMARY:{summary}
ORGANIZER;CN=Organizer:mailto:{organizer}
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}
ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee}
END:VEVENT
END:VCALENDAR
"""


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def answer(stack, token: str | None, **extra):
    """The route through the edge, without credentials."""
    params = {} if token is None else {"jwt": token}
    return requests.get(stack.edge_url + ROUTE, params={**params, **extra}, timeout=15)


def partstat(text: str, address: str) -> str | None:
    for line in text.replace("\r\n ", "").replace("\n ", "").splitlines():
        if line.startswith("ATTENDEE") and line.lower().endswith("mailto:" + address):
            found = re.search(r"PARTSTAT=([A-Z-]+)", line)
            return found.group(1) if found else None
    return None


class Invitation:
    """An organizer's event with one invited user (or `guest`, an external address), and the
    links of the attendee's invitation mail."""

    def __init__(self, stack, people, guest: str | None = None):
        domain = people.domain()
        self.stack = stack
        self.organizer = person(stack, domain)
        self.attendee = person(stack, domain) if guest is None else None
        self.address = guest or self.attendee.email
        self.uid = f"excal-{uuid.uuid4()}"
        self.organizer_copy = self.organizer.calendar + f"{self.uid}.ics"
        text = EVENT.format(uid=self.uid, summary="Participation " + self.uid[-6:],
                            organizer=self.organizer.email, attendee=self.address)
        assert put(stack, self.organizer.token, self.organizer_copy, text).status_code == 201
        [mail] = wait_for(lambda: [m for m in mails_about(stack, self.uid) if m["to"] == self.address],
                          "the invitation mail")
        tokens = [link[len(EXCAL):] for link in re.findall(re.escape(EXCAL) + r"[\w.-]+", mail["text"])]
        self.links = {claims_of(t)["action"]: t for t in tokens}
        assert set(self.links) == {"ACCEPTED", "REJECTED", "TENTATIVE"}, mail["text"]

    def organizer_sees(self) -> str | None:
        got = requests.get(self.stack.edge_url + self.organizer_copy, headers=bearer(self.organizer.token),
                           timeout=10)
        return partstat(got.text, self.address)

    def attendee_copy(self):
        return wait_for(lambda: find_copy(self.stack, self.attendee.token, self.attendee.calendar, self.uid),
                        "the attendee's copy")

    def replies(self) -> list[dict]:
        return [m for m in mails_about(self.stack, self.uid)
                if m["method"] == "REPLY" and m["to"] == self.organizer.email]


@pytest.fixture
def invitation(stack, people):
    return Invitation(stack, people)


def test_an_external_attendee_answers_in_the_organizers_copy(stack, people):
    guest = f"guest-{uuid.uuid4().hex[:8]}@elsewhere.example"
    inv = Invitation(stack, people, guest)
    assert claims_of(inv.links["TENTATIVE"])["calendarURI"] == inv.organizer.id

    r = answer(stack, inv.links["TENTATIVE"])
    assert r.status_code == 200, r.text
    assert r.json()["attendeeEmail"] == guest and r.json()["locale"] == "en"
    assert inv.organizer_sees() == "TENTATIVE"     # written by the route itself, as the organizer


def etag(stack, token: str, path: str) -> str:
    got = requests.get(stack.edge_url + path, headers=bearer(token), timeout=10)
    assert got.status_code == 200, got.text
    return got.headers["ETag"]


def test_the_accept_link_answers_once_and_the_organizer_gets_the_reply(stack, invitation):
    inv = invitation
    claims = claims_of(inv.links["ACCEPTED"])
    assert claims["attendeeEmail"] == inv.attendee.email and claims["organizerEmail"] == inv.organizer.email
    assert claims["uid"] == inv.uid and claims["calendarURI"] == inv.attendee.id
    assert "exp" not in claims

    r = answer(stack, inv.links["ACCEPTED"])
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["attendeeEmail"] == inv.attendee.email and body["locale"] == "en"
    assert set(body["links"]) == {"yes", "no", "maybe"}
    for name, action in (("yes", "ACCEPTED"), ("no", "REJECTED"), ("maybe", "TENTATIVE")):
        assert body["links"][name].startswith(EXCAL)
        fresh = claims_of(body["links"][name][len(EXCAL):])
        assert fresh["action"] == action and fresh["uid"] == inv.uid and "exp" not in fresh
    assert body["eventJSON"][0] == "vcalendar"
    [vevent] = [c for c in body["eventJSON"][2] if c[0] == "vevent"]
    attendees = {p[3].lower(): p[1] for p in vevent[1] if p[0] == "attendee"}
    assert attendees["mailto:" + inv.attendee.email]["partstat"] == "ACCEPTED"

    href, text = inv.attendee_copy()
    assert partstat(text, inv.attendee.email) == "ACCEPTED"
    wait_for(lambda: inv.organizer_sees() == "ACCEPTED", "the answer in the organizer's copy")
    [reply] = wait_for(inv.replies, "the reply mail")
    assert reply["from"] == inv.attendee.email
    assert "PARTSTAT=ACCEPTED" in reply["ics"].replace("\r\n ", "")

    # The same link again: nothing written, no second reply.
    before = etag(stack, inv.attendee.token, href)
    again = answer(stack, inv.links["ACCEPTED"])
    assert again.status_code == 200, again.text
    assert again.json()["attendeeEmail"] == inv.attendee.email
    time.sleep(2)
    assert etag(stack, inv.attendee.token, href) == before
    assert len(inv.replies()) == 1


def test_decline_then_tentative(stack, invitation):
    inv = invitation
    assert answer(stack, inv.links["REJECTED"]).status_code == 200
    wait_for(lambda: inv.organizer_sees() == "DECLINED", "the decline in the organizer's copy")
    wait_for(lambda: len(inv.replies()) == 1, "the decline mail")

    r = answer(stack, inv.links["TENTATIVE"])
    assert r.status_code == 200, r.text
    wait_for(lambda: inv.organizer_sees() == "TENTATIVE", "the tentative answer in the organizer's copy")
    replies = wait_for(lambda: (lambda m: m if len(m) == 2 else None)(inv.replies()), "the second reply")
    answers = [re.search(rf"PARTSTAT=([A-Z-]+)[^\n]*mailto:{re.escape(inv.attendee.email)}",
                         m["ics"].replace("\r\n ", ""), re.I).group(1) for m in replies]
    assert sorted(answers) == ["DECLINED", "TENTATIVE"]


def sign(stack, claims: dict) -> str:
    return pyjwt.encode(claims, stack.jwt_private_key.read_text(), algorithm="RS256",
                        headers={"typ": "JWT", "alg": "RS256"})


def test_a_tampered_or_expired_token_is_refused_and_changes_nothing(stack, invitation):
    inv = invitation
    token = inv.links["ACCEPTED"]
    header, payload, signature = token.split(".")
    forged = dict(claims_of(token), action="REJECTED")
    tampered = ".".join([header, base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("="),
                         signature])
    now = int(time.time())
    expired = sign(stack, {**claims_of(token), "iat": now - 7200, "exp": now - 3600})
    login = sign(stack, {"sub": inv.attendee.email, "twake_calendar_auth_type": "jwt", "iat": now,
                         "exp": now + 3600})
    bad_action = sign(stack, {**claims_of(token), "action": "DECLINED"})
    for refused in (tampered, expired, login, bad_action, token[:-4] + "AAAA", "", "   "):
        r = answer(stack, refused)
        assert r.status_code == 401, (refused, r.text)
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.json() == INVALID
    assert answer(stack, None).json() == INVALID

    # A token that expires later is accepted (exp enforced only when present).
    assert answer(stack, sign(stack, {**claims_of(token), "exp": now + 3600})).status_code == 200
    wait_for(lambda: inv.organizer_sees() == "ACCEPTED", "the accepted answer")
    time.sleep(1)
    assert len(inv.replies()) == 1, "none of the refused tokens answered"


def test_a_link_to_an_unknown_event_is_not_found(stack, invitation):
    inv = invitation
    r = answer(stack, sign(stack, {**claims_of(inv.links["ACCEPTED"]), "uid": f"gone-{uuid.uuid4()}"}))
    assert r.status_code == 404, r.text
    assert r.json()["error"]["type"] == "NotFound" and r.json()["error"]["message"] == "Not found"
    # An external attendee answers in the organizer's copy, which does not list this one.
    stranger = sign(stack, {**claims_of(inv.links["ACCEPTED"]), "calendarURI": inv.organizer.id,
                            "attendeeEmail": f"x{uuid.uuid4().hex[:6]}@elsewhere.example"})
    r = answer(stack, stranger)
    assert r.status_code == 401 and r.json() == INVALID
