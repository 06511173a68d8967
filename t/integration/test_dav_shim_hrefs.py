"""The DAV shim's layout and hrefs are esn-sabre's: principals under /principals/users/<id>/,
discovery at /, and every multistatus href rooted at / (docs/testing.md §3, the DAV server)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import requests

D, C, CR, S = "{DAV:}", "{urn:ietf:params:xml:ns:caldav}", "{urn:ietf:params:xml:ns:carddav}", "{http://sabredav.org/ns}"

PROPFIND_PRINCIPAL = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:r="urn:ietf:params:xml:ns:carddav">
 <d:prop><d:displayname/><d:current-user-principal/><d:principal-URL/><d:resourcetype/><c:calendar-home-set/>
  <r:addressbook-home-set/><c:calendar-user-address-set/><c:schedule-inbox-URL/></d:prop>
</d:propfind>"""

PROPFIND_COLLECTIONS = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/><d:owner/><d:resourcetype/><d:displayname/>
 <d:principal-collection-set/></d:prop></d:propfind>"""


def dav(stack, user, method, path, body=b"", depth="0", **headers):
    headers = {"Depth": depth, "Content-Type": "application/xml; charset=utf-8", **headers}
    return requests.request(method, stack.dav.url + path, data=body, headers=headers,
                            auth=stack.dav.impersonation(user["email"]), timeout=10)


def responses(answer) -> dict[str, dict[str, tuple[str, ET.Element]]]:
    """href → {property Clark name → (status line, element)}."""
    assert answer.status_code == 207, answer.text
    found = {}
    for response in ET.fromstring(answer.content).iter(f"{D}response"):
        props = {}
        for propstat in response.iter(f"{D}propstat"):
            status = propstat.findtext(f"{D}status")
            for prop in propstat.find(f"{D}prop"):
                props[prop.tag] = (status, prop)
        found[response.findtext(f"{D}href")] = props
    return found


def hrefs(prop: tuple[str, ET.Element]) -> list[str]:
    assert " 200 " in prop[0], prop[0]
    return [h.text for h in prop[1].iter(f"{D}href")]


def test_discovery_at_the_root_names_the_principal(stack, people):
    alice = people.user()
    found = responses(dav(stack, alice, "PROPFIND", "/", PROPFIND_COLLECTIONS))
    assert list(found) == ["/"]
    assert hrefs(found["/"][f"{D}current-user-principal"]) == [f"/principals/users/{alice['id']}/"]

    below = responses(dav(stack, alice, "PROPFIND", "/", PROPFIND_COLLECTIONS, depth="1"))
    assert set(below) == {"/", "/principals/", "/calendars/", "/addressbooks/"}


def test_user_principal_answers_homes_and_addresses(stack, people):
    alice = people.user(given="Alice", family="Liddell")
    url = f"/principals/users/{alice['id']}/"
    found = responses(dav(stack, alice, "PROPFIND", url, PROPFIND_PRINCIPAL))
    props = found[url]
    assert props[f"{D}displayname"][1].text == "Alice Liddell"
    assert hrefs(props[f"{D}current-user-principal"]) == [url]
    assert hrefs(props[f"{D}principal-URL"]) == [url]
    assert hrefs(props[f"{C}calendar-home-set"]) == [f"/calendars/{alice['id']}/"]
    assert hrefs(props[f"{CR}addressbook-home-set"]) == [f"/addressbooks/{alice['id']}/"]
    assert hrefs(props[f"{C}calendar-user-address-set"]) == [f"mailto:{alice['email']}", url]
    kinds = {child.tag for child in props[f"{D}resourcetype"][1]}
    assert kinds == {f"{D}collection", f"{D}principal"}
    assert " 404 " in props[f"{C}schedule-inbox-URL"][0]       # asked, not known: 404 like sabre

    # Without a body (allprop) the same resource, with its sabre email-address.
    everything = responses(dav(stack, alice, "PROPFIND", url))[url]
    assert everything[f"{S}email-address"][1].text == alice["email"]

    for collection in ("/principals/", "/principals/users/"):
        found = responses(dav(stack, alice, "PROPFIND", collection, PROPFIND_COLLECTIONS))
        assert hrefs(found[collection][f"{D}current-user-principal"]) == [url]
    listing = responses(dav(stack, alice, "PROPFIND", "/principals/users/", PROPFIND_PRINCIPAL, depth="1"))
    assert set(listing) == {"/principals/users/", url}


def test_principals_of_other_domains_and_unknown_ones(stack, people):
    alice = people.user()
    colleague = people.user(domain=alice["domain"])
    stranger = people.user()
    assert dav(stack, alice, "PROPFIND", f"/principals/users/{colleague['id']}/", PROPFIND_PRINCIPAL).status_code == 207
    assert dav(stack, alice, "PROPFIND", f"/principals/users/{stranger['id']}/", PROPFIND_PRINCIPAL).status_code == 403
    assert dav(stack, alice, "PROPFIND", "/principals/users/65f000000000000000000000/").status_code == 404
    assert dav(stack, alice, "PROPFIND", "/principals/nothing/").status_code == 404
    assert dav(stack, alice, "DELETE", f"/principals/users/{alice['id']}/").status_code == 405


def test_calendar_home_and_objects_are_rooted_at_slash(stack, people):
    alice = people.user()
    me, principal = alice["id"], f"/principals/users/{alice['id']}/"
    uid = f"href-{uuid.uuid4().hex[:8]}"
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
           f"UID:{uid}\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20300102T100000Z\r\nDTEND:20300102T110000Z\r\n"
           "SUMMARY:Rooted\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    put = requests.put(f"{stack.dav.url}/calendars/{me}/{me}/{uid}.ics", data=ics, auth=stack.dav.impersonation(alice["email"]),
                       headers={"Content-Type": "text/calendar"}, timeout=10)
    assert put.status_code == 201

    home = responses(dav(stack, alice, "PROPFIND", f"/calendars/{me}/", PROPFIND_COLLECTIONS, depth="1"))
    assert f"/calendars/{me}/{me}/" in home
    for props in home.values():
        assert hrefs(props[f"{D}current-user-principal"]) == [principal]
        assert hrefs(props[f"{D}owner"]) == [principal]
        assert hrefs(props[f"{D}principal-collection-set"])[0] == "/principals/users/"

    query = f"""<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop>
 <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
  <c:time-range start="20300101T000000Z" end="20300201T000000Z"/></c:comp-filter></c:comp-filter></c:filter>
