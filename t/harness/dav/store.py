"""Radicale, in process, holding esn-sabre's layout: /calendars/<home>/<calendar>/<object>.ics and
/addressbooks/<home>/<book>/<card>.vcf. The shim reaches it in two ways: `forward()` hands a
client request on (REMOTE_USER set by the shim), `call()` makes the shim's own requests.

Radicale's `from_file` rights keep every user inside its own homes; a technical tenant may reach
every home, and the shim narrows that to its domain before forwarding.
"""

from __future__ import annotations

import io
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import radicale
import radicale.config

from .auth import TECHNICAL_REMOTE_USER
from .ical import parse

# Patterns go through str.format: {user} is the escaped login; literal braces would need doubling.
RIGHTS = f"""\
[technical]
user: {TECHNICAL_REMOTE_USER}
collection: (calendars|addressbooks)(/[^/]+)?(/[^/]+)?
permissions: RWrw

[root]
user: .+
collection: (|calendars|addressbooks)
permissions: R

[home]
user: .+
collection: (calendars|addressbooks)/{{user}}
permissions: RW

[collections]
user: .+
collection: (calendars|addressbooks)/{{user}}/[^/]+
permissions: rw
"""

DAV, CALDAV = "{DAV:}", "{urn:ietf:params:xml:ns:caldav}"

MKCALENDAR_DEFAULT = b"""<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:set><D:prop><D:displayname>#default</D:displayname></D:prop></D:set>
</C:mkcalendar>"""

MKCOL_ADDRESSBOOK = b"""<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:R="urn:ietf:params:xml:ns:carddav">
 <D:set><D:prop><D:resourcetype><D:collection/><R:addressbook/></D:resourcetype></D:prop></D:set>
</D:mkcol>"""

PROPFIND_TYPES = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"""

QUERY_BY_UID = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:prop><D:getetag/><C:calendar-data/></D:prop>
 <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
  <C:prop-filter name="UID"><C:text-match collation="i;octet">{uid}</C:text-match></C:prop-filter>
 </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


@dataclass
class Response:
    status: int
    headers: dict[str, str]       # lower-case names
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Store:
    def __init__(self, folder: Path):
        folder = Path(folder)
        root = folder / "collections" / "collection-root"
        # MKCOL needs existing parents; nobody may create these two, so they are made on disk.
        for top in ("calendars", "addressbooks"):
            (root / top).mkdir(parents=True, exist_ok=True)
        rights = folder / "rights"
        rights.write_text(RIGHTS)
        configuration = radicale.config.load()
        configuration.update({
            "auth": {"type": "remote_user"},
            "rights": {"type": "from_file", "file": str(rights)},
            "storage": {"filesystem_folder": str(folder / "collections")},
            "web": {"type": "none"},
            "logging": {"mask_passwords": "True"},
        }, "dav shim", privileged=True)
        self._app = radicale.Application(configuration)
        self._homes_ready: set[str] = set()

    # -- raw access ----------------------------------------------------------------------------
    def forward(self, environ, start_response):
        return self._app(environ, start_response)

    def call(self, method: str, path: str, user: str, body: bytes = b"",
             headers: dict[str, str] | None = None) -> Response:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "0", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "REMOTE_USER": user,
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = {k.lower(): v for k, v in response_headers}

        body_out = b"".join(self._app(environ, start_response))
        return Response(captured["status"], captured["headers"], body_out)

    # -- objects -------------------------------------------------------------------------------
    def get(self, path: str, user: str) -> Response:
        return self.call("GET", path, user)

    def put(self, path: str, user: str, text: str, content_type: str = "text/calendar") -> Response:
        return self.call("PUT", path, user, text.encode("utf-8"), {"Content-Type": content_type})

    def etag(self, path: str, user: str) -> str | None:
        response = self.call("HEAD", path, user)
        return response.headers.get("etag") if response.ok else None

    # -- homes ---------------------------------------------------------------------------------
    def ensure_home(self, user_id: str) -> None:
        """The default calendar /calendars/<id>/<id>/ and the address books `contacts` and
        `collected`, with their parents; once per process and user (each step is idempotent)."""
        if user_id in self._homes_ready:
            return
        steps = [
            ("MKCOL", f"/calendars/{user_id}/", b""),
            ("MKCALENDAR", f"/calendars/{user_id}/{user_id}/", MKCALENDAR_DEFAULT),
            ("MKCOL", f"/addressbooks/{user_id}/", b""),
            ("MKCOL", f"/addressbooks/{user_id}/contacts/", MKCOL_ADDRESSBOOK),
            ("MKCOL", f"/addressbooks/{user_id}/collected/", MKCOL_ADDRESSBOOK),
        ]
        for method, path, body in steps:
            response = self.call(method, path, user_id, body, {"Content-Type": "application/xml"} if body else None)
            # 405 (MKCOL) and 409 (MKCALENDAR) mean "already there".
            if not (response.ok or response.status in (405, 409)):
                raise RuntimeError(f"{method} {path} answered {response.status}")
        self._homes_ready.add(user_id)

    def calendars(self, user_id: str) -> list[str]:
        """Paths of the calendars in a home, the default one first."""
        response = self.call("PROPFIND", f"/calendars/{user_id}/", user_id, PROPFIND_TYPES,
                             {"Depth": "1", "Content-Type": "application/xml"})
        if response.status != 207:
            return []
        found = []
        for item in ET.fromstring(response.body).iter(f"{DAV}response"):
            href = urllib.parse.unquote(item.findtext(f"{DAV}href", ""))
            if item.find(f".//{DAV}resourcetype/{CALDAV}calendar") is not None:
                found.append(href if href.endswith("/") else href + "/")
        default = f"/calendars/{user_id}/{user_id}/"
        return sorted(found, key=lambda p: p != default)

    def find_by_uid(self, user_id: str, uid: str) -> tuple[str, str] | None:
        """(path, iCalendar text) of the object with this UID in any calendar of the home, as
        sabre's getCalendarObjectByUID does."""
        body = QUERY_BY_UID.format(uid=_xml_escape(uid)).encode("utf-8")
        for calendar in self.calendars(user_id):
            response = self.call("REPORT", calendar, user_id, body,
                                 {"Depth": "1", "Content-Type": "application/xml"})
            if response.status != 207:
                continue
            for item in ET.fromstring(response.body).iter(f"{DAV}response"):
                data = item.findtext(f".//{CALDAV}calendar-data")
                if data and _has_uid(data, uid):
                    # GET gives the object as clients see it (XML turned its CRLFs into LFs).
                    path = urllib.parse.unquote(item.findtext(f"{DAV}href", ""))
                    found = self.get(path, user_id)
                    return (path, found.text) if found.ok else None
        return None


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _has_uid(data: str, uid: str) -> bool:
    # text-match is a substring match: keep only exact UIDs.
    try:
        return any(c.value("UID") == uid for c in parse(data).components)
    except ValueError:
        return False
