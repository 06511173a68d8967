"""CORS (docs/reference/rest-api.md §1.3, docs/nginx-module.md §3): the edge answers preflights
itself, before authentication, and every answer to a cross-origin request carries the CORS headers,
refusals and error pages included. Default: any origin, never with credentials; a list of origins is
echoed with credentials; off leaves OPTIONS to the routes."""

from __future__ import annotations

import pytest
import requests

from harness.nginx_server import SAMPLE, Nginx
from harness.service import StartError

APP = "https://calendar.example.com"
MODULE_LINE = "    twake_calendar_oidc_audience @OIDC_AUDIENCE@;\n"


def preflight(url: str, origin: str = APP, method: str = "PUT", headers: str | None = "authorization,content-type"):
    h = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        h["Access-Control-Request-Headers"] = headers
    return requests.options(url, headers=h, timeout=5)


@pytest.mark.parametrize("path", ["/api/user", "/api/configurations", "/dav/calendars/x/y/", "/calendars/x/",
                                  "/api/technicalToken/introspect"])
def test_a_preflight_is_answered_without_credentials(stack, path):
    r = preflight(stack.edge_url + path)
    assert r.status_code == 204, r.text
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "PUT" in r.headers["Access-Control-Allow-Methods"].split(", ")
    assert "PROPFIND" in r.headers["Access-Control-Allow-Methods"].split(", ")
    assert r.headers["Access-Control-Allow-Headers"] == "authorization,content-type"
    assert r.headers["Access-Control-Max-Age"] == "600"
    assert "Access-Control-Allow-Credentials" not in r.headers  # never with "*"
    assert r.content == b""


def test_a_preflight_without_requested_headers_gets_the_usual_ones(stack):
    r = preflight(stack.edge_url + "/api/user", method="GET", headers=None)
    assert r.status_code == 204
    assert "Authorization" in r.headers["Access-Control-Allow-Headers"]


def test_a_dav_clients_options_is_not_a_preflight(stack):
    """CalDAV clients ask OPTIONS for the server's capabilities: authenticated and proxied."""
    assert requests.options(stack.edge_url + "/dav/", timeout=5).status_code == 401
    r = requests.options(stack.edge_url + "/dav/", auth=("alice@example.com", "alice-secret"), timeout=5)
    assert r.status_code == 200
    assert "calendar-access" in r.headers.get("DAV", "")


def test_every_cross_origin_answer_carries_the_headers(stack):
    token = stack.oidc.token("alice@example.com")
    ok = requests.get(stack.edge_url + "/api/user", headers={"Origin": APP, "Authorization": f"Bearer {token}"},
                      timeout=5)
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in ok.headers["Access-Control-Expose-Headers"]
    refused = requests.get(stack.edge_url + "/api/user", headers={"Origin": APP}, timeout=5)
    assert refused.status_code == 401 and refused.headers["Access-Control-Allow-Origin"] == "*"
    error_page = requests.post(stack.edge_url + "/api/configurations", data=b" " * (2 << 20),
                               headers={"Origin": APP, "Authorization": f"Bearer {token}"}, timeout=5)
    assert error_page.status_code == 413 and error_page.headers["Access-Control-Allow-Origin"] == "*"
    # A same-origin or native request gets none.
    assert "Access-Control-Allow-Origin" not in requests.get(stack.edge_url + "/api/user", timeout=5).headers


def edge_with(stack, tmp_path_factory, directive: str) -> Nginx:
    template = SAMPLE.read_text()
    assert MODULE_LINE in template
    template = template.replace(MODULE_LINE, MODULE_LINE + f"    {directive}\n", 1)
    return Nginx(tmp_path_factory.mktemp("cors-edge"), template=template, values=stack.nginx_values())


@pytest.fixture(scope="module")
def listed(stack, tmp_path_factory):
    edge = edge_with(stack, tmp_path_factory, f"twake_calendar_cors_origins {APP} http://localhost:3000;")
    edge.start()
    yield edge
    edge.stop()


def test_listed_origins_are_echoed_with_credentials(listed):
    r = preflight(listed.url + "/api/user", origin="http://localhost:3000")
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert r.headers["Vary"] == "Origin"
    actual = requests.get(listed.url + "/api/user", headers={"Origin": APP}, timeout=5)
    assert (actual.status_code, actual.headers["Access-Control-Allow-Origin"]) == (401, APP)


def test_other_origins_are_refused_with_a_json_403(listed):
    r = preflight(listed.url + "/api/user", origin="https://evil.example.net")
    assert r.status_code == 403
    assert r.json()["error"]["type"] == "Forbidden"
    assert "Access-Control-Allow-Origin" not in r.headers
    actual = requests.get(listed.url + "/api/user", headers={"Origin": "https://evil.example.net"}, timeout=5)
    assert actual.status_code == 401 and "Access-Control-Allow-Origin" not in actual.headers


def test_off_leaves_options_to_the_routes(stack, tmp_path_factory):
    edge = edge_with(stack, tmp_path_factory, "twake_calendar_cors_origins off;")
    edge.start()
    try:
        r = preflight(edge.url + "/api/user")
        assert r.status_code == 401 and "Access-Control-Allow-Origin" not in r.headers
    finally:
        edge.stop()


@pytest.mark.parametrize("value", ["https://calendar.example.com/", "calendar.example.com", "* https://a.test",
                                   "HTTPS://CALENDAR.EXAMPLE.COM"])
def test_nginx_refuses_an_origin_it_could_never_match(stack, tmp_path_factory, value):
    edge = edge_with(stack, tmp_path_factory, f"twake_calendar_cors_origins {value};")
    with pytest.raises(StartError) as refused:
        edge.prepare()  # nginx -t
    assert "expected scheme://host[:port]" in str(refused.value)
