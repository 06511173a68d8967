"""Native CalDAV/CardDAV clients through the edge (docs/reference/edge-worker.md §5,
docs/nginx-module.md §2): discovery from the well-known URL, a Basic challenge they answer with
their password, and esn-sabre's hrefs (rooted at /, not /dav/) that they follow. Driven by real
client libraries: caldav for calendars, webdav4 (plain WebDAV) for address books."""

from __future__ import annotations

import datetime
import io
import uuid

import caldav
import niquests
import pytest
import requests
from webdav4.client import Client as WebDavClient

ALICE = ("alice@example.com", "alice-secret")


def event(uid: str, summary: str, day: int = 10) -> str:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//native//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:202612{day:02d}T100000Z\r\n"
            f"DTEND:202612{day:02d}T110000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


class BearerAuth(niquests.auth.AuthBase):
    def __init__(self, token: str):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def calendar_round_trip(client: caldav.DAVClient) -> None:
    """What a calendar app does on first sync, then an edit and a deletion."""
    principal = client.principal()
    assert principal.url.path.startswith("/principals/users/")
    calendars = principal.calendars()
    assert calendars, "the default calendar"
    calendar = calendars[0]
    assert calendar.url.path.startswith("/calendars/")  # esn-sabre's href, followed through the edge
    uid = uuid.uuid4().hex
    created = calendar.save_event(event(uid, "Planning"))
    found = calendar.search(start=datetime.datetime(2026, 12, 1), end=datetime.datetime(2026, 12, 31), event=True)
    assert uid in [e.icalendar_component["uid"] for e in found]
    # Outside its range (the demo user's calendar may hold other tests' events there).
    later = calendar.search(start=datetime.datetime(2027, 1, 1), end=datetime.datetime(2027, 1, 31), event=True)
    assert uid not in [e.icalendar_component["uid"] for e in later]

    # A conditional update, as clients do to never overwrite someone else's change.
    url = str(created.url)
    etag = client.request(url, "GET").headers["ETag"]
    updated = client.put(url, event(uid, "Planning (moved)", day=11), {"If-Match": etag,
                                                                       "Content-Type": "text/calendar"})
    assert updated.status in (200, 201, 204)
    stale = client.put(url, event(uid, "Lost update"), {"If-Match": etag, "Content-Type": "text/calendar"})
    assert stale.status == 412
    assert "moved" in client.request(url, "GET").raw

    # sync-collection: a later sync sees the change, then the deletion.
    objects = calendar.objects_by_sync_token(load_objects=False)
    token = objects.sync_token
    assert token
    created.delete()
    after = calendar.objects_by_sync_token(sync_token=token, load_objects=False)
    assert any(uid in str(o.url) for o in after), "the deletion is reported"
    assert client.request(url, "GET").status == 404


def test_calendar_discovery_and_sync_with_a_password(stack):
    with caldav.DAVClient(url=stack.edge_url + "/.well-known/caldav", username=ALICE[0], password=ALICE[1],
                          timeout=10) as client:
        calendar_round_trip(client)


def test_calendar_discovery_and_sync_with_a_bearer_token(stack):
    token = stack.oidc.token("bob@example.com")
    with caldav.DAVClient(url=stack.edge_url + "/.well-known/caldav", auth=BearerAuth(token), timeout=10) as client:
        calendar_round_trip(client)


