"""`POST /calendars?task=scheduleAlarms` (docs/reference/alarms.md §5, docs/webadmin.md §8): the
rows of alarms the consumers never made (here: removed after the fact) are made again from the
events esn-sabre holds, only where none exists, at the pace asked; the restored alarm is sent."""

from __future__ import annotations

import datetime
import time
import uuid

import requests

from harness.worker_conf import start_worker
from test_alarms import ALARMS, SCHEDULER, alarm_event, alarm_mails, as_utc, rows
from test_itip_delivery import calendar_of, put, wait_for


def admin(stack, method: str, path: str) -> requests.Response:
    return requests.request(method, stack.worker.webadmin_url + path, timeout=60)


def start_task(stack, query: str = "") -> str:
    r = admin(stack, "POST", f"/calendars?task=scheduleAlarms{query}")
    assert r.status_code == 201, r.text
    task_id = r.json()["taskId"]
    assert r.headers["Location"] == f"/tasks/{task_id}"
    return task_id


def run_task(stack, query: str = "") -> dict:
    task_id = start_task(stack, query)
    return admin(stack, "GET", f"/tasks/{task_id}/await?timeout=120").json()


def lost_alarm(stack, db, start: datetime.datetime, summary: str, lead: int = 900) -> tuple[str, str]:
    """An event of Alice's with an EMAIL alarm whose row was lost: (UID, event path)."""
    alice, calendar = calendar_of(stack, "alice@example.com")
    uid = f"resched-{uuid.uuid4()}"
    path = calendar + f"{uid}.ics"
    assert put(stack, alice, path, alarm_event(uid, start, "alice@example.com", lead=lead,
                                               summary=summary)).status_code == 201
    wait_for(lambda: rows(db, uid), "the consumer's row")
    db[ALARMS].delete_many({"eventUid": uid})
    return uid, path.removeprefix("/dav")


def test_the_task_restores_lost_rows_once_and_the_alarm_goes_out(stack, db, tmp_path):
    far = datetime.datetime(2032, 5, 3, 9, 0, tzinfo=datetime.timezone.utc)
    far_uid, far_path = lost_alarm(stack, db, far, "Far")
    summary = f"Resched {uuid.uuid4().hex[:8]}"
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    due = now + datetime.timedelta(seconds=40)
    soon_uid, _ = lost_alarm(stack, db, due + datetime.timedelta(seconds=600), summary, lead=600)

    report = run_task(stack, "&eventsPerSecond=1000")
    assert report["status"] == "completed", report
    assert report["type"] == "schedule-alarms"
    info = report["additionalInformation"]
    assert info["type"] == "schedule-alarms" and info["failedEventCount"] == 0
    assert info["processedEventCount"] >= 2
    assert info["runningOptions"] == {"eventsPerSecond": 1000}
    row = rows(db, far_uid)[0]
    assert (row["recipient"], row["action"], row["eventPath"]) == ("alice@example.com", "EMAIL", far_path)
    assert as_utc(row["alarmTime"]) == far - datetime.timedelta(minutes=15)
    assert as_utc(rows(db, soon_uid)[0]["alarmTime"]) == due

    # A second run inserts nothing: the rows are the same documents.
    ids = {r["_id"] for r in db[ALARMS].find({"eventUid": {"$in": [far_uid, soon_uid]}})}
    again = run_task(stack)
    assert again["status"] == "completed", again
    assert again["additionalInformation"]["runningOptions"] == {"eventsPerSecond": 100}
    assert {r["_id"] for r in db[ALARMS].find({"eventUid": {"$in": [far_uid, soon_uid]}})} == ids

    worker = start_worker(stack, tmp_path / "w", SCHEDULER)
    try:
        wait_for(lambda: alarm_mails(stack, summary), "the restored alarm's mail", timeout=60)
        assert datetime.datetime.now(datetime.timezone.utc) >= due
        wait_for(lambda: not rows(db, soon_uid), "the fired row's removal")
        time.sleep(2)
        assert len(alarm_mails(stack, summary)) == 1
    finally:
        worker.stop()


def test_the_task_is_paced_shows_its_counts_while_running_and_can_be_cancelled(stack, db):
    for i in range(3):
        lost_alarm(stack, db, datetime.datetime(2032, 6, 1 + i, 9, 0, tzinfo=datetime.timezone.utc), "Paced")
    task_id = start_task(stack, "&eventsPerSecond=1")
    running = wait_for(lambda: (lambda r: r if r["status"] == "inProgress"
                                and r["additionalInformation"]["processedEventCount"] >= 2 else None)(
        admin(stack, "GET", f"/tasks/{task_id}").json()), "two seconds of the task", timeout=20)
    info = running["additionalInformation"]
    assert info["type"] == "schedule-alarms" and info["runningOptions"] == {"eventsPerSecond": 1}
    assert admin(stack, "DELETE", f"/tasks/{task_id}").status_code == 204
    ended = admin(stack, "GET", f"/tasks/{task_id}/await?timeout=30").json()
    assert ended["status"] == "canceled", ended
    # At one event a second, the objects handled trail the time spent.
    started = datetime.datetime.strptime(ended["startedDate"], "%Y-%m-%dT%H:%M:%S.%f%z")
    stopped = datetime.datetime.strptime(ended["canceledDate"], "%Y-%m-%dT%H:%M:%S.%f%z")
    assert ended["additionalInformation"]["processedEventCount"] <= (stopped - started).total_seconds() + 1


def test_bad_task_parameters_are_refused(stack):
    for query, details in [
        ("", "'task' query parameter is compulsory. Supported values are [reindex, scheduleAlarms]"),
        ("?task=", "'task' query parameter cannot be empty or blank. Supported values are [reindex, scheduleAlarms]"),
        ("?task=nope", "Invalid value supplied for query parameter 'task': nope. Supported values are [reindex, scheduleAlarms]"),
        ("?task=scheduleAlarms&eventsPerSecond=x",
         "Illegal value supplied for query parameter 'eventsPerSecond', expecting an integer"),
        ("?task=scheduleAlarms&eventsPerSecond=1.5",
         "Illegal value supplied for query parameter 'eventsPerSecond', expecting an integer"),
        ("?task=scheduleAlarms&eventsPerSecond=0",
         "Query parameter 'eventsPerSecond' must be strictly positive, got: 0"),
        ("?task=scheduleAlarms&eventsPerSecond=-4",
         "Query parameter 'eventsPerSecond' must be strictly positive, got: -4"),
    ]:
        r = admin(stack, "POST", "/calendars" + query)
        assert r.status_code == 400, (query, r.text)
        assert r.json() == {"statusCode": 400, "type": "InvalidArgument",
                            "message": "Invalid arguments supplied in the user request", "details": details}
