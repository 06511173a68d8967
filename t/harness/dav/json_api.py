"""The part of esn-sabre's JSON API (lib/JSON/Plugin.php and its CalDAV handlers) the Twake
Calendar web app uses for its own calendars, answered from Radicale:

- `GET /calendars/<home>.json[?personal=…&sharedDelegationStatus=…&sharedPublicSubscription=…&withRights=…]`
  the calendar list; `POST /calendars/<home>.json` creates a calendar;
- `PROPPATCH` / `DELETE /calendars/<home>/<cal>.json` change or remove one;
- `REPORT /calendars/<home>/<cal>.json` with `{"match": {start, end}}` (events of a time range,
  expanded, as jCal) or `{"sync-token": …}` (what changed); `REPORT /calendars/<home>.json` with
  `{"uid": …}` (an event of the home by UID).

The shim has no sharing or subscriptions, so a home holds only personal calendars.
Each function returns (status, JSON-able body or None).
"""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET

from . import expand, ical
from .calendar_json import CalendarInvites
from .jcal import component_to_jcal
from .multistatus import APPLE, CALDAV, CALSERVER, DAV, clark
from .store import Store

# esn-sabre's CALENDAR_JSON_PROPERTIES: DAV property → JSON key.
PROPERTIES = {
    clark(DAV, "displayname"): "dav:name",
    clark(CALDAV, "calendar-description"): "caldav:description",
    clark(CALSERVER, "getctag"): "calendarserver:ctag",
    clark(APPLE, "calendar-color"): "apple:color",
    clark(APPLE, "calendar-order"): "apple:order",
}
WRITABLE = {"dav:name": clark(DAV, "displayname"), "caldav:description": clark(CALDAV, "calendar-description"),
            "apple:color": clark(APPLE, "calendar-color"), "apple:order": clark(APPLE, "calendar-order")}
READ_ONLY = ("dav:getetag", "dav:getctag", "calendarserver:ctag")
XML = {"Content-Type": "application/xml; charset=utf-8"}

Result = tuple[int, object]


