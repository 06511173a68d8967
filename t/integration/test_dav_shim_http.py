"""The DAV shim's HTTP: chunked request bodies (what nginx sends for a client's chunked PUT with
proxy_request_buffering off) reach every route decoded, and connections are kept alive (HTTP/1.1)."""

from __future__ import annotations

import base64
import http.client
import socket
import urllib.parse
import uuid

EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n"
         "DTSTAMP:20300101T000000Z\r\nDTSTART:20300102T100000Z\r\nDTEND:20300102T110000Z\r\n"
         "SUMMARY:Sent in chunks\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def connect(stack) -> http.client.HTTPConnection:
    url = urllib.parse.urlsplit(stack.dav.url)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=10)


def basic(stack, email) -> str:
    user, password = stack.dav.impersonation(email)
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_chunked_put_is_stored_whole(stack, people):
    alice = people.user()
    me, uid = alice["id"], f"chunked-{uuid.uuid4().hex[:8]}"
    path = f"/calendars/{me}/{me}/{uid}.ics"
    text = EVENT.format(uid=uid).encode()
    pieces = [text[:10], text[10:77], text[77:]]
    conn = connect(stack)
    conn.request("PUT", path, body=iter(pieces), encode_chunked=True,
                 headers={"Authorization": basic(stack, alice["email"]), "Content-Type": "text/calendar"})
    put = conn.getresponse()
    put.read()
    assert put.status == 201

    conn.request("GET", path, headers={"Authorization": basic(stack, alice["email"])})
    got = conn.getresponse()
    assert got.status == 200
    body = got.read().decode()
    assert f"UID:{uid}" in body and "SUMMARY:Sent in chunks" in body


def test_chunked_body_reaches_the_shims_own_routes(stack, people):
    alice = people.user()
    body = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/>'
            b'</d:prop></d:propfind>')
    conn = connect(stack)
    conn.request("PROPFIND", "/", body=iter([body[:20], body[20:]]), encode_chunked=True,
                 headers={"Authorization": basic(stack, alice["email"]), "Depth": "0",
                          "Content-Type": "application/xml"})
    answer = conn.getresponse()
    text = answer.read().decode()
    assert answer.status == 207
    assert f"/principals/users/{alice['id']}/" in text
    assert "getetag" not in text                    # the body was read: only what it asked for


def test_connection_is_kept_alive(stack, people):
    alice = people.user()
    auth = {"Authorization": basic(stack, alice["email"])}
    conn = connect(stack)
    conn.request("PROPFIND", f"/calendars/{alice['id']}/", headers={**auth, "Depth": "0"})
    first = conn.getresponse()
    first.read()
    sock = conn.sock
    assert first.version == 11 and not first.will_close

    # A body the route does not read (GET) does not spill into the next request.
    conn.request("GET", f"/calendars/{alice['id']}/{alice['id']}/", body=b"ignored body", headers=auth)
    second = conn.getresponse()
    second.read()
    conn.request("OPTIONS", "/", headers=auth)
    third = conn.getresponse()
    third.read()
    assert second.status == 200 and third.status == 200
    assert conn.sock is sock                        # one TCP connection for the three requests

    conn.request("GET", "/", headers={**auth, "Connection": "close"})
    last = conn.getresponse()
    last.read()
    assert last.will_close


def test_broken_chunks_are_refused_and_close_the_connection(stack, people):
    alice = people.user()
    host, port = urllib.parse.urlsplit(stack.dav.url).hostname, urllib.parse.urlsplit(stack.dav.url).port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall((f"PUT /calendars/{alice['id']}/{alice['id']}/x.ics HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: {basic(stack, alice['email'])}\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "zz\r\nnot hex\r\n0\r\n\r\n").encode())
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    assert received.startswith(b"HTTP/1.1 400 ")
