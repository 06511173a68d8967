"""The change messages esn-sabre's EventRealTimePlugin publishes for a calendar object
(docs/reference/rabbitmq.md §3.1): `calendar:event:alarm:<action>` for the request path, then
`calendar:event:<action>` for the owner's instance (app.py adds one per sharee's instance; the
shim has no subscribers).
"""

from __future__ import annotations

from datetime import datetime, timezone

from . import ical
from .jcal import component_to_jcal

Message = tuple[str, dict]      # (exchange, body)


def event_jcal(cal: ical.Component) -> list:
    """The `event` field: METHOD removed, PRODID and each VEVENT's DTSTAMP supplied when missing
    (EventRealTimePlugin::ensureRequiredFields); the object itself is left as stored."""
    cal = cal.clone()
    cal.remove("METHOD")
    if cal.first("PRODID") is None:
        cal.add("PRODID", ical.PRODID)
    for vevent in cal.subs("VEVENT"):
        if vevent.first("DTSTAMP") is None:
            vevent.add("DTSTAMP", datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    return component_to_jcal(cal)


def object_written(path: str, raw: str, old_raw: str | None, imported: bool,
                   etag: str | None, connected_user: str) -> list[Message]:
    """PUT of a new (old_raw None) or existing object."""
    new = ical.parse(raw)
    action = "updated" if old_raw is not None else "created"
    data = {"eventPath": path, "event": event_jcal(new), "rawEvent": raw, "import": imported}
    messages: list[Message] = []
    if old_raw is not None:
        old = ical.parse(old_raw)
        data["old_event"] = component_to_jcal(old)
        if _uid(old) and _uid(new) and _uid(old) != _uid(new):
            # Same file, another event: the old event's alarm must go (cancelOrphanedAlarmOnUidChange).
            cancel = {"eventPath": path, "event": component_to_jcal(old), "rawEvent": old_raw}
            messages.append(("calendar:event:alarm:cancel", _finish(cancel, etag, connected_user)))
    messages.append((f"calendar:event:alarm:{action}", _finish(data, etag, connected_user)))
    messages.append((f"calendar:event:{action}", _finish(data, etag, connected_user)))
    return messages


def object_deleted(path: str, old_raw: str, imported: bool, connected_user: str) -> list[Message]:
    """DELETE: the event is the object as it was; no etag, the node is gone."""
    data = {"eventPath": path, "event": event_jcal(ical.parse(old_raw)), "rawEvent": old_raw, "import": imported}
    return [
        ("calendar:event:alarm:deleted", _finish(data, None, connected_user)),
        ("calendar:event:deleted", _finish(data, None, connected_user)),
    ]


def _finish(data: dict, etag: str | None, connected_user: str) -> dict:
    body = dict(data)
    if etag is not None:
        body["etag"] = etag
    body["connectedUser"] = connected_user
    return body


def _uid(cal: ical.Component) -> str | None:
    vevent = next(iter(cal.subs("VEVENT")), None)
    return vevent.value("UID") if vevent is not None else None
