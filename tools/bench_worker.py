"""The worker's rows of `make bench` (docs/testing.md §6): the whole local stack of `make run`
(t/harness/stack.py) started under build/bench/stack, then

  worker-idle     the worker's resident memory once started and idle
  worker-api      `GET /api/user` through nginx and the module with a cached bearer token
                  (wrk -c32), and the worker's resident memory after the run
  index-burst     10,000 `calendar:event:created` messages published at once: events indexed
                  per second until OpenSearch acknowledged the last one

Each row is measured once (the stack's servers share the machine with the load, so these are
orders of magnitude, not ratios). Results also go to the bench's JSON under "worker".
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pika
import requests

from harness.stack import Stack

WORKER_POINTS = ("worker-idle", "worker-api", "index-burst")
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


def measure_worker(names: list[str], root: Path, duration: int, connections: int) -> dict:
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
        results["worker_peak_rss_mb"] = rss_mb(pid, "VmHWM")
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
    if "worker_peak_rss_mb" in results:
        lines.append(f"worker peak RSS over the rows: {results['worker_peak_rss_mb']:.1f} MB")
    return "\n".join(lines)
