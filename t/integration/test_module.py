"""The module is a dynamic module of Debian's stock nginx: it loads, configures and answers."""

from __future__ import annotations

import subprocess

import pytest
import requests

from harness.nginx_server import MODULE, SAMPLE, Nginx, render

# A test location of our own (the pattern of nginx-otel's tests: each test file carries the
# nginx.conf it needs).
TEMPLATE = """
load_module @MODULE@;
pid @PID@;
error_log @ERROR_LOG@ info;
events { worker_connections 64; }
http {
    access_log @ACCESS_LOG@;
    @TEMP_PATHS@
    server {
        listen @LISTEN@;
        location = /version { return 200 "$twake_calendar_version\\n"; }
        location /protected/ { twake_calendar_auth on; alias @TEMP@/; }
        location /open/ { twake_calendar_auth off; alias @TEMP@/; }
    }
}
"""


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    nginx = Nginx(tmp_path_factory.mktemp("nginx-module"), template=TEMPLATE)
    nginx.start()
    (nginx.workdir / "temp" / "hello.txt").write_text("hello\n")
    yield nginx
    nginx.stop()


def test_stock_debian_nginx_accepts_the_module_with_the_sample_configuration(stack):
    # The stack's nginx runs conf/nginx.conf, the sample users get; `nginx -t` is Debian's.
    check = stack.nginx.test_config()
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr
    version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    assert "nginx/1.22" in version
    assert MODULE.exists()


def test_a_variable_of_the_module_is_served(edge):
    r = requests.get(edge.url + "/version", timeout=5)
    assert r.status_code == 200
    assert r.text.strip() == (SAMPLE.parent.parent / "VERSION").read_text().strip()


def test_a_protected_location_fails_closed_with_the_json_error(edge):
    r = requests.get(edge.url + "/protected/hello.txt", timeout=5)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="twake_calendar"'
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.json() == {"error": {"code": 401, "type": "Unauthorized", "message": "Unauthorized",
                                  "details": "No credentials"}}
    # A request body is read and discarded; the connection stays usable.
    with requests.Session() as s:
        assert s.put(edge.url + "/protected/x", data=b"x" * 100000, timeout=5).status_code == 401
        assert s.get(edge.url + "/open/hello.txt", timeout=5).text == "hello\n"


def test_an_unprotected_location_is_served(edge):
    assert requests.get(edge.url + "/open/hello.txt", timeout=5).text == "hello\n"


def test_sample_configuration_routes(stack):
    r = requests.get(stack.nginx.url + "/dav/calendars/", timeout=5)
    assert r.status_code == 401
    # A native DAV client is offered Basic too; a browser script never is.
    assert r.raw.headers.getlist("WWW-Authenticate") == [
        'Bearer realm="twake_calendar"', 'Basic realm="twake_calendar", charset="UTF-8"']
    r = requests.get(stack.nginx.url + "/dav/calendars/", headers={"X-Requested-With": "XMLHttpRequest"}, timeout=5)
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="twake_calendar"'
    r = requests.get(stack.nginx.url + "/no/such/route", timeout=5)
    assert r.status_code == 404
    assert r.json()["error"]["type"] == "NotFound"


def test_an_unknown_template_marker_is_an_error():
    with pytest.raises(KeyError):
        render("listen @NOPE@;", {})
    assert render("# @NOPE@ in a comment\nlisten @A@;", {"A": "1"}) == "# @NOPE@ in a comment\nlisten 1;"
