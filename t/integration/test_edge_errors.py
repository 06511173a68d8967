"""Every answer the edge produces is the REST JSON error document with the right status
(docs/reference/edge-worker.md §5): nginx's own refusals (malformed request, URI, headers or body
too large) and its upstream failures (the worker or esn-sabre down: 502, stuck: 504 after a bounded
timeout). The worker answers what it cannot parse with its API's JSON error, never a silent
close."""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest
import requests

from harness.nginx_server import SAMPLE, Nginx

ADMIN_TIMEOUT = 20  # proxy_read_timeout of conf/twake_calendar_worker.conf


def assert_json_error(r: requests.Response, status: int, error_type: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    error = r.json()["error"]
    assert (error["code"], error["type"]) == (status, error_type)
    assert set(error) == {"code", "type", "message", "details"}
    return error


def raw(port: int, data: bytes, path: str | None = None) -> bytes:
    """Sends bytes as they are (what an HTTP library would refuse to send) and reads the answer."""
    family, address = (socket.AF_UNIX, path) if path else (socket.AF_INET, ("127.0.0.1", port))
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(address)
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_nginx_refusals_are_json(stack):
    admin = (stack.admin_user, stack.admin_password)
    long_uri = stack.edge_url + "/api/users?email=" + "a" * 20000
    assert_json_error(requests.get(long_uri, timeout=5), 414, "URITooLong")
    big_header = {"X-Filler": "b" * 20000}
    assert_json_error(requests.get(stack.edge_url + "/api/user", headers=big_header, timeout=5), 431,
                      "RequestHeaderFieldsTooLarge")
    body = b"[" + b" " * (2 << 20) + b"]"
    assert_json_error(requests.post(stack.edge_url + "/api/configurations", data=body, auth=admin,
                                    headers={"Content-Type": "application/json"}, timeout=10), 413, "PayloadTooLarge")
    answer = raw(stack.edge_port, b"GET /api/user HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b'"type":"BadRequest"' in payload


def test_a_header_the_worker_cannot_parse_is_a_json_400_not_a_dropped_connection(stack):
    r = requests.get(stack.edge_url + "/api/technicalToken/introspect",
                     headers={"X-TECHNICAL-TOKEN": "abc\x7fdef"}, timeout=5)
    error = assert_json_error(r, 400, "BadRequest")
    assert "could not be read" in error["details"]


def test_the_worker_answers_unreadable_requests_in_its_apis_json(stack):
    socket_path = str(stack.worker.socket)
    head, _, body = raw(0, b"GET /api/user HTTP/1.1\r\nHost: x\r\nX-Bad: a\x7fb\r\n\r\n", socket_path).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b'"type":"BadRequest"' in body
    huge = b"GET /api/user HTTP/1.1\r\nHost: x\r\nX-Big: " + b"c" * 20000 + b"\r\n\r\n"
    head, _, body = raw(0, huge, socket_path).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ") and b'"type":"RequestHeaderFieldsTooLarge"' in body
    # The webadmin API: James's error document.
    port = int(stack.worker.webadmin_url.rsplit(":", 1)[1])
    head, _, body = raw(port, b"GET /healthcheck HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n").partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b'"statusCode":400' in body and b'"InvalidArgument"' in body


@pytest.mark.fault
def test_a_worker_that_is_down_is_a_json_502_on_every_route(stack):
    admin = (stack.admin_user, stack.admin_password)
    stack.worker.stop()
    try:
        for path in ("/api/technicalToken/introspect", "/api/avatars?email=a@example.com", "/images/icon/x.svg"):
            assert_json_error(requests.get(stack.edge_url + path, timeout=5), 502, "BadGateway")
        started = time.monotonic()
        assert_json_error(requests.get(stack.edge_url + "/api/users?email=a@example.com", auth=admin, timeout=5),
                          502, "BadGateway")
        # A credential that needs the worker (LDAP): the lookup's failure is a 503 that says so.
        r = requests.get(stack.edge_url + "/api/user", auth=("carol@example.com", "carol-secret"), timeout=5)
        assert_json_error(r, 503, "ServiceUnavailable")
        assert time.monotonic() - started < 2
    finally:
        stack.worker.launch()
    assert requests.get(stack.edge_url + "/api/technicalToken/introspect", timeout=5).status_code != 502


@pytest.mark.fault
def test_a_stuck_worker_is_a_json_504_after_the_bounded_timeout(stack):
    admin = (stack.admin_user, stack.admin_password)
    pid = stack.worker.proc.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        r = requests.get(stack.edge_url + "/api/users?email=a@example.com", auth=admin, timeout=ADMIN_TIMEOUT + 10)
        took = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
    assert_json_error(r, 504, "GatewayTimeout")
    assert ADMIN_TIMEOUT - 1 < took < ADMIN_TIMEOUT + 3


@pytest.mark.fault
def test_an_unreachable_dav_server_is_a_json_502(stack):
    admin = (stack.admin_user, stack.admin_password)
    stack.dav.stop()
    try:
        r = requests.request("PROPFIND", stack.edge_url + "/dav/calendars/", auth=admin, headers={"Depth": "0"},
                             timeout=5)
        assert_json_error(r, 502, "BadGateway")
    finally:
        stack.dav.launch()


@pytest.mark.fault
def test_a_stuck_dav_server_is_a_json_504(stack, tmp_path_factory):
    """The DAV locations keep a long read timeout (120 s, for large REPORTs): the same
    configuration with 2 s shows what a client gets when esn-sabre stops answering."""
    dav_conf = (SAMPLE.parent / "twake_calendar_dav.conf").read_text()
    assert "proxy_read_timeout 120s;" in dav_conf
    template = SAMPLE.read_text().replace("include twake_calendar_dav.conf;",
                                          dav_conf.replace("proxy_read_timeout 120s;", "proxy_read_timeout 2s;"))
    edge = Nginx(tmp_path_factory.mktemp("stuck-dav-edge"), template=template, values=stack.nginx_values())
    edge.start()
    pid = stack.dav.proc.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        r = requests.request("PROPFIND", edge.url + "/dav/calendars/", headers={"Depth": "0"},
                             auth=(stack.admin_user, stack.admin_password), timeout=10)
        took = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
        edge.stop()
    assert_json_error(r, 504, "GatewayTimeout")
    assert 1.5 < took < 5
