"""`POST /itip`: the worker delivers an iTIP message to a local recipient, impersonating it
(docs/reference/rabbitmq.md §3.3; esn-sabre's ITipPlugin, Schedule\\Plugin::scheduleLocalDelivery
and sabre's ITip\\Broker::processMessage*), then the change messages of
EventRealTimePlugin::schedule.

REQUEST creates or replaces the recipient's copy (in its default calendar when new), CANCEL marks
the copy STATUS:CANCELLED (sabre keeps it), REPLY sets the replying attendee's PARTSTAT in the
organizer's copy. Delivery is silent: no `calendar:itip:localDelivery` comes out of it.

A recipient or sender may be a resource (principals/resources/<id>): a REQUEST delivered to one
publishes `resource:calendar:event:created`, a REPLY from one that accepts or declines
`resource:calendar:event:accepted|declined` (EventRealTimePlugin::notifyResourceEventCreated,
notifyResourceReplyStatus; docs/reference/rabbitmq.md §3.6).
"""

from __future__ import annotations

import json
import uuid

from . import ical
from .auth import Identity
from .directory import Directory
from .realtime import Message, event_jcal
from .scheduling import normalize
from .store import Store

LOCAL_PROPERTIES = ("TRANSP", "CLASS")     # the recipient's own settings survive a new REQUEST


