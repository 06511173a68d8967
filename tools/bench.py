"""`make bench`: what the nginx module adds to a proxied request, measured with wrk.

Every point proxies to the same trivial upstream (a second nginx answering `200 ok`, kept
alive); only the edge's authentication differs:

  plain        proxy_pass only, `twake_calendar_auth off`: the baseline (the same requests as
               shm and redis, Authorization included)
  basic-admin  the admin Basic account (`twake_calendar_admin`), checked in memory, no I/O
  shm          OIDC bearer tokens found in the warm shared-memory cache
  redis        the same with `twake_calendar_shm_cache off`: every request reads Redis
  shm-slow-idp shm's cached tokens while the identity provider takes 1 s to answer and
               IDP_CALLS requests with new tokens wait on it all the time: a slow provider
               must not slow cached requests (the module never blocks on it)
  auth-request the design operators would otherwise pick: the module off, nginx's
               `auth_request` asking a sidecar authorizer over loopback (tools/bench-authorizer,
               Go, built for this comparison only) that does the same cache lookup in its
               memory (filled from Redis on a miss); it runs on the edge's CPU, as a sidecar
               shares the edge's machine

No identity provider runs: TOKENS bearer tokens are seeded in a private Redis the way the
module reads them (hash `tcal_oidc_hash_<sha512 hex>` with email, exp, aud, sid), and wrk
cycles through them, so that concurrent requests carry different tokens (the module shares
one Redis read between concurrent requests with the same token; with a single token the
redis point would read Redis once per ~30 requests). Every point goes through the same wrk
script (prepared requests, one Lua call per request), so the load side costs the same. The
edge nginx (one worker) is pinned to CPU 0; wrk, the upstream nginx and Redis share CPU 1
(docs/testing.md §6).

Each point is warmed up once, then measured three times (--repeats), the points alternating
(plain, basic-admin, shm, redis, plain, ...) so that a slow moment of the machine spreads over
all of them. The table shows the medians of the repeats: req/s, p50 and p99 latency, req/s as
a fraction of plain's, p99 added to plain's, the edge worker's CPU time per request (the
steadiest measure of the module's own cost), the edge worker's and CPU 1's load (if CPU 1 is
saturated, the load side rather than the edge is the limit and the ratios understate the
module's cost), and the spread of req/s between repeats. Runs during which other processes
used the pinned CPUs are counted and flagged. The targets (shm >= 0.90x plain req/s, <= 0.3 ms
added p99) are reported, not enforced; the exit status is non-zero only when something could
not run (a server, wrk, a crashed worker, a non-2xx answer). Results also go to
build/bench.json.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import resource
import secrets
import shutil
import socket
import threading
import http.server
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "t"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.nginx_server import MODULE, Nginx, render  # noqa: E402
from harness.redis_server import Redis  # noqa: E402
from harness.resp import RespClient  # noqa: E402
from harness.service import BUILD, Service, StartError, free_port, log_tail  # noqa: E402
from bench_worker import WORKER_POINTS, measure_worker, table as worker_table  # noqa: E402

POINTS = ("plain", "basic-admin", "shm", "shm-slow-idp", "redis", "auth-request")
EDGE_CPU = "0"
LOAD_CPU = "1"  # wrk, the upstream nginx, Redis
TARGET_RATIO = 0.90  # shm req/s ≥ 0.90 × plain
TARGET_ADDED_P99_MS = 0.3  # shm p99 ≤ plain p99 + 0.3 ms

ADMIN_USER, ADMIN_PASSWORD = "admin@example.com", "secret"
TOKEN_EMAIL = "bench@example.com"
AUDIENCE = "tcalendar"
TOKENS = 256  # more than wrk's connections: no two requests in flight share a token
IDP_DELAY_S = 1.0
IDP_CALLS = 32  # new-token requests kept waiting on the slow provider during shm-slow-idp

# wrk's script: the requests are prepared once (one per Authorization value, "" for none)
# and request() hands them out in turn.
WRK_SCRIPT = """
local values = {@VALUES@}
local requests, next_index = {}, 0

