"""Secret-link downloads through the edge (docs/reference/rest-api.md §9.2,
docs/reference/edge-worker.md §2.4): public, the ?token= opens the calendar; the module asks the
worker whose link it is (5 s in shared memory) and esn-sabre exports the calendar as that user."""

from __future__ import annotations

import time
import uuid

import requests

from test_api_secret_links import alice_calendar, my_id, secret_link
from test_edge_dav import bearer, put_event


def download(url: str, **kw) -> requests.Response:
    return requests.get(url, timeout=10, **kw)


def logged(stack, path: str, before: int) -> dict:
    return stack.nginx.entry_after(path, before)


def test_a_link_downloads_the_calendar_as_its_owner(stack):
    token, home, cal = alice_calendar(stack)
    summary = f"Shared by link {uuid.uuid4().hex}"
    assert put_event(stack, token, f"/dav/calendars/{home}/{cal}/{uuid.uuid4().hex}.ics", summary).status_code == 201
    link = secret_link(stack, token, home, cal).group(0)
    path = f"/api/calendars/{home}/{cal}/calendar.ics"
    before = len(stack.nginx.log_entries(path))
    r = download(link)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert r.headers["Content-Disposition"] == "attachment; filename=calendar.ics"
    assert r.text.startswith("BEGIN:VCALENDAR") and f"SUMMARY:{summary}" in r.text
    entry = logged(stack, path, before)
    assert (entry["user"], entry["auth"], entry["route"], entry["cache"]) == (
        "alice@example.com", "secret_link", "secret_link", "idp")
    # The worker's answer is kept a few seconds: the next download does not ask it.
    assert download(link).status_code == 200
    assert logged(stack, path, before + 1)["cache"] == "shm"


def test_the_token_is_neither_logged_nor_sent_to_the_dav_server(stack):
    token, home, cal = alice_calendar(stack)
    link = secret_link(stack, token, home, cal, reset="true")
    assert download(link.group(0)).status_code == 200
    assert link["token"] not in stack.nginx.access_log.read_text()
    assert link["token"] not in stack.nginx.error_log.read_text()
    assert link["token"] not in stack.dav.log_path.read_text()


def test_a_reset_link_stops_working_within_five_seconds(stack):
    token, home, cal = alice_calendar(stack)
    old = secret_link(stack, token, home, cal, reset="true").group(0)
    assert download(old).status_code == 200
    new = secret_link(stack, token, home, cal, reset="true").group(0)
    assert download(new).status_code == 200
    deadline = time.monotonic() + 6
    while download(old).status_code == 200:
        assert time.monotonic() < deadline, "a replaced link still works after 5 s"
        time.sleep(0.25)
    r = download(old)
    assert (r.status_code, r.json()["error"]["details"]) == (403, "Token validation failed")


def test_refusals_are_the_routes_json_errors(stack):
    token, home, cal = alice_calendar(stack)
    base = f"{stack.edge_url}/api/calendars/{home}/{cal}/calendar.ics"
    for query, status, details in [
        ("", 403, "Token validation failed"),
        ("?token=", 403, "Token validation failed"),
        ("?token=" + "A" * 30, 403, "Token validation failed"),
        ("?token=abc%21def", 400, "Invalid token: only letters, digits, hyphen, and underscore are allowed."),
        ("?token=abc+def", 400, "Invalid token: only letters, digits, hyphen, and underscore are allowed."),
    ]:
        r = download(base + query)
        assert r.status_code == status, query
        assert r.headers["Content-Type"].startswith("application/json")
        assert r.json()["error"] == {"code": status, "type": "Forbidden" if status == 403 else "BadRequest",
                                     "message": "Forbidden" if status == 403 else "Bad Request",
                                     "details": details}, query
    # Another calendar's path with a valid token.
    link = secret_link(stack, token, home, cal)
    r = download(f"{stack.edge_url}/api/calendars/{home}/not-{cal}/calendar.ics?token={link['token']}")
    assert r.status_code == 403


def test_a_link_to_a_calendar_the_server_does_not_have_is_not_found(stack):
    token = stack.oidc.token("bob@example.com")
    home = my_id(stack, token)
    link = secret_link(stack, token, home, "gone-calendar").group(0)
    r = download(link)
    assert r.status_code == 404
    assert r.json()["error"]["details"] == f"Calendar not found: {home}/gone-calendar"


def test_the_download_ignores_and_never_forwards_client_credentials(stack):
    token, home, cal = alice_calendar(stack)
    link = secret_link(stack, token, home, cal).group(0)
    r = download(link, headers={"Authorization": "Bearer garbage", "Cookie": "session=x"})
    assert r.status_code == 200 and r.text.startswith("BEGIN:VCALENDAR")
    # Bob's own credentials do not make it his: the owner's calendar is exported.
    r = download(link, headers=bearer(stack.oidc.token("bob@example.com")))
    assert r.status_code == 200


def test_an_export_the_dav_server_fails_is_unavailable(stack):
    token = stack.oidc.token("carol@example.com")
    home = my_id(stack, token)
    cal = uuid.uuid4().hex
    url = f"{stack.edge_url}/dav/calendars/{home}/{cal}/"
    assert requests.request("MKCALENDAR", url, headers=bearer(token), timeout=10).status_code == 201
    link = secret_link(stack, token, home, cal).group(0)
    assert download(link).status_code == 200
    # The worker's answer is still cached when the calendar goes: esn-sabre's 404 on export.
    assert requests.delete(url, headers=bearer(token), timeout=10).status_code in (200, 204)
    r = download(link)
    assert r.status_code == 503
    assert r.json() == {"error": {"code": 503, "type": "ServiceUnavailable", "message": "Service Unavailable",
                                  "details": "Service Unavailable"}}


def test_a_worker_that_does_not_answer_makes_the_download_unavailable(stack, tmp_path):
    from harness.nginx_server import Nginx

    edge = Nginx(tmp_path, values={**stack.nginx_values(), "WORKER": f"unix:{tmp_path}/no-worker.sock"})
    edge.start()
    try:
        r = download(f"{edge.url}/api/calendars/h1/c1/calendar.ics?token={'A' * 30}")
        assert r.status_code == 503
        assert r.json()["error"] == {"code": 503, "type": "ServiceUnavailable", "message": "Service Unavailable",
                                     "details": "Service Unavailable"}
        assert "the secret-link check answered 502" in edge.error_log.read_text()
    finally:
        edge.stop()
