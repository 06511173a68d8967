"""The DAV proxy (docs/reference/edge-worker.md §6): WebDAV methods and their headers reach the DAV
server as the authenticated user, `Destination` loses the `/dav` prefix, and bodies are streamed: a
50 MB PUT is never held in nginx's memory or written to its disk."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import requests

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//Edge test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
DTSTART:20261201T100000Z
DTEND:20261201T110000Z
SUMMARY:{summary}
END:VEVENT
END:VCALENDAR
"""


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def home_of(stack, token: str) -> str:
    me = requests.get(stack.edge_url + "/api/user", headers=bearer(token), timeout=10).json()["_id"]
    return f"/dav/calendars/{me}/{me}/"


def put_event(stack, token, url, summary="Edge test", headers=None):
    uid = url.rsplit("/", 1)[-1].removesuffix(".ics")  # one UID per resource, as clients do
    body = EVENT.format(uid=uid, summary=summary).replace("\n", "\r\n")
    return requests.put(stack.edge_url + url, data=body.encode(),
                        headers={**bearer(token), "Content-Type": "text/calendar", **(headers or {})}, timeout=10)


def test_conditional_put_and_move_with_a_destination_under_dav(stack):
    token = stack.oidc.token("alice@example.com")
    calendar = home_of(stack, token)
    url = calendar + f"{uuid.uuid4().hex}.ics"
    created = put_event(stack, token, url, headers={"If-None-Match": "*"})
    assert created.status_code == 201, created.text
    assert put_event(stack, token, url, headers={"If-None-Match": "*"}).status_code == 412
    etag = requests.get(stack.edge_url + url, headers=bearer(token), timeout=10).headers["ETag"]
    assert put_event(stack, token, url, "Changed", headers={"If-Match": '"not-the-etag"'}).status_code == 412
    assert put_event(stack, token, url, "Changed", headers={"If-Match": etag}).status_code in (200, 201, 204)

    target = calendar + f"{uuid.uuid4().hex}.ics"
    moved = requests.request("MOVE", stack.edge_url + url, timeout=10,
                             headers={**bearer(token), "Destination": stack.edge_url + target})
    assert moved.status_code in (201, 204), moved.text
    assert requests.get(stack.edge_url + url, headers=bearer(token), timeout=10).status_code == 404
    got = requests.get(stack.edge_url + target, headers=bearer(token), timeout=10)
    assert got.status_code == 200 and "SUMMARY:Changed" in got.text


def worker_pids(nginx) -> list[int]:
    master = int((nginx.workdir / "nginx.pid").read_text())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def test_a_50_mb_put_is_streamed_not_buffered(stack):
    token = stack.oidc.token("alice@example.com")
    calendar = home_of(stack, token)
    pids = worker_pids(stack.nginx)
    before = {pid: peak_rss_kib(pid) for pid in pids}
    size = 50 * 1024 * 1024

    def body():  # generated as it is sent: the client holds 1 MiB at a time
        chunk = b"X" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            yield chunk

    r = requests.put(stack.edge_url + calendar + "huge.ics", data=body(), timeout=120,
                     headers={**bearer(token), "Content-Type": "text/calendar", "Content-Length": str(size)})
    # The DAV server read all 50 MB and refused them as calendar data: what matters is that
    # they went through.
    assert r.status_code in (400, 403, 413, 415), r.status_code
    growth = max(peak_rss_kib(pid) - before[pid] for pid in pids)
    print(f"50 MB PUT: peak RSS growth of the nginx worker processes {growth} KiB")
    assert growth < 8 * 1024, f"an nginx worker process grew by {growth} KiB"
    temp = stack.nginx.workdir / "temp" / "client_body"
    assert not temp.exists() or not any(temp.iterdir()), "the body was buffered to disk"
    assert os.path.getsize(stack.nginx.access_log) > 0
