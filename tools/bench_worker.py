"""The worker's rows of `make bench` (docs/testing.md §6): the whole local stack of `make run`
(t/harness/stack.py) started under build/bench/stack, then

  worker-idle     the worker's resident memory once started and idle
  worker-api      `GET /api/user` through nginx and the module with a cached bearer token
                  (wrk -c32), and the worker's resident memory after the run
  index-burst     10,000 `calendar:event:created` messages published at once: events indexed
                  per second until OpenSearch acknowledged the last one
  import          an ICS of IMPORT_MB megabytes uploaded and imported through the edge: events
                  per second until the report mail, and the worker's memory peak over the upload
                  and the import
  domain-sync     MEMBERS directory users mirrored into a domain's address book: the first sync,
                  then a second one with no directory change

The import and the first domain sync write through the test stack's DAV server (Radicale
behind the shim), which sets their pace (each PUT checks the UID against the whole
collection): their defaults are small (1 MB, 1,000 members); --import-mb 10 and --members
10000 give the sizes of docs/reference/rest-api.md §17.2 and docs/webadmin.md §9 in about
6 and 46 minutes.

Each row is measured once (the stack's servers share the machine with the load, so these are
orders of magnitude, not ratios). Results also go to the bench's JSON under "worker".
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import subprocess
import time
import uuid
from pathlib import Path

import pika
import requests

from harness.stack import Stack

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "t" / "integration"))
from test_import import User, calendar_file, vevent  # noqa: E402  (the import tests' files)

WORKER_POINTS = ("worker-idle", "worker-api", "index-burst", "import", "domain-sync")
BURST = 10000


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def metric(stack: Stack, name: str, labels: str) -> float:
    body = requests.get(stack.worker.webadmin_url + f"/metrics?name[]={name}", timeout=10).text
    found = re.search(re.escape(name) + r"\{" + re.escape(labels) + r"\} (\S+)", body)
    return float(found.group(1)) if found else 0.0


def event_message(home: str, i: int) -> bytes:
    uid = f"bench-{uuid.uuid4()}"
    event = ["vevent", [["uid", {}, "text", uid], ["dtstamp", {}, "date-time", "2026-11-29T10:00:00Z"],
                        ["dtstart", {}, "date-time", f"2030-01-{1 + i % 28:02d}T10:00:00Z"],
                        ["duration", {}, "duration", "PT1H"], ["summary", {}, "text", f"Bench event {i}"],
                        ["organizer", {"cn": "Alice"}, "cal-address", "mailto:alice@example.com"],
                        ["attendee", {}, "cal-address", "mailto:bob@example.com"]], []]
    return json.dumps({"eventPath": f"/calendars/{home}/{home}/{uid}.ics",
                       "event": ["vcalendar", [["version", {}, "text", "2.0"]], [event]]}).encode()


def index_burst(stack: Stack, home: str) -> dict:
    bodies = [event_message(home, i) for i in range(BURST)]
    before = metric(stack, "tcal_search_documents_total", 'result="written"')
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    started = time.monotonic()
    channel = connection.channel()
    for body in bodies:
        channel.basic_publish("calendar:event:created", "", body)
    connection.close()
    deadline = started + 300
    while metric(stack, "tcal_search_documents_total", 'result="written"') < before + BURST:
        if time.monotonic() > deadline:
            raise RuntimeError("the burst was not indexed within 300 s")
        time.sleep(0.05)
    took = time.monotonic() - started
    return {"events": BURST, "seconds": took, "events_per_s": BURST / took}


def vm_kib(pid: int, field: str) -> int:
    return int(rss_mb(pid, field) * 1024)


def import_file(stack: Stack, megabytes: float) -> dict:
    user = User(stack)
    description = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 60
    events, size, n = [], 0, 0
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    while size < megabytes * 1000 * 1000:
        events.append(vevent(f"{prefix}-{n}", n, description=description))
        size += len(events[-1]) + 60
        n += 1
    body = calendar_file(events)
    pid = stack.worker.proc.pid
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # the peak from here on is the upload's and the import's
    rss_before = vm_kib(pid, "VmRSS")
    started = time.monotonic()
    uploaded = user.upload(body)
    if uploaded.status_code != 201:
        raise RuntimeError(f"upload: {uploaded.status_code} {uploaded.text[:200]}")
    if user.start_import(uploaded.json()["_id"], user.calendar).status_code != 202:
        raise RuntimeError("the import was not accepted")
    text, _, _ = user.report_mail(timeout=3600)
    took = time.monotonic() - started
    if f"{n} event(s) imported, 0 failed" not in text:
        raise RuntimeError(f"the import report says: {text[:300]}")
    peak = vm_kib(pid, "VmHWM")
    return {"megabytes": len(body) / 1e6, "events": n, "seconds": took, "events_per_s": n / took,
            "peak_above_start_mb": (peak - rss_before) / 1024}


def domain_sync(stack: Stack, members: int) -> dict:
    from bson import ObjectId
    from datetime import datetime, timezone

    db = stack.mongo.client()[stack.mongo_database]
    name = f"bench{uuid.uuid4().hex[:8]}.test"
    db.domains.insert_one({"_id": ObjectId(), "timestamps": {"creation": datetime.now(timezone.utc)},
                           "hostnames": [], "name": name, "company_name": name, "administrators": []})
    tag = uuid.uuid4().hex[:6]
    ldif = "\n".join(
        f"dn: uid={tag}-{n},ou=users,dc=twake,dc=test\nobjectClass: inetOrgPerson\nuid: {tag}-{n}\n"
        f"cn: Given{n} Family{n}\nsn: Family{n}\nmail: member{n}@{name}\n"
        for n in range(members))
    subprocess.run(["ldapadd", "-x", "-H", stack.ldap.url, "-D", stack.ldap.admin_dn,
                    "-w", stack.ldap.admin_password], input=ldif, text=True, check=True,
                   capture_output=True)
    runs = []
    for _ in ("first", "no change"):
        started = time.monotonic()
        answer = requests.post(f"{stack.worker.webadmin_url}/addressbook/domain-members/{name}"
                               "?task=sync&cardsPerSecond=100000", timeout=30)
        task = answer.json()["taskId"]
        report = requests.get(f"{stack.worker.webadmin_url}/tasks/{task}/await?timeout=3600",
                              timeout=3700).json()
        info = report.get("additionalInformation", {})
        if report["status"] != "completed":
            raise RuntimeError(f"domain sync ended {report['status']}: {info}")
        runs.append({"seconds": time.monotonic() - started, "added": info.get("addedCount"),
                     "updated": info.get("updatedCount"), "deleted": info.get("deletedCount")})
    return {"members": members, "first": runs[0], "no_change": runs[1]}


def wrk_api(stack: Stack, token: str, duration: int, connections: int, folder: Path) -> dict:
    script = folder / "wrk-api.lua"
    script.write_text(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
                           stack.edge_url + "/api/user"], capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr}")
    rps = float(re.search(r"Requests/sec:\s+(\S+)", done.stdout).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", done.stdout, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if non_2xx:
        raise RuntimeError(f"GET /api/user: {non_2xx.group(1)} answers were not 2xx")
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99")}


def measure_worker(names: list[str], root: Path, duration: int, connections: int,
                   import_mb: float = 1.0, members: int = 1000) -> dict:
    folder = root / "stack"
    shutil.rmtree(folder, ignore_errors=True)
    stack = Stack(folder, log=lambda *a: None)
    stack.start()
    results: dict = {}
    try:
        pid = stack.worker.proc.pid
        token = stack.oidc.token("alice@example.com")
        me = requests.get(stack.edge_url + "/api/user", headers={"Authorization": f"Bearer {token}"},
                          timeout=10).json()["_id"]
        if "worker-idle" in names:
            time.sleep(5)
            results["worker-idle"] = {"rss_mb": rss_mb(pid)}
            print(f"worker-idle   RSS {results['worker-idle']['rss_mb']:.1f} MB", flush=True)
        if "worker-api" in names:
            wrk_api(stack, token, 2, connections, root)  # warm-up
            run = wrk_api(stack, token, duration, connections, root)
            run["rss_after_mb"] = rss_mb(pid)
            results["worker-api"] = run
            print(f"worker-api    {run['rps']:.0f} req/s  p50 {run['p50']}  p99 {run['p99']}  "
                  f"RSS after {run['rss_after_mb']:.1f} MB", flush=True)
        if "index-burst" in names:
            run = index_burst(stack, me)
            run["rss_after_mb"] = rss_mb(pid)
            results["index-burst"] = run
            print(f"index-burst   {run['events']} events in {run['seconds']:.2f} s = "
                  f"{run['events_per_s']:.0f} events/s", flush=True)
        if "import" in names:
            run = import_file(stack, import_mb)
            results["import"] = run
            print(f"import        {run['megabytes']:.1f} MB, {run['events']} events in "
                  f"{run['seconds']:.1f} s = {run['events_per_s']:.1f} events/s, peak "
                  f"{run['peak_above_start_mb']:.1f} MB above the worker's memory at its start", flush=True)
        if "domain-sync" in names:
            run = domain_sync(stack, members)
            results["domain-sync"] = run
            print(f"domain-sync   {members} members: first {run['first']['seconds']:.1f} s, no change "
                  f"{run['no_change']['seconds']:.1f} s", flush=True)
    finally:
        stack.stop()
    return results


def table(results: dict) -> str:
    lines = ["worker row    result", "-" * 60]
    if "worker-idle" in results:
        lines.append(f"worker-idle   RSS {results['worker-idle']['rss_mb']:.1f} MB")
    if "worker-api" in results:
        r = results["worker-api"]
        lines.append(f"worker-api    {r['rps']:.0f} req/s, p50 {r['p50']}, p99 {r['p99']}, "
                     f"RSS after {r['rss_after_mb']:.1f} MB")
    if "index-burst" in results:
        r = results["index-burst"]
        lines.append(f"index-burst   {r['events_per_s']:.0f} events/s ({r['events']} in {r['seconds']:.2f} s)")
    if "import" in results:
        r = results["import"]
        lines.append(f"import        {r['events_per_s']:.1f} events/s ({r['megabytes']:.1f} MB, {r['events']} "
                     f"events, {r['seconds']:.1f} s), peak +{r['peak_above_start_mb']:.1f} MB")
    if "domain-sync" in results:
        r = results["domain-sync"]
        lines.append(f"domain-sync   {r['members']} members: first {r['first']['seconds']:.1f} s "
                     f"({r['first']['added']} added), no change {r['no_change']['seconds']:.1f} s "
                     f"({r['no_change']['added']} added, {r['no_change']['updated']} updated)")
    return "\n".join(lines)