function init(args)
    for i, value in ipairs(values) do
        local headers = {}
        if value ~= "" then
            headers["Authorization"] = value
        end
        requests[i] = wrk.format(nil, nil, headers)
    end
end

function request()
    next_index = next_index % #requests + 1
    return requests[next_index]
end
"""

UPSTREAM_TEMPLATE = """
worker_processes 1;
pid @PID@;
error_log @ERROR_LOG@ warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    @TEMP_PATHS@
    server {
        listen @LISTEN@;
        location / { return 200 "ok"; }
    }
}
"""

# @CACHE_DIRECTIVES@ carries the Redis directives (and `twake_calendar_shm_cache off` for the
# redis edge); the measured locations differ only by `twake_calendar_auth`.
EDGE_TEMPLATE = """
load_module @MODULE@;
worker_processes 1;
pid @PID@;
error_log @ERROR_LOG@ warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    @TEMP_PATHS@

    twake_calendar_admin @ADMIN_USER@ @ADMIN_PASSWORD@;
    twake_calendar_oidc_audience @AUDIENCE@;
    @CACHE_DIRECTIVES@

    upstream bench_upstream {
        server 127.0.0.1:@UPSTREAM_PORT@;
        keepalive @KEEPALIVE@;
        keepalive_requests 1000000;
    }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    @SIDECAR_UPSTREAM@

    server {
        listen @LISTEN@;
        location = / { return 204; }  # the harness's readiness probe
        location = /plain { twake_calendar_auth off; proxy_pass http://bench_upstream; }
        location = /auth { twake_calendar_auth on; proxy_pass http://bench_upstream; }
        @SIDECAR_LOCATIONS@
        # The identity provider, for new tokens only (shm-slow-idp): 1 s to answer.
        twake_calendar_introspection /_idp/introspection;
        twake_calendar_userinfo /_idp/userinfo;
        location = /_idp/introspection {
            internal;
            proxy_pass http://127.0.0.1:@IDP_PORT@/introspection;
            proxy_method POST;
            proxy_pass_request_headers off;
            proxy_set_body $twake_calendar_introspection_body;
            proxy_read_timeout 5s;
        }
        location = /_idp/userinfo {
            internal;
            proxy_pass http://127.0.0.1:@IDP_PORT@/userinfo;
            proxy_pass_request_headers off;
            proxy_read_timeout 5s;
        }
        # Not measured: tells the bench which cache level answered.
        location = /probe {
            twake_calendar_auth on;
            add_header X-Cache-Level $twake_calendar_cache always;
            proxy_pass http://bench_upstream;
        }
    }
}
"""


# The auth-request point's pieces (a location's own proxy_set_header drops the inherited ones,
# so each repeats `Connection ""` to keep its upstream connections alive).
SIDECAR_UPSTREAM = """
    upstream bench_authorizer {
        server 127.0.0.1:@AUTHORIZER_PORT@;
        keepalive @KEEPALIVE@;
        keepalive_requests 1000000;
    }
"""
SIDECAR_LOCATIONS = """
        location = /sidecar {
            twake_calendar_auth off;
            auth_request /_authorize;
            auth_request_set $bench_user $upstream_http_x_twake_user;
            proxy_set_header X-Twake-User $bench_user;
            proxy_set_header Connection "";
            proxy_pass http://bench_upstream;
        }
        location = /_authorize {
            internal;
            twake_calendar_auth off;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header Connection "";
            proxy_pass http://bench_authorizer;
        }
"""
AUTHORIZER_SOURCE = Path(__file__).resolve().parent / "bench-authorizer"


class Authorizer(Service):
    """tools/bench-authorizer, built with Go into the bench folder, pinned like the edge."""

    name = "authorizer"

    def __init__(self, workdir, cpus: str | None, redis: Redis):
        super().__init__(workdir)
        self.cpus, self.redis, self.port = cpus, redis, free_port()
        self.binary = self.workdir / "bench-authorizer"

    def prepare(self):
        built = subprocess.run(["go", "build", "-o", str(self.binary), "."], cwd=AUTHORIZER_SOURCE,
                               capture_output=True, text=True)
        if built.returncode != 0:
            raise StartError(f"go build of {AUTHORIZER_SOURCE} failed:\n{built.stderr}")

    def command(self):
        return taskset(self.cpus) + [str(self.binary), "-listen", f"127.0.0.1:{self.port}",
                                     "-redis", f"127.0.0.1:{self.redis.port}", "-audience", AUDIENCE]

    def ready(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return True


class SlowIdp:
    """An identity provider that answers every call after IDP_DELAY_S, token inactive."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                time.sleep(IDP_DELAY_S)
                body = b'{"active": false}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class NewTokenLoad:
    """IDP_CALLS clients sending requests with never-seen tokens, each waiting on the IdP."""

    def __init__(self, url: str):
        self.url, self.stop_event, self.sent = url, threading.Event(), 0
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(IDP_CALLS)]

    def run(self):
        while not self.stop_event.is_set():
            request = urllib.request.Request(
                self.url, headers={"Authorization": f"Bearer new-{secrets.token_urlsafe(24)}"})
            try:
                urllib.request.urlopen(request, timeout=10).read()
            except urllib.error.HTTPError:
                pass  # 401: the provider said inactive
            except OSError:
                time.sleep(0.1)
            self.sent += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        time.sleep(IDP_DELAY_S / 2)  # the first calls are waiting on the provider now
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for t in self.threads:
            t.join()


