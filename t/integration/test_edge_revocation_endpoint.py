"""Back-channel logout without Redis (docs/reference/edge-worker.md §4.4): there is no channel to
publish on, so the worker calls each edge node's revocation endpoint (`twake_calendar_revocation`),
which evicts the session from the node's first level."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
import requests

from harness.nginx_server import SAMPLE, Nginx
from harness.service import StartError, free_port
from harness.worker_conf import copy_sample_conf, start_worker
from harness.worker_process import BINARY

from test_edge_redis import metric
from test_webadmin_revocation import logout_token, revoke

SECRET = "revocation-secret-for-tests-0123456789"
SECRET_LINE = "    # twake_calendar_edge_secret <the same 32+ characters>;"
REDIS_LINE = "    twake_calendar_redis @REDIS@;\n"
ENDPOINT = "/_twake_calendar/revoke"


def edge_conf(secret: str | None = SECRET) -> str:
    """The sample configuration without Redis, its revocation location uncommented."""
    template = SAMPLE.read_text()
    assert SECRET_LINE in template and REDIS_LINE in template
    template = template.replace(SECRET_LINE, f"    twake_calendar_edge_secret {secret};" if secret else "")
    template = template.replace(REDIS_LINE, "")
    lines = template.splitlines(keepends=True)
    start = lines.index(f"        # location = {ENDPOINT} {{\n")
    end = lines.index("        # }\n", start)
    for i in range(start, end + 1):
        lines[i] = lines[i].replace("# ", "", 1)
    return "".join(lines)


@pytest.fixture(scope="module")
def edge(stack, tmp_path_factory):
    """An edge node without Redis: its shared memory is its only cache."""
    node = Nginx(tmp_path_factory.mktemp("no-redis-edge"), template=edge_conf(), values=stack.nginx_values())
    node.start()
    yield node
    node.stop()


@pytest.fixture(scope="module")
def worker(stack, edge, tmp_path_factory):
    """A worker without Redis that knows the edge's endpoint."""
    w = start_worker(stack, tmp_path_factory.mktemp("no-redis-worker"), {"configuration.properties": {
        "edge.revocation.urls": edge.url + ENDPOINT, "edge.secret": SECRET}}, drop=("redis.properties",))
    yield w
    w.stop()


