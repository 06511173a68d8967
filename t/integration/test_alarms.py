"""Event alarms on the real stack (docs/reference/alarms.md): a PUT through the edge's /dav
makes the alarm row of the event's next alarm, a move moves it, a deletion removes it; two
scheduling workers send a due alarm once, within a tick; a lease left by a dead worker holds the
alarm back until it expires, and no longer; a daily event moves on to the next day; an alarm due
while SMTP is down is sent once it is back; a DISPLAY alarm reaches the owner's socket."""

from __future__ import annotations

import datetime
import json
import time
import uuid

import pytest
import requests

from harness.worker_conf import start_worker
from harness.ws_client import ask, open_socket
from test_itip_delivery import bearer, calendar_of, put, wait_for

ALARMS = "twake_calendar_alarm_events"

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//alarm test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
DTSTART:{start}
DTEND:{end}
SUMMARY:{summary}
{extra}BEGIN:VALARM
ACTION:EMAIL
TRIGGER:-PT{lead}S
ATTENDEE:mailto:{recipient}
SUMMARY:Reminder
DESCRIPTION:Reminder
END:VALARM
END:VEVENT
END:VCALENDAR
"""


def utc(t: datetime.datetime) -> str:
    return t.strftime("%Y%m%dT%H%M%SZ")


def alarm_event(uid: str, start: datetime.datetime, recipient: str, lead: int = 900, summary="Standup",
                extra="") -> str:
    return EVENT.format(uid=uid, start=utc(start), end=utc(start + datetime.timedelta(hours=1)),
                        summary=summary, recipient=recipient, lead=lead, extra=extra)


def rows(db, uid: str) -> list[dict]:
    return list(db[ALARMS].find({"eventUid": uid}))


def as_utc(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def test_an_event_with_an_email_alarm_gets_its_row_moved_and_removed_with_it(stack, db):
    alice, calendar = calendar_of(stack, "alice@example.com")
    uid = f"alarm-{uuid.uuid4()}"
    path = calendar + f"{uid}.ics"
    start = datetime.datetime(2031, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
    assert put(stack, alice, path, alarm_event(uid, start, "alice@example.com")).status_code == 201

    row = wait_for(lambda: next(iter(rows(db, uid)), None), "the alarm row")
    assert row["recipient"] == "alice@example.com" and row["action"] == "EMAIL"
    assert as_utc(row["alarmTime"]) == start - datetime.timedelta(minutes=15)
    assert as_utc(row["eventStartTime"]) == start
    assert row["eventPath"] == path.removeprefix("/dav") and row["recurring"] is False

    moved = start + datetime.timedelta(days=1)
    assert put(stack, alice, path, alarm_event(uid, moved, "alice@example.com")).status_code in (201, 204)
    wait_for(lambda: [r for r in rows(db, uid) if as_utc(r["alarmTime"]) == moved - datetime.timedelta(minutes=15)],
             "the moved alarm")
    assert len(rows(db, uid)) == 1

    assert requests.delete(stack.edge_url + path, headers=bearer(alice), timeout=10).status_code in (200, 204)
    wait_for(lambda: not rows(db, uid), "the row's removal")


def test_an_event_without_alarm_or_past_makes_no_row(stack, db):
    alice, calendar = calendar_of(stack, "alice@example.com")
    uid = f"alarm-{uuid.uuid4()}"
    past = datetime.datetime(2020, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
    assert put(stack, alice, calendar + f"{uid}.ics", alarm_event(uid, past, "alice@example.com")).status_code == 201
    # A later event of the same calendar shows the consumer went past the first one.
    marker = f"alarm-{uuid.uuid4()}"
    future = datetime.datetime(2031, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
    assert put(stack, alice, calendar + f"{marker}.ics",
               alarm_event(marker, future, "alice@example.com")).status_code == 201
    wait_for(lambda: rows(db, marker), "the later event's row")
    assert rows(db, uid) == []


SCHEDULER = {"configuration.properties": {
    "alarm.event.scheduler.mode": "cluster",
    "alarm.event.scheduler.poll.interval": "1s",
    "alarm.event.scheduler.initial.jitter.max": "1s",
    "alarm.event.scheduler.lease.ttl": "60s",
}}


@pytest.fixture
def start_scheduler(stack, tmp_path):
    """Starts a scheduling worker of SCHEDULER on the stack; those started are stopped after the test."""
    workers = []

    def start():
        workers.append(start_worker(stack, tmp_path / f"w{len(workers)}", SCHEDULER))
        return workers[-1]

    yield start
    for w in workers:
        w.stop()


def alarm_mails(stack, summary: str) -> list:
    return [m for m in stack.smtp.messages() if summary in str(m["Subject"])]


def soon_event(stack, db, lead_seconds: int, alarm_in: int, summary: str,
               extra: str = "") -> tuple[str, datetime.datetime]:
    """An event of Alice's with an EMAIL alarm due `alarm_in` seconds from now; its row made."""
    alice, calendar = calendar_of(stack, "alice@example.com")
    uid = f"alarm-{uuid.uuid4()}"
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    due = now + datetime.timedelta(seconds=alarm_in)
    start = due + datetime.timedelta(seconds=lead_seconds)
    text = alarm_event(uid, start, "alice@example.com", lead=lead_seconds, summary=summary, extra=extra)
    assert put(stack, alice, calendar + f"{uid}.ics", text).status_code == 201
    wait_for(lambda: rows(db, uid), "the alarm row")
    return uid, due


