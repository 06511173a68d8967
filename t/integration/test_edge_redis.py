"""The edge's second cache level and the revocation fan-out
(docs/reference/edge-worker.md §4.2, §4.3): tokens are shared through Redis in upstream's layout,
concurrent misses make one identity provider call, a back-channel logout reaches every edge node
within a second, and Redis being down never fails a request."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness.nginx_server import Nginx
from harness.resp import RespClient

INTROSPECTION = "/_twake_calendar/introspection"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def redis_key(token: str) -> str:
    return "tcal_oidc_hash_" + hashlib.sha512(token.encode()).hexdigest()


def get_user(edge: Nginx, token: str) -> tuple[requests.Response, dict]:
    """GET /api/user through `edge`, with the access-log entry nginx wrote for it."""
    before = len(edge.log_entries("/api/user"))
    r = requests.get(edge.url + "/api/user", headers=bearer(token), timeout=10)
    return r, edge.entry_after("/api/user", before)


@pytest.fixture(scope="module")
def second_edge(stack, tmp_path_factory):
    """Another edge node: same configuration, its own shared memory, the same Redis."""
    edge = Nginx(tmp_path_factory.mktemp("edge2"), values=stack.nginx_values())
    edge.start()
    yield edge
    edge.stop()


@pytest.fixture
def redis(stack):
    with RespClient(stack.redis.url) as client:
        yield client


def hash_fields(redis: RespClient, key: str) -> dict:
    flat = redis.call("HGETALL", key) or []
    return dict(zip(flat[::2], flat[1::2]))


def test_a_resolved_token_is_written_to_redis_in_upstreams_layout(stack, redis):
    token, sid = stack.oidc.session_token("carol@example.com", "carol-secret")
    r, entry = get_user(stack.nginx, token)
    assert r.status_code == 200 and entry["cache"] == "idp"
    key = redis_key(token)
    fields = hash_fields(redis, key)
    assert fields["email"] == "carol@example.com"
    assert fields["sid"] == sid
    assert "tcalendar" in fields["aud"].split(";")
    assert int(fields["exp"]) > time.time()
    assert 0 < redis.call("TTL", key) <= 300  # never beyond twake_calendar_cache_ttl
    assert redis.call("LRANGE", f"tcal_oidc_sid_{sid}", 0, -1) == [key]
    assert redis.call("TTL", f"tcal_oidc_sid_{sid}") > 0


def test_another_edge_node_takes_the_token_from_redis_without_asking_the_idp(stack, second_edge):
    token = stack.oidc.token("alice@example.com")
    assert get_user(stack.nginx, token)[1]["cache"] == "idp"
    calls = len(second_edge.log_entries(INTROSPECTION))
    r, entry = get_user(second_edge, token)
    assert r.status_code == 200 and r.json()["preferredEmail"] == "alice@example.com"
    assert (entry["cache"], entry["auth"]) == ("redis", "oidc")
    assert get_user(second_edge, token)[1]["cache"] == "shm"
    assert len(second_edge.log_entries(INTROSPECTION)) == calls


def test_an_entry_written_by_upstream_is_accepted_as_is(stack, redis, people):
    # A Redis shared with a running upstream side service stays valid: its entries are read.
    user = people.user()
    token = f"upstream-{uuid.uuid4().hex}"  # unknown to the identity provider
    key = redis_key(token)
    redis.call("HSET", key, "email", user["email"], "exp", int(time.time()) + 600, "aud", "account;tcalendar",
               "sid", "")
    redis.call("EXPIRE", key, 60)
    r, entry = get_user(stack.nginx, token)
    assert r.status_code == 200 and r.json()["preferredEmail"] == user["email"]
    assert entry["cache"] == "redis"


def test_a_malformed_or_foreign_redis_entry_is_a_miss(stack, redis):
    token = f"broken-{uuid.uuid4().hex}"
    redis.call("HSET", redis_key(token), "email", "alice@example.com", "exp", "soon", "aud", "tcalendar")
    r, _ = get_user(stack.nginx, token)
    assert r.status_code == 401  # the identity provider decides, and it does not know the token
    token = f"foreign-{uuid.uuid4().hex}"
    redis.call("HSET", redis_key(token), "email", "alice@example.com", "exp", int(time.time()) + 600,
               "aud", "another-app", "sid", "")
    assert get_user(stack.nginx, token)[0].status_code == 401


def test_concurrent_misses_for_one_token_make_one_idp_call_per_nginx_process(stack):
    token = stack.oidc.token("bob@example.com")
    calls = len(stack.nginx.log_entries(INTROSPECTION))
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(
            lambda _: requests.get(stack.edge_url + "/api/user", headers=bearer(token), timeout=10).status_code,
            range(20)))
    assert statuses == [200] * 20
    made = len(stack.nginx.log_entries(INTROSPECTION)) - calls
    # `worker_processes auto`: one process per core, each coalescing its own requests.
    assert 1 <= made <= (os.cpu_count() or 1)


def test_back_channel_logout_is_refused_on_every_edge_node_within_a_second(stack, second_edge):
    token, sid = stack.oidc.session_token("bob@example.com", "bob-secret")
    for edge in (stack.nginx, second_edge):
        assert get_user(edge, token)[0].status_code == 200
        assert get_user(edge, token)[1]["cache"] == "shm"
    # The provider POSTs the logout token to the worker's /add-revoked-token before it
    # answers; the worker deletes the Redis entries and publishes the revocation.
    stack.oidc.logout(sid)
    revoked_at = time.monotonic()
    for edge in (stack.nginx, second_edge):
        while True:
            r, entry = get_user(edge, token)
            if r.status_code == 401:
                break
            assert entry["cache"] == "shm"
            assert time.monotonic() - revoked_at < 1.0, f"{edge.url} still accepts a revoked token"
            time.sleep(0.02)
    assert time.monotonic() - revoked_at < 1.0
    assert metric(second_edge, "twake_calendar_edge_revocations_total") >= 1
    assert metric(second_edge, "twake_calendar_edge_revoked_entries_total") >= 1


@pytest.mark.fault
def test_redis_down_never_fails_a_request(stack, redis):
    cached = stack.oidc.token("alice@example.com")
    assert get_user(stack.nginx, cached)[0].status_code == 200
    stack.redis.stop()
    try:
        assert get_user(stack.nginx, cached)[0].status_code == 200
        fresh = stack.oidc.token("bob@example.com")
        r, entry = get_user(stack.nginx, fresh)
        assert r.status_code == 200 and entry["cache"] == "idp"
        # Warned, at most once per interval per link: not once per request.
        for _ in range(5):
            assert get_user(stack.nginx, stack.oidc.token("carol@example.com"))[0].status_code == 200
        warnings = [line for line in stack.nginx.error_log.read_text().splitlines()
                    if "[warn]" in line and "Redis" in line and f":{stack.redis.port}" in line]
        assert warnings, "no warning about Redis being unreachable"
        assert len(warnings) <= 4 * (os.cpu_count() or 1)  # two links per process
        assert metric(stack.nginx, "twake_calendar_edge_redis_connection_failures_total") > 0
    finally:
        stack.redis.start()
    # Back: new tokens are written to Redis again (after the link's reconnection backoff).
    later = stack.oidc.token("alice@example.com")
    deadline = time.monotonic() + 10
    with RespClient(stack.redis.url) as client:
        while True:
            assert get_user(stack.nginx, later)[0].status_code == 200
            if client.call("EXISTS", redis_key(later)):
                break
            assert time.monotonic() < deadline, "tokens are not written to Redis after it came back"
            later = stack.oidc.token("alice@example.com")
            time.sleep(0.5)


def metric(edge: Nginx, name: str, labels: str = "") -> float:
    """One sample of the edge's Prometheus metrics (0 when absent)."""
    text = requests.get(edge.url + "/_twake_calendar/metrics", timeout=10).text
    wanted = f"{name}{{{labels}}}" if labels else name
    for line in text.splitlines():
        if line.startswith(wanted + " "):
            return float(line.split()[-1])
    return 0.0


