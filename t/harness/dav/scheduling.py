"""Outgoing iTIP after a PUT or DELETE, as esn-sabre's AMQPSchedulePlugin publishes it on
`calendar:itip:localDelivery` (docs/reference/rabbitmq.md §3.2) instead of delivering it itself.

The messages are those of sabre/vobject's ITip\\Broker (linagora's fork, with `hasChange`):
the organizer's change gives every other attendee a REQUEST, or a CANCEL when the attendee was
removed or the event deleted or cancelled; an attendee's change of its own PARTSTAT in its copy
gives the organizer a REPLY (a deleted copy: DECLINED). Instances are keyed by the raw
RECURRENCE-ID text; replies to instances that exist only through the RRULE are not expanded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import ical

# esn-sabre adds SUMMARY, LOCATION, DESCRIPTION to the RFC 5546 list (Schedule/Plugin::createBroker)
SIGNIFICANT = ["DTSTART", "DTEND", "DURATION", "DUE", "RRULE", "RDATE", "EXDATE", "STATUS",
               "SUMMARY", "LOCATION", "DESCRIPTION"]
CHANGE = ["LOCATION", "SUMMARY", "DESCRIPTION", "X-OPENPAAS-VIDEOCONFERENCE", "X-OPENPAAS-BOOKING-LINK"]


@dataclass
class ItipMessage:
    method: str
    uid: str
    sender: str          # normalized calendar address (mailto:… lower case)
    recipient: str
    calendar: ical.Component
    has_change: bool = True
    sequence: int = 0


@dataclass
class EventInfo:
    uid: str | None = None
    organizer: str | None = None
    organizer_name: str | None = None
    organizer_agent: str = "SERVER"
    organizer_force_send: str | None = None
    sequence: int = 0
    status: str | None = None
    exdate: list[str] = field(default_factory=list)
    instances: dict[str, ical.Component] = field(default_factory=dict)   # recurrence id → VEVENT
    attendees: dict[str, dict] = field(default_factory=dict)              # href → {name, instances, force}
    significant_hash: str = ""
    change_hash: str = ""


def normalize(address: str) -> str:
    """sabre's CalAddress::getNormalizedValue: lower-case scheme, and the whole mailto address."""
    if ":" not in address:
        return address
    scheme, rest = address.split(":", 1)
    scheme = scheme.lower()
    return f"{scheme}:{rest.lower()}" if scheme == "mailto" else f"{scheme}:{rest}"


def parse_event(new: ical.Component | None, addresses: list[str], old: ical.Component | None) -> list[ItipMessage]:
    """Broker::parseEvent. `addresses` are the calendar owner's calendar-user addresses."""
    addresses = [normalize(a) for a in addresses]
    try:
        old_info = event_info(old) if old is not None and old.subs("VEVENT") else None
        if new is not None:
            if not new.subs("VEVENT"):
                return []
            info = event_info(new)
            if not info.attendees and not (old_info and old_info.attendees):
                return []
            if not info.organizer and not (old_info and old_info.organizer):
                return []
            if not info.organizer and old_info:
                info.organizer, info.organizer_name = old_info.organizer, old_info.organizer_name
            base = new
        else:
            if old_info is None:
                return []
            info, base = event_info(old), old
            if info.organizer in addresses:
                info.attendees = {}          # the organizer deleted the event: cancel everybody
                info.sequence += 1
            else:
                for href, attendee in info.attendees.items():
                    if href in addresses:
                        attendee["instances"] = {"master": "DECLINED"}
    except ValueError:                       # sabre throws ITipException on such objects
        return []
    old_info = old_info or EventInfo()
    if info.organizer in addresses:
        return _for_organizer(base, info, old_info)
    if old is not None:
        for href in info.attendees:
            if href in addresses:
                return _for_attendee(base, info, old_info, href)
    return []