def get_user(edge: Nginx, token: str) -> tuple[int, str]:
    """GET /api/user through the edge: the status and the cache level nginx logged."""
    before = len(edge.log_entries("/api/user"))
    r = requests.get(edge.url + "/api/user", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    return r.status_code, edge.entry_after("/api/user", before)["cache"]


def post(edge: Nginx, body, secret: str | None = SECRET, method: str = "POST") -> requests.Response:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return requests.request(method, edge.url + ENDPOINT, data=data, headers=headers, timeout=10)


def worker_log(w) -> list[dict]:
    return [json.loads(line) for line in w.log_path.read_text().splitlines() if line.strip()]


def test_a_logout_reaches_an_edge_without_redis_through_its_endpoint(stack, edge, worker):
    token, sid = stack.oidc.session_token("carol@example.com", "carol-secret")
    assert get_user(edge, token) == (200, "idp")
    assert get_user(edge, token) == (200, "shm")
    # The provider ends the session; its back-channel call goes to the stack's worker, whose
    # Redis channel this edge does not hear: the token would pass until its entry expires.
    stack.oidc.logout(sid)
    assert get_user(edge, token) == (200, "shm")
    # The logout token, as the provider sends it, to the worker of this deployment.
    r = revoke(worker, logout_token(sid))
    assert (r.status_code, r.text) == (200, "")
    assert get_user(edge, token)[0] == 401  # evicted; the provider says inactive
    assert any(e["message"] == "OIDC session revoked" and e["mdc"].get("sid") == sid and e["mdc"].get("edges") == "1"
               for e in worker_log(worker))
    assert metric(edge, "twake_calendar_edge_revocations_total") >= 1


def test_the_endpoint_evicts_by_sid_and_says_how_many(stack, edge):
    token, sid = stack.oidc.session_token("alice@example.com", "alice-secret")
    get_user(edge, token)
    assert get_user(edge, token) == (200, "shm")
    r = post(edge, {"sid": sid})
    assert (r.status_code, r.json()) == (200, {"evicted": 1})
    assert r.headers["Content-Type"].startswith("application/json")
    assert get_user(edge, token) == (200, "idp")  # looked up again: the session is still open
    assert post(edge, {"sid": f"sid-{uuid.uuid4().hex}", "keys": []}).json() == {"evicted": 0}


@pytest.mark.parametrize("secret", [None, "wrong-secret-of-more-than-32-characters!"])
def test_the_endpoint_wants_the_edge_secret(edge, secret):
    r = post(edge, {"sid": "sid-1"}, secret=secret)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="twake_calendar"'
    assert r.json()["error"]["details"] == "Missing or wrong edge secret"
    assert "refused a revocation without the edge secret" in edge.error_log.read_text()


@pytest.mark.parametrize("body", ["", "not json", "[]", '{"sid": 3}', "{}"])
def test_the_endpoint_refuses_what_is_not_a_revocation(edge, body):
    r = post(edge, body)
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "BadRequest"


@pytest.mark.parametrize("size", [20_000, 70_000])  # above client_body_buffer_size, above 64 KiB
def test_the_endpoint_refuses_large_bodies(edge, size):
    r = post(edge, json.dumps({"sid": "s" * size}))
    assert r.status_code == 413
    assert r.json()["error"]["code"] == 413


def test_the_endpoint_takes_only_post(edge):
    r = post(edge, "", method="GET")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == 405


def test_an_edge_that_cannot_be_told_fails_the_logout_so_that_the_provider_retries(stack, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}{ENDPOINT}"
    w = start_worker(stack, tmp_path, {"configuration.properties": {
        "edge.revocation.urls": closed, "edge.secret": SECRET}}, drop=("redis.properties",))
    try:
        sid = f"sid-{uuid.uuid4().hex}"
        r = revoke(w, logout_token(sid))
        assert r.status_code == 503
        assert r.json()["message"] == "An edge could not be told of the revocation: retry later"
        errors = [e for e in worker_log(w) if e["level"] == "ERROR" and e["mdc"].get("sid") == sid]
        assert errors and errors[0]["mdc"]["edge"] == closed
    finally:
        w.stop()


def test_nginx_t_refuses_the_endpoint_without_the_edge_secret(stack, tmp_path):
    node = Nginx(tmp_path, template=edge_conf(secret=None), values=stack.nginx_values())
    with pytest.raises(StartError, match="twake_calendar_revocation needs twake_calendar_edge_secret"):
        node.prepare()


@pytest.mark.parametrize("settings,expected", [
    ({"edge.revocation.urls": "http://127.0.0.1:9/revoke"}, "mandatory with 'edge.revocation.urls'"),
    ({"edge.revocation.urls": "127.0.0.1:9/revoke", "edge.secret": SECRET}, "expected an http:// or https:// URL"),
    ({"edge.secret": "short"}, "'edge.secret' must be at least 32 characters"),
])
def test_the_worker_refuses_a_revocation_setting_it_cannot_use(stack, tmp_path, settings, expected):
    conf = copy_sample_conf(tmp_path / "conf", {"configuration.properties": settings})
    env = {**stack.worker_environment(), "TCAL_WEBADMIN_PORT": "0", "RUNTIME_DIRECTORY": str(tmp_path)}
    result = subprocess.run([str(BINARY), "--conf", str(conf)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 78, result.stdout
    assert expected in json.loads(result.stdout.strip().splitlines()[-1])["mdc"]["error"]


def test_with_redis_the_edge_urls_are_ignored_and_the_worker_says_so(stack, tmp_path):
    w = start_worker(stack, tmp_path, {"configuration.properties": {
        "edge.revocation.urls": "http://127.0.0.1:9" + ENDPOINT, "edge.secret": SECRET}})
    try:
        sid = f"sid-{uuid.uuid4().hex}"
        assert revoke(w, logout_token(sid)).status_code == 200  # Redis's channel, no edge call
        assert any(e["level"] == "WARN" and e["message"].startswith("edge.revocation.urls is ignored")
                   for e in worker_log(w))
    finally:
        w.stop()
