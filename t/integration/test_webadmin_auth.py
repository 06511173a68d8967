"""Webadmin authentication (docs/webadmin.md §3.1), CORS (§3.2) and the request/response log
lines (§3.3), on workers of their own: the stack's worker runs the sample folder, which has
no authentication."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import uuid

import pytest
import requests

from harness.worker_conf import copy_sample_conf, start_worker
from harness.worker_process import BINARY

FULL, FULL_2, NODELETE, READONLY = "full-secret-1", "full-secret-2", "nodelete-secret", "readonly-secret"
ORIGIN = "https://admin.example.test"


def log_entries(worker):
    return [json.loads(line) for line in worker.log_path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def guarded(stack, tmp_path_factory):
    """Passwords at the three levels, CORS on."""
    worker = start_worker(stack, tmp_path_factory.mktemp("guarded"), {"webadmin.properties": {
        "password": f"{FULL}, {FULL_2}", "password.nodelete": NODELETE, "password.readonly": READONLY,
        "password.generate": None, "cors.enable": "true", "cors.origin": ORIGIN}})
    yield worker
    worker.stop()


@pytest.fixture(scope="module")
def generated(stack, tmp_path_factory):
    """No password, password.generate left to its default (true), CORS off."""
    root = tmp_path_factory.mktemp("generated")
    file = root / "secrets" / "webadmin.password"
    worker = start_worker(stack, root, {"webadmin.properties": {
        "password.generate": None, "password.generate.file": str(file)}})
    worker.password_file = file
    yield worker
    worker.stop()


def call(worker, method, path, secret=None, bearer=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if secret is not None:
        headers["Password"] = secret
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    return requests.request(method, worker.webadmin_url + path, headers=headers, timeout=30, **kwargs)


def test_private_routes_need_a_password(guarded):
    r = call(guarded, "GET", "/domains")
    assert r.status_code == 401
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"statusCode": 401, "type": "InvalidArgument", "message": "No Password in header.",
                        "details": None}
    r = call(guarded, "GET", "/domains", secret="guess")
    assert (r.status_code, r.json()["message"]) == (401, "Wrong password.")
    r = call(guarded, "GET", "/domains", bearer="guess")
    assert (r.status_code, r.json()["message"]) == (401, "Wrong password.")
    r = call(guarded, "GET", "/domains", headers={"Authorization": "Basic YWRtaW46c2VjcmV0"})
    assert (r.status_code, r.json()["message"]) == (401, "No Password in header.")
    # Unknown routes are private too: no route map for strangers.
    assert call(guarded, "GET", "/no/such/route").status_code == 401
    assert call(guarded, "GET", "/no/such/route", secret=FULL).status_code == 404


def test_each_secret_of_a_list_and_both_headers_work(guarded):
    for secret in (FULL, FULL_2):
        assert call(guarded, "GET", "/domains", secret=secret).status_code == 200
        assert call(guarded, "GET", "/domains", bearer=secret).status_code == 200
    # The Password header wins over Authorization.
    assert call(guarded, "GET", "/domains", secret=FULL, bearer="guess").status_code == 200


def test_public_routes_need_nothing(guarded):
    for path in ["/healthcheck", "/healthcheck/checks", "/healthcheck/checks/MongoDB", "/metrics"]:
        r = call(guarded, "GET", path)
        assert r.status_code in (200, 503), (path, r.status_code)
        # A wrong secret on a public route is ignored, not refused.
        assert call(guarded, "GET", path, secret="guess").status_code in (200, 503)
    r = call(guarded, "POST", "/add-revoked-token", data="x")
    assert r.status_code == 415  # reached the route
    r = call(guarded, "POST", "/add-revoked-token", data={"logout_token": "nope"})
    assert r.status_code == 400


def test_read_only_secret_reads_only(guarded):
    assert call(guarded, "GET", "/users", secret=READONLY).status_code == 200
    assert call(guarded, "HEAD", "/users/nobody@example.com", secret=READONLY).status_code == 404
    for method, path in [("PUT", "/users/ro@example.com"), ("POST", "/users/alice@example.com/verify"),
                         ("DELETE", "/users/ro@example.com")]:
        r = call(guarded, method, path, secret=READONLY, json={"password": "x"})
        assert r.status_code == 403, (method, r.text)
        assert r.json() == {"statusCode": 403, "type": "InvalidArgument",
                            "message": "Insufficient permissions for this operation.", "details": None}


def test_no_delete_secret_does_all_but_delete(guarded):
    assert call(guarded, "GET", "/users", secret=NODELETE).status_code == 200
    # Past the filter: LDAP is read-only (409), the verification runs (204).
    assert call(guarded, "PUT", "/users/nd@example.com", secret=NODELETE, json={"password": "x"}).status_code == 409
    assert call(guarded, "POST", "/users/alice@example.com/verify", secret=NODELETE,
                json={"password": "alice-secret"}).status_code == 204
    r = call(guarded, "DELETE", "/users/nd@example.com", secret=NODELETE)
    assert (r.status_code, r.json()["message"]) == (403, "Insufficient permissions for this operation.")
    assert call(guarded, "DELETE", "/users/nd@example.com", secret=FULL).status_code == 204


def test_cors_headers_on_every_answer_and_preflights_unchecked(guarded):
    for r in [call(guarded, "GET", "/domains"), call(guarded, "GET", "/domains", secret=FULL),
              call(guarded, "GET", "/healthcheck/checks")]:
        assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert r.headers["Access-Control-Request-Method"] == "DELETE, GET, POST, PUT"
        assert "Password" in r.headers["Access-Control-Allow-Headers"]
    r = call(guarded, "OPTIONS", "/users/alice@example.com", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "DELETE",
        "Access-Control-Request-Headers": "password, content-type"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert r.headers["Access-Control-Allow-Methods"] == "DELETE"
    assert r.headers["Access-Control-Allow-Headers"] == "password, content-type"


def test_request_and_response_log_lines_without_secrets(guarded):
    marker = uuid.uuid4().hex
    call(guarded, "GET", f"/users?marker={marker}&token=tok-{marker}", secret=FULL,
         headers={"X-Real-IP": "203.0.113.9"})
    call(guarded, "PUT", f"/users/log-{marker}@example.com", secret=NODELETE, json={"password": f"pw-{marker}"})
    text = guarded.log_path.read_text()
    for secret in (FULL, FULL_2, NODELETE, READONLY, f"pw-{marker}", f"tok-{marker}"):
        assert secret not in text
    entries = log_entries(guarded)
    received = [e for e in entries if e["message"] == "WebAdmin request received"
                and marker in e["mdc"].get("queryParameters", "")]
    answered = [e for e in entries if e["message"] == "WebAdmin response received"
                and marker in e["mdc"].get("queryParameters", "")]
    assert len(received) == 1 and len(answered) == 1
    req, res = received[0], answered[0]
    assert req["level"] == "INFO"
    assert {"requestId", "ip", "real-ip", "endpoint", "method", "login", "queryParameters",
            "request-body"} <= req["mdc"].keys()
    assert req["mdc"]["ip"] == "127.0.0.1" and req["mdc"]["real-ip"] == "203.0.113.9"
    assert req["mdc"]["endpoint"] == "/users" and req["mdc"]["method"] == "GET"
    assert req["mdc"]["queryParameters"] == f"marker={marker}&token=***"
    assert res["mdc"]["requestId"] == req["mdc"]["requestId"]
    assert res["mdc"]["status"] == "200"
    assert "alice@example.com" in res["mdc"]["response-body"]
    put = next(e for e in entries if e["message"] == "WebAdmin request received"
               and e["mdc"]["endpoint"] == f"/users/log-{marker}@example.com")
    assert json.loads(put["mdc"]["request-body"]) == {"password": "***"}


def test_generated_password_is_in_an_owner_only_file_never_in_the_log(generated):
    file = generated.password_file
    mode = stat.S_IMODE(os.stat(file).st_mode)
    assert mode == 0o600
    password = file.read_text().strip()
    assert len(password) >= 32
    text = generated.log_path.read_text()
    assert password not in text
    warn = next(e for e in log_entries(generated) if e["message"].startswith("WebAdmin password generated"))
    assert warn["level"] == "WARN" and warn["mdc"]["file"] == str(file)
    assert call(generated, "GET", "/users").status_code == 401
    assert call(generated, "GET", "/users", secret=password).status_code == 200
    assert call(generated, "DELETE", "/users/x@example.com", bearer=password).status_code == 204


def test_cors_off_means_no_cors_headers(generated):
    r = call(generated, "GET", "/healthcheck/checks", headers={"Origin": ORIGIN})
    assert not [h for h in r.headers if h.lower().startswith("access-control-")]
    # OPTIONS is never checked; without CORS no route answers it.
    r = call(generated, "OPTIONS", "/users", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert r.status_code == 404
    assert not [h for h in r.headers if h.lower().startswith("access-control-")]


def test_a_new_password_at_each_start(generated):
    before = generated.password_file.read_text()
    generated.restart()
    after = generated.password_file.read_text()
    assert before != after
    assert call(generated, "GET", "/users", secret=before.strip()).status_code == 401
    assert call(generated, "GET", "/users", secret=after.strip()).status_code == 200


def test_no_authentication_is_warned_about(stack):
    # The sample folder sets password.generate=false and no password.
    assert call(stack.worker, "GET", "/users").status_code == 200
    warn = [e for e in log_entries(stack.worker) if e["message"].startswith("WebAdmin has no authentication")]
    assert warn and warn[0]["level"] == "WARN"


def test_an_unwritable_password_file_stops_the_start(stack, tmp_path):
    (tmp_path / "plain-file").write_text("")
    conf = copy_sample_conf(tmp_path / "conf", {"webadmin.properties": {
        "password.generate": None, "password.generate.file": str(tmp_path / "plain-file" / "webadmin.password")}})
    env = {**os.environ, **stack.worker_environment(), "TCAL_WEBADMIN_PORT": "0", "RUNTIME_DIRECTORY": str(tmp_path)}
    result = subprocess.run([str(BINARY), "--conf", str(conf)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 78, result.stdout
    error = json.loads(result.stdout.strip().splitlines()[-1])
    assert error["message"] == "Invalid configuration"
    assert "password.generate.file" in error["mdc"]["error"]