def event_info(cal: ical.Component) -> EventInfo:
    info = EventInfo()
    significant, change = [], []
    sequence = None
    for vevent in cal.subs("VEVENT"):
        uid = vevent.value("UID")
        if info.uid is None:
            info.uid = uid
        elif uid != info.uid:
            raise ValueError("every event of an object must have the same UID")
        if vevent.first("DTSTART") is None:
            raise ValueError("an event must have a DTSTART")
        organizer = vevent.first("ORGANIZER")
        if organizer is not None:
            if info.organizer is None:
                info.organizer, info.organizer_name = normalize(organizer.value), organizer.param("CN")
            elif info.organizer != normalize(organizer.value):
                raise ValueError("every instance must have the same organizer")
            force = organizer.param("SCHEDULE-FORCE-SEND")
            info.organizer_force_send = force.upper() if force else None
            info.organizer_agent = (organizer.param("SCHEDULE-AGENT") or "SERVER").upper()
        if sequence is None and vevent.first("SEQUENCE") is not None:
            sequence = int(vevent.value("SEQUENCE") or 0)
        for exdate in vevent.all("EXDATE"):
            info.exdate = sorted(info.exdate + exdate.value.split(","))
        if vevent.first("STATUS") is not None:
            info.status = vevent.value("STATUS").upper()
        recur_id = vevent.value("RECURRENCE-ID") or "master"
        attendees = vevent.all("ATTENDEE")
        for attendee in attendees:
            if (attendee.param("SCHEDULE-AGENT") or "").upper() == "CLIENT":
                continue
            href = normalize(attendee.value)
            partstat = (attendee.param("PARTSTAT") or "NEEDS-ACTION").upper()
            force = attendee.param("SCHEDULE-FORCE-SEND")
            entry = info.attendees.setdefault(href, {"name": attendee.param("CN"), "instances": {},
                                                     "force": force.upper() if force else None})
            entry["instances"][recur_id] = partstat
        if attendees:
            info.instances[recur_id] = vevent
        for name in SIGNIFICANT:
            props = vevent.all(name)
            if props:
                values = [",".join(info.exdate)] if name == "EXDATE" else [p.value for p in props]
                significant.append(name + ":" + "".join(v + ";" for v in values))
        for name in CHANGE:
            props = vevent.all(name)
            if props:
                change.append(name + ":" + "".join(p.value + ";" for p in props))
    info.sequence = sequence or 0
    info.significant_hash = hashlib.md5("".join(significant).encode()).hexdigest()
    info.change_hash = hashlib.md5("".join(change).encode()).hexdigest()
    return info


def _for_organizer(cal: ical.Component, info: EventInfo, old_info: EventInfo) -> list[ItipMessage]:
    merged: dict[str, dict] = {}
    for href, a in old_info.attendees.items():
        merged[href] = {"name": a["name"], "old": a["instances"], "new": {}, "force": None}
    for href, a in info.attendees.items():
        entry = merged.setdefault(href, {"name": a["name"], "old": {}, "new": {}, "force": None})
        entry.update(name=a["name"], new=a["instances"], force=a["force"])

    messages = []
    for href, attendee in merged.items():
        if href == info.organizer:
            continue                     # an organizer listed as attendee gets nothing
        message = ical.new_vcalendar()
        message.components = [tz.clone() for tz in cal.subs("VTIMEZONE")]
        first = cal.subs("VEVENT")[0]
        if not attendee["new"] or info.status == "CANCELLED":
            method = "CANCEL"
            event = ical.Component("VEVENT")
            event.add("UID", info.uid)
            event.add("SEQUENCE", str(info.sequence))
            event.add("DTSTAMP", _now())
            if first.first("SUMMARY") is not None:
                event.add("SUMMARY", first.value("SUMMARY"))
            event.properties.append(_copy(first.first("DTSTART")))
            end = first.first("DTEND") or first.first("DURATION")
            if end is not None:
                event.properties.append(_copy(end))
            organizer = event.add("ORGANIZER", info.organizer)
            if info.organizer_name:
                organizer.set_param("CN", info.organizer_name)
            cancelled = event.add("ATTENDEE", href)
            if attendee["name"]:
                cancelled.set_param("CN", attendee["name"])
            message.components.append(event)
            has_change = True
        else:
            method = "REQUEST"
            significant = (attendee["force"] == "REQUEST"
                           or set(attendee["old"]) != set(attendee["new"])
                           or old_info.significant_hash != info.significant_hash)
            has_change = significant or old_info.change_hash != info.change_hash
            for recur_id in attendee["new"]:
                event = info.instances[recur_id].clone()
                if recur_id == "master":
                    missing = [i for i in info.instances if i not in attendee["new"]]
                    if missing:
                        exdate = event.first("EXDATE")
                        if exdate is not None:
                            exdate.value = ",".join(exdate.value.split(",") + missing)
                        else:
                            event.add("EXDATE", ",".join(missing))
                    for prop in event.all("ORGANIZER") + event.all("ATTENDEE"):
                        prop.drop_param("SCHEDULE-FORCE-SEND")
                        prop.drop_param("SCHEDULE-STATUS")
                        if prop.name == "ATTENDEE" and prop.param("PARTSTAT") is None:
                            prop.set_param("PARTSTAT", "NEEDS-ACTION")
                _keep_email_alarms_for(event, href)
                message.components.append(event)
        message.properties.append(ical.Property("METHOD", method))
        messages.append(_message(method, info.uid, info.organizer, href, message, has_change))
    return messages