class Pinned(Nginx):
    """An nginx whose master (and so its workers) runs on the given CPUs."""

    def __init__(self, workdir, cpus: str | None, **kwargs):
        super().__init__(workdir, **kwargs)
        self.cpus = cpus

    def command(self):
        return taskset(self.cpus) + super().command()

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()]


class PinnedRedis(Redis):
    def __init__(self, workdir, cpus: str | None):
        super().__init__(workdir)
        self.cpus = cpus

    def command(self):
        return taskset(self.cpus) + super().command()


@dataclass
class Point:
    name: str
    edge: Pinned
    path: str
    authorizations: list[str]  # wrk cycles through them; "" sends none
    expected_level: str | None = None  # $twake_calendar_cache once warm
    load_pids: list[int] = field(default_factory=list)  # the upstream's worker, Redis
    edge_extra_pids: list[int] = field(default_factory=list)  # the sidecar authorizer
    slow_idp: bool = False  # runs while new tokens wait on the slow identity provider
    redis: Redis | None = None
    script: Path | None = None  # wrk's Lua script
    runs: list[dict] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.edge.url + self.path

    def first_headers(self) -> dict[str, str]:
        value = self.authorizations[0]
        return {"Authorization": value} if value else {}

    def write_script(self, folder: Path) -> Path:
        path = folder / f"wrk-{self.name}.lua"
        values = ", ".join(json.dumps(v) for v in self.authorizations)  # ASCII: valid Lua
        path.write_text(render(WRK_SCRIPT, {"VALUES": values}))
        return path


class BenchError(RuntimeError):
    """Something could not run; the message says what."""


# -- CPUs ------------------------------------------------------------------------------------
def taskset(cpus: str | None) -> list[str]:
    return ["taskset", "-c", cpus] if cpus else []


def process_jiffies(pid: int) -> int:
    """utime + stime of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def cpu_busy_jiffies(cpu: str) -> tuple[int, int]:
    """(busy, total) clock ticks of one CPU since boot."""
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name == f"cpu{cpu}":
            ticks = [int(v) for v in values[:8]]
            idle = ticks[3] + ticks[4]  # idle + iowait
            return sum(ticks) - idle, sum(ticks)
    raise BenchError(f"cpu{cpu} is not in /proc/stat")


def cpu_snapshot(edge_pids: list[int], load_pids: list[int], cpus: tuple) -> dict:
    """CPU seconds so far: of the edge's workers, of the load side (wrk, as a finished child
    of this process, the upstream's worker, Redis), and busy/total of each pinned CPU."""
    tick = os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    snap = {
        "time": time.monotonic(),
        "edge": sum(process_jiffies(p) for p in edge_pids) / tick,
        "load": sum(process_jiffies(p) for p in load_pids) / tick
        + children.ru_utime + children.ru_stime,
    }
    for key, cpu in zip(("cpu_edge", "cpu_load"), cpus):
        if cpu is not None:
            snap[key] = cpu_busy_jiffies(cpu)
    return snap


