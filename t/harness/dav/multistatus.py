"""WebDAV multistatus documents (RFC 4918 §13) as sabre/dav writes them: the prefixes it uses
(d:, cal:, card:, cs:, s:), one propstat per status, unknown properties answered 404.

Used for the resources the shim answers itself (the root and the principals) and to re-serialize
Radicale's multistatus after hrefs.py has rewritten it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from http import HTTPStatus

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALSERVER = "http://calendarserver.org/ns/"
SABRE = "http://sabredav.org/ns"
APPLE = "http://apple.com/ns/ical/"

# sabre's Xml\Service::$namespaceMap; ElementTree uses these prefixes for every document it writes.
PREFIXES = {"d": DAV, "cal": CALDAV, "card": CARDDAV, "cs": CALSERVER, "s": SABRE, "x1": APPLE}
for _prefix, _uri in PREFIXES.items():
    ET.register_namespace(_prefix, _uri)


def clark(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


@dataclass(frozen=True)
class Hrefs:
    """A property whose value is one or more <d:href>."""
    values: tuple[str, ...]


@dataclass(frozen=True)
class Empty:
    """A property whose value is empty child elements (resourcetype)."""
    names: tuple[str, ...]          # Clark names


Value = str | Hrefs | Empty


def requested(body: bytes) -> list[str] | None:
    """The Clark names a PROPFIND asks for; None for allprop (also an empty body or propname).
    Raises ValueError for a body that is not a propfind."""
    if not body.strip():
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise ValueError(f"not XML: {e}") from e
    if root.tag != clark(DAV, "propfind"):
        raise ValueError("not a propfind")
    prop = root.find(clark(DAV, "prop"))
    return None if prop is None else [child.tag for child in prop]


def document(responses: list[tuple[str, dict[str, Value], list[str] | None]]) -> bytes:
    """responses: (href, the resource's properties, the names asked or None for all of them)."""
    root = ET.Element(clark(DAV, "multistatus"))
    for href, props, asked in responses:
        response = ET.SubElement(root, clark(DAV, "response"))
        ET.SubElement(response, clark(DAV, "href")).text = href
        names = list(props) if asked is None else asked
        found = [n for n in names if n in props]
        missing = [n for n in names if n not in props]
        for status, group in ((200, found), (404, missing)):
            if not group:
                continue
            propstat = ET.SubElement(response, clark(DAV, "propstat"))
            prop = ET.SubElement(propstat, clark(DAV, "prop"))
            for name in group:
                _value(ET.SubElement(prop, name), props.get(name))
            ET.SubElement(propstat, clark(DAV, "status")).text = f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"
    return serialize(root)


def serialize(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _value(element: ET.Element, value: Value | None) -> None:
    if isinstance(value, Hrefs):
        for href in value.values:
            ET.SubElement(element, clark(DAV, "href")).text = href
    elif isinstance(value, Empty):
        for name in value.names:
            ET.SubElement(element, name)
    elif value is not None:
        element.text = value