def _for_attendee(cal: ical.Component, info: EventInfo, old_info: EventInfo, href: str) -> list[ItipMessage]:
    if info.organizer_agent == "CLIENT" or info.status == "CANCELLED":
        return []
    old_instances = old_info.attendees.get(href, {}).get("instances", {})
    new_instances = info.attendees[href]["instances"]
    statuses = {i: [s, None] for i, s in old_instances.items()}
    for i, s in new_instances.items():
        statuses.setdefault(i, [None, None])[1] = s
    # New EXDATEs in the attendee's copy decline those instances (unless the whole event is declined).
    if "master" in statuses and statuses["master"][1] != "DECLINED":
        for exdate in info.exdate:
            if exdate not in old_info.exdate:
                statuses.setdefault(exdate, [None, None])[1] = "DECLINED"

    name = info.attendees[href]["name"]
    summary = cal.subs("VEVENT")[0].value("SUMMARY")
    messages = []
    for recur_id, (old_status, new_status) in statuses.items():
        if old_status == new_status and info.organizer_force_send != "REPLY":
            continue
        message = ical.new_vcalendar()
        message.properties.append(ical.Property("METHOD", "REPLY"))
        message.components = [tz.clone() for tz in cal.subs("VTIMEZONE")]
        event = ical.Component("VEVENT")
        event.add("UID", info.uid)
        event.add("DTSTAMP", _now())
        instance = info.instances.get(recur_id)
        if instance is not None:
            if instance.first("SEQUENCE") is not None:
                event.add("SEQUENCE", instance.value("SEQUENCE"))
            event.properties.append(_copy(instance.first("DTSTART")))
            end = instance.first("DTEND") or instance.first("DURATION")
            if end is not None:
                event.properties.append(_copy(end))
            if instance.value("SUMMARY") or summary:
                event.add("SUMMARY", instance.value("SUMMARY") or summary)
        else:                                   # an instance that only exists through EXDATE
            event.add("DTSTART", recur_id)
            if summary:
                event.add("SUMMARY", summary)
        if recur_id != "master":
            event.add("RECURRENCE-ID", recur_id)
        organizer = event.add("ORGANIZER", info.organizer)
        if info.organizer_name:
            organizer.set_param("CN", info.organizer_name)
        replying = event.add("ATTENDEE", href, PARTSTAT=new_status or "NEEDS-ACTION")
        if name:
            replying.set_param("CN", name)
        message.components.append(event)
        messages.append(_message("REPLY", info.uid, href, info.organizer, message, True))
    return messages


def _message(method, uid, sender, recipient, calendar, has_change) -> ItipMessage:
    # esn-sabre's Schedule\Plugin::deliver: a message without SEQUENCE gets SEQUENCE:0.
    event = calendar.subs("VEVENT")[0]
    if not event.value("SEQUENCE"):
        event.set("SEQUENCE", "0")
    return ItipMessage(method, uid, sender, recipient, calendar, has_change, int(event.value("SEQUENCE")))


def _keep_email_alarms_for(event: ical.Component, recipient: str) -> None:
    """EMAIL alarms are personal: a recipient gets only those naming it, with only its address
    (Schedule\\Plugin::filterEmailAlarmsForRecipient)."""
    kept = []
    for alarm in event.components:
        if alarm.name == "VALARM" and (alarm.value("ACTION") or "").upper() == "EMAIL":
            mine = [a for a in alarm.all("ATTENDEE") if normalize(a.value) == recipient]
            if not mine:
                continue
            alarm.properties = [p for p in alarm.properties if p.name != "ATTENDEE" or p in mine]
        kept.append(alarm)
    event.components = kept


def _copy(prop: ical.Property) -> ical.Property:
    return ical.Property(prop.name, prop.value, {k: list(v) for k, v in prop.params.items()})


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def local_deliveries(messages: list[ItipMessage], old_raw: str | None, calendar_id: str,
                     connected_user: str) -> list[dict]:
    """AMQPSchedulePlugin::flushDeliveries: one body per (method, uid, recipient)."""
    groups: dict[tuple, dict] = {}
    for m in messages:
        key = (m.method, m.uid, m.recipient)
        if key not in groups:
            groups[key] = {"sender": m.sender, "method": m.method, "uid": m.uid,
                           "message": m.calendar.serialize(), "hasChange": m.has_change, "recipients": []}
        groups[key]["recipients"].append(m.recipient)
    bodies = []
    for body in groups.values():
        if old_raw:
            body["oldMessage"] = old_raw
        body["calendarId"] = calendar_id
        body["connectedUser"] = connected_user
        bodies.append(body)
    return bodies
