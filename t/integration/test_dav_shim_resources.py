"""Resources in the stack's DAV server, as in esn-sabre: a resource is a principal
(principals/resources/<id>, address <id>@<domain>) that can be impersonated, receives iTIP
through POST /itip, replies when its copy changes, and its bookings publish the
`resource:calendar:event:*` messages (docs/reference/rabbitmq.md §3.6)."""

from __future__ import annotations

import uuid

import requests
from bson import ObjectId

from test_api_public import technical_token
from test_api_resources import share
from test_dav_shim import add_user, db, domain, event_ics, put, tap  # noqa: F401 (fixtures)


def add_resource(db, domain) -> tuple[str, str]:
    """A resource document (docs/reference/mongodb.md §9); returns (id, address)."""
    resource_id = ObjectId()
    db.resources.insert_one({"_id": resource_id, "name": "Blue room", "deleted": False, "domain": domain[0],
                             "type": "resource", "icon": "meeting-room"})
    return str(resource_id), f"{resource_id}@{domain[1]}"


def technical_headers(stack, domain) -> dict:
    """The domain's technical token, as the worker sends it (docs/reference/auth.md §5.2)."""
    return {"TwakeCalendarToken": technical_token(stack, str(domain[0]))}


def itip(stack, as_email, method, ical, sender, recipient, uid):
    body = {"uid": uid, "sender": sender, "recipient": recipient, "ical": ical, "method": method, "sequence": 0}
    return requests.post(stack.dav.url + "/itip", json=body, auth=stack.dav.impersonation(as_email), timeout=10)


def with_method(ics: str, method: str) -> str:
    return ics.replace("VERSION:2.0", f"VERSION:2.0\r\nMETHOD:{method}")


def test_a_resource_is_impersonated_by_its_address(stack, db, domain):
    resource, address = add_resource(db, domain)
    calendar = f"{stack.dav.url}/calendars/{resource}/{resource}/"
    listing = requests.request("PROPFIND", calendar, auth=stack.dav.impersonation(address),
                               headers={"Depth": "1"}, timeout=10)
    assert listing.status_code == 207
    other_domain = requests.request("PROPFIND", calendar, auth=stack.dav.impersonation(f"{resource}@else.test"),
                                    headers={"Depth": "1"}, timeout=10)
    assert other_domain.status_code == 401


def put_unscheduled(stack, email, path, ics):
    """A PUT that sends no iTIP (`?import`): the stack's worker delivers nothing behind the test's back."""
    return put(stack, email, path, ics, params={"import": ""})


def test_an_invitation_to_a_resource_and_its_reply(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    resource, address = add_resource(db, domain)
    # Administered: the stack's worker asks its administrator instead of answering for it.
    _, carol_email = add_user(db, domain, "carol")
    share(stack, resource, str(domain[0]), [{"dav:href": f"mailto:{carol_email}", "dav:administration": True}])
    uid = f"uid-{uuid.uuid4()}"
    organizer_copy = event_ics(uid, alice_email, [address])
    assert put_unscheduled(stack, alice_email, f"/calendars/{alice}/{alice}/{uid}.ics", organizer_copy).status_code == 201
    t = tap("resource:calendar:event:created", "resource:calendar:event:accepted",
            "resource:calendar:event:declined", "calendar:itip:localDelivery")

    assert itip(stack, address, "REQUEST", with_method(organizer_copy, "REQUEST"), alice_email, address,
                uid).status_code == 204
    [(_, created)] = t.wait(lambda e, b: e == "resource:calendar:event:created")
    path = created["eventPath"]
    assert path.startswith(f"/calendars/{resource}/{resource}/") and path.endswith(".ics")
    assert created["resourceId"] == resource and f"UID:{uid}" in created["ics"]
    assert created["eventId"] == path.rsplit("/", 1)[1]          # the file name, ".ics" included
    assert created["etag"] and created["connectedUser"] == f"principals/resources/{resource}"

    # The resource's copy changed with the domain's technical token: a REPLY to the organizer.
    copy = requests.get(stack.dav.url + path, headers=technical_headers(stack, domain), timeout=10)
    assert copy.status_code == 200 and copy.headers["ETag"]
    lines = copy.text.replace("\r\n ", "").split("\r\n")
    accepted = "\r\n".join(line.replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=ACCEPTED") if address in line else line
                           for line in lines)
    assert "PARTSTAT=ACCEPTED" in accepted.split(address)[0].rsplit("\r\n", 1)[1]
    stored = requests.put(stack.dav.url + path, data=accepted.encode(), timeout=10,
                          headers={**technical_headers(stack, domain), "Content-Type": "text/calendar",
                                   "If-Match": copy.headers["ETag"]})
    assert stored.status_code in (201, 204)
    [(_, reply)] = t.wait(lambda e, b: e == "calendar:itip:localDelivery" and b["uid"] == uid)
    assert reply["method"] == "REPLY" and reply["sender"] == f"mailto:{address}"
    assert reply["recipients"] == [f"mailto:{alice_email}"] and "PARTSTAT=ACCEPTED" in reply["message"]

    # Delivered to the organizer (the stack's worker does it): the resource's answer is announced.
    [(_, answered)] = t.wait(lambda e, b: e == "resource:calendar:event:accepted", timeout=15)
    assert answered["resourceId"] == resource and answered["eventId"] == uid
    assert answered["eventPath"] == path and "PARTSTAT=ACCEPTED" in answered["ics"]
    assert answered["connectedUser"] == f"principals/users/{alice}"

    declined = reply["message"].replace("PARTSTAT=ACCEPTED", "PARTSTAT=DECLINED")
    assert itip(stack, alice_email, "REPLY", declined, address, alice_email, uid).status_code == 204
    assert len(t.wait(lambda e, b: e == "resource:calendar:event:declined")) == 1
    tentative = reply["message"].replace("PARTSTAT=ACCEPTED", "PARTSTAT=TENTATIVE")
    assert itip(stack, alice_email, "REPLY", tentative, address, alice_email, uid).status_code == 204
    assert len(t.wait(lambda e, b: e.startswith("resource:calendar:event:"), count=4, timeout=1)) == 3


def test_a_reply_from_a_resource_without_a_copy_announces_nothing(stack, db, domain, tap):
    alice, alice_email = add_user(db, domain, "alice")
    resource, address = add_resource(db, domain)
    uid = f"uid-{uuid.uuid4()}"
    assert put_unscheduled(stack, alice_email, f"/calendars/{alice}/{alice}/{uid}.ics",
                           event_ics(uid, alice_email, [address])).status_code == 201
    t = tap("resource:calendar:event:accepted", "calendar:event:reply")
    reply = with_method(event_ics(uid, alice_email, [address], partstat="ACCEPTED"), "REPLY")
    assert itip(stack, alice_email, "REPLY", reply, address, alice_email, uid).status_code == 204
    assert t.wait(lambda e, b: True, timeout=1) == []
