"""esn-sabre's address books where Radicale answers otherwise (esn-sabre's lib/CardDAV/Plugin.php
over sabre's CardDAV): a book created through the JSON API (`POST /addressbooks/<home>.json`),
sabre's 404 messages for a missing book or card, 201 for a new card and 204 for a replaced or
deleted one, and the `domain-members` books written only with a technical token.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from xml.sax.saxutils import escape

from .auth import TECHNICAL_REMOTE_USER, Identity
from .store import Store

DOMAIN_MEMBERS = "domain-members"

SABRE_ERROR = """<?xml version="1.0" encoding="utf-8"?>
<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
  <s:sabredav-version>4.7.0</s:sabredav-version>
  <s:exception>Sabre\\DAV\\Exception\\{exception}</s:exception>
  <s:message>{message}</s:message>
</d:error>
"""

MKCOL_BOOK = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:R="urn:ietf:params:xml:ns:carddav">
 <D:set><D:prop><D:resourcetype><D:collection/><R:addressbook/></D:resourcetype>
  <D:displayname>{name}</D:displayname><R:addressbook-description>{description}</R:addressbook-description>
 </D:prop></D:set>
</D:mkcol>"""

PROPFIND_SELF = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"""


class AddressBooks:
    def __init__(self, store: Store):
        self._store = store

    def handle(self, environ, identity: Identity, parts, method: str, query, start_response):
        """The answer for a request esn-sabre answers differently from Radicale; None for the
        others (Radicale's answer is then sabre's)."""
        if method == "POST" and len(parts) == 2 and parts[1].endswith(".json"):
            return self._create(environ, identity, parts[1].removesuffix(".json"), start_response)
        if len(parts) < 3:
            return None
        home, book = parts[1], parts[2]
        exporting = method in ("GET", "HEAD") and "export" in query and len(parts) == 3
        writing = method in ("PUT", "DELETE") and len(parts) == 4
        if not (exporting or writing):
            return None
        if writing and book == DOMAIN_MEMBERS and identity.technical_domain is None:
            return _sabre(start_response, 403, "Forbidden", "Only technical users can modify domain-members addressbook")
        if not self._exists(f"/addressbooks/{home}/{book}/"):
            return _sabre(start_response, 404, "NotFound", f"Addressbook with name '{book}' could not be found")
        if exporting:
            return None
        card = "/" + "/".join(parts)
        existed = self._store.call("HEAD", card, TECHNICAL_REMOTE_USER).ok
        if method == "DELETE" and not existed:
            return _sabre(start_response, 404, "NotFound", "Card not found")
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(self._store.forward(environ, capture))
        status = int(captured["status"].split()[0])
        if 200 <= status < 300 and (method == "DELETE" or existed):
            headers = [(k, v) for k, v in captured["headers"]
                       if k.lower() not in ("content-length", "content-type")]
            start_response("204 No Content", headers + [("Content-Length", "0")])
            return [b""]
        start_response(captured["status"], captured["headers"])
        return [body]

    def _create(self, environ, identity: Identity, home: str, start_response):
        """esn-sabre's createAddressBook: `id` required, the book's name and description set;
        405 when it exists."""
        if identity.technical_domain is None and (identity.user is None or identity.user.id != home):
            return _respond(start_response, 403, b"", None)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            data = json.loads(environ["wsgi.input"].read(length) or b"null")
        except ValueError:
            return _respond(start_response, 400, b"", None)
        if not isinstance(data, dict) or not data.get("id"):
            return _respond(start_response, 400, b"", None)
        book = f"/addressbooks/{home}/{data['id']}/"
        if self._exists(book):
            return _sabre(start_response, 405, "MethodNotAllowed", "The resource you tried to create already exists")
        self._store.call("MKCOL", f"/addressbooks/{home}/", TECHNICAL_REMOTE_USER)  # 405 when there
        body = MKCOL_BOOK.format(name=escape(str(data.get("dav:name") or "")),
                                 description=escape(str(data.get("carddav:description") or "")))
        made = self._store.call("MKCOL", book, TECHNICAL_REMOTE_USER, body.encode(),
                                {"Content-Type": "application/xml"})
        if not made.ok:
            return _respond(start_response, 500, made.body, "text/plain")
        return _respond(start_response, 201, b"", None)

    def _exists(self, collection: str) -> bool:
        return self._store.call("PROPFIND", collection, TECHNICAL_REMOTE_USER, PROPFIND_SELF,
                                {"Depth": "0", "Content-Type": "application/xml"}).status == 207


def _sabre(start_response, status: int, exception: str, message: str):
    body = SABRE_ERROR.format(exception=exception, message=escape(message)).encode()
    return _respond(start_response, status, body, "application/xml; charset=utf-8")


def _respond(start_response, status: int, body: bytes, content_type: str | None):
    headers = [("Content-Length", str(len(body)))]
    if content_type:
        headers.append(("Content-Type", content_type))
    start_response(f"{status} {HTTPStatus(status).phrase}", headers)
    return [body]
