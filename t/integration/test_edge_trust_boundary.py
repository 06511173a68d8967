"""The edge decides who the caller is (docs/reference/edge-worker.md §1, §6): what a client sends as identity
(X-Twake-*) or as a credential esn-sabre would prefer (TwakeCalendarToken, X-TECHNICAL-TOKEN,
cookies, its own Authorization) never reaches an upstream. Checked where it matters: an edge
whose worker and DAV server are recorders of the headers they receive."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from harness.nginx_server import Nginx
from harness.recorder import Recorder

FORGED = {"X-Twake-User": "mallory@example.com", "X-Twake-Auth": "admin", "x-twake-sid": "forged",
          "X-Twake-Request-Id": "forged", "X-Twake-Edge-Secret": "forged", "X-Twake-Given-Name": "Mal"}


@pytest.fixture(scope="module")
def recorded(stack, tmp_path_factory):
    worker, dav = Recorder(), Recorder()
    edge = Nginx(tmp_path_factory.mktemp("recorded-edge"),
                 values={**stack.nginx_values(), "WORKER": worker.address, "DAV_SERVER": dav.address})
    edge.start()
    yield edge, worker, dav
    edge.stop()
    worker.shutdown()
    dav.shutdown()


def test_the_worker_hears_the_edges_identity_only(stack, recorded):
    edge, worker, _ = recorded
    r = requests.get(edge.url + "/api/users?email=a@example.com", auth=(stack.admin_user, stack.admin_password),
                     headers=FORGED, timeout=10)
    assert r.status_code == 200
    heard = worker.last("/api/users")
    assert heard["x-twake-user"] == stack.admin_user
    assert heard["x-twake-auth"] == "admin"
    assert "x-twake-sid" not in heard and "x-twake-given-name" not in heard
    assert heard["x-twake-request-id"] != "forged"
    assert "x-twake-edge-secret" not in heard  # the sample configures none: nothing, not the client's


def test_a_public_route_carries_no_identity(stack, recorded):
    edge, worker, _ = recorded
    assert requests.get(edge.url + "/api/avatars?email=a@example.com", headers=FORGED, timeout=10).status_code == 200
    heard = worker.last("/api/avatars")
    assert not {"x-twake-user", "x-twake-auth", "x-twake-sid", "x-twake-edge-secret"} & set(heard)


def test_the_dav_server_hears_the_impersonation_only(stack, recorded):
    edge, worker, dav = recorded
    token = stack.oidc.token("alice@example.com")
    r = requests.request("PROPFIND", edge.url + "/dav/calendars/", timeout=10, headers={
        **FORGED, "Authorization": f"Bearer {token}", "Depth": "0", "TwakeCalendarToken": "forged",
        "X-TECHNICAL-TOKEN": "forged", "Cookie": "lemonldap=abc"})
    assert r.status_code == 200
    heard = dav.last("/calendars/")
    expected = base64.b64encode(f"{stack.nginx_values()['DAV_ADMIN_USER']}&alice@example.com:"
                                f"{stack.nginx_values()['DAV_ADMIN_PASSWORD']}".encode()).decode()
    assert heard["authorization"] == f"Basic {expected}"
    assert not {"twakecalendartoken", "x-technical-token", "cookie"} & set(heard)
    assert not [name for name in heard if name.startswith("x-twake-")]
    # The provisioning call before it named the token's user, not the forged one.
    provisioned = worker.last("/internal/provision")
    assert provisioned["x-twake-user"] == "alice@example.com"
    assert json.loads(r.text) == {}