def cpu_shares(before: dict, after: dict) -> dict:
    """Shares of one CPU over a run. `edge_cpu` and `load_procs` are our processes;
    `edge_cpu_busy` and `load_cpu` the pinned CPUs as a whole: more than our processes
    means something else ran there."""
    elapsed = after["time"] - before["time"]
    shares = {
        "elapsed_s": elapsed,
        "edge_cpu": (after["edge"] - before["edge"]) / elapsed,
        "load_procs": (after["load"] - before["load"]) / elapsed,
    }
    for key, name in (("cpu_edge", "edge_cpu_busy"), ("cpu_load", "load_cpu")):
        if key in before:
            busy, total = (a - b for a, b in zip(after[key], before[key]))
            shares[name] = busy / max(1, total)
    return shares


# -- servers ---------------------------------------------------------------------------------
def seed_tokens(redis: Redis, count: int) -> list[str]:
    """Random tokens, stored as the module reads them from Redis (valid for a day)."""
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    exp = str(int(time.time()) + 86400)
    with RespClient(redis.url) as client:
        for token in tokens:
            key = "tcal_oidc_hash_" + hashlib.sha512(token.encode()).hexdigest()
            client.send("HSET", key, "email", TOKEN_EMAIL, "exp", exp, "aud", AUDIENCE, "sid", "")
        replies = [client.read() for _ in tokens]
    if replies != [4] * count:
        raise BenchError(f"Redis HSET answered {sorted(set(map(str, replies)))}")
    return tokens


def edge_values(upstream: Nginx, redis: Redis | None, shm_cache: bool, keepalive: int,
                authorizer: Authorizer | None = None, idp_port: int = 9) -> dict:
    sidecar = {"SIDECAR_UPSTREAM": "", "SIDECAR_LOCATIONS": ""}
    if authorizer is not None:
        sidecar = {"SIDECAR_UPSTREAM": render(SIDECAR_UPSTREAM, {
                       "AUTHORIZER_PORT": str(authorizer.port), "KEEPALIVE": str(keepalive)}),
                   "SIDECAR_LOCATIONS": SIDECAR_LOCATIONS}
    cache = ""
    if redis is not None:  # only the bearer points need Redis
        cache = f"twake_calendar_redis 127.0.0.1:{redis.port};"
        if not shm_cache:
            cache += " twake_calendar_shm_cache off;"
    return {
        "ADMIN_USER": ADMIN_USER,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "AUDIENCE": AUDIENCE,
        "CACHE_DIRECTIVES": cache,
        "UPSTREAM_PORT": str(upstream.port),
        "KEEPALIVE": str(keepalive),
        "IDP_PORT": str(idp_port),
        **sidecar,
    }


def start(service, started: list) -> None:
    try:
        service.start()
    except StartError as e:
        hint = ""
        if "unknown directive" in str(e):
            hint = ("\n(a module older than the directive? `make build`; "
                    "--points plain,basic-admin needs no Redis directives)")
        raise BenchError(f"{service.name} in {service.workdir} did not start: {e}{hint}") from e
    started.append(service)


