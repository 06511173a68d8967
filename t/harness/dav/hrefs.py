"""Radicale's multistatus, made to point where esn-sabre's does.

Radicale roots its principals at `/<user>/` and names the first path segment as a collection's
owner, so a PROPFIND on `/calendars/<id>/<cal>/` says current-user-principal `/<id>/`, owner
`/calendars/` and principal-collection-set `/`. esn-sabre says `/principals/users/<id>/` (the
caller), the home owner's principal, and its four principal collections. Object and collection
hrefs are already esn-sabre's (`/calendars/<id>/<cal>/<obj>.ics`, `/addressbooks/<id>/<book>/…`):
the shim hands Radicale esn-sabre's paths with an empty SCRIPT_NAME.
"""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET

from .auth import Identity
from .directory import Directory
from .multistatus import DAV, clark, serialize
from .principals import PRINCIPAL_COLLECTIONS, current_principal

HOMES = ("calendars", "addressbooks")


class HrefRewriter:
    def __init__(self, directory: Directory):
        self._directory = directory
        self._resources: dict[str, bool] = {}      # home id → is a resource (never changes)

    def owner_of(self, href: str) -> str | None:
        """The principal owning what is at `href`, None above the homes."""
        parts = [p for p in urllib.parse.unquote(urllib.parse.urlsplit(href).path).split("/") if p]
        if len(parts) < 2 or parts[0] not in HOMES:
            return None
        home = parts[1]
        if home not in self._resources:
            self._resources[home] = self._directory.is_resource(home)
        return f"/principals/{'resources' if self._resources[home] else 'users'}/{home}/"

    def rewrite(self, body: bytes, identity: Identity) -> bytes:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return body                               # not ours to fix
        for response in root.iter(clark(DAV, "response")):
            href = response.findtext(clark(DAV, "href"), "")
            for prop in response.iter(clark(DAV, "current-user-principal")):
                _set_hrefs(prop, [current_principal(identity)])
            for prop in response.iter(clark(DAV, "principal-collection-set")):
                _set_hrefs(prop, list(PRINCIPAL_COLLECTIONS.values))
            for prop in response.iter(clark(DAV, "owner")):
                owner = self.owner_of(href)
                _set_hrefs(prop, [owner] if owner else [])
        return serialize(root)


def _set_hrefs(element: ET.Element, hrefs: list[str]) -> None:
    for child in list(element):
        element.remove(child)
    element.text = None
    for href in hrefs:
        ET.SubElement(element, clark(DAV, "href")).text = href
