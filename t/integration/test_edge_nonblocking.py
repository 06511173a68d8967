"""The module never blocks nginx's event loop (README "Never block nginx"): while the identity
provider takes 2 s to answer, requests with cached tokens are served as fast as ever, as
nginx's own `$request_time` shows."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness.delay_proxy import DelayProxy
from harness.nginx_server import SAMPLE, Nginx

IDP_DELAY = 2.0
# A static file behind the module's access check: nothing but authentication is measured.
PROBE = """        location = /probe {
            twake_calendar_auth on;
            root @PROBE_ROOT@;
        }

"""


@pytest.fixture(scope="module")
def slow_edge(stack, tmp_path_factory):
    """An edge node whose identity provider answers after IDP_DELAY seconds."""
    proxy = DelayProxy("127.0.0.1", stack.oidc.port, IDP_DELAY)
    proxy.start()
    workdir = tmp_path_factory.mktemp("slow-edge")
    (workdir / "probe").write_text("ok\n")
    template = SAMPLE.read_text().replace("        location / {\n", PROBE + "        location / {\n", 1)
    values = {**stack.nginx_values(), "PROBE_ROOT": str(workdir),
              "IDP_INTROSPECTION_URL": proxy.url + "/token/introspection",
              "IDP_USERINFO_URL": proxy.url + "/me"}
    edge = Nginx(workdir, template=template, values=values)
    edge.start()
    yield edge
    edge.stop()
    proxy.stop()


def probe(edge: Nginx, token: str) -> int:
    return requests.get(edge.url + "/probe", headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code


@pytest.mark.fault
def test_a_slow_identity_provider_does_not_slow_cached_requests(stack, slow_edge):
    cached = stack.oidc.token("alice@example.com")
    t = time.monotonic()
    assert probe(slow_edge, cached) == 200
    assert time.monotonic() - t >= IDP_DELAY  # resolved through the slow provider
    fresh = [stack.oidc.token("bob@example.com") for _ in range(4)]
    before = len(slow_edge.log_entries("/probe"))

    with ThreadPoolExecutor(max_workers=40) as pool:
        started = time.monotonic()
        slow = [pool.submit(probe, slow_edge, token) for token in fresh]
        time.sleep(0.2)  # their identity-provider calls are in flight now
        fast = list(pool.map(lambda _: probe(slow_edge, cached), range(200)))
        fast_done = time.monotonic() - started
        slow_statuses = [f.result() for f in slow]

    assert fast == [200] * 200 and slow_statuses == [200] * 4
    assert fast_done < IDP_DELAY, "the cached requests did not overlap the identity-provider calls"
    entries = slow_edge.log_entries("/probe")[before:]
    cached_times = [float(e["duration"]) for e in entries if e["cache"] == "shm"]
    idp_times = [float(e["duration"]) for e in entries if e["cache"] == "idp"]
    assert len(cached_times) == 200 and len(idp_times) == 4
    print(f"cached requests during slow IdP calls: max $request_time {max(cached_times):.3f} s")
    assert max(cached_times) < 0.1, sorted(cached_times)[-5:]
    assert min(idp_times) >= IDP_DELAY - 0.05


@pytest.fixture(scope="module")
def dead_redis_edge(stack, tmp_path_factory):
    """An edge node whose Redis accepts connections and never answers (a relay that holds
    every connection's first command for a minute)."""
    proxy = DelayProxy("127.0.0.1", stack.redis.port, 60.0)
    proxy.start()
    workdir = tmp_path_factory.mktemp("dead-redis-edge")
    (workdir / "probe").write_text("ok\n")
    template = SAMPLE.read_text().replace("        location / {\n", PROBE + "        location / {\n", 1)
    values = {**stack.nginx_values(), "PROBE_ROOT": str(workdir), "REDIS": f"127.0.0.1:{proxy.port}"}
    edge = Nginx(workdir, template=template, values=values)
    edge.start()
    yield edge
    edge.stop()
    proxy.stop()


@pytest.mark.fault
def test_a_redis_that_never_answers_does_not_slow_cached_requests(stack, dead_redis_edge):
    cached = stack.oidc.token("carol@example.com")
    assert probe(dead_redis_edge, cached) == 200  # Redis's deadline, then the identity provider
    fresh = [stack.oidc.token("bob@example.com") for _ in range(4)]
    before = len(dead_redis_edge.log_entries("/probe"))
    with ThreadPoolExecutor(max_workers=40) as pool:
        slow = [pool.submit(probe, dead_redis_edge, token) for token in fresh]
        fast = list(pool.map(lambda _: probe(dead_redis_edge, cached), range(200)))
        assert [f.result() for f in slow] == [200] * 4
    assert fast == [200] * 200
    entries = dead_redis_edge.log_entries("/probe")[before:]
    cached_times = [float(e["duration"]) for e in entries if e["cache"] == "shm"]
    assert len(cached_times) >= 200
    print(f"cached requests while Redis never answers: max $request_time {max(cached_times):.3f} s")
    assert max(cached_times) < 0.1, sorted(cached_times)[-5:]