def build_points(names: list[str], root: Path, cpus: tuple, keepalive: int,
                 started: list) -> list[Point]:
    """Starts the servers the chosen points need and returns the points in bench order."""
    edge_cpu, load_cpu = cpus
    upstream = Pinned(root / "upstream", load_cpu, template=UPSTREAM_TEMPLATE)
    start(upstream, started)
    need_redis = {"shm", "shm-slow-idp", "redis", "auth-request"} & set(names)
    redis, bearers = None, []
    if need_redis:
        redis = PinnedRedis(root / "redis", load_cpu)
        start(redis, started)
        bearers = [f"Bearer {token}" for token in seed_tokens(redis, TOKENS)]
    idp = None
    if "shm-slow-idp" in names:
        idp = SlowIdp()
        started.append(idp)
    authorizer = None
    if "auth-request" in names:
        authorizer = Authorizer(root / "authorizer", edge_cpu, redis)
        start(authorizer, started)

    # A private copy of the module: a rebuild rewrites build/*.so in place, which would crash
    # the edge's workers in the middle of a run.
    module = root / MODULE.name
    shutil.copyfile(MODULE, module)
    edges: dict[bool, Pinned] = {}

    def edge(shm_cache: bool) -> Pinned:
        if shm_cache not in edges:
            folder = root / ("edge" if shm_cache else "edge-no-shm")
            values = {**edge_values(upstream, redis, shm_cache, keepalive, authorizer,
                                    idp.port if idp else 9),
                      "MODULE": str(module)}
            edges[shm_cache] = Pinned(folder, edge_cpu, template=EDGE_TEMPLATE, values=values)
            start(edges[shm_cache], started)
        return edges[shm_cache]

    basic = "Basic " + base64.b64encode(f"{ADMIN_USER}:{ADMIN_PASSWORD}".encode()).decode()
    make = {
        # The bearer points' very requests when there are some: only the module's work differs
        # (the Authorization header alone costs plain ~1 %: nginx parses and forwards it).
        "plain": lambda: Point("plain", edge(True), "/plain", bearers or [""]),
        "basic-admin": lambda: Point("basic-admin", edge(True), "/auth", [basic]),
        "shm": lambda: Point("shm", edge(True), "/auth", bearers, "shm"),
        "redis": lambda: Point("redis", edge(False), "/auth", bearers, "redis"),
        "shm-slow-idp": lambda: Point("shm-slow-idp", edge(True), "/auth", bearers, "shm",
                                      slow_idp=True),
        "auth-request": lambda: Point("auth-request", edge(True), "/sidecar", bearers),
    }
    points = [make[name]() for name in POINTS if name in names]
    load_pids = upstream.worker_pids() + ([redis.proc.pid] if redis else [])
    for p in points:
        p.load_pids, p.redis = load_pids, redis
        if p.name == "auth-request":
            p.edge_extra_pids = [authorizer.proc.pid]
        p.script = p.write_script(root)
    return points


def check_point(point: Point) -> None:
    """One request as wrk will send it (200 "ok"), and the cache level the point claims."""
    path = "/probe" if point.expected_level else point.path
    status, body, level = fetch(point.edge.url + path, point.first_headers())
    if point.expected_level and status == 200:
        status, body, level = fetch(point.edge.url + path, point.first_headers())  # now warm
    if status != 200 or body != b"ok":
        raise BenchError(
            f"{point.name}: {point.edge.url + path} answered {status} {body[:200]!r}; "
            f"edge log {point.edge.error_log}:\n{log_tail(point.edge.error_log, 10)}"
        )
    if point.expected_level and level != point.expected_level:
        raise BenchError(
            f"{point.name}: the module answered from cache level {level!r}, not "
            f"{point.expected_level!r}: the point would not measure what it claims"
        )


def fetch(url: str, headers: dict) -> tuple[int, bytes, str | None]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.read(), answer.headers.get("X-Cache-Level")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("X-Cache-Level")


def redis_commands(redis: Redis) -> int:
    """Commands Redis has processed since it started."""
    with RespClient(redis.url) as client:
        info = client.call("INFO", "stats")
    return int(re.search(r"^total_commands_processed:(\d+)", info, re.MULTILINE).group(1))


