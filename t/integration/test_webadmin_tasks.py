"""Webadmin task management (docs/webadmin.md §6): reports, filters, await, cancellation, against
the worker's task manager. The tasks are the real `add-missing-fields` migration (§7.2); a worker of
its own on a FerretDB of its own, paused with SIGSTOP, holds tasks running and waiting."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from bson import ObjectId

from harness.mongo_server import FerretDB
from harness.worker_process import Worker

REPORT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$")
HOSTNAME = socket.gethostname()


def error(status: int, type_: str, message: str, details=None) -> dict:
    return {"statusCode": status, "type": type_, "message": message, "details": details}


def call(base: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, base + path, timeout=kwargs.pop("timeout", 30), **kwargs)


@pytest.fixture(scope="module")
def admin(stack):
    return lambda method, path, **kw: call(stack.worker.webadmin_url, method, path, **kw)


def start_migration(admin) -> str:
    r = admin("POST", "/registeredUsers?action=addMissingFields")
    assert r.status_code == 201, r.text
    task_id = r.json()["taskId"]
    assert r.json() == {"taskId": task_id}
    assert r.headers["Location"] == f"/tasks/{task_id}"
    uuid.UUID(task_id)
    return task_id


def parse_report_date(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


def iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---- reports ------------------------------------------------------------------------------

def test_a_completed_task_report(admin):
    task_id = start_migration(admin)
    r = admin("GET", f"/tasks/{task_id}/await?timeout=30")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    report = r.json()
    assert list(report) == ["taskId", "type", "status", "submittedFrom", "executedOn", "cancelledFrom",
                            "additionalInformation", "submitDate", "startedDate", "completedDate"]
    assert report["taskId"] == task_id
    assert report["type"] == "add-missing-fields"
    assert report["status"] == "completed"
    assert report["submittedFrom"] == HOSTNAME and report["executedOn"] == HOSTNAME
    assert report["cancelledFrom"] is None
    for key in ["submitDate", "startedDate", "completedDate"]:
        assert REPORT_DATE.match(report[key]), report[key]
    assert parse_report_date(report["submitDate"]) <= parse_report_date(report["startedDate"]) \
        <= parse_report_date(report["completedDate"])
    info = report["additionalInformation"]
    assert list(info) == ["type", "timestamp", "processedUsers", "upgradedUsers", "errorCount"]
    assert info["type"] == "add-missing-fields"
    assert INSTANT.match(info["timestamp"]), info["timestamp"]
    assert info["processedUsers"] >= 0 and info["upgradedUsers"] >= 0 and info["errorCount"] == 0

    # The same report by id, its id in any case.
    again = admin("GET", f"/tasks/{task_id.upper()}")
    assert again.status_code == 200
    assert {k: v for k, v in again.json().items() if k != "additionalInformation"} == \
        {k: v for k, v in report.items() if k != "additionalInformation"}


def test_task_id_errors(admin):
    for path in ["/tasks/not-a-uuid", "/tasks/not-a-uuid/await", "/tasks/1234"]:
        r = admin("GET", path)
        assert r.status_code == 400, path
        body = r.json()
        assert {k: body[k] for k in ["statusCode", "type", "message"]} == \
            {"statusCode": 400, "type": "InvalidArgument", "message": "Invalid task id"}
    r = admin("DELETE", "/tasks/not-a-uuid")
    assert r.status_code == 400 and r.json()["message"] == "Invalid task id"

    unknown = str(uuid.uuid4())
    r = admin("GET", f"/tasks/{unknown}")
    assert r.status_code == 404
    assert r.json() == error(404, "notFound", f"{unknown} can not be found")
    r = admin("GET", f"/tasks/{unknown}/await?timeout=1")
    assert r.status_code == 404
    assert r.json() == error(404, "ServerError", "The taskId is not found")
    # Cancelling an unknown task is not an error.
    r = admin("DELETE", f"/tasks/{unknown}")
    assert r.status_code == 204 and r.content == b""


@pytest.mark.parametrize("timeout", ["abc", "-1", "366d", "2y", "1.5s", "5parsecs"])
def test_invalid_await_timeouts(admin, timeout):
    task_id = start_migration(admin)
    r = admin("GET", f"/tasks/{task_id}/await", params={"timeout": timeout})
    assert r.status_code == 400, timeout
    body = r.json()
    assert (body["statusCode"], body["type"], body["message"]) == (400, "InvalidArgument", "Invalid timeout")
    assert isinstance(body["details"], str)


@pytest.mark.parametrize("timeout", ["30", "30s", "1m", "365d", "1y", "5000ms", ""])
def test_await_timeout_syntax(admin, timeout):
    task_id = start_migration(admin)
    r = admin("GET", f"/tasks/{task_id}/await", params={"timeout": timeout})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed"


def test_cancelling_a_finished_task_changes_nothing(admin):
    task_id = start_migration(admin)
    assert admin("GET", f"/tasks/{task_id}/await").json()["status"] == "completed"
    r = admin("DELETE", f"/tasks/{task_id}")
    assert r.status_code == 204 and r.content == b""
    report = admin("GET", f"/tasks/{task_id}").json()
    assert report["status"] == "completed" and report["cancelledFrom"] is None
    assert "canceledDate" not in report


# ---- GET /tasks ---------------------------------------------------------------------------

def test_list_and_filters(admin):
    # Earlier tasks all ended before `before` (FIFO: their last one was awaited); dates are
    # kept at millisecond precision, hence the pauses.
    assert admin("GET", f"/tasks/{start_migration(admin)}/await").status_code == 200
    before = datetime.now(timezone.utc)
    time.sleep(0.01)
    ids = []
    for _ in range(3):
        task_id = start_migration(admin)
        assert admin("GET", f"/tasks/{task_id}/await").json()["status"] == "completed"
        ids.append(task_id)
    time.sleep(0.01)
    after = datetime.now(timezone.utc)

    def listed(**params) -> list[str]:
        r = admin("GET", "/tasks", params=params)
        assert r.status_code == 200, r.text
        return [t["taskId"] for t in r.json()]

    everything = listed()
    # Newest first.
    assert [i for i in everything if i in ids] == list(reversed(ids))
    assert listed(submittedAfter=iso(before), submittedBefore=iso(after)) == list(reversed(ids))
    assert listed(submittedAfter=iso(after)) == []
    assert listed(startedAfter=iso(before), type="add-missing-fields", status="completed")[:3] == \
        list(reversed(ids))
    assert listed(completedAfter=iso(before), status="COMPLETED") == list(reversed(ids))
    assert listed(completedAfter=iso(before), offset="1", limit="1") == [ids[1]]
    assert listed(completedAfter=iso(before), limit="0") == []
    assert listed(completedAfter=iso(before), offset="5") == []
    assert listed(failedAfter=iso(before)) == []
    assert listed(type="no-such-type") == []
    assert listed(status="waiting", submittedAfter=iso(before)) == []
    # An offset in the date, '+' encoded or not (a raw '+' reads as a space).
    local = before.astimezone(timezone(timedelta(hours=2)))
    text = local.isoformat(timespec="milliseconds")
    assert listed(submittedAfter=text, submittedBefore=iso(after)) == list(reversed(ids))
    raw = admin("GET", f"/tasks?submittedAfter={text}&submittedBefore={iso(after)}")
    assert [t["taskId"] for t in raw.json()] == list(reversed(ids))

    # Every report of the list is complete.
    for report in admin("GET", "/tasks", params={"completedAfter": iso(before)}).json():
        assert report["additionalInformation"]["type"] == "add-missing-fields"
        assert REPORT_DATE.match(report["completedDate"])


@pytest.mark.parametrize("query", [
    "status=running", "status=", "type=", "submittedBefore=yesterday", "submittedAfter=2025-06-01T10:00:00",
    "startedBefore=2025-06-01", "completedAfter=10:00:00Z", "failedBefore=2025-13-01T10:00:00Z",
    "offset=-1", "offset=abc", "limit=1.5", "limit=-2",
])
def test_invalid_filters(admin, query):
    r = admin("GET", f"/tasks?{query}")
    assert r.status_code == 400, query
    body = r.json()
    assert (body["statusCode"], body["type"], body["message"]) == \
        (400, "InvalidArgument", "Invalid status query parameter")
    assert isinstance(body["details"], str)


def test_task_metrics_and_logs(stack, admin):
    task_id = start_migration(admin)
    assert admin("GET", f"/tasks/{task_id}/await").json()["status"] == "completed"
    status, body = stack.worker.get("/metrics?name[]=twake_webadmin_tasks_total")
    assert status == 200
    line = next(l for l in body.decode().splitlines()
                if l.startswith('twake_webadmin_tasks_total{status="completed",type="add-missing-fields"}'))
    assert float(line.split()[-1]) >= 1
    entries = [json.loads(l) for l in stack.worker.log_path.read_text().splitlines() if l.startswith("{")]
    mine = [e for e in entries if e.get("mdc", {}).get("taskId") == task_id]
    assert {e["message"] for e in mine} >= {"Task submitted", "Task started", "Task completed"}
    assert all(e["mdc"]["taskType"] == "add-missing-fields" for e in mine)


# ---- running, waiting, cancelled, failed: a worker on a database it can pause ---------------

@pytest.fixture(scope="module")
def pausable(stack, tmp_path_factory):
    """(webadmin call, pymongo database, pause(), resume()) of a worker with its own FerretDB."""
    root = tmp_path_factory.mktemp("pausable")
    mongo = FerretDB(root / "ferretdb")
    mongo.start()
    worker = Worker(root / "worker", {**stack.worker_environment(), "TCAL_MONGO_URL": mongo.url})
    try:
        worker.start()
    except BaseException:
        mongo.stop()
        raise
    paused = []

    def pause():
        os.killpg(mongo.proc.pid, signal.SIGSTOP)
        paused.append(True)

    def resume():
        if paused:
            os.killpg(mongo.proc.pid, signal.SIGCONT)
            paused.clear()

    db = mongo.client()[stack.mongo_database]
    yield (lambda method, path, **kw: call(worker.webadmin_url, method, path, **kw)), db, pause, resume, worker
    resume()
    worker.stop()
    mongo.stop()
    assert worker.last_exit == 0


def legacy_user(db, email: str, domain_id, firstname="Bob Robert") -> ObjectId:
    """An OpenPaaS document as docs/reference/mongodb.md §4 shows it: no `email`, no
    `firstnames`."""
    user_id = ObjectId()
    created = datetime(2024, 12, 6, 22, 39, 53, 619000, tzinfo=timezone.utc)
    db.users.insert_one({
        "_id": user_id, "__v": 0, "schemaVersion": 2, "firstname": firstname, "lastname": "Durand",
        "password": "$2a$05$legacy", "timestamps": {"creation": created},
        "login": {"disabled": False, "failures": []},
        "domains": [{"domain_id": domain_id, "joined_at": created}],
        "accounts": [{"type": "email", "hosted": True, "preferredEmailIndex": 0, "emails": [email],
                      "timestamps": {"creation": created}}],
        "states": []})
    return user_id


def test_running_waiting_and_cancelled_tasks(pausable):
    admin, db, pause, resume, _ = pausable
    domain_id = db.domains.find_one({"name": "example.com"})["_id"]
    legacy_email = f"p{uuid.uuid4().hex[:8]}@example.com"
    legacy = legacy_user(db, legacy_email, domain_id)
    pause()
    try:
        running = start_migration(admin)
        waiting = start_migration(admin)
        third = start_migration(admin)
        time.sleep(0.3)

        listed = admin("GET", "/tasks").json()
        assert [t["taskId"] for t in listed][:3] == [third, waiting, running]
        first = next(t for t in listed if t["taskId"] == running)
        assert first["status"] == "inProgress"
        assert first["executedOn"] == HOSTNAME and "startedDate" in first and "completedDate" not in first
        # Live additional information (nothing processed yet: the database does not answer).
        assert first["additionalInformation"]["processedUsers"] == 0
        second = next(t for t in listed if t["taskId"] == waiting)
        assert second["status"] == "waiting"
        assert second["executedOn"] is None and "startedDate" not in second
        assert list(second) == ["taskId", "type", "status", "submittedFrom", "executedOn", "cancelledFrom",
                                "additionalInformation", "submitDate"]
        assert [t["taskId"] for t in admin("GET", "/tasks?status=inProgress").json()] == [running]
        assert [t["taskId"] for t in admin("GET", "/tasks?status=waiting").json()] == [third, waiting]

        # The await gives up: 408.
        started = time.monotonic()
        r = admin("GET", f"/tasks/{waiting}/await?timeout=500ms")
        assert r.status_code == 408
        assert r.json() == error(408, "ServerError", "The timeout has been reached")
        assert 0.4 < time.monotonic() - started < 5

        # A waiting task ends canceled at once, without ever starting.
        r = admin("DELETE", f"/tasks/{waiting}")
        assert r.status_code == 204 and r.content == b""
        report = admin("GET", f"/tasks/{waiting}").json()
        assert report["status"] == "canceled"
        assert report["cancelledFrom"] == HOSTNAME
        assert REPORT_DATE.match(report["canceledDate"])
        assert "startedDate" not in report and report["executedOn"] is None

        # A running one goes through canceledRequested.
        assert admin("DELETE", f"/tasks/{running}").status_code == 204
        report = admin("GET", f"/tasks/{running}").json()
        assert report["status"] == "canceledRequested"
        assert report["cancelledFrom"] == HOSTNAME
        assert [t["taskId"] for t in admin("GET", "/tasks?status=canceledRequested").json()] == [running]
    finally:
        resume()

    report = admin("GET", f"/tasks/{running}/await?timeout=60").json()
    assert report["status"] == "canceled"
    assert "startedDate" in report and "canceledDate" in report and "completedDate" not in report
    # It stopped after the batch it was waiting for, which upgraded the legacy user.
    assert report["additionalInformation"]["upgradedUsers"] == 1
    assert db.users.find_one({"_id": legacy})["email"] == legacy_email
    # The third one runs after them and completes.
    report = admin("GET", f"/tasks/{third}/await?timeout=60").json()
    assert report["status"] == "completed"
    assert report["additionalInformation"]["upgradedUsers"] == 0
    assert parse_report_date(report["startedDate"]) >= parse_report_date(
        admin("GET", f"/tasks/{running}").json()["canceledDate"])


def test_a_task_with_errors_ends_failed(pausable):
    admin, db, _, _, worker = pausable
    domain_id = db.domains.find_one({"name": "example.com"})["_id"]
    shared = f"twin{uuid.uuid4().hex[:8]}@example.com"
    first = legacy_user(db, shared, domain_id)
    second = legacy_user(db, shared, domain_id)
    try:
        task_id = start_migration(admin)
        report = admin("GET", f"/tasks/{task_id}/await?timeout=60").json()
        assert report["status"] == "failed"
        assert REPORT_DATE.match(report["failedDate"]) and "completedDate" not in report
        info = report["additionalInformation"]
        assert info["errorCount"] == 1
        assert info["processedUsers"] >= 2
        assert [d.get("email") for d in db.users.find({"_id": {"$in": [first, second]}}, sort=[("_id", 1)])] \
            == [shared, None]
        assert [t["taskId"] for t in admin("GET", "/tasks?status=failed").json()][0] == task_id
        entries = [json.loads(l) for l in worker.log_path.read_text().splitlines() if l.startswith("{")]
        assert any(e["message"] == "Task was partially performed" and e["level"] == "ERROR"
                   and e["mdc"]["taskId"] == task_id for e in entries)
        status, body = worker.get("/metrics")
        assert 'twake_webadmin_tasks_total{status="failed",type="add-missing-fields"} 1' in body.decode()
    finally:
        db.users.delete_one({"_id": second})  # later migrations of this worker may complete
