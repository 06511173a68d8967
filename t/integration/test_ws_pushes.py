"""Pushes on the worker's WebSocket (docs/reference/realtime.md §3): a change written through the
edge's /dav reaches, as `{"<path>":{"syncToken":T}}`, the sockets that registered that
calendar, once per change burst and with the token the user's sync REPORT answers; calendars
made, changed, shared and removed reach their owner's sockets as `calendarList` pushes."""

from __future__ import annotations

import json
import time
import uuid

import pika
import pytest
import requests

from harness.ws_client import ask, open_socket

EVENT = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Twake//ws test//EN\r
BEGIN:VEVENT\r
UID:{uid}\r
DTSTAMP:20261129T100000Z\r
DTSTART:20301201T100000Z\r
DTEND:20301201T110000Z\r
SUMMARY:{summary}\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture(scope="module")
def sock(stack):
    return stack.worker.socket


_TOKENS: dict[str, str] = {}


def bearer(stack, user: dict) -> dict:
    """An access token of the identity provider for a user of the `people` fixture."""
    email = user["email"]
    if email not in _TOKENS:
        stack.oidc.add_account({"sub": email, "email": email, "given_name": "Ada", "family_name": "Lovelace"})
        _TOKENS[email] = stack.oidc.token(email)
    return {"Authorization": f"Bearer {_TOKENS[email]}"}


def calendar(user: dict) -> str:
    return f"/calendars/{user['id']}/{user['id']}"


def put_event(stack, user: dict, path: str, summary: str = "Standup", uid: str | None = None):
    uid = uid or str(uuid.uuid4())
    r = requests.put(f"{stack.edge_url}/dav{path}/{uid}.ics", data=EVENT.format(uid=uid, summary=summary).encode(),
                     headers={**bearer(stack, user), "Content-Type": "text/calendar"}, timeout=10)
    assert r.status_code in (201, 204), r.text
    return uid


def ctag(stack, user: dict, path: str) -> str:
    r = requests.get(f"{stack.dav.url}{path}.json", auth=stack.dav.impersonation(user["email"]),
                     headers={"Accept": "application/json"}, timeout=10)
    return r.json()["calendarserver:ctag"]


def next_message(ws, timeout: float = 5.0) -> dict:
    return json.loads(ws.recv(timeout=timeout))


def nothing_within(ws, seconds: float) -> bool:
    try:
        message = ws.recv(timeout=seconds)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected message {message}")


def test_a_change_reaches_the_registered_sockets_with_the_users_sync_token(stack, sock, people):
    bob, alice = people.user(), people.user()
    path = calendar(bob)
    with open_socket(sock, bob["email"]) as first, open_socket(sock, bob["email"]) as second, \
            open_socket(sock, alice["email"]) as other:
        assert ask(first, {"register": [path]}) == {"registered": [path]}
        assert ask(first, {"register": [path]}) == {"registered": [path]}   # twice: still one push
        assert ask(second, {"register": [path]}) == {"registered": [path]}
        before = ctag(stack, bob, path)
        started = time.monotonic()
        uid = put_event(stack, bob, path)
        pushed = next_message(first)
        latency = time.monotonic() - started
        token = pushed[path]["syncToken"]
        assert pushed == {path: {"syncToken": token}} and token != before
        assert next_message(second) == pushed
        assert latency < 5
        assert nothing_within(first, 1.0)
        assert nothing_within(other, 0.1)
        # The token is the one the user's sync REPORT answers, and that REPORT lists the event.
        report = requests.request("REPORT", f"{stack.edge_url}/dav{path}.json", timeout=10,
                                  headers={**bearer(stack, bob), "Content-Type": "application/json",
                                           "Accept": "application/json"},
                                  data=json.dumps({"sync-token": before}))
        assert report.json()["sync-token"] == token
        assert any(uid in item["_links"]["self"]["href"] for item in report.json()["_embedded"]["dav:item"])

        # Unregistered: no more pushes there; the other socket still gets them.
        assert ask(first, {"unregister": [path]}) == {"unregistered": [path]}
        put_event(stack, bob, path)
        assert path in next_message(second)
        assert nothing_within(first, 1.0)


