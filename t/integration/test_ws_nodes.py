"""WebSockets across worker nodes and failures (docs/reference/realtime.md §4, §6): a change
consumed by one node reaches sockets on another through the `tcalendar:push` bus, a socket
opened through the edge with a real ticket gets its pushes, sockets stay open across a broker
restart and get pushes again afterwards, a stopping worker closes its sockets 1001, a
back-channel logout closes its session's sockets 1008 on every node, and Redis being down
changes nothing."""

from __future__ import annotations

import json
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from harness.worker_conf import start_worker
from harness.ws_client import ask, open_socket
from test_webadmin_revocation import logout_token, revoke
from test_ws_pushes import bearer, calendar, next_message, put_event


@pytest.fixture(scope="module")
def node_b(stack, tmp_path_factory):
    """A second node that serves sockets and consumes none of the push queues: whatever its
    sockets get came from the stack's worker through the bus."""
    worker = start_worker(stack, tmp_path_factory.mktemp("ws-node-b"), settings={
        "configuration.properties": {"websocket.push.consumers.enabled": "false"}})
    yield worker
    worker.stop()


def metric(worker, family: str) -> float:
    status, body = worker.get(f"/metrics?name[]={family}")
    assert status == 200, body
    return sum(float(line.split()[-1]) for line in body.decode().splitlines() if line.startswith(family + " "))


def test_a_change_consumed_by_one_node_reaches_sockets_on_both(stack, node_b, people):
    bob = people.user()
    path = calendar(bob)
    received = metric(node_b, "tcal_push_bus_received_total")
    with open_socket(stack.worker.socket, bob["email"]) as on_a, open_socket(node_b.socket, bob["email"]) as on_b:
        assert ask(on_a, {"register": [path]}) == {"registered": [path]}
        assert ask(on_b, {"register": [path]}) == {"registered": [path]}
        put_event(stack, bob, path)
        pushed = next_message(on_b)
        assert list(pushed) == [path]
        assert next_message(on_a) == pushed
        # A calendar-list change, consumed by the stack's worker, for a socket on node B only.
        made = requests.post(f"{stack.edge_url}/dav/calendars/{bob['id']}.json", timeout=10,
                             headers={**bearer(stack, bob), "Content-Type": "application/json",
                                      "Accept": "application/json"},
                             data=json.dumps({"id": "team", "dav:name": "Team"}))
        assert made.status_code == 201, made.text
        assert next_message(on_b) == {"calendarList": {"created": [f"/calendars/{bob['id']}/team"]}}
    assert metric(node_b, "tcal_push_bus_received_total") >= received + 2
    status, body = node_b.get("/healthcheck/checks/WebSocket%20push%20bus")
    assert status == 200 and json.loads(body)["status"] == "healthy", body


def test_through_the_edge_with_a_real_ticket(stack, people):
    bob = people.user()
    path = calendar(bob)
    ticket = requests.post(stack.edge_url + "/ws/ticket", headers=bearer(stack, bob), timeout=10)
    assert ticket.status_code == 200, ticket.text
    url = stack.edge_url.replace("http://", "ws://") + "/ws?ticket=" + ticket.json()["value"]
    with connect(url, compression=None, open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5)) == {"calendarListRegistered": True}
        assert ask(ws, {"type": "ping", "timestamp": 1}) == {}
        assert ask(ws, {"register": [path]}) == {"registered": [path]}
        put_event(stack, bob, path)
        assert list(next_message(ws)) == [path]


def test_sockets_survive_a_broker_restart(stack, node_b, people):
    bob = people.user()
    path = calendar(bob)
    with open_socket(stack.worker.socket, bob["email"]) as on_a, open_socket(node_b.socket, bob["email"]) as on_b:
        assert ask(on_a, {"register": [path]}) == {"registered": [path]}
        assert ask(on_b, {"register": [path]}) == {"registered": [path]}
        stack.rabbitmq.stop()
        try:
            assert ask(on_b, {"type": "ping"}) == {}   # still open, still answering
        finally:
            stack.rabbitmq.start()
        # The consumers and the bus queue come back within a few seconds; then pushes flow again.
        deadline = time.monotonic() + 20
        while True:
            status, body = node_b.get("/healthcheck/checks/WebSocket%20push%20bus")
            if json.loads(body)["status"] == "healthy":
                break
            assert time.monotonic() < deadline, body
            time.sleep(0.5)
        time.sleep(3)  # the stack's worker reconnects its consumers too (every 2 s)
        put_event(stack, bob, path)
        assert list(next_message(on_b, timeout=10)) == [path]
        assert list(next_message(on_a, timeout=10)) == [path]


def test_a_stopping_worker_closes_its_sockets_1001(stack, tmp_path_factory, people):
    worker = start_worker(stack, tmp_path_factory.mktemp("ws-stop"), settings={
        "configuration.properties": {"websocket.push.consumers.enabled": "false"}})
    try:
        bob = people.user()
        ws = open_socket(worker.socket, bob["email"])
        worker.stop()
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1001, "shutdown")
    finally:
        worker.stop()


def test_a_back_channel_logout_closes_the_sessions_sockets_on_every_node(stack, node_b):
    """The socket opened with a ticket of an OIDC session closes 1008 when the IdP logs that
    session out; a socket of another session stays open."""
    token, sid = stack.oidc.session_token("carol@example.com", "carol-secret")
    other, _ = stack.oidc.session_token("carol@example.com", "carol-secret")

    def socket_with(access_token):
        ticket = requests.post(stack.edge_url + "/ws/ticket", timeout=10,
                               headers={"Authorization": f"Bearer {access_token}"})
        assert ticket.status_code == 200, ticket.text
        ws = connect(stack.edge_url.replace("http://", "ws://") + "/ws?ticket=" + ticket.json()["value"],
                     compression=None, open_timeout=5)
        assert json.loads(ws.recv(timeout=5)) == {"calendarListRegistered": True}
        return ws

    with socket_with(token) as revoked, socket_with(other) as kept:
        # The logout reaches the node that holds no socket: node B tells the others by the bus.
        assert revoke(node_b, logout_token(sid)).status_code == 200
        with pytest.raises(ConnectionClosed) as closed:
            revoked.recv(timeout=5)
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, "session revoked")
        assert ask(kept, {"type": "ping"}) == {}


def test_pushes_need_no_redis(stack, people):
    """Redis is optional: with it stopped, a ticket is issued, the socket opens through the edge
    and a change is pushed."""
    bob = people.user()
    path = calendar(bob)
    headers = bearer(stack, bob)  # the token is obtained while Redis runs; its cache entry is not needed
    stack.redis.stop()
    try:
        ticket = requests.post(stack.edge_url + "/ws/ticket", headers=headers, timeout=10)
        assert ticket.status_code == 200, ticket.text
        url = stack.edge_url.replace("http://", "ws://") + "/ws?ticket=" + ticket.json()["value"]
        with connect(url, compression=None, open_timeout=5) as ws:
            assert json.loads(ws.recv(timeout=5)) == {"calendarListRegistered": True}
            assert ask(ws, {"register": [path]}) == {"registered": [path]}
            put_event(stack, bob, path)
            assert list(next_message(ws)) == [path]
    finally:
        stack.redis.start()
