"""The worker's WebSocket (docs/reference/realtime.md §1–§2): `GET /ws` on the API listener
upgraded with the identity the edge sends, the first message, the keepalive, registrations
checked against the DAV server as the user, the errors, and the limits (PINGs, idle timeout,
message size, registrations, connections, lifetime, slow consumers), over the unix socket
and over a TCP listener with the edge secret."""

from __future__ import annotations

import json
import time

import pika
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from harness.service import free_port
from harness.worker_conf import start_worker
from harness.ws_client import RawWebSocket, ask, identity, open_socket


@pytest.fixture(scope="module")
def sock(stack):
    return stack.worker.socket


def home(user: dict) -> str:
    return f"/calendars/{user['id']}/{user['id']}"


def test_first_message_keepalive_and_display_notifications(sock, people):
    bob = people.user()
    with open_socket(sock, bob["email"]) as ws:
        assert ask(ws, {"type": "ping", "timestamp": 1732158000000}) == {}
        assert ask(ws, [1, 2]) == {}
        assert ask(ws, "not json") == {"error": "Invalid Request"}
        assert ask(ws, {"enableDisplayNotification": True}) == {"displayNotificationEnabled": True}
        assert ask(ws, {"enableDisplayNotification": True}) == {"displayNotificationEnabled": True}
        assert ask(ws, {"enableDisplayNotification": False}) == {"displayNotificationEnabled": False}
        assert ask(ws, {"enableDisplayNotification": "yes"}) == {"error": "Invalid Request"}
        assert ask(ws, {"register": None}) == {}
        ws.send(b"\x00binary")  # ignored: the next answer is the next text message's
        assert ask(ws, {"type": "ping"}) == {}


def test_refusals_before_the_upgrade(stack, people):
    api = stack.worker.api()
    bob = people.user()
    plain = api.get("/ws", user=bob["email"])
    assert plain.status == 400, plain.body
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    anonymous = api.get("/ws", headers=upgrade)
    assert anonymous.status == 401, anonymous.body


def test_registrations_are_checked_as_the_user(stack, sock, people):
    forbidden = metric(stack.worker, "tcal_ws_register_total", 'result="forbidden"')
    alice, bob = people.user(), people.user()
    mine, theirs = home(bob), home(alice)
    unknown = f"/calendars/{bob['id']}/nope"
    with open_socket(sock, bob["email"]) as ws:
        assert ask(ws, {"register": [mine + "/", theirs, unknown]}) == {
            "registered": [mine],
            "notRegistered": {theirs: "Forbidden", unknown: "NotFound"}}
        # Registered again without a DAV call; unregistering is idempotent.
        assert ask(ws, {"register": [mine]}) == {"registered": [mine]}
        book = f"/addressbooks/{bob['id']}/contacts"
        assert ask(ws, {"register": [book]}) == {"registered": [book]}
        assert ask(ws, {"register": [mine], "unregister": [mine + "/"]}) == {
            "error": "register and unregister cannot contain duplicated entries"}
        assert ask(ws, {"register": [mine + "/x.ics"]}) == {"error": "Invalid Request"}
        assert ask(ws, {"register": ["/principals/users/x"]}) == {"error": "Invalid Request"}
        assert ask(ws, {"unregister": [mine, book]}) == {"unregistered": [mine, book]}
        assert ask(ws, {"unregister": [mine]}) == {"unregistered": [mine]}
        assert metric(stack.worker, "tcal_ws_register_total", 'result="forbidden"') == forbidden + 1
        assert metric(stack.worker, "tcal_ws_connections", "") >= 1