# -- wrk -------------------------------------------------------------------------------------
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not m:
        raise BenchError(f"unexpected wrk duration {text!r}")
    return float(m.group(1)) * UNITS_MS[m.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests/sec, the 50% and 99% latencies (ms), non-2xx answers and socket errors."""

    def find(pattern: str) -> re.Match:
        m = re.search(pattern, output, re.MULTILINE)
        if not m:
            raise BenchError(f"wrk's output has no match for {pattern!r}:\n{output}")
        return m

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "p50_ms": to_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        "p99_ms": to_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        "requests": int(find(r"^\s+(\d+) requests in").group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def run_wrk(point: Point, args, duration: int, cpus: tuple) -> dict:
    """One wrk run against a point, with the CPU use of the edge worker and of CPU 1."""
    edge_cpu, load_cpu = cpus
    command = taskset(load_cpu) + [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency",
        "-s", str(point.script), point.url,
    ]

    edge_pids = point.edge.worker_pids() + point.edge_extra_pids
    redis_before = redis_commands(point.redis) if point.redis else None
    before = cpu_snapshot(edge_pids, point.load_pids, cpus)
    new_tokens = None
    if point.slow_idp:
        with NewTokenLoad(point.edge.url + point.path) as load:
            done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
        new_tokens = load.sent
    else:
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if not all(Path(f"/proc/{pid}").exists() for pid in edge_pids + point.load_pids):
        raise BenchError(
            f"{point.name}: a server process exited during the run (crash?); edge log "
            f"{point.edge.error_log}:\n{log_tail(point.edge.error_log, 10)}"
        )
    after = cpu_snapshot(edge_pids, point.load_pids, cpus)
    if done.returncode != 0:
        raise BenchError(f"wrk failed for {point.name} (status {done.returncode}):\n"
                         f"{done.stdout}{done.stderr}")
    result = parse_wrk(done.stdout)
    result.update(cpu_shares(before, after))
    edge_seconds = after["edge"] - before["edge"]
    result["edge_us_per_request"] = edge_seconds * 1e6 / max(1, result["requests"])
    if redis_before is not None:  # the INFO itself counts as one
        commands = redis_commands(point.redis) - redis_before - 1
        result["redis_commands_per_request"] = commands / max(1, result["requests"])
    if new_tokens is not None:
        result["new_token_requests"] = new_tokens  # each waited on the slow provider
    if result["non_2xx"]:
        raise BenchError(
            f"{point.name}: {result['non_2xx']} of {result['requests']} answers were not 2xx "
            f"(authentication failed?); edge log {point.edge.error_log}:\n"
            f"{log_tail(point.edge.error_log, 10)}"
        )
    return result


# -- the report ------------------------------------------------------------------------------
MEDIANS = ("rps", "p50_ms", "p99_ms", "edge_us_per_request", "edge_cpu", "edge_cpu_busy",
           "load_cpu", "redis_commands_per_request")
OTHER_LOAD = 0.10  # a pinned CPU busier than our processes on it by this much: disturbed


def disturbed(run: dict) -> bool:
    """Whether other processes used a pinned CPU noticeably during the run."""
    return (run.get("edge_cpu_busy", 0.0) - run["edge_cpu"] > OTHER_LOAD
            or run.get("load_cpu", 0.0) - run["load_procs"] > OTHER_LOAD)


def summarize(points: list[Point]) -> dict:
    """Medians per point and the comparison with plain (when plain was measured)."""
    summary = {}
    for p in points:
        med = {k: statistics.median(r[k] for r in p.runs) for k in MEDIANS
               if k in p.runs[0]}
        rps = [r["rps"] for r in p.runs]
        med["rps_spread"] = (max(rps) - min(rps)) / med["rps"]
        med["socket_errors"] = sum(r["socket_errors"] for r in p.runs)
        med["disturbed_runs"] = sum(disturbed(r) for r in p.runs)
        summary[p.name] = med
    plain = summary.get("plain")
    for name, med in summary.items():
        if plain:
            med["rps_ratio"] = med["rps"] / plain["rps"]
            med["added_p99_ms"] = med["p99_ms"] - plain["p99_ms"]
            med["added_edge_us"] = med["edge_us_per_request"] - plain["edge_us_per_request"]
        if name == "shm-slow-idp" and "shm" in summary:
            med["rps_vs_shm"] = med["rps"] / summary["shm"]["rps"]
            med["new_token_requests"] = sum(r.get("new_token_requests", 0) for r in
                                            next(p.runs for p in points if p.name == name))
        if name == "shm" and plain:
            med["target_met"] = (
                med["rps_ratio"] >= TARGET_RATIO and med["added_p99_ms"] <= TARGET_ADDED_P99_MS
            )
    return summary


COLUMNS = (  # title, width, cell
    ("point", -12, lambda n, m: n),
    ("req/s", 8, lambda n, m: f"{m['rps']:.0f}"),
    ("×plain", 7, lambda n, m: f"{m['rps_ratio']:.3f}" if "rps_ratio" in m else "-"),
    ("p50 ms", 7, lambda n, m: f"{m['p50_ms']:.3f}"),
    ("p99 ms", 7, lambda n, m: f"{m['p99_ms']:.3f}"),
    ("+p99 ms", 8, lambda n, m: f"{m['added_p99_ms']:+.3f}" if "added_p99_ms" in m else "-"),
    ("edge µs/req", 14, lambda n, m: f"{m['edge_us_per_request']:.1f}"
        + (f" ({m['added_edge_us']:+.1f})" if "added_edge_us" in m else "")),
    ("edge CPU", 8, lambda n, m: f"{m['edge_cpu']:.0%}"),
    ("CPU 1", 5, lambda n, m: f"{m['load_cpu']:.0%}" if "load_cpu" in m else "-"),
    ("spread", 6, lambda n, m: f"{m['rps_spread']:.1%}"),
)


def target_cell(name: str, m: dict) -> str:
    if name != "shm":
        return ""
    verdict = {True: "met", False: "MISSED", None: "(needs plain)"}[m.get("target_met")]
    return f"≥ {TARGET_RATIO:.2f}× and ≤ +{TARGET_ADDED_P99_MS} ms: {verdict}"


def table(summary: dict) -> str:
    def row(cells):
        return "  ".join(f"{c:<{-w}}" if w < 0 else f"{c:>{w}}"
                         for c, (_, w, _) in zip(cells, COLUMNS))

    head = row([title for title, _, _ in COLUMNS]) + "  target"
    lines = [head, "-" * len(head)]
    for name, m in summary.items():
        lines.append(row([cell(name, m) for _, _, cell in COLUMNS]) + "  " + target_cell(name, m))
    return "\n".join(line.rstrip() for line in lines)


def write_json(path: Path, args, points: list[Point], summary: dict, cpus: tuple,
               worker: dict) -> None:
    data = {
        "settings": {
            "wrk": {"threads": args.threads, "connections": args.connections,
                    "duration_s": args.duration, "warmup_s": args.warmup},
            "repeats": args.repeats,
            "cpus": {"edge": cpus[0], "wrk_upstream_redis": cpus[1]},
            "upstream_keepalive": args.keepalive,
        },
        "targets": {"shm": {"min_rps_ratio": TARGET_RATIO,
                            "max_added_p99_ms": TARGET_ADDED_P99_MS}},
        "runs": {p.name: p.runs for p in points},
        "summary": summary,  # medians of the runs, and the comparison with plain
        "worker": worker,  # the worker's rows (tools/bench_worker.py)
    }
    path.write_text(json.dumps(data, indent=2) + "\n")


def notes(summary: dict) -> str:
    lines = [
        "req/s, p50, p99: wrk (median of the repeats); edge µs/req: CPU time of the edge worker",
        "per request (in parentheses: added to plain's); CPU 1: wrk + upstream (+ Redis), near",
        "100% means the load side limits req/s; spread: (max - min) / median of the req/s.",
    ]
    if any(m["socket_errors"] for m in summary.values()):
        lines.append("note: wrk reported socket errors (see the JSON)")
    for name, expected in (("shm", 0.0), ("redis", 1.0)):
        per_request = summary.get(name, {}).get("redis_commands_per_request")
        if per_request is not None and abs(per_request - expected) > 0.05:
            lines.append(f"WARNING: {name} sent {per_request:.2f} Redis commands per request, "
                         f"not {expected:g}: the point does not measure what it claims")
    slow = summary.get("shm-slow-idp")
    if slow and "rps_vs_shm" in slow:
        lines.append(f"shm-slow-idp: {slow['rps_vs_shm']:.3f}× shm's req/s while "
                     f"{slow['new_token_requests']} requests with new tokens waited "
                     f"{IDP_DELAY_S:g} s each on the identity provider")
    busy = sum(m["disturbed_runs"] for m in summary.values())
    if busy:
        lines.append(f"WARNING: in {busy} run(s) other processes used the pinned CPUs too "
                     f"(> {OTHER_LOAD:.0%}): the numbers are unreliable; run again on a quiet "
                     "machine")
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------
def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", default=",".join(POINTS + WORKER_POINTS),
                        help=f"comma-separated subset of {','.join(POINTS + WORKER_POINTS)} "
                             "(the worker's rows: tools/bench_worker.py)")
    parser.add_argument("--threads", type=int, default=1, help="wrk -t")
    parser.add_argument("--connections", type=int, default=32, help="wrk -c")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of the warm-up run")
    parser.add_argument("--repeats", type=int, default=3, help="measured runs per point")
    parser.add_argument("--keepalive", type=int, default=None,
                        help="idle upstream connections kept (default: as many as wrk's)")
    parser.add_argument("--import-mb", type=float, default=1.0,
                        help="size of the import row's ICS (default 1 MB)")
    parser.add_argument("--members", type=int, default=1000,
                        help="directory users of the domain-sync row (default 1000)")
    parser.add_argument("--json", type=Path, default=BUILD / "bench.json",
                        help="where the results go (default: build/bench.json)")
    args = parser.parse_args()
    names = [n.strip() for n in args.points.split(",") if n.strip()]
    unknown = set(names) - set(POINTS) - set(WORKER_POINTS)
    if unknown or not names:
        parser.error(f"unknown points {sorted(unknown)}; choose among "
                     f"{', '.join(POINTS + WORKER_POINTS)}")
    if min(args.duration, args.warmup, args.repeats, args.connections, args.threads) < 1:
        parser.error("durations, repeats, connections and threads must be at least 1")
    args.names = [n for n in names if n in POINTS]
    args.worker_names = [n for n in names if n in WORKER_POINTS]
    args.keepalive = args.keepalive or max(16, args.connections)
    return args


def choose_cpus() -> tuple:
    """(edge CPU, load CPU), or (None, None) when this process may not use both."""
    allowed = os.sched_getaffinity(0)
    if {int(EDGE_CPU), int(LOAD_CPU)} <= allowed:
        return EDGE_CPU, LOAD_CPU
    print(f"note: CPUs {EDGE_CPU} and {LOAD_CPU} are not both available; nothing is pinned",
          file=sys.stderr)
    return None, None


def measure(points: list[Point], args, cpus: tuple) -> None:
    for p in points:
        check_point(p)
    for p in points:
        print(f"warm-up {p.name} ({args.warmup:g} s)", flush=True)
        run_wrk(p, args, args.warmup, cpus)
    for round_ in range(1, args.repeats + 1):
        for p in points:
            result = run_wrk(p, args, args.duration, cpus)
            p.runs.append(result)
            print(f"round {round_}/{args.repeats} {p.name:<12} {result['rps']:9.0f} req/s  "
                  f"p50 {result['p50_ms']:.3f} ms  p99 {result['p99_ms']:.3f} ms", flush=True)


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (make deps)", file=sys.stderr)
        return 1
    cpus = choose_cpus()
    root = BUILD / "bench"
    shutil.rmtree(root, ignore_errors=True)
    started: list = []
    points: list[Point] = []
    try:
        if args.names:
            points = build_points(args.names, root, cpus, args.keepalive, started)
            measure(points, args, cpus)
    except (BenchError, subprocess.TimeoutExpired, OSError) as e:
        print(f"\nbench: {e}", file=sys.stderr)
        return 1
    finally:
        for service in reversed(started):
            service.stop()
    worker = {}
    if args.worker_names:
        print("the worker's rows: starting the local stack", flush=True)
        try:
            worker = measure_worker(args.worker_names, root, args.duration, args.connections,
                                    args.import_mb, args.members)
        except (RuntimeError, StartError, subprocess.TimeoutExpired, OSError) as e:
            print(f"\nbench: the worker's rows: {e}", file=sys.stderr)
            return 1
    summary = summarize(points)
    print()
    if points:
        print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s, median of "
              f"{args.repeats} alternating runs; edge on CPU {cpus[0]}, wrk/upstream/Redis on "
              f"CPU {cpus[1]}")
        print(table(summary))
        print(notes(summary))
    if worker:
        print()
        print(worker_table(worker))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    write_json(args.json, args, points, summary, cpus, worker)
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
