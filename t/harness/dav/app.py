"""The shim itself: a WSGI middleware that makes Radicale answer like esn-sabre.

Per request: authenticate as esn-sabre does (auth.py), hand Radicale only REMOTE_USER (never a
client's credentials or its own REMOTE_USER), create the user's default collections on first
use, then route: `POST /itip` (itip.py), `?export` on a collection, PUT/DELETE of a calendar
object (stored by Radicale, then the AMQP messages of realtime.py and scheduling.py), a calendar
made, changed, removed or shared (then the messages of calendar_events.py), anything else
straight to Radicale.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import urllib.parse
from http import HTTPStatus

from . import calendar_events, ical, principals, realtime, scheduling
from .address_books import AddressBooks
from .auth import TECHNICAL_REMOTE_USER, Authenticator, Identity
from .calendar_json import CalendarInvites
from .directory import Directory
from .hrefs import HrefRewriter
from .jcal import component_to_jcal
from .jcal_read import is_jcal, to_ical
from .json_api import JsonApi, dumps
from .itip import ItipError, deliver
from .publisher import Publisher
from .store import Store

log = logging.getLogger("dav")

# Never passed to Radicale: credentials, and what would let a client choose its identity or base.
STRIPPED = ("REMOTE_USER", "HTTP_AUTHORIZATION", "HTTP_TWAKECALENDARTOKEN", "HTTP_X_TECHNICAL_TOKEN",
            "HTTP_X_REMOTE_USER", "HTTP_X_SCRIPT_NAME")

NOT_AUTHENTICATED = b"""<?xml version="1.0" encoding="utf-8"?>
<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
  <s:sabredav-version>4.7.0</s:sabredav-version>
  <s:exception>Sabre\\DAV\\Exception\\NotAuthenticated</s:exception>
  <s:message>Authentification failure</s:message>