def test_two_workers_send_a_due_email_alarm_once_within_a_tick(stack, db, start_scheduler):
    start_scheduler()
    start_scheduler()
    summary = f"Sync {uuid.uuid4().hex[:8]}"
    uid, due = soon_event(stack, db, lead_seconds=600, alarm_in=6, summary=summary)
    mail = wait_for(lambda: alarm_mails(stack, summary), "the alarm mail", timeout=30)[0]
    lateness = (datetime.datetime.now(datetime.timezone.utc) - due).total_seconds()
    assert lateness < 3.0, lateness  # one tick of 1 s, plus the send
    assert "alice@example.com" in str(mail["To"])
    assert "10 minutes" in str(mail["Subject"])
    wait_for(lambda: not rows(db, uid), "the fired row's removal")
    time.sleep(2.5)  # a few more ticks of both workers
    assert len(alarm_mails(stack, summary)) == 1


def test_a_lease_left_by_a_dead_worker_delays_the_alarm_until_it_expires(stack, db, start_scheduler):
    summary = f"Lease {uuid.uuid4().hex[:8]}"
    uid, due = soon_event(stack, db, lead_seconds=600, alarm_in=3, summary=summary)
    row = rows(db, uid)[0]
    # What a worker killed after taking the lease leaves behind.
    expires = due + datetime.timedelta(seconds=6)
    db["twake_calendar_alarm_events_ledge"].insert_one({
        "eventUid": uid, "alarmTime": row["alarmTime"], "recipient": "alice@example.com",
        "createdAt": due, "expiresAt": expires})
    start_scheduler()
    wait_for(lambda: alarm_mails(stack, summary), "the alarm mail", timeout=30)
    sent = datetime.datetime.now(datetime.timezone.utc)
    assert sent >= expires, "sent while the lease was held"
    assert (sent - expires).total_seconds() < 3.0
    time.sleep(2)
    assert len(alarm_mails(stack, summary)) == 1


def test_a_daily_event_has_its_next_days_alarm_scheduled_once_the_first_is_sent(stack, db, start_scheduler):
    start_scheduler()
    summary = f"Daily {uuid.uuid4().hex[:8]}"
    uid, due = soon_event(stack, db, lead_seconds=600, alarm_in=4, summary=summary,
                          extra="RRULE:FREQ=DAILY\n")
    wait_for(lambda: alarm_mails(stack, summary), "the first alarm mail", timeout=30)
    next_day = due + datetime.timedelta(days=1)
    row = wait_for(lambda: next((r for r in rows(db, uid) if as_utc(r["alarmTime"]) == next_day), None),
                   "the next day's alarm")
    start = next_day + datetime.timedelta(seconds=600)
    assert as_utc(row["eventStartTime"]) == start and row["recurring"] is True
    assert row["recurrenceId"] == start.strftime("%Y%m%dT%H%M%SZ")
    time.sleep(2)
    assert len(alarm_mails(stack, summary)) == 1


def test_an_alarm_due_while_smtp_is_down_is_sent_once_it_is_back(stack, db, start_scheduler):
    worker = start_scheduler()
    summary = f"Retry {uuid.uuid4().hex[:8]}"
    stack.smtp.stop()
    try:
        uid, due = soon_event(stack, db, lead_seconds=600, alarm_in=2, summary=summary)
        wait_for(lambda: datetime.datetime.now(datetime.timezone.utc) > due + datetime.timedelta(seconds=3),
                 "a few failed ticks")
        status, body = worker.get("/metrics?name[]=tcal_alarms_failed_total")
        assert status == 200 and 'action="EMAIL"' in body.decode(), body
        assert rows(db, uid), "the row stays while the mail is not sent"
    finally:
        stack.smtp.start()
    wait_for(lambda: alarm_mails(stack, summary), "the alarm mail", timeout=30)
    wait_for(lambda: not rows(db, uid), "the fired row's removal")
    time.sleep(2)
    assert len(alarm_mails(stack, summary)) == 1


def test_a_display_alarm_reaches_the_owners_socket_on_another_node(stack, db, start_scheduler):
    start_scheduler()
    alice, calendar = calendar_of(stack, "alice@example.com")
    summary = f"Popup {uuid.uuid4().hex[:8]}"
    uid = f"alarm-{uuid.uuid4()}"
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    start = now + datetime.timedelta(seconds=603)
    text = alarm_event(uid, start, "alice@example.com", lead=600, summary=summary)
    text = text.replace("ACTION:EMAIL", "ACTION:DISPLAY").replace("ATTENDEE:mailto:alice@example.com\n", "")
    with open_socket(stack.worker.socket, "alice@example.com") as ws:
        assert ask(ws, {"enableDisplayNotification": True}) == {"displayNotificationEnabled": True}
        assert put(stack, alice, calendar + f"{uid}.ics", text).status_code == 201
        pushed = json.loads(ws.recv(timeout=20))
        assert [a["eventSummary"] for a in pushed["alarms"]] == [summary], pushed
        assert pushed["alarms"][0]["eventURL"] == (calendar + f"{uid}.ics").removeprefix("/dav")
    wait_for(lambda: not rows(db, uid), "the fired row's removal")
    assert alarm_mails(stack, summary) == []