class JsonApi:
    def __init__(self, store: Store, invites: CalendarInvites):
        self._store = store
        self._invites = invites

    # -- calendars ---------------------------------------------------------------------------------
    def list_home(self, home: str, query: dict, user: str, owner_email: str | None) -> Result:
        flag = lambda name: query.get(name, [""])[0] == "true"  # noqa: E731  (sabre: only "true")
        filtered = any(k in query for k in ("personal", "sharedPublicSubscription", "sharedDelegationStatus"))
        if filtered and not flag("personal"):
            return 200, None            # shared and subscribed calendars: none here; sabre sends no body
        items = []
        for path, props in self._calendars(home, user):
            calendar = path.rstrip("/").rsplit("/", 1)[1]
            body = self._invites.describe(home, calendar, owner_email, flag("withRights"))
            body.pop("dav:name", None)
            body.update(props)
            items.append(body)
        if not items:
            return 200, None
        return 200, {"_links": {"self": {"href": f"/calendars/{home}.json"}}, "_embedded": {"dav:calendar": items}}

    def create(self, home: str, data, user: str) -> Result:
        calendar = data.get("id") if isinstance(data, dict) else None
        if not isinstance(calendar, str) or not calendar or "/" in calendar or calendar.startswith("."):
            return 400, None
        props = {WRITABLE[k]: str(v) for k, v in data.items() if k in WRITABLE and v is not None}
        answer = self._store.call("MKCALENDAR", f"/calendars/{home}/{urllib.parse.quote(calendar)}/", user,
                                  _mkcalendar(props), XML)
        if answer.status == 409 or answer.status == 405:
            return 405, None                            # sabre: the collection already exists
        return (201, None) if answer.ok else (answer.status, None)

    def patch(self, home: str, calendar: str, data, user: str) -> Result:
        if not isinstance(data, dict):
            return 400, None
        if any(k in READ_ONLY for k in data):
            return 403, None
        props = {WRITABLE[k]: "" if v is None else str(v) for k, v in data.items() if k in WRITABLE}
        answer = self._store.call("PROPPATCH", f"/calendars/{home}/{calendar}/", user, _proppatch(props), XML)
        return (204, None) if answer.status == 207 else (answer.status, None)

    def delete(self, home: str, calendar: str, user: str) -> Result:
        answer = self._store.call("DELETE", f"/calendars/{home}/{calendar}/", user)
        return (204, None) if answer.ok else (answer.status, None)

    # -- events ------------------------------------------------------------------------------------
    def report_calendar(self, home: str, calendar: str, data, user: str) -> Result:
        if isinstance(data, dict) and "sync-token" in data:
            return self._changes(home, calendar, str(data["sync-token"] or ""), user)
        match = data.get("match") if isinstance(data, dict) else None
        if not isinstance(match, dict) or "start" not in match or "end" not in match:
            return 400, None
        try:
            start, end = expand.parse_bound(str(match["start"])), expand.parse_bound(str(match["end"]))
        except ValueError:
            return 400, None
        path = f"/calendars/{home}/{calendar}/"
        query = TIME_RANGE.format(start=start.strftime("%Y%m%dT%H%M%SZ"), end=end.strftime("%Y%m%dT%H%M%SZ"))
        answer = self._store.call("REPORT", path, user, query.encode(), {**XML, "Depth": "1"})
        if answer.status != 207:
            return answer.status, None
        items = []
        for href, etag, data_text in _objects(answer.body):
            try:
                cut = expand.expand(ical.parse(data_text), start, end)
            except ValueError:
                continue                                # esn-sabre skips malformed objects too
            items.append(_item(href, etag, component_to_jcal(cut)))
        return 200, {"_links": {"self": {"href": f"/calendars/{home}/{calendar}.json"}},
                     "_embedded": {"dav:item": items, "sync-token": self.sync_token(path, user)}}

    def report_home(self, home: str, data, user: str) -> Result:
        uid = data.get("uid") if isinstance(data, dict) else None
        if not isinstance(uid, str):
            return 400, None
        found = self._store.find_by_uid(home, uid)
        if found is None:
            return 404, None
        path, text = found
        etag = self._store.etag(path, user)
        return 200, {"_links": {"self": {"href": f"/calendars/{home}.json"}},
                     "_embedded": {"dav:item": [_item(path, etag, component_to_jcal(ical.parse(text)))]}}

    # -- helpers -----------------------------------------------------------------------------------
    def _calendars(self, home: str, user: str) -> list[tuple[str, dict]]:
        answer = self._store.call("PROPFIND", f"/calendars/{home}/", user, CALENDAR_PROPS, {**XML, "Depth": "1"})
        if answer.status != 207:
            return []
        found = []
        for response in ET.fromstring(answer.body).iter(clark(DAV, "response")):
            if response.find(f".//{clark(DAV, 'resourcetype')}/{clark(CALDAV, 'calendar')}") is None:
                continue
            path = urllib.parse.unquote(response.findtext(clark(DAV, "href"), ""))
            props = {}
            for propstat in response.iter(clark(DAV, "propstat")):
                if " 200 " not in propstat.findtext(clark(DAV, "status"), ""):
                    continue
                for prop in propstat.find(clark(DAV, "prop")):
                    if prop.tag in PROPERTIES:
                        props[PROPERTIES[prop.tag]] = prop.text or ""
            props.setdefault("caldav:description", None)
            found.append((path if path.endswith("/") else path + "/", props))
        default = f"/calendars/{home}/{home}/"
        return sorted(found, key=lambda item: item[0] != default)

    def sync_token(self, path: str, user: str) -> str | None:
        """The collection's DAV sync-token (Radicale's), or None."""
        answer = self._store.call("PROPFIND", path, user, SYNC_TOKEN, {**XML, "Depth": "0"})
        if answer.status != 207:
            return None
        return ET.fromstring(answer.body).findtext(f".//{clark(DAV, 'sync-token')}")

    def _changes(self, home: str, calendar: str, token: str, user: str) -> Result:
        """esn-sabre's getCalendarObjectsBySyncToken, from Radicale's sync-collection
        (whose tokens are Radicale's, not sabre's numbers)."""
        body = SYNC_COLLECTION.format(token=_xml_escape(token)).encode()
        answer = self._store.call("REPORT", f"/calendars/{home}/{calendar}/", user, body, XML)
        if answer.status != 207:
            return 400, None                             # an unknown token, as esn-sabre answers it
        root = ET.fromstring(answer.body)
        items = []
        for response in root.iter(clark(DAV, "response")):
            status = response.findtext(clark(DAV, "status"), "")
            items.append({"_links": {"self": {"href": response.findtext(clark(DAV, "href"))}},
                          "status": 404 if " 404 " in status else 200})
        return 207, {"_links": {"self": {"href": f"/calendars/{home}/{calendar}.json"}},
                     "_embedded": {"dav:item": items}, "sync-token": root.findtext(clark(DAV, "sync-token"))}


def _item(href: str, etag: str | None, data) -> dict:
    """Utils::generateJSONMultiStatus's entry."""
    return {"_links": {"self": {"href": href}}, "etag": etag, "data": data, "status": 200}


def _objects(body: bytes):
    for response in ET.fromstring(body).iter(clark(DAV, "response")):
        data = response.findtext(f".//{clark(CALDAV, 'calendar-data')}")
        if data:
            yield (response.findtext(clark(DAV, "href")), response.findtext(f".//{clark(DAV, 'getetag')}"), data)


def _props_xml(props: dict[str, str]) -> str:
    out = []
    for name, value in props.items():
        namespace, local = name[1:].split("}", 1)
        out.append(f'<x:{local} xmlns:x="{namespace}">{_xml_escape(value)}</x:{local}>')
    return "".join(out)


def _mkcalendar(props: dict[str, str]) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" '
            f'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>{_props_xml(props)}'
            f'</D:prop></D:set></C:mkcalendar>').encode()


def _proppatch(props: dict[str, str]) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
            f'{_props_xml(props)}</D:prop></D:set></D:propertyupdate>').encode()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dumps(body) -> bytes:
    return json.dumps(body).encode()


CALENDAR_PROPS = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"
 xmlns:A="http://apple.com/ns/ical/"><D:prop><D:resourcetype/><D:displayname/><C:calendar-description/>
 <CS:getctag/><A:calendar-color/><A:calendar-order/></D:prop></D:propfind>"""

SYNC_TOKEN = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>"""

TIME_RANGE = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:prop><D:getetag/><C:calendar-data/></D:prop>
 <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
  <C:time-range start="{start}" end="{end}"/>
 </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""

SYNC_COLLECTION = """<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>
 <D:prop><D:getetag/></D:prop></D:sync-collection>"""
