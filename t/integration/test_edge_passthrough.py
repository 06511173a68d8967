"""Passthrough to a legacy OpenPaaS server (docs/reference/edge-worker.md §7,
docs/reference/rest-api.md §1.1 mode O): what the edge does not route goes there; a caller with
credentials must authenticate and is forwarded with a freshly signed legacy JWT, a caller without is
forwarded anonymously; the access log says "passthrough". The legacy server here is a plain HTTP
server that answers with what it received."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt as pyjwt
import pytest
import requests

from harness.json_reply import reply_json
from harness.nginx_server import SAMPLE, Nginx

DEFAULT_ROUTE = """        location / {
            default_type "application/json; charset=utf-8";"""

PASSTHROUGH = """        location / {
            twake_calendar_auth optional;
            twake_calendar_route passthrough;
            proxy_pass http://127.0.0.1:@OPENPAAS_PORT@;
            proxy_set_header Authorization $twake_calendar_openpaas_authorization;
            proxy_set_header Cookie "";
        }
        location = /unused-default-route {
            default_type "application/json; charset=utf-8";"""


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        reply_json(self, {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def legacy(stack, tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    template = SAMPLE.read_text()
    assert DEFAULT_ROUTE in template
    template = template.replace(DEFAULT_ROUTE, PASSTHROUGH, 1)
    edge = Nginx(tmp_path_factory.mktemp("passthrough-edge"), template=template,
                 values={**stack.nginx_values(), "OPENPAAS_PORT": str(server.server_address[1])})
    edge.start()
    yield edge
    edge.stop()
    server.shutdown()


def forwarded(edge, path, headers=None) -> tuple[requests.Response, dict]:
    before = len(edge.log_entries(path.split("?")[0]))
    r = requests.get(edge.url + path, headers=headers or {}, timeout=10)
    return r, edge.entry_after(path.split("?")[0], before)


def test_an_anonymous_call_is_forwarded_as_it_is(legacy):
    r, entry = forwarded(legacy, "/unknown/api/things?x=1",
                         {"Cookie": "session=abc", "X-Twake-User": "forged@example.com"})
    assert r.status_code == 200
    seen = r.json()
    assert seen["path"] == "/unknown/api/things?x=1"
    assert "authorization" not in seen["headers"]
    assert "cookie" not in seen["headers"]
    assert not any(name.startswith("x-twake-") for name in seen["headers"])
    assert (entry["route"], entry["auth"]) == ("passthrough", "")


def test_an_authenticated_caller_is_forwarded_with_a_fresh_legacy_jwt(stack, legacy):
    token = stack.oidc.token("alice@example.com")
    r, entry = forwarded(legacy, "/api/legacy-only", {"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    scheme, _, jwt = r.json()["headers"]["authorization"].partition(" ")
    assert scheme == "Bearer" and jwt != token
    assert pyjwt.get_unverified_header(jwt)["alg"] == "RS256"
    claims = pyjwt.decode(jwt, stack.jwt_public_key.read_text(), algorithms=["RS256"])
    assert claims["sub"] == "alice@example.com"
    assert claims["exp"] > time.time()
    assert (entry["route"], entry["auth"], entry["user"]) == ("passthrough", "oidc", "alice@example.com")


def test_wrong_credentials_are_refused_not_forwarded(legacy):
    r, entry = forwarded(legacy, "/api/legacy-only", {"Authorization": "Bearer not-a-real-token"})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="twake_calendar"'
    assert entry["upstream"] == ""


def test_without_passthrough_unknown_paths_get_the_404_json(stack):
    r = requests.get(stack.edge_url + "/unknown/api/things", timeout=10)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == 404