def test_metrics_count_outcomes_sources_and_calls(stack):
    r = requests.get(stack.edge_url + "/_twake_calendar/metrics", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE twake_calendar_edge_idp_request_duration_seconds histogram" in r.text
    before = {
        "ok": metric(stack.nginx, "twake_calendar_edge_auth_total", 'method="oidc",outcome="ok"'),
        "refused": metric(stack.nginx, "twake_calendar_edge_auth_total", 'method="oidc",outcome="refused"'),
        "shm": metric(stack.nginx, "twake_calendar_edge_auth_source_total", 'method="oidc",source="shm"'),
        "idp": metric(stack.nginx, "twake_calendar_edge_idp_requests_total", 'result="ok"'),
        "redis": metric(stack.nginx, "twake_calendar_edge_redis_lookups_total", 'result="refused"')
        + metric(stack.nginx, "twake_calendar_edge_redis_skipped_total"),
    }
    token = stack.oidc.token("alice@example.com")
    assert get_user(stack.nginx, token)[0].status_code == 200  # idp (after a Redis miss)
    assert get_user(stack.nginx, token)[0].status_code == 200  # shm
    assert get_user(stack.nginx, f"bad-{uuid.uuid4().hex}")[0].status_code == 401
    assert metric(stack.nginx, "twake_calendar_edge_auth_total", 'method="oidc",outcome="ok"') == before["ok"] + 2
    assert metric(stack.nginx, "twake_calendar_edge_auth_total",
                  'method="oidc",outcome="refused"') == before["refused"] + 1
    assert metric(stack.nginx, "twake_calendar_edge_auth_source_total",
                  'method="oidc",source="shm"') == before["shm"] + 1
    assert metric(stack.nginx, "twake_calendar_edge_idp_requests_total", 'result="ok"') == before["idp"] + 1
    # Asked Redis (not there), or skipped it while it reconnects after another test stopped it.
    assert (metric(stack.nginx, "twake_calendar_edge_redis_lookups_total", 'result="refused"')
            + metric(stack.nginx, "twake_calendar_edge_redis_skipped_total")) >= before["redis"] + 2
    assert metric(stack.nginx, "twake_calendar_edge_cache_slots") > 9000  # 10m zone



def test_a_revocation_naming_only_redis_keys_evicts_those_tokens(stack, redis):
    token, other = stack.oidc.token("alice@example.com"), stack.oidc.token("alice@example.com")
    for t in (token, other):
        get_user(stack.nginx, t)
        assert get_user(stack.nginx, t)[1]["cache"] == "shm"
    redis.call("PUBLISH", "tcal_oidc_revoked", json.dumps({"keys": [redis_key(token)]}))
    deadline = time.monotonic() + 1
    while get_user(stack.nginx, token)[1]["cache"] == "shm":
        assert time.monotonic() < deadline, "the token named by its Redis key stayed in shared memory"
        time.sleep(0.02)
    assert get_user(stack.nginx, other)[1]["cache"] == "shm"  # the other token is untouched
