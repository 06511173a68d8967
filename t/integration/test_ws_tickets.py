"""WebSocket tickets and the `/ws` handshake at the edge (docs/reference/rest-api.md §12,
docs/reference/edge-worker.md §2.5, docs/nginx-module.md §5.22): a signed-in user asks the
worker for a single-use ticket, valid one minute; `GET /ws?ticket=` is opened by that ticket and
nothing else, which the module has the worker consume before the handshake is proxied.

The handshake is spoken over a raw socket (so that the client's source address can be chosen).
The worker upgrades what the module lets through (101); what reaches the worker is checked where
it matters: an edge whose worker is a recorder."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
import requests

from harness.nginx_server import Nginx
from harness.recorder import Recorder
from harness.worker_process import SAMPLE_CONF, Worker
from test_edge_dav import bearer

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATE = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class Answer:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        return json.loads(self.body)


def handshake(base_url: str, query: str | None, headers: dict | None = None,
              source: str = "127.0.0.1") -> Answer:
    """An RFC 6455 opening handshake on `GET /ws[?query]` from `source`; the answer's status,
    headers and body (none after a 101)."""
    url = urlsplit(base_url)
    target = "/ws" + (f"?{query}" if query is not None else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {url.netloc}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Version: 13", f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection((url.hostname, url.port), timeout=10, source_address=(source, 0)) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        answer = Answer(int(status_line.split()[1]))
        answer.headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
        if answer.status != 101:
            length = int(answer.headers.get("content-length", "0"))
            while len(body) < length:
                chunk = s.recv(4096)
                if not chunk:
                    break
                body += chunk
        answer.body = body
        return answer


def with_ticket(value: str) -> str:
    return f"ticket={value}"


def ask_ticket(edge_url: str, headers: dict) -> requests.Response:
    return requests.post(edge_url + "/ws/ticket", headers=headers, timeout=10)


def new_ticket(edge_url: str, headers: dict) -> str:
    r = ask_ticket(edge_url, headers)
    assert r.status_code == 200, r.text
    return r.json()["value"]


def assert_opened(answer: Answer):
    """The module let the handshake through and the worker upgraded the connection."""
    assert answer.status == 101, (answer.status, answer.body)
    assert answer.headers["upgrade"].lower() == "websocket"


def assert_refused(answer: Answer, details: str):
    assert answer.status == 401, (answer.status, answer.body)
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"]["details"] == details


def edge_metric(edge_url: str, name: str, labels: str) -> float:
    text = requests.get(edge_url + "/_twake_calendar/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith(f"{name}{{{labels}}} "):
            return float(line.split()[-1])
    return 0.0


def worker_metric(worker, result: str) -> float:
    status, body = worker.get("/metrics?name[]=tcal_ws_tickets_total")
    assert status == 200
    m = re.search(rf'tcal_ws_tickets_total{{result="{result}"}} (\S+)', body.decode())
    return float(m.group(1)) if m else 0.0


@pytest.fixture(scope="module")
def alice(stack):
    return bearer(stack.oidc.token("alice@example.com"))


@pytest.fixture(scope="module")
def bob(stack):
    return bearer(stack.oidc.token("bob@example.com"))


# -- §8 test 1: issuing ----------------------------------------------------------------------

def test_a_ticket_has_five_fields_and_is_stored(stack, db, alice):
    issued_before = worker_metric(stack.worker, "issued")
    r = ask_ticket(stack.edge_url, alice)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    t = r.json()
    assert set(t) == {"clientAddress", "value", "generatedOn", "validUntil", "username"}
    assert UUID.match(t["value"])
    assert (t["username"], t["clientAddress"]) == ("alice@example.com", "127.0.0.1")
    generated = datetime.strptime(t["generatedOn"], DATE).replace(tzinfo=timezone.utc)
    valid_until = datetime.strptime(t["validUntil"], DATE).replace(tzinfo=timezone.utc)
    assert valid_until - generated == timedelta(seconds=60)
    assert abs(datetime.now(timezone.utc) - generated) < timedelta(seconds=30)
    doc = db.auth_tickets.find_one({"_id": t["value"]})
    assert doc is not None
    assert (doc["username"], doc["clientAddress"]) == ("alice@example.com", "127.0.0.1")
    assert doc["generatedOn"].replace(tzinfo=timezone.utc) == generated
    assert doc["validUntil"].replace(tzinfo=timezone.utc) == valid_until
    assert "sid" not in doc  # the test grant's token has no session
    assert worker_metric(stack.worker, "issued") == issued_before + 1


def test_a_ticket_keeps_the_oidc_session_and_basic_users_get_tickets_too(stack, db):
    token, sid = stack.oidc.session_token("carol@example.com", "carol-secret")
    value = new_ticket(stack.edge_url, bearer(token))
    assert db.auth_tickets.find_one({"_id": value})["sid"] == sid
    r = requests.post(stack.edge_url + "/ws/ticket", auth=("bob@example.com", "bob-secret"), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "bob@example.com"


def test_without_credentials_no_ticket(stack):
    r = requests.post(stack.edge_url + "/ws/ticket", timeout=10)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == 401
    # A client cannot choose the address the ticket is bound to.
    r = requests.post(stack.edge_url + "/ws/ticket", headers={
        **bearer(stack.oidc.token("alice@example.com")), "X-Twake-Client-Address": "203.0.113.7"}, timeout=10)
    assert r.json()["clientAddress"] == "127.0.0.1"


# -- §8 test 2: single use, revocation -------------------------------------------------------

def test_a_ticket_opens_one_handshake(stack, alice):
    value = new_ticket(stack.edge_url, alice)
    consumed = worker_metric(stack.worker, "consumed")
    assert_opened(handshake(stack.edge_url, with_ticket(value)))
    assert worker_metric(stack.worker, "consumed") == consumed + 1
    unknown = worker_metric(stack.worker, "unknown")
    assert_refused(handshake(stack.edge_url, with_ticket(value)), "unknown ticket")
    assert worker_metric(stack.worker, "unknown") == unknown + 1


def test_an_upper_case_ticket_is_the_same_ticket(stack, alice):
    value = new_ticket(stack.edge_url, alice)
    assert_opened(handshake(stack.edge_url, with_ticket(value.upper())))


def test_a_revoked_ticket_opens_nothing(stack, alice):
    value = new_ticket(stack.edge_url, alice)
    r = requests.delete(f"{stack.edge_url}/ws/ticket/{value}", headers=alice, timeout=10)
    assert r.status_code == 204, r.text
    assert_refused(handshake(stack.edge_url, with_ticket(value)), "unknown ticket")
    # The documented query form too.
    value = new_ticket(stack.edge_url, alice)
    r = requests.delete(f"{stack.edge_url}/ws/ticket?ticket={value}", headers=alice, timeout=10)
    assert r.status_code == 204, r.text
    assert_refused(handshake(stack.edge_url, with_ticket(value)), "unknown ticket")


def test_only_the_owner_revokes_a_ticket(stack, db, alice, bob):
    value = new_ticket(stack.edge_url, alice)
    r = requests.delete(f"{stack.edge_url}/ws/ticket/{value}", headers=bob, timeout=10)
    assert r.status_code == 403
    assert r.json() == {"type": "about:blank", "status": 403, "detail": "Using ticket other accounts is forbidden"}
    assert db.auth_tickets.find_one({"_id": value}) is not None  # still Alice's
    r = requests.delete(f"{stack.edge_url}/ws/ticket/{uuid.uuid4()}", headers=alice, timeout=10)
    assert r.status_code == 403
    for bad in ("/not-a-uuid", "?ticket=not-a-uuid", ""):
        r = requests.delete(f"{stack.edge_url}/ws/ticket{bad}", headers=alice, timeout=10)
        assert r.status_code == 400, bad
        assert r.json() == {"type": "about:blank", "status": 400,
                            "detail": "Invalid request: TicketValue must be backed by a UUID"}
    assert requests.delete(f"{stack.edge_url}/ws/ticket/{value}", timeout=10).status_code == 401


# -- §8 test 3: expiry, address ----------------------------------------------------------------

def test_an_expired_ticket_is_refused_and_burnt(stack, db):
    value = str(uuid.uuid4())
    now = datetime.now(timezone.utc).replace(microsecond=0)
    db.auth_tickets.insert_one({"_id": value, "username": "alice@example.com", "clientAddress": "127.0.0.1",
                                "generatedOn": now - timedelta(seconds=61), "validUntil": now - timedelta(seconds=1)})
    expired = worker_metric(stack.worker, "expired")
    assert_refused(handshake(stack.edge_url, with_ticket(value)), "expired ticket")
    assert db.auth_tickets.find_one({"_id": value}) is None
    assert worker_metric(stack.worker, "expired") == expired + 1


def test_a_ticket_from_another_address_is_refused_and_burnt(stack, alice):
    value = new_ticket(stack.edge_url, alice)  # asked from 127.0.0.1
    mismatches = worker_metric(stack.worker, "ip_mismatch")
    assert_refused(handshake(stack.edge_url, with_ticket(value), source="127.0.0.2"), "client address mismatch")
    assert worker_metric(stack.worker, "ip_mismatch") == mismatches + 1
    assert_refused(handshake(stack.edge_url, with_ticket(value)), "unknown ticket")


@pytest.fixture(scope="module")
def lenient(stack, tmp_path_factory):
    """A worker with websocket.ticket.ip.validation.enabled=false, behind its own edge."""
    root = tmp_path_factory.mktemp("lenient")
    conf = root / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    with (conf / "configuration.properties").open("a") as f:
        f.write("\nwebsocket.ticket.ip.validation.enabled=false\n")
    worker = Worker(root / "worker", stack.worker_environment(), conf_dir=conf)
    worker.start()
    edge = Nginx(root / "edge", values={**stack.nginx_values(), "WORKER": f"unix:{worker.socket}"})
    edge.start()
    yield edge
    edge.stop()
    worker.stop()


def test_without_address_validation_a_ticket_opens_from_anywhere(lenient, alice):
    value = new_ticket(lenient.url, alice)
    assert_opened(handshake(lenient.url, with_ticket(value), source="127.0.0.2"))
    assert_refused(handshake(lenient.url, with_ticket(value), source="127.0.0.2"), "unknown ticket")


# -- §8 test 4: the ticket is the only credential; what the worker hears ------------------------

def test_no_ticket_no_handshake(stack, alice):
    for query, result in ((None, "no_ticket"), ("x=1", "no_ticket"), ("ticket=", "malformed"),
                          ("ticket=not-a-uuid", "malformed"), (f"ticket={uuid.uuid4()}x", "malformed")):
        before = edge_metric(stack.edge_url, "twake_calendar_edge_ws_handshakes_total", f'result="{result}"')
        answer = handshake(stack.edge_url, query, headers=alice)  # a valid bearer is ignored
        assert_refused(answer, "No ticket" if result == "no_ticket" else "Malformed ticket")
        assert answer.headers["www-authenticate"] == 'Bearer realm="twake_calendar"'
        after = edge_metric(stack.edge_url, "twake_calendar_edge_ws_handshakes_total", f'result="{result}"')
        assert after == before + 1, query


def test_the_ticket_is_never_logged(stack, alice):
    value = new_ticket(stack.edge_url, alice)
    assert_opened(handshake(stack.edge_url, f"a=1&{with_ticket(value)}&b=2"))
    refused = str(uuid.uuid4())
    assert_refused(handshake(stack.edge_url, with_ticket(refused)), "unknown ticket")
    time.sleep(0.2)  # nginx writes its access-log line just after answering
    for log in (stack.nginx.access_log, stack.nginx.error_log, stack.worker.log_path):
        text = log.read_text()
        assert value not in text and refused not in text, log


ACCEPTED = (200, {"username": "bob@example.com", "sid": "sid-1"})


@pytest.fixture(scope="module")
def recorded(stack, tmp_path_factory):
    worker = Recorder({"/internal/ticket": ACCEPTED})
    edge = Nginx(tmp_path_factory.mktemp("ws-recorded-edge"), values={**stack.nginx_values(), "WORKER": worker.address})
    edge.start()
    yield edge, worker
    edge.stop()
    worker.shutdown()


def test_the_worker_hears_the_tickets_user_and_no_ticket(recorded):
    edge, worker = recorded
    worker.seen.clear()
    value = str(uuid.uuid4())
    forged = {"X-Twake-User": "mallory@example.com", "X-Twake-Auth": "admin", "X-Twake-Sid": "forged",
              "X-Twake-Client-Address": "203.0.113.7", "X-Twake-Ticket": str(uuid.uuid4()),
              "Authorization": "Basic YWRtaW46YWRtaW4=", "Cookie": "session=1"}
    answer = handshake(edge.url, f"a=1&ticket={value.upper()}&ticket=second&b=%20", headers=forged)
    assert answer.status == 200, answer.body  # the stand-in's own answer: forwarded
    (m1, check, asked), (m2, target, heard) = worker.seen
    assert (m1, check) == ("POST", "/internal/ticket")
    assert asked["x-twake-ticket"] == value and asked["x-twake-client-address"] == "127.0.0.1"
    assert "authorization" not in asked and asked.get("content-length", "0") == "0"
    assert (m2, target) == ("GET", "/ws?a=1&b=%20")
    assert (heard["x-twake-user"], heard["x-twake-auth"], heard["x-twake-sid"]) == ("bob@example.com", "ticket", "sid-1")
    assert (heard["upgrade"], heard["connection"].lower()) == ("websocket", "upgrade")
    assert "x-twake-client-address" not in heard and "x-twake-ticket" not in heard
    assert "authorization" not in heard and "cookie" not in heard
    assert value not in edge.access_log.read_text() and "second" not in edge.access_log.read_text()


def test_a_refused_ticket_reaches_no_worker_socket(recorded):
    edge, worker = recorded
    try:
        worker.answers["/internal/ticket"] = (401, {"error": {"code": 401, "type": "Unauthorized", "message": "Unauthorized",
                                                "details": "expired ticket"}})
        worker.seen.clear()
        assert_refused(handshake(edge.url, with_ticket(uuid.uuid4())), "expired ticket")
        assert [path for _, path, _ in worker.seen] == ["/internal/ticket"]
        for status, payload in ((503, {"error": {"code": 503, "type": "ServiceUnavailable", "message": "x",
                                                 "details": "MongoDB"}}),
                                (500, {}), (200, {"username": "not an address"}), (200, {})):
            worker.answers["/internal/ticket"] = (status, payload)
            before = edge_metric(edge.url, "twake_calendar_edge_ws_handshakes_total", 'result="error"')
            answer = handshake(edge.url, with_ticket(uuid.uuid4()))
            assert answer.status == 503, (status, payload)
            assert answer.json()["error"]["details"] == "Ticket check unavailable"
            assert edge_metric(edge.url, "twake_calendar_edge_ws_handshakes_total", 'result="error"') == before + 1
        assert all(path == "/internal/ticket" for _, path, _ in worker.seen)
    finally:
        worker.answers["/internal/ticket"] = ACCEPTED


def test_handshakes_are_counted_by_result(recorded):
    edge, _ = recorded
    before = edge_metric(edge.url, "twake_calendar_edge_ws_handshakes_total", 'result="ok"')
    auth = edge_metric(edge.url, "twake_calendar_edge_auth_total", 'method="ticket",outcome="ok"')
    assert handshake(edge.url, with_ticket(uuid.uuid4())).status == 200
    assert edge_metric(edge.url, "twake_calendar_edge_ws_handshakes_total", 'result="ok"') == before + 1
    assert edge_metric(edge.url, "twake_calendar_edge_auth_total", 'method="ticket",outcome="ok"') == auth + 1


def test_without_mongodb_no_ticket_and_no_handshake(stack, alice):
    admin = (stack.admin_user, stack.admin_password)  # known to the edge without MongoDB
    stack.mongo.stop()
    try:
        r = requests.post(stack.edge_url + "/ws/ticket", auth=admin, timeout=30)
        assert r.status_code == 503
        assert r.json()["error"]["details"] == "MongoDB is unavailable"
        answer = handshake(stack.edge_url, with_ticket(uuid.uuid4()))
        assert answer.status == 503, answer.body
        assert answer.json()["error"]["details"] == "Ticket check unavailable"
    finally:
        stack.mongo.launch()
    assert_opened(handshake(stack.edge_url, with_ticket(new_ticket(stack.edge_url, alice))))