</c:calendar-query>""".encode()
    found = responses(dav(stack, alice, "REPORT", f"/calendars/{me}/{me}/", query, depth="1"))
    assert list(found) == [f"/calendars/{me}/{me}/{uid}.ics"]

    sync = b"""<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>
</d:sync-collection>"""
    found = responses(dav(stack, alice, "REPORT", f"/calendars/{me}/{me}/", sync))
    assert list(found) == [f"/calendars/{me}/{me}/{uid}.ics"]


def test_address_books_are_rooted_at_slash(stack, people):
    alice = people.user()
    me, principal = alice["id"], f"/principals/users/{alice['id']}/"
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Carol\r\nN:;Carol;;;\r\nEND:VCARD\r\n"
    assert requests.put(f"{stack.dav.url}/addressbooks/{me}/contacts/c1.vcf", data=card, timeout=10,
                        auth=stack.dav.impersonation(alice["email"]),
                        headers={"Content-Type": "text/vcard"}).status_code == 201

    books = responses(dav(stack, alice, "PROPFIND", f"/addressbooks/{me}/", PROPFIND_COLLECTIONS, depth="1"))
    assert {f"/addressbooks/{me}/", f"/addressbooks/{me}/contacts/", f"/addressbooks/{me}/collected/"} <= set(books)
    assert hrefs(books[f"/addressbooks/{me}/contacts/"][f"{D}owner"]) == [principal]
    cards = responses(dav(stack, alice, "PROPFIND", f"/addressbooks/{me}/contacts/", PROPFIND_COLLECTIONS, depth="1"))
    assert f"/addressbooks/{me}/contacts/c1.vcf" in cards