class ItipError(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def deliver(store: Store, directory: Directory, identity: Identity, body: bytes) -> list[Message]:
    """Apply the message to the recipient's calendar; the messages to publish are returned.
    Raises ItipError: 400 for a malformed body or an unknown recipient, 403 when the recipient
    is not the authenticated user, 501 for COUNTER."""
    payload = _payload(body)
    method = str(payload.get("method") or "REQUEST").upper()
    if method not in ("REQUEST", "CANCEL", "REPLY"):
        raise ItipError(501 if method == "COUNTER" else 400, f"method {method} is not supported")
    recipient = directory.find_by_address(str(payload["recipient"]))
    if recipient is None:
        raise ItipError(400, "unknown recipient")
    if identity.user is None or identity.user.id != recipient.id:
        raise ItipError(403, "the recipient is not the authenticated user")
    try:
        message = ical.parse(str(payload["ical"]))
    except ValueError:
        raise ItipError(400, "ical is not iCalendar")

    uid, home = str(payload["uid"]), recipient.id
    recipient_address = f"mailto:{payload['recipient']}"
    sender = _sender_address(message, str(payload["sender"]))
    store.ensure_home(home)
    found = store.find_by_uid(home, uid)
    current = ical.parse(found[1]) if found else None
    if method == "REQUEST":
        updated = _request(message, current, recipient_address)
    elif method == "CANCEL":
        updated = _cancel(current, str(payload.get("sequence", "0")))
    else:
        updated = _reply(message, current, sender)
    if updated is not None:
        path = found[0] if found else f"/calendars/{home}/{home}/sabredav-{uuid.uuid4()}.ics"
        response = store.put(path, home, updated.serialize())
        if not response.ok:
            raise ItipError(500, f"storing the copy failed with {response.status}")

    sender_user = directory.find_by_address(sender)
    if method == "REQUEST" and sender_user is not None and sender_user.id == recipient.id:
        return []                                   # an organizer inviting itself: no messages
    messages = _change_messages(store, identity, method, uid, home, recipient_address, str(payload["ical"]))
    if method == "REQUEST" and recipient.kind == "resources":
        # Sabre's message keeps its default significantChange (true) on this path: every REQUEST.
        messages.insert(-1, _resource_event_created(store, identity, messages[0][1]))
    if method == "REPLY" and sender_user is not None and sender_user.kind == "resources":
        replied = _resource_replied(store, identity, message, uid, sender, sender_user.id)
        if replied is None:
            return []                               # esn-sabre gives up: nothing is published
        messages += replied
    return messages


def _payload(body: bytes) -> dict:
    try:
        payload = json.loads(body)
    except ValueError:
        raise ItipError(400, "body is not JSON")
    if not isinstance(payload, dict) or "uid" not in payload or not all(
            payload.get(k) for k in ("sender", "recipient", "ical")):
        raise ItipError(400, "uid, sender, recipient and ical are required")
    return payload


def _change_messages(store: Store, identity: Identity, method: str, uid: str, home: str,
                     recipient_address: str, message_text: str) -> list[Message]:
    """EventRealTimePlugin::schedule. It runs after the delivery, so a copy just created counts
    as found: a new invitation gives `calendar:event:updated`, as in esn-sabre."""
    found = store.find_by_uid(home, uid)
    path, text = found if found else (f"/calendars/{home}/{home}/{uid}.ics", message_text)
    cal = ical.parse(text)
    data = {"eventPath": path, "event": event_jcal(cal), "rawEvent": text}
    topics = [f"calendar:event:{method.lower()}"]
    if method == "REQUEST":
        if _partstat(cal, recipient_address) == "ACCEPTED":
            topics.append("calendar:event:alarm:updated")
        topics.append("calendar:event:updated" if found else "calendar:event:created")
    elif method == "CANCEL":
        topics += ["calendar:event:alarm:cancel", "calendar:event:deleted"]
    etag = store.etag(path, home) if found else None
    extra = ({"etag": etag} if etag else {}) | {"connectedUser": identity.principal}
    return [(topic, data | extra) for topic in topics]


def _resource_event_created(store: Store, identity: Identity, delivered: dict) -> Message:
    """The copy just delivered into the resource's calendar; `eventId` is its file name, `.ics`
    included, as esn-sabre takes it from the path."""
    path = delivered["eventPath"]
    _, _, resource_id, _, file_name = path.split("/")
    data = {"resourceId": resource_id, "eventId": file_name, "eventPath": path, "ics": delivered["rawEvent"]}
    return "resource:calendar:event:created", _with_etag(store, data, resource_id, identity)


def _resource_replied(store: Store, identity: Identity, message: ical.Component, uid: str, sender: str,
                      resource_id: str) -> list[Message] | None:
    """The resource's answer, from its own copy; None when it has none. Only the first VEVENT's
    ATTENDEE written exactly as the sender counts, and only ACCEPTED or DECLINED."""
    found = store.find_by_uid(resource_id, uid)
    if found is None:
        return None
    path, text = found
    data = _with_etag(store, {"resourceId": resource_id, "eventId": uid, "eventPath": path, "ics": text},
                      resource_id, identity)
    topics = {"ACCEPTED": "resource:calendar:event:accepted", "DECLINED": "resource:calendar:event:declined"}
    replied = []
    for event in message.subs("VEVENT")[:1]:
        for attendee in event.all("ATTENDEE"):
            topic = topics.get(attendee.param("PARTSTAT") or "") if attendee.value == sender else None
            if topic is not None:
                replied.append((topic, data))
    return replied


def _with_etag(store: Store, data: dict, home: str, identity: Identity) -> dict:
    """EventRealTimePlugin::buildData and publishMessages: the ETag of `eventPath` when it
    exists, and the connected user."""
    etag = store.etag(data["eventPath"], home)
    return data | ({"etag": etag} if etag else {}) | {"connectedUser": identity.principal}


def _request(message: ical.Component, current: ical.Component | None, recipient: str) -> ical.Component | None:
    events = [c.clone() for c in message.components]
    if current is None:
        if _partstat(message, recipient) == "DECLINED":
            return None                             # a declined invitation is not re-created
        cal = ical.new_vcalendar()
        cal.components = events
        return cal
    old_events = {_recurrence_key(e): e for e in current.subs("VEVENT")}
    for event in events:
        old = old_events.get(_recurrence_key(event)) if event.name == "VEVENT" else None
        if old is None:
            continue
        for name in LOCAL_PROPERTIES:
            event.remove(name)
            event.properties.extend(ical.Property(p.name, p.value, dict(p.params)) for p in old.all(name))
        # The organizer's EMAIL alarms replace the old ones; the recipient's other alarms stay.
        own_alarms = [a for a in old.subs("VALARM") if (a.value("ACTION") or "").upper() != "EMAIL"]
        event.components += [a.clone() for a in own_alarms]
    current.components = events
    return current


def _cancel(current: ical.Component | None, sequence: str) -> ical.Component | None:
    if current is None:
        return None
    for event in current.subs("VEVENT"):
        event.set("STATUS", "CANCELLED")
        event.set("SEQUENCE", sequence)
    return current


def _reply(message: ical.Component, current: ical.Component | None, sender: str) -> ical.Component | None:
    if current is None:
        return None
    replies, request_status = {}, "2.0"
    for event in message.subs("VEVENT"):
        attendee = event.first("ATTENDEE")
        if attendee is not None:
            replies[_recurrence_key(event)] = (attendee.param("PARTSTAT") or "NEEDS-ACTION", attendee.param("CN"))
        if event.first("REQUEST-STATUS") is not None:
            request_status = event.value("REQUEST-STATUS").split(";")[0]
    for event in current.subs("VEVENT"):
        key = _recurrence_key(event)
        if key not in replies:
            continue
        partstat, name = replies.pop(key)
        attendee = next((a for a in event.all("ATTENDEE") if normalize(a.value) == normalize(sender)), None)
        if attendee is None:                        # a "party crasher"
            attendee = event.add("ATTENDEE", sender)
            if name:
                attendee.set_param("CN", name)
        attendee.set_param("PARTSTAT", partstat)
        attendee.set_param("SCHEDULE-STATUS", request_status)
        attendee.drop_param("RSVP")
    return current


def _sender_address(message: ical.Component, sender: str) -> str:
    """The sender as written in the message (ORGANIZER or ATTENDEE), like ITipPlugin does."""
    bare = sender[7:] if sender.lower().startswith("mailto:") else sender
    for event in message.subs("VEVENT")[:1]:
        for prop in event.all("ORGANIZER") + event.all("ATTENDEE"):
            value = prop.value[7:] if prop.value.lower().startswith("mailto:") else prop.value
            if value.lower() == bare.lower():
                return prop.value
    return f"mailto:{bare}"


def _partstat(cal: ical.Component, address: str) -> str | None:
    """The address's PARTSTAT in the master VEVENT (NEEDS-ACTION when absent), None if not invited."""
    master = next((e for e in cal.subs("VEVENT") if e.first("RECURRENCE-ID") is None), None)
    for attendee in master.all("ATTENDEE") if master is not None else []:
        if attendee.value.lower() == address.lower():
            return (attendee.param("PARTSTAT") or "NEEDS-ACTION").upper()
    return None


def _recurrence_key(event: ical.Component) -> str:
    return event.value("RECURRENCE-ID") or "master"
