"""MongoDB as the worker uses it: indexes created at start (idempotently), and outages
answered with 503 and recovered from without a restart."""

from __future__ import annotations

import shutil

import pytest

from harness.api_client import ApiClient
from harness.service import free_port
from harness.worker_process import SAMPLE_CONF, Worker

EXPECTED = {
    "users": {"email_1", "firstname_1", "lastname_1", "firstnames_1", "accounts.emails_1", "domains.domain_id_1"},
    "domains": {"name_1"},
    "secretlinks": {"user_id_1_calendarHomeId_1_calendarId_1", "token_1_calendarHomeId_1_calendarId_1"},
    "twake_calendar_uploaded_files": {"created_1", "username_1"},
    "twake_calendar_alarm_events": {"eventUid_1_recipient_1", "alarmTime_1"},
    "twake_calendar_alarm_events_ledge": {"uniq_event_alarm_recipient", "ttl_expiresAt"},
    "domain_settings": {"domain_1"},
    "resources": {"domain_1", "name_1", "deleted_1"},
}


def indexes(db):
    return {name: {i["name"]: dict(i) for i in db[name].list_indexes()} for name in db.list_collection_names()}


def test_indexes_exist_and_a_second_start_changes_nothing(stack, db, tmp_path):
    before = indexes(db)
    for collection, names in EXPECTED.items():
        assert names <= set(before[collection]), collection
    assert before["domains"]["name_1"]["unique"] is True
    second = Worker(tmp_path / "worker", stack.worker_environment())
    second.start()
    second.stop()
    assert second.last_exit == 0
    assert indexes(db) == before
    log = second.log_path.read_text()
    assert "users.email uniqueness is enforced by the worker" in log  # FerretDB has no partial index


def test_uniqueness_of_new_users_holds_without_a_partial_index(api, db, people):
    u = people.user()
    assert db.users.count_documents({"email": u["email"]}) == 1
    again = api.post("/internal/provision", headers={"X-Twake-User": u["email"]})
    assert again.json()["created"] is False
    assert db.users.count_documents({"accounts.emails": u["email"]}) == 1


@pytest.mark.fault
def test_mongodb_outage_answers_503_and_recovers_without_restart(stack, api, people):
    u = people.user()
    stack.mongo.stop()
    try:
        r = api.get(f"/api/users/{u['id']}", user=u["email"])
        assert r.status == 503
        assert r.json() == {"error": {"code": 503, "type": "ServiceUnavailable", "message": "Service Unavailable",
                                      "details": "MongoDB is unavailable"}}
        r = api.post("/internal/provision", headers={"X-Twake-User": f"new@{u['domain']}"})
        assert r.status == 503
        status, _ = stack.worker.get("/healthcheck/checks/MongoDB")
        assert status == 503
    finally:
        stack.mongo.launch()
    assert api.get(f"/api/users/{u['id']}", user=u["email"]).status == 200
    assert stack.worker.get("/healthcheck/checks/MongoDB")[0] == 200
    assert stack.worker.running()


def tcp_conf(tmp_path, lines: list[str]):
    conf = tmp_path / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    main = conf / "configuration.properties"
    keys = {line.split("=", 1)[0] for line in lines}
    kept = [l for l in main.read_text().splitlines() if l.split("=", 1)[0] not in keys]
    main.write_text("\n".join(kept + lines) + "\n")
    return conf


def test_on_tcp_every_request_needs_the_edge_secret(stack, tmp_path, people):
    port = free_port()
    secret = "an-edge-secret-long-enough-0123456789"
    worker = Worker(tmp_path / "worker", stack.worker_environment(),
                    conf_dir=tcp_conf(tmp_path, [f"edge.listen=127.0.0.1:{port}", f"edge.secret={secret}"]))
    worker.start()
    try:
        u = people.user()
        anonymous = ApiClient(tcp=("127.0.0.1", port))
        r = anonymous.get(f"/api/users/{u['id']}", user=u["email"])
        assert r.status == 401
        assert r.json()["error"]["details"] == "Missing or wrong edge secret"
        wrong = ApiClient(tcp=("127.0.0.1", port), secret=secret + "x")
        assert wrong.get(f"/api/users/{u['id']}", user=u["email"]).status == 401
        right = ApiClient(tcp=("127.0.0.1", port), secret=secret)
        assert right.get(f"/api/users/{u['id']}", user=u["email"]).status == 200
    finally:
        worker.stop()


@pytest.mark.parametrize("lines,expected", [
    (["edge.listen=127.0.0.1:9"], "'edge.secret'"),
    (["edge.listen=127.0.0.1:9", "edge.secret=short"], "'edge.secret'"),
    (["edge.listen=10.1.2.3:9", "edge.secret=" + "s" * 40], "edge.listen.allowRemote"),
    (["edge.listen=unix:relative.sock"], "must be absolute"),
])
def test_an_unsafe_listener_is_refused(stack, tmp_path, lines, expected):
    import json
    import subprocess

    from harness.worker_process import BINARY

    conf = tcp_conf(tmp_path, lines)
    env = {**stack.worker_environment(), "TCAL_WEBADMIN_PORT": "0", "RUNTIME_DIRECTORY": str(tmp_path)}
    result = subprocess.run([str(BINARY), "--conf", str(conf)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 78, result.stdout
    assert expected in json.loads(result.stdout.strip().splitlines()[-1])["mdc"]["error"]