def test_a_burst_of_changes_is_coalesced(stack, sock, people):
    bob = people.user()
    path = calendar(bob)
    with open_socket(sock, bob["email"]) as ws:
        assert ask(ws, {"register": [path]}) == {"registered": [path]}
        for i in range(8):
            put_event(stack, bob, path, summary=f"event {i}")
        final = ctag(stack, bob, path)
        tokens = []
        deadline = time.monotonic() + 5
        while not tokens or tokens[-1] != final:
            assert time.monotonic() < deadline, tokens
            tokens.append(next_message(ws)[path]["syncToken"])
        assert len(tokens) < 8, tokens
        assert len(set(tokens)) == len(tokens)   # never the same token twice


def test_calendar_list_pushes_reach_the_owner_only(stack, sock, people):
    bob, alice = people.user(), people.user()
    with open_socket(sock, bob["email"]) as mine, open_socket(sock, alice["email"]) as theirs:
        headers = {**bearer(stack, bob), "Content-Type": "application/json", "Accept": "application/json"}
        made = requests.post(f"{stack.edge_url}/dav/calendars/{bob['id']}.json", headers=headers, timeout=10,
                             data=json.dumps({"id": "work", "dav:name": "Work"}))
        assert made.status_code == 201, made.text
        assert next_message(mine) == {"calendarList": {"created": [f"/calendars/{bob['id']}/work"]}}
        assert nothing_within(theirs, 1.0)

        # A delegation: the owner's calendar updated, the delegate's instance delegated, then deleted.
        def share(body):
            r = requests.post(f"{stack.edge_url}/dav/calendars/{bob['id']}/work.json", headers=headers,
                              timeout=10, data=json.dumps({"share": body}))
            assert r.status_code == 200, r.text

        share({"set": [{"dav:href": f"mailto:{alice['email']}", "dav:read-write": True}]})
        delegated = next_message(theirs)["calendarList"]["delegated"]
        assert len(delegated) == 1 and delegated[0].startswith(f"/calendars/{alice['id']}/")
        assert next_message(mine) == {"calendarList": {"updated": [f"/calendars/{bob['id']}/work"]}}
        share({"remove": [{"dav:href": f"mailto:{alice['email']}"}]})
        assert next_message(theirs) == {"calendarList": {"deleted": delegated}}
        assert next_message(mine) == {"calendarList": {"updated": [f"/calendars/{bob['id']}/work"]}}


def queue_depth(stack, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def test_unreadable_messages_are_dead_lettered_and_unknown_homes_acknowledged(stack):
    dead = "tcalendar:event:created:notification-dead-letter"
    before = queue_depth(stack, dead)
    list_dead = "tcalendar:calendar:list:notification:dead-letter"
    list_before = queue_depth(stack, list_dead)
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    channel = connection.channel()
    channel.basic_publish("calendar:event:created", "", json.dumps({"event": []}).encode())
    channel.basic_publish("calendar:calendar:created", "",
                          json.dumps({"calendarPath": "/calendars/000000000000000000000000/x"}).encode())
    connection.close()
    deadline = time.monotonic() + 5
    while queue_depth(stack, dead) == before:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(0.5)
    assert queue_depth(stack, list_dead) == list_before
    assert queue_depth(stack, "tcalendar:calendar:list:notification") == 0
    # Taken out again: other tests expect RabbitMQDeadLetterQueueEmptiness healthy.
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    try:
        connection.channel().queue_purge(dead)
    finally:
        connection.close()


def test_a_shared_calendar_pushes_to_the_sharee_until_the_share_is_revoked(stack, sock, people):
    alice, bob = people.user(), people.user()
    source = calendar(alice)
    headers = {**bearer(stack, alice), "Content-Type": "application/json", "Accept": "application/json"}

    def share(body):
        r = requests.post(f"{stack.edge_url}/dav{source}.json", headers=headers, timeout=10,
                          data=json.dumps({"share": body}))
        assert r.status_code == 200, r.text

    with open_socket(sock, bob["email"]) as ws:
        share({"set": [{"dav:href": f"mailto:{bob['email']}", "dav:read": True}]})
        instance = next_message(ws)["calendarList"]["delegated"][0]
        assert instance.startswith(f"/calendars/{bob['id']}/")
        assert ask(ws, {"register": [instance]}) == {"registered": [instance]}
        put_event(stack, alice, source)
        assert next_message(ws) == {instance: {"syncToken": ctag(stack, alice, source)}}

        share({"remove": [{"dav:href": f"mailto:{bob['email']}"}]})
        assert next_message(ws) == {"calendarList": {"deleted": [instance]}}
        put_event(stack, alice, source)
        assert nothing_within(ws, 1.5)   # still registered, but the token fetch now fails
