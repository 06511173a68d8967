"""The stack's DAV server (Radicale behind the esn-sabre shim) answers like esn-sabre:
impersonation, per-user homes, ?export, POST /itip and the AMQP messages."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone

import pika
import pytest
import requests
from bson import ObjectId


# -- fixtures and helpers ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def db(stack):
    return stack.mongo.client()[stack.mongo_database]


@pytest.fixture
def domain(db):
    """A fresh domain document (docs/reference/mongodb.md §5); tests isolate themselves by domain
    name."""
    name = f"d{uuid.uuid4().hex[:12]}.test"
    domain_id = ObjectId()
    db.domains.insert_one({"_id": domain_id, "timestamps": {"creation": datetime.now(timezone.utc)},
                           "hostnames": [], "name": name, "company_name": name, "administrators": []})
    return domain_id, name


def add_user(db, domain, local: str) -> tuple[str, str]:
    """A user document as the worker writes it (docs/reference/mongodb.md §4); returns (id,
    email)."""
    domain_id, name = domain
    email = f"{local}@{name}"
    user_id = ObjectId()
    db.users.insert_one({"_id": user_id, "firstname": local.title(), "lastname": "Test", "firstnames": [local.title()],
                         "password": str(uuid.uuid4()), "email": email,
                         "domains": [{"domain_id": domain_id}],
                         "accounts": [{"type": "email", "emails": [email]}]})
    return str(user_id), email


class Tap:
    """A temporary queue bound to some exchanges, to see what the shim publishes."""

    def __init__(self, amqp_url: str, *exchanges: str):
        self._connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        self._channel = self._connection.channel()
        self._queue = self._channel.queue_declare("", exclusive=True).method.queue
        for exchange in exchanges:
            self._channel.queue_bind(self._queue, exchange)
        self._seen: list[tuple[str, dict, pika.BasicProperties]] = []

    def wait(self, predicate, count: int = 1, timeout: float = 5.0) -> list[tuple[str, dict]]:
        deadline = time.monotonic() + timeout
        while True:
            while True:
                method, properties, body = self._channel.basic_get(self._queue, auto_ack=True)
                if method is None:
                    break
                self._seen.append((method.exchange, json.loads(body), properties))
            matching = [(e, b) for e, b, _ in self._seen if predicate(e, b)]
            if len(matching) >= count or time.monotonic() > deadline:
                return matching
            time.sleep(0.05)

    def properties(self, exchange: str) -> pika.BasicProperties:
        return next(p for e, _, p in self._seen if e == exchange)

    def close(self):
        self._connection.close()


@pytest.fixture
def tap(stack):
    taps = []

    def open_tap(*exchanges):
        taps.append(Tap(stack.rabbitmq.url, *exchanges))
        return taps[-1]

    yield open_tap
    for t in taps:
        t.close()


def event_ics(uid: str, organizer: str | None = None, attendees=(), summary="Title 1", partstat="NEEDS-ACTION") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Shim//EN", "BEGIN:VEVENT", f"UID:{uid}",
             "DTSTAMP:20250418T074748Z", "DTSTART:20300419T110000Z", "DTEND:20300419T113000Z", f"SUMMARY:{summary}"]
    if organizer:
        lines.append(f"ORGANIZER;CN=Organizer:mailto:{organizer}")
        lines.append(f"ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:{organizer}")
    for a in attendees:
        lines.append(f"ATTENDEE;PARTSTAT={partstat};RSVP=TRUE;ROLE=REQ-PARTICIPANT:mailto:{a}")
    lines += ["BEGIN:VALARM", "TRIGGER:-PT10M", "ACTION:DISPLAY", "DESCRIPTION:soon", "END:VALARM",
              "END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines)


def put(stack, email, path, ics, **kw):
    return requests.put(stack.dav.url + path, data=ics.encode(), auth=stack.dav.impersonation(email),
                        headers={"Content-Type": "text/calendar"}, timeout=10, **kw)


# -- authentication and access -----------------------------------------------------------------------

def test_impersonated_put_then_get(stack, db, domain):
    alice, alice_email = add_user(db, domain, "alice")
    path = f"/calendars/{alice}/{alice}/ev1.ics"
    ics = event_ics("uid-put-get")

    # esn-sabre looks the address up lower-cased (but compares the domain part as sent).
    created = put(stack, "ALICE@" + domain[1], path, ics)
    assert created.status_code == 201
    got = requests.get(stack.dav.url + path, auth=stack.dav.impersonation(alice_email), timeout=10)
    assert got.status_code == 200
    assert "UID:uid-put-get" in got.text
    assert got.headers["ETag"] == created.headers["ETag"]


def test_default_collections_are_created_on_first_use(stack, db, domain):
    alice, alice_email = add_user(db, domain, "alice")
    auth = stack.dav.impersonation(alice_email)
    for path in (f"/calendars/{alice}/{alice}/", f"/addressbooks/{alice}/contacts/", f"/addressbooks/{alice}/collected/"):
        response = requests.request("PROPFIND", stack.dav.url + path, auth=auth, headers={"Depth": "0"}, timeout=10)
        assert response.status_code == 207, path


def test_another_users_calendar_is_forbidden(stack, db, domain):
    alice, alice_email = add_user(db, domain, "alice")
    bob, bob_email = add_user(db, domain, "bob")
    assert put(stack, alice_email, f"/calendars/{alice}/{alice}/mine.ics", event_ics("uid-mine")).status_code == 201

    bob_auth = stack.dav.impersonation(bob_email)
    for method, path in [("GET", f"/calendars/{alice}/{alice}/mine.ics"), ("DELETE", f"/calendars/{alice}/{alice}/mine.ics"),
                         ("PROPFIND", f"/calendars/{alice}/{alice}/"), ("GET", f"/calendars/{alice}/{alice}?export")]:
        response = requests.request(method, stack.dav.url + path, auth=bob_auth, timeout=10)
        assert response.status_code == 403, (method, path)
    assert put(stack, bob_email, f"/calendars/{alice}/{alice}/intruder.ics", event_ics("uid-x")).status_code == 403


def test_credentials_refused(stack, db, domain):
    alice, alice_email = add_user(db, domain, "alice")
    url = f"{stack.dav.url}/calendars/{alice}/{alice}/"
    cases = {
        "wrong admin password": {"auth": (f"{stack.dav.admin_user}&{alice_email}", "wrong")},
        "unknown user": {"auth": stack.dav.impersonation(f"nobody@{domain[1]}")},
        "no impersonation": {"auth": (alice_email, stack.dav.admin_password)},
        "no credentials": {},
        "technical token without introspection": {"headers": {"TwakeCalendarToken": "anything"}},
    }
    for case, kwargs in cases.items():
        response = requests.request("PROPFIND", url, timeout=10, **kwargs)
        assert response.status_code == 401, case
    # esn-sabre reads TwakeCalendarToken before Basic: a bad token fails even with good Basic.
    response = requests.request("PROPFIND", url, auth=stack.dav.impersonation(alice_email),
                                headers={"TwakeCalendarToken": "anything"}, timeout=10)
    assert response.status_code == 401


# -- AMQP change messages ------------------------------------------------------------------------------

def test_put_publishes_event_and_alarm_created(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    path = f"/calendars/{alice}/{alice}/ev-amqp.ics"
    ics = event_ics("uid-amqp", summary="Weekly sync")
    t = tap("calendar:event:created", "calendar:event:alarm:created")

    created = put(stack, alice_email, path, ics)
    assert created.status_code == 201

    ours = lambda e, b: b.get("eventPath") == path  # noqa: E731
    messages = dict(t.wait(ours, count=2))
    assert set(messages) == {"calendar:event:created", "calendar:event:alarm:created"}
    body = messages["calendar:event:created"]
    assert body["rawEvent"] == ics
    assert body["import"] is False
    assert body["etag"] == created.headers["ETag"]
    assert body["connectedUser"] == f"principals/users/{alice}"
    name, props, comps = body["event"]
    assert name == "vcalendar"
    assert ["prodid", {}, "text", "-//Test//Shim//EN"] in props
    vevent = next(c for c in comps if c[0] == "vevent")
    assert ["uid", {}, "text", "uid-amqp"] in vevent[1]
    assert ["dtstart", {}, "date-time", "2030-04-19T11:00:00Z"] in vevent[1]
    assert ["summary", {}, "text", "Weekly sync"] in vevent[1]
    assert vevent[2] == [["valarm", [["trigger", {}, "duration", "-PT10M"], ["action", {}, "text", "DISPLAY"],
                                     ["description", {}, "text", "soon"]], []]]
    properties = t.properties("calendar:event:created")
    assert properties.delivery_mode == 2 and properties.content_type == "application/json"


def test_update_and_delete_publish_their_messages(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    path = f"/calendars/{alice}/{alice}/ev-life.ics"
    assert put(stack, alice_email, path, event_ics("uid-life")).status_code == 201
    t = tap("calendar:event:updated", "calendar:event:alarm:updated", "calendar:event:deleted", "calendar:event:alarm:deleted")

    assert put(stack, alice_email, path, event_ics("uid-life", summary="Renamed")).status_code in (201, 204)
    deleted = requests.delete(stack.dav.url + path, auth=stack.dav.impersonation(alice_email), timeout=10)
    assert deleted.status_code in (200, 204)

    messages = dict(t.wait(lambda e, b: b.get("eventPath") == path, count=4))
    assert set(messages) == {"calendar:event:updated", "calendar:event:alarm:updated",
                             "calendar:event:deleted", "calendar:event:alarm:deleted"}
    assert "SUMMARY:Renamed" in messages["calendar:event:updated"]["rawEvent"]
    assert messages["calendar:event:updated"]["old_event"][0] == "vcalendar"
    assert "SUMMARY:Renamed" in messages["calendar:event:deleted"]["rawEvent"]
    assert "etag" not in messages["calendar:event:deleted"]


# -- scheduling --------------------------------------------------------------------------------------------

def test_organizer_put_publishes_local_delivery(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    bob_email = f"bob@{domain[1]}"
    path = f"/calendars/{alice}/{alice}/meeting.ics"
    uid = f"uid-{uuid.uuid4()}"
    t = tap("calendar:itip:localDelivery")

    assert put(stack, alice_email, path, event_ics(uid, alice_email, [bob_email])).status_code == 201
    [(_, request)] = t.wait(lambda e, b: b.get("uid") == uid)
    assert request["method"] == "REQUEST"
    assert request["sender"] == f"mailto:{alice_email}"
    assert request["recipients"] == [f"mailto:{bob_email}"]
    assert request["calendarId"] == alice
    assert request["hasChange"] is True
    assert request["connectedUser"] == f"principals/users/{alice}"
    assert "oldMessage" not in request
    assert "METHOD:REQUEST" in request["message"] and f"UID:{uid}" in request["message"]

    assert put(stack, alice_email, path, event_ics(uid, alice_email, [bob_email], summary="Moved")).status_code in (201, 204)
    deleted = requests.delete(stack.dav.url + path, auth=stack.dav.impersonation(alice_email), timeout=10)
    assert deleted.status_code in (200, 204)
    messages = [b for _, b in t.wait(lambda e, b: b.get("uid") == uid, count=3)]
    update, cancel = messages[1], messages[2]
    assert update["method"] == "REQUEST" and "SUMMARY:Moved" in update["message"]
    assert "SUMMARY:Title 1" in update["oldMessage"]
    assert cancel["method"] == "CANCEL" and "METHOD:CANCEL" in cancel["message"]
    assert cancel["recipients"] == [f"mailto:{bob_email}"]


def test_attendee_partstat_change_publishes_reply(stack, db, domain, tap):
    bob, bob_email = add_user(db, domain, "bob")
    alice_email = f"alice@{domain[1]}"
    uid = f"uid-{uuid.uuid4()}"
    path = f"/calendars/{bob}/{bob}/{uid}.ics"
    assert put(stack, bob_email, path, event_ics(uid, alice_email, [bob_email])).status_code == 201
    t = tap("calendar:itip:localDelivery")

    accepted = event_ics(uid, alice_email, [bob_email], partstat="ACCEPTED")
    assert put(stack, bob_email, path, accepted).status_code in (201, 204)
    [(_, reply)] = t.wait(lambda e, b: b.get("uid") == uid)
    assert reply["method"] == "REPLY"
    assert reply["sender"] == f"mailto:{bob_email}"
    assert reply["recipients"] == [f"mailto:{alice_email}"]
    assert "METHOD:REPLY" in reply["message"] and "PARTSTAT=ACCEPTED" in reply["message"]


def test_itip_request_cancel_and_reply(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    bob, bob_email = add_user(db, domain, "bob")
    uid = f"uid-{uuid.uuid4()}"
    organizer_copy = event_ics(uid, alice_email, [bob_email])
    assert put(stack, alice_email, f"/calendars/{alice}/{alice}/{uid}.ics", organizer_copy).status_code == 201
    t = tap("calendar:event:request", "calendar:event:created", "calendar:event:updated")

    def itip(as_email, method, ical, sender, recipient):
        body = {"uid": uid, "sender": sender, "recipient": recipient, "ical": ical, "method": method, "sequence": 0}
        return requests.post(stack.dav.url + "/itip", json=body, auth=stack.dav.impersonation(as_email), timeout=10)

    request_ics = organizer_copy.replace("VERSION:2.0", "VERSION:2.0\r\nMETHOD:REQUEST")
    assert itip(bob_email, "REQUEST", request_ics, alice_email, bob_email).status_code == 204
    export = requests.get(f"{stack.dav.url}/calendars/{bob}/{bob}?export", auth=stack.dav.impersonation(bob_email), timeout=10)
    assert f"UID:{uid}" in export.text and "METHOD" not in export.text
    messages = dict(t.wait(lambda e, b: b.get("eventPath", "").startswith(f"/calendars/{bob}/{bob}/"), count=2))
    assert set(messages) == {"calendar:event:request", "calendar:event:updated"}   # esn-sabre finds the new copy
    assert messages["calendar:event:request"]["rawEvent"].count(f"UID:{uid}") == 1

    # Errors: unknown recipient 400, a recipient that is not the caller 403, missing fields 400.
    assert itip(bob_email, "REQUEST", request_ics, alice_email, f"ghost@{domain[1]}").status_code == 400
    assert itip(alice_email, "REQUEST", request_ics, alice_email, bob_email).status_code == 403
    assert requests.post(stack.dav.url + "/itip", json={"uid": uid}, auth=stack.dav.impersonation(bob_email),
                         timeout=10).status_code == 400

    reply_ics = event_ics(uid, alice_email, [bob_email], partstat="ACCEPTED").replace("VERSION:2.0", "VERSION:2.0\r\nMETHOD:REPLY")
    assert itip(alice_email, "REPLY", reply_ics, bob_email, alice_email).status_code == 204
    organizer_now = requests.get(f"{stack.dav.url}/calendars/{alice}/{alice}/{uid}.ics",
                                 auth=stack.dav.impersonation(alice_email), timeout=10).text
    assert "PARTSTAT=ACCEPTED" in organizer_now.split(f"mailto:{bob_email}")[0].rsplit("ATTENDEE", 1)[1]

    cancel_ics = request_ics.replace("METHOD:REQUEST", "METHOD:CANCEL")
    assert itip(bob_email, "CANCEL", cancel_ics, alice_email, bob_email).status_code == 204
    export = requests.get(f"{stack.dav.url}/calendars/{bob}/{bob}?export", auth=stack.dav.impersonation(bob_email), timeout=10)
    assert "STATUS:CANCELLED" in export.text


# -- export --------------------------------------------------------------------------------------------------

def test_export_returns_the_whole_collection(stack, db, domain):
    alice, alice_email = add_user(db, domain, "alice")
    auth = stack.dav.impersonation(alice_email)
    for n in (1, 2):
        assert put(stack, alice_email, f"/calendars/{alice}/{alice}/e{n}.ics", event_ics(f"uid-export-{n}")).status_code == 201
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-1\r\nFN:Carol\r\nN:;Carol;;;\r\nEND:VCARD\r\n"
    assert requests.put(f"{stack.dav.url}/addressbooks/{alice}/contacts/card-1.vcf", data=vcard, auth=auth,
                        headers={"Content-Type": "text/vcard"}, timeout=10).status_code == 201

    for url in (f"/calendars/{alice}/{alice}?export", f"/calendars/{alice}/{alice}/"):
        response = requests.get(stack.dav.url + url, auth=auth, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        assert response.text.count("BEGIN:VCALENDAR") == 1
        assert "UID:uid-export-1" in response.text and "UID:uid-export-2" in response.text
    cards = requests.get(f"{stack.dav.url}/addressbooks/{alice}/contacts?export", auth=auth, timeout=10)
    assert cards.status_code == 200 and "FN:Carol" in cards.text
