"""A worker whose API listens on TCP trusts only requests carrying its edge secret
(docs/reference/edge-worker.md §3); the edge sends it on every worker call, its internal ones
included."""

from __future__ import annotations

import pytest
import requests

from harness.nginx_server import SAMPLE, Nginx
from harness.service import StartError, free_port
from harness.worker_conf import start_worker

SECRET = "edge-secret-for-tests-0123456789abcdef"
COMMENTED = "    # twake_calendar_edge_secret <the same 32+ characters>;"


def edge_conf(secret: str | None) -> str:
    template = SAMPLE.read_text()
    assert COMMENTED in template
    return template.replace(COMMENTED, f"    twake_calendar_edge_secret {secret};" if secret else "", 1)


@pytest.fixture(scope="module")
def tcp_worker(stack, tmp_path_factory):
    port = free_port()
    worker = start_worker(stack, tmp_path_factory.mktemp("tcp-worker"), {"configuration.properties": {
        "edge.listen": f"127.0.0.1:{port}", "edge.secret": SECRET}})
    yield f"127.0.0.1:{port}"
    worker.stop()


def edge_for(stack, tmp_path_factory, worker: str, secret: str | None) -> Nginx:
    edge = Nginx(tmp_path_factory.mktemp("secret-edge"), template=edge_conf(secret),
                 values={**stack.nginx_values(), "WORKER": worker})
    edge.start()
    return edge


def test_the_edge_sends_the_secret_on_every_worker_call(stack, tmp_path_factory, tcp_worker, people):
    edge = edge_for(stack, tmp_path_factory, tcp_worker, SECRET)
    try:
        email = f"nina@{people.domain()}"
        stack.oidc.add_account({"sub": email, "email": email, "password": "x"})
        # Provisioning (internal call), then the API call itself.
        r = requests.get(edge.url + "/api/user", headers={"Authorization": f"Bearer {stack.oidc.token(email)}"},
                         timeout=10)
        assert r.status_code == 200 and r.json()["preferredEmail"] == email
        # LDAP Basic goes through the worker's internal check.
        r = requests.get(edge.url + "/api/user", auth=("bob@example.com", "bob-secret"), timeout=10)
        assert r.status_code == 200
    finally:
        edge.stop()


def test_without_the_secret_the_worker_refuses_and_the_edge_says_unavailable(stack, tmp_path_factory, tcp_worker):
    edge = edge_for(stack, tmp_path_factory, tcp_worker, None)
    try:
        r = requests.get(edge.url + "/api/user", auth=("bob@example.com", "bob-secret"), timeout=10)
        assert r.status_code == 503
        assert r.json()["error"]["details"] == "LDAP check unavailable"
        assert "set twake_calendar_edge_secret to the worker's edge.secret" in edge.error_log.read_text()
    finally:
        edge.stop()


def test_a_short_secret_stops_nginx_t(stack, tmp_path_factory, tcp_worker):
    edge = Nginx(tmp_path_factory.mktemp("short-secret"), template=edge_conf("too-short"),
                 values={**stack.nginx_values(), "WORKER": tcp_worker})
    with pytest.raises(StartError, match="twake_calendar_edge_secret must be at least 32 characters"):
        edge.prepare()