def test_address_books_and_a_card_round_trip_over_plain_webdav(stack):
    principal = requests.request("PROPFIND", stack.edge_url + "/.well-known/carddav", auth=ALICE,
                                 headers={"Depth": "0"}, data=CURRENT_USER_PRINCIPAL, timeout=10)
    assert principal.status_code == 207
    home = "/addressbooks/" + principal.text.split("/principals/users/", 1)[1].split("/", 1)[0] + "/"
    dav = WebDavClient(stack.edge_url, auth=ALICE, timeout=10)
    books = [entry["name"] for entry in dav.ls(home) if entry["type"] == "directory"]
    assert books, "the default address books"
    card_path = f"{books[0].rstrip('/')}/{uuid.uuid4().hex}.vcf"
    card = (f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uuid.uuid4().hex}\r\nFN:Grace Hopper\r\n"
            "N:Hopper;Grace;;;\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n").encode()
    dav.upload_fileobj(io.BytesIO(card), card_path)
    assert card_path.rsplit("/", 1)[1] in [e["name"].rsplit("/", 1)[1] for e in dav.ls(books[0])]
    back = io.BytesIO()
    dav.download_fileobj(card_path, back)
    assert b"FN:Grace Hopper" in back.getvalue()
    dav.remove(card_path)
    assert not dav.exists(card_path)


CURRENT_USER_PRINCIPAL = (b'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
                          b'<d:current-user-principal/></d:prop></d:propfind>')


def test_the_well_known_urls_lead_to_the_dav_root(stack):
    for name in ("caldav", "carddav"):
        r = requests.request("PROPFIND", stack.edge_url + f"/.well-known/{name}", allow_redirects=False, timeout=5)
        assert r.status_code == 301
        assert r.headers["Location"].endswith("/dav/")


@pytest.mark.parametrize("path", ["/dav/", "/principals/users/x/", "/calendars/x/", "/addressbooks/x/"])
def test_a_native_client_is_challenged_for_its_password_on_dav_routes(stack, path):
    r = requests.request("PROPFIND", stack.edge_url + path, timeout=5)
    assert r.status_code == 401
    assert r.raw.headers.getlist("WWW-Authenticate") == ['Bearer realm="twake_calendar"',
                                                         'Basic realm="twake_calendar", charset="UTF-8"']
    assert r.json()["error"]["type"] == "Unauthorized"


@pytest.mark.parametrize("browser", [{"X-Requested-With": "XMLHttpRequest"}, {"Sec-Fetch-Mode": "cors"},
                                     {"Origin": "https://calendar.example.com"}])
def test_a_browser_script_is_never_offered_basic(stack, browser):
    r = requests.request("PROPFIND", stack.edge_url + "/dav/", headers=browser, timeout=5)
    assert r.status_code == 401
    assert r.raw.headers.getlist("WWW-Authenticate") == ['Bearer realm="twake_calendar"']


def test_rest_routes_never_offer_basic(stack):
    r = requests.get(stack.edge_url + "/api/user", timeout=5)
    assert r.raw.headers.getlist("WWW-Authenticate") == ['Bearer realm="twake_calendar"']


def test_a_directory_user_never_seen_before_syncs_at_once(stack, db):
    """The first Basic login creates the user's document (names from the directory), so that
    esn-sabre knows whom the edge impersonates; an unregistered domain is a 403."""
    uid = "n" + uuid.uuid4().hex[:10]
    email = f"{uid}@example.com"
    stranger = f"x{uid}@unregistered-{uid}.test"
    added = [stack.ldap.add_person(uid, email, "first-secret", given="Grace", family="Hopper"),
             stack.ldap.add_person("x" + uid, stranger, "first-secret")]
    try:
        assert db.users.find_one({"accounts.emails": email}) is None
        with caldav.DAVClient(url=stack.edge_url + "/.well-known/caldav", username=email, password="first-secret",
                              timeout=10) as client:
            assert client.principal().calendars()
        doc = db.users.find_one({"accounts.emails": email})
        assert (doc["firstname"], doc["lastname"]) == ("Grace", "Hopper")
        r = requests.request("PROPFIND", stack.edge_url + "/dav/", auth=(stranger, "first-secret"),
                             headers={"Depth": "0"}, timeout=5)
        assert r.status_code == 403
        assert r.json()["error"]["details"] == f"Domain unregistered-{uid}.test is not registered"
    finally:
        stack.ldap.delete(*added)