</d:error>
"""


class DavShim:
    def __init__(self, store: Store, directory: Directory, authenticator: Authenticator, publisher: Publisher,
                 invites: CalendarInvites):
        self._store = store
        self._invites = invites
        self._directory = directory
        self._auth = authenticator
        self._publisher = publisher
        self._hrefs = HrefRewriter(directory)
        self._json = JsonApi(store, invites)
        self._address_books = AddressBooks(store)
        # One writer at a time: "read the old object, store, publish" must not interleave.
        self._write_lock = threading.Lock()

    def __call__(self, environ, start_response):
        started = time.monotonic()
        request_line = environ.get("REQUEST_METHOD", "-") + " " + environ.get("PATH_INFO", "") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        status_seen = {}
        environ["dav.published"] = published = []

        def logging_start_response(status, headers, exc_info=None):
            status_seen["status"] = status.split()[0]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        identity = None
        try:
            identity = self._auth.authenticate(environ)
            result = self._dispatch(environ, identity, logging_start_response)
        except Exception:
            log.exception("request failed")
            result = _respond(logging_start_response, 500, b"internal error\n", "text/plain")
        # One line per request; credentials never appear in it.
        log.info("%s %s %.1fms %s%s%s", request_line, status_seen.get("status", "-"),
                 (time.monotonic() - started) * 1000, identity.principal if identity else "anonymous",
                 " published " + ",".join(published) if published else "",
                 f" ({environ['dav.note']})" if "dav.note" in environ else "")
        return result

    # -- routing ----------------------------------------------------------------------------------
    def _dispatch(self, environ, identity: Identity | None, start_response):
        for key in STRIPPED:
            environ.pop(key, None)
        if identity is None:
            return _respond(start_response, 401, NOT_AUTHENTICATED, "application/xml; charset=utf-8",
                            [("WWW-Authenticate", 'Basic realm="SabreDAV"')])
        environ["REMOTE_USER"] = identity.remote_user
        method = environ["REQUEST_METHOD"].upper()
        path = environ.get("PATH_INFO", "") or "/"
        parts = [p for p in path.split("/") if p]
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)

        if principals.is_principal_path(parts) and method == "PROPFIND":
            return self._principals(environ, identity, parts, start_response)
        if parts and parts[0] == "principals" and method != "OPTIONS":
            return _respond(start_response, 405, b"", None, [("Allow", "OPTIONS, PROPFIND")])

        home = parts[1].removesuffix(".json") if len(parts) >= 2 else None
        if identity.technical_domain is not None:
            if home is not None and not self._in_domain(home, identity.technical_domain):
                return _respond(start_response, 403, b"not in the token's domain\n", "text/plain")
            if home is not None and self._directory.resource_in_domain(home, identity.technical_domain):
                self._store.ensure_home(home)  # a resource's calendar, as esn-sabre creates it
        elif identity.user is not None:
            self._store.ensure_home(identity.user.id)

        if len(parts) >= 2 and parts[0] == "calendars":
            answered = self._web_app(environ, identity, parts, method, query, start_response)
            if answered is not None:
                return answered

        if parts and parts[0] == "calendars" and len(parts) == 3 and (
                parts[2].endswith(".json") or "application/json" in environ.get("HTTP_ACCEPT", "")):
            if method == "GET":
                return self._calendar_json(environ, identity, parts, query, start_response)
            if method == "POST":
                return self._calendar_share(environ, identity, parts, start_response)

        if parts and parts[0] == "addressbooks":
            answered = self._address_books.handle(environ, identity, parts, method, query, start_response)
            if answered is not None:
                return answered
        if method == "GET" and len(parts) == 3 and parts[0] == "addressbooks" \
                and "application/json" in environ.get("HTTP_ACCEPT", ""):
            return self._address_book_json(identity, parts, start_response)
        if method == "POST" and parts == ["itip"]:
            return self._itip(environ, identity, start_response)
        if method in ("GET", "HEAD") and "export" in query and len(parts) == 3 \
                and parts[0] in ("calendars", "addressbooks"):
            # sabre's ICSExportPlugin / VCFExportPlugin; Radicale exports a collection on plain GET.
            environ["QUERY_STRING"] = ""
            environ["PATH_INFO"] = "/" + "/".join(parts) + "/"
            return self._store.forward(environ, start_response)
        if method in ("PUT", "DELETE") and len(parts) == 4 and parts[0] == "calendars":
            return self._calendar_object(environ, identity, parts, "import" in query, start_response)
        if method in ("PROPFIND", "REPORT"):
            return self._forward_multistatus(environ, identity, start_response)
        if method in ("MKCALENDAR", "PROPPATCH", "DELETE") and len(parts) == 3 and parts[0] == "calendars":
            return self._calendar_collection(environ, identity, parts, method, start_response)
        return self._store.forward(environ, start_response)

    def _calendar_collection(self, environ, identity: Identity, parts, method, start_response):
        """A calendar made, changed or removed over DAV: calendar:calendar:<action> once Radicale
        agreed (esn-sabre's CalendarRealTimePlugin)."""
        status_line, headers, answer = self._forward_captured(environ)
        status = int(status_line.split()[0])
        # A PROPPATCH answers 207 even when it changed nothing; sabre publishes after any.
        if 200 <= status < 300:
            action = {"MKCALENDAR": "created", "PROPPATCH": "updated", "DELETE": "deleted"}[method]
            self._publish(environ, [calendar_events.calendar_changed(
                action, f"/calendars/{parts[1]}/{parts[2]}", {}, identity.principal)])
        start_response(status_line, headers)
        return [answer]

    def _forward_captured(self, environ) -> tuple[str, list, bytes]:
        """Radicale's answer to the request as (status line, headers, body), to be looked at
        before it is sent on."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(self._store.forward(environ, capture))
        return captured["status"], captured["headers"], body

    # -- esn-sabre's hrefs (principals.py, hrefs.py) -----------------------------------------------
    def _principals(self, environ, identity: Identity, parts, start_response):
        answer = principals.propfind(self._directory, identity, parts, environ.get("HTTP_DEPTH", "1"),
                                     _read_body(environ))
        if answer.status == 207:
            return _respond(start_response, 207, answer.body, "application/xml; charset=utf-8")
        return _respond(start_response, answer.status, b"", None)

    def _forward_multistatus(self, environ, identity: Identity, start_response):
        environ.pop("HTTP_ACCEPT_ENCODING", None)     # Radicale would gzip what we must rewrite
        status_line, headers, body = self._forward_captured(environ)
        if status_line.startswith("207"):
            body = self._hrefs.rewrite(body, identity)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status_line, headers)
        return [body]

    def _in_domain(self, home: str, domain_id: str) -> bool:
        return (home == domain_id or self._directory.user_in_domain(home, domain_id)
                or self._directory.resource_in_domain(home, domain_id))

    # -- esn-sabre's JSON API for the web app (json_api.py, jcal_read.py) ----------------------------
    def _web_app(self, environ, identity: Identity, parts, method, query, start_response):
        """The web app's calls; None for a request that is not one of them."""
        accept = environ.get("HTTP_ACCEPT", "")
        wants_json = any(t in accept for t in ("application/json", "application/calendar+json"))
        home = parts[1].removesuffix(".json")
        json_path = parts[-1].endswith(".json")
        if method == "PUT" and len(parts) == 4:
            body = _read_body(environ)
            if is_jcal(body):            # sabre stores a jCal body as iCalendar, whatever its type
                try:
                    body = to_ical(body).encode()
                except ValueError as e:
                    return _respond(start_response, 400, str(e).encode(), "text/plain")
                environ["CONTENT_TYPE"] = "text/calendar; charset=utf-8"
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
            return None
        if method == "GET" and len(parts) == 4 and "application/calendar+json" in accept:
            return self._event_as_jcal(environ, start_response)
        if not json_path or not (wants_json or method == "DELETE") or len(parts) not in (2, 3):
            return None
        if not self._may_administer(identity, home):
            return _respond(start_response, 403, b"", None)
        user, data = identity.remote_user, None
        if len(parts) == 2:
            owner = self._directory.find_by_id(home)
            calls = {"GET": lambda: self._json.list_home(home, query, user, owner.email if owner else None),
                     "POST": lambda: self._json.create(home, data, user),
                     "REPORT": lambda: self._json.report_home(home, data, user)}
        else:
            calendar = parts[2].removesuffix(".json")
            calls = {"PROPPATCH": lambda: self._json.patch(home, calendar, data, user),
                     "DELETE": lambda: self._json.delete(home, calendar, user),
                     "REPORT": lambda: self._json.report_calendar(home, calendar, data, user)}
        if method not in calls:
            return None                  # e.g. POST {"share":…} on a calendar: _calendar_share
        if method in ("POST", "PROPPATCH", "REPORT"):
            try:
                data = json.loads(_read_body(environ) or b"null")
            except ValueError:
                return _respond(start_response, 400, b"", None)
        status, body = calls[method]()
        if 200 <= status < 300 and method in ("POST", "PROPPATCH", "DELETE"):
            action = {"POST": "created", "PROPPATCH": "updated", "DELETE": "deleted"}[method]
            calendar = data["id"] if method == "POST" else parts[2].removesuffix(".json")
            props = {"{DAV:}displayname": data["dav:name"]} if isinstance(data, dict) and data.get("dav:name") else {}
            self._publish(environ, [calendar_events.calendar_changed(
                action, f"/calendars/{home}/{calendar}", props, identity.principal)])
        if body is None:
            return _respond(start_response, status, b"", None)
        return _respond(start_response, status, dumps(body), "application/json; charset=utf-8")

    def _event_as_jcal(self, environ, start_response):
        """sabre's content negotiation: an object asked as application/calendar+json is sent as jCal."""
        environ.pop("HTTP_ACCEPT_ENCODING", None)     # Radicale would gzip what we must convert
        status_line, headers, body = self._forward_captured(environ)
        if not status_line.startswith("200"):
            start_response(status_line, headers)
            return [body]
        etag = dict((k.lower(), v) for k, v in headers).get("etag")
        data = dumps(component_to_jcal(ical.parse(body)))
        return _respond(start_response, 200, data, "application/calendar+json; charset=utf-8",
                        [("ETag", etag)] if etag else [])

    # -- esn-sabre's JSON calendar API (calendar_json.py) ---------------------------------------------
    def _may_administer(self, identity: Identity, home: str) -> bool:
        return identity.technical_domain is not None or (identity.user is not None and identity.user.id == home)

    def _calendar_json(self, environ, identity: Identity, parts, query, start_response):
        home, calendar = parts[1], parts[2].removesuffix(".json")
        if not self._may_administer(identity, home):
            return _respond(start_response, 403, b"", None)
        # A sharee's instance of a shared calendar is read through the shared one.
        source, reader = f"/calendars/{home}/{calendar}/", identity.remote_user
        if self._store.get(source, reader).status == 404:
            shared = self._shared_source(home, calendar)
            if shared is None:
                return _respond(start_response, 404, b'{"message":"Calendar not found"}', "application/json")
            source, reader = f"/calendars/{shared[0]}/{shared[1]}/", TECHNICAL_REMOTE_USER
        owner = self._directory.find_by_id(home)
        with_rights = query.get("withRights", ["false"])[0].lower() == "true"
        body = self._invites.describe(home, calendar, owner.email if owner else None, with_rights)
        # esn-sabre's ctag is the calendar's sync token: the one a sync REPORT answers.
        ctag = self._json.sync_token(source, reader)
        if ctag:
            body["calendarserver:ctag"] = ctag
        return _respond(start_response, 200, json.dumps(body).encode(), "application/json")

    def _sharee_instances(self, home: str, calendar: str) -> list[str]:
        """The paths of the sharees' instances of a calendar (sharees with a principal)."""
        paths = []
        for invite in self._invites.list(home, calendar):
            user = self._directory.find_by_address(invite["href"])
            if user is not None and user.kind == "users":
                paths.append(calendar_events.sharee_instance(home, calendar, user.id))
        return paths

    def _shared_source(self, home: str, calendar: str) -> tuple[str, str] | None:
        """(home, calendar) of the shared calendar whose instance /calendars/<home>/<calendar> is
        while the share lasts; None for any other path."""
        for source_home, source_calendar, _ in self._invites.shared():
            if f"/calendars/{home}/{calendar}" in self._sharee_instances(source_home, source_calendar):
                return source_home, source_calendar
        return None

    def _address_book_json(self, identity: Identity, parts, start_response):
        """esn-sabre's address book as JSON (`GET /addressbooks/<home>/<book>?limit=0`): only
        `dav:syncToken` here, the member the worker reads."""
        home, book = parts[1], parts[2].removesuffix(".json")
        if not self._may_administer(identity, home):
            return _respond(start_response, 403, b"", None)
        token = self._json.sync_token(f"/addressbooks/{home}/{book}/", identity.remote_user)
        if token is None:
            return _respond(start_response, 404, b'{"message":"Address book not found"}', "application/json")
        body = {"_links": {"self": {"href": f"/addressbooks/{home}/{book}.json"}}, "dav:syncToken": token}
        return _respond(start_response, 200, json.dumps(body).encode(), "application/json")

    def _calendar_share(self, environ, identity: Identity, parts, start_response):
        home, calendar = parts[1], parts[2].removesuffix(".json")
        if not self._may_administer(identity, home):
            return _respond(start_response, 403, b"", None)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        before = {i["href"]: i["access"] for i in self._invites.list(home, calendar)}
        try:
            self._invites.share(home, calendar, json.loads(environ["wsgi.input"].read(length) or b"null"))
        except ValueError as e:
            return _respond(start_response, 400, str(e).encode(), "text/plain")
        after = {i["href"]: i["access"] for i in self._invites.list(home, calendar)}
        sharees = {}
        for href in set(before) | set(after):
            user = self._directory.find_by_address(href)
            if user is not None and user.kind == "users":
                sharees[href] = user.id
        self._publish(environ, calendar_events.sharing_changed(home, calendar, before, after, sharees,
                                                               identity.principal))
        return _respond(start_response, 200, b"", None)

    # -- calendar objects ---------------------------------------------------------------------------
    def _calendar_object(self, environ, identity: Identity, parts, imported: bool, start_response):
        path = "/" + "/".join(parts)
        method = environ["REQUEST_METHOD"].upper()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        with self._write_lock:
            before = self._store.get(path, identity.remote_user)
            old_raw = before.text if before.status == 200 else None
            status_line, headers, answer = self._forward_captured(environ)
            if 200 <= int(status_line.split()[0]) < 300:
                self._publish_change(environ, identity, parts, method, body, old_raw, imported, headers)
        start_response(status_line, headers)
        return [answer]

    def _publish_change(self, environ, identity, parts, method, body, old_raw, imported, headers):
        path = "/" + "/".join(parts)
        new_raw = body.decode("utf-8", "replace") if method == "PUT" else None
        try:
            if new_raw is not None:
                etag = dict((k.lower(), v) for k, v in headers).get("etag")
                messages = realtime.object_written(path, new_raw, old_raw, imported, etag, identity.principal)
            elif old_raw is not None:
                messages = realtime.object_deleted(path, old_raw, imported, identity.principal)
            else:
                messages = []
            # No scheduling on ?import nor with "Schedule-Reply: F" (Schedule\Plugin::scheduleReply).
            # One calendar:event:<action> per instance: the sharees' copies too (esn-sabre strips
            # their private details; the shim sends the same object).
            changes = [(topic, body) for topic, body in messages
                       if topic.startswith("calendar:event:") and not topic.startswith("calendar:event:alarm:")]
            for instance in self._sharee_instances(parts[1], parts[2]):
                messages += [(topic, {**body, "eventPath": f"{instance}/{parts[3]}"}) for topic, body in changes]
            if not imported and environ.get("HTTP_SCHEDULE_REPLY") != "F":
                messages += self._local_deliveries(parts, new_raw, old_raw, identity)
        except ValueError as e:                     # unparsable object: Radicale stored it anyway
            log.warning("no messages for %s: %s", path, e)
            return
        self._publish(environ, messages)

    def _local_deliveries(self, parts, new_raw, old_raw, identity) -> list:
        owner = self._directory.find_home_owner(parts[1])    # the scheduling addresses are the home owner's
        if owner is None:
            return []
        addresses = [owner.address, f"/{owner.principal}/"]
        itip = scheduling.parse_event(ical.parse(new_raw) if new_raw else None, addresses,
                                      ical.parse(old_raw) if old_raw else None)
        # oldMessage only on a PUT update (set in calendarObjectChange, which a DELETE skips).
        bodies = scheduling.local_deliveries(itip, old_raw if new_raw else None, parts[2], identity.principal)
        return [("calendar:itip:localDelivery", body) for body in bodies]

    def _publish(self, environ, messages) -> None:
        for topic, message in messages:
            self._publisher.publish(topic, message)
            environ["dav.published"].append(topic)

    # -- POST /itip ---------------------------------------------------------------------------------
    def _itip(self, environ, identity: Identity, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            with self._write_lock:
                messages = deliver(self._store, self._directory, identity, body)
        except ItipError as e:
            environ["dav.note"] = f"itip refused: {e}"
            return _respond(start_response, e.status, b"", None)
        self._publish(environ, messages)
        return _respond(start_response, 204, b"", None)


def _read_body(environ) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _respond(start_response, status: int, body: bytes, content_type: str | None, headers=()):
    response_headers = list(headers) + [("Content-Length", str(len(body)))]
    if content_type:
        response_headers.append(("Content-Type", content_type))
    start_response(f"{status} {HTTPStatus(status).phrase}", response_headers)
    return [body]