def test_a_message_over_the_limit_closes_1009(sock, people):
    bob = people.user()
    with open_socket(sock, bob["email"], max_size=None) as ws:
        ws.send(json.dumps({"type": "ping", "pad": "x" * 70000}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


# -- limits, on a worker of their own -------------------------------------------------------------

@pytest.fixture(scope="module")
def limited(stack, tmp_path_factory):
    worker = start_worker(stack, tmp_path_factory.mktemp("ws-limits"), settings={
        "configuration.properties": {
            "websocket.ping.interval": "1",
            "websocket.idle.timeout": "3",
            "websocket.max.registrations": "2",
            "websocket.max.connections": "3",
            "websocket.outbound.queue.max": "4",
            "websocket.max.lifetime": "6",
            "websocket.push.consumers.enabled": "false",
        }})
    yield worker
    worker.stop()


def test_pings_every_interval_and_a_silent_client_is_dropped(limited, people):
    bob = people.user()
    raw = RawWebSocket(limited.socket, bob["email"])
    try:
        assert raw.status == 101
        opcode, payload = raw.frame()
        assert (opcode, json.loads(payload)) == (RawWebSocket.OP_TEXT, {"calendarListRegistered": True})
        started = time.monotonic()
        pings = []
        with pytest.raises(ConnectionError):
            while True:
                opcode, _ = raw.frame()
                if opcode == RawWebSocket.OP_PING:
                    pings.append(time.monotonic() - started)
        dropped = time.monotonic() - started
    finally:
        raw.close()
    assert len(pings) >= 2 and all(0.5 < b - a < 1.5 for a, b in zip(pings, pings[1:])), pings
    assert 3 <= dropped < 6, dropped  # idle timeout 3 s, checked at each ping
    assert metric(limited, "tcal_ws_connections_closed_total", 'reason="idle"') >= 1


def test_registrations_connections_and_lifetime_limits(limited, people):
    bob, alice = people.user(), people.user()
    books = [f"/addressbooks/{bob['id']}/contacts", f"/addressbooks/{bob['id']}/collected"]
    with open_socket(limited.socket, bob["email"]) as first, \
            open_socket(limited.socket, bob["email"]), open_socket(limited.socket, alice["email"]):
        assert ask(first, {"register": [home(bob)] + books}) == {
            "registered": [home(bob), books[0]], "notRegistered": {books[1]: "TooManyRegistrations"}}
        refused = limited.api().get("/ws", user=bob["email"], headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        assert refused.status == 503, refused.body
        # websocket.max.lifetime=6: closed 1001 `lifetime` (the library answers our PINGs).
        started = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                first.recv(timeout=10)
        assert closed.value.rcvd.code == 1001 and closed.value.rcvd.reason == "lifetime"
        assert time.monotonic() - started < 8


def metric(worker, family: str, labels: str) -> float:
    status, body = worker.get(f"/metrics?name[]={family}")
    assert status == 200, body
    wanted = f"{family}{{{labels}}} " if labels else f"{family} "
    for line in body.decode().splitlines():
        if line.startswith(wanted):
            return float(line.split()[-1])
    return 0.0


def test_a_client_that_stops_reading_is_closed_1008(limited, stack, people):
    """Calendar-list pushes with long paths fill the socket's buffers, then the queue of 4."""
    bob = people.user()
    raw = RawWebSocket(limited.socket, bob["email"])
    try:
        raw.frame()  # calendarListRegistered; then read nothing more
        connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
        channel = connection.channel()
        for i in range(40):
            body = {"calendarPath": f"/calendars/{bob['id']}/{i}{'c' * 60000}", "calendarProps": {}}
            channel.basic_publish("calendar:calendar:updated", "", json.dumps(body).encode())
        connection.close()
        time.sleep(3)
        codes = []
        with pytest.raises(ConnectionError):
            while True:
                opcode, payload = raw.frame()
                if opcode == RawWebSocket.OP_CLOSE:
                    codes.append(int.from_bytes(payload[:2], "big"))
                    assert payload[2:] == b"slow consumer"
    finally:
        raw.close()
    assert codes == [1008]
    assert metric(limited, "tcal_ws_connections_closed_total", 'reason="slow_consumer"') >= 1


def test_over_a_tcp_listener_with_the_edge_secret(stack, tmp_path_factory, people):
    secret = "edge-secret-for-ws-tests-0123456789abcdef"
    port = free_port()
    worker = start_worker(stack, tmp_path_factory.mktemp("ws-tcp"), settings={"configuration.properties": {
        "edge.listen": f"127.0.0.1:{port}", "edge.secret": secret,
        "websocket.push.consumers.enabled": "false"}})
    try:
        bob = people.user()
        url = f"ws://127.0.0.1:{port}/ws"
        with pytest.raises(InvalidStatus) as refused:
            connect(url, additional_headers=identity(bob["email"]), open_timeout=5)
        assert refused.value.response.status_code == 401
        with connect(url, additional_headers={**identity(bob["email"]), "X-Twake-Edge-Secret": secret},
                     compression=None, open_timeout=5) as ws:
            assert json.loads(ws.recv(timeout=5)) == {"calendarListRegistered": True}
            assert ask(ws, {"register": [home(bob)]}) == {"registered": [home(bob)]}
    finally:
        worker.stop()
