"""Scheduling end to end (docs/reference/rabbitmq.md §3.3–3.5, docs/mail.md): an organizer's PUT
through the edge's /dav reaches the attendees' calendars and mailboxes — invitation, reply, update,
cancellation — in each recipient's language and time zone; a malformed notification is
dead-lettered; a broker restart in the middle of a burst loses and duplicates nothing; SMTP down is
retried, then dead-lettered; the recipient whitelist is honoured."""

from __future__ import annotations

import collections
import email
import email.policy
import json
import time
import uuid

import pytest
import requests

from harness.broker import publish, take_dead_letter
from harness.worker_conf import start_worker
from test_itip_delivery import bearer, calendar_of, find_copy, put, wait_for

NOTIFICATIONS = "calendar:event:notificationEmail:send"
NOTIFICATION_DLQ = "tcalendar:event:notificationEmail:send:dead-letter"
EXTERNAL = "guest@elsewhere.example"

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//scheduling test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
SEQUENCE:{sequence}
DTSTART:{start}
DTEND:{end}
SUMMARY:{summary}
ORGANIZER;CN=Alice Martin:mailto:alice@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com
{attendees}END:VEVENT
END:VCALENDAR
"""


def event(uid, attendees, summary="Roadmap", start="20301201T100000Z", end="20301201T110000Z", sequence=0):
    lines = "".join(f"ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{a}\n" for a in attendees)
    return EVENT.format(uid=uid, summary=summary, start=start, end=end, sequence=sequence, attendees=lines)


def parts(message):
    """(text/plain, text/html, text/calendar) of a received mail; the parsed message first."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    found = {}
    for part in parsed.walk():
        if part.get_content_type() in ("text/plain", "text/html", "text/calendar") and \
                part.get_content_type() not in found:
            found[part.get_content_type()] = part
    return parsed, found


def mails_about(stack, uid: str) -> list[dict]:
    """The mails whose calendar part names the UID (resource mails have none: not listed)."""
    out = []
    for message in stack.smtp.messages():
        parsed, found = parts(message)
        calendar = found.get("text/calendar")
        if calendar is None:
            continue
        ics = calendar.get_content()
        if f"UID:{uid}" not in ics.replace("\r\n ", ""):
            continue
        out.append({"to": parsed["To"].addresses[0].addr_spec.lower(), "from": parsed["From"].addresses[0].addr_spec,
                    "subject": str(parsed["Subject"]), "method": calendar.get_param("method"),
                    "text": found["text/plain"].get_content(), "language": found["text/plain"]["Content-Language"],
                    "ics": ics, "message": parsed})
    return out


def mails_with(stack, batch: str) -> list[str]:
    """The UIDs starting with `batch` that the received invitations carry, one per mail."""
    out = []
    for message in stack.smtp.messages():
        _, found = parts(message)
        calendar = found.get("text/calendar")
        text = calendar.get_content().replace("\r\n ", "") if calendar is not None else ""
        if f"UID:{batch}-" in text:
            out.append(text.split(f"UID:{batch}-")[1][:3])
    return out


def wait_for_mails(stack, uid, predicate, what, timeout=20.0):
    return wait_for(lambda: (lambda m: m if predicate(m) else None)(mails_about(stack, uid)), what, timeout)


def set_settings(stack, email_address: str, modules: list) -> None:
    token = stack.oidc.token(email_address)
    r = requests.put(stack.edge_url + "/api/configurations?scope=user", json=modules, headers=bearer(token),
                     timeout=10)
    assert r.status_code == 204, r.text


@pytest.fixture
def carol_in_french(stack):
    set_settings(stack, "carol@example.com", [{"name": "core", "configurations": [
        {"name": "language", "value": "fr"}, {"name": "datetime", "value": {"timeZone": "Asia/Tokyo"}}]}])
    yield
    set_settings(stack, "carol@example.com", [])


def test_invitation_reply_update_and_cancellation_reach_calendars_and_mailboxes(stack, carol_in_french):
    alice, alice_calendar = calendar_of(stack, "alice@example.com")
    bob, bob_calendar = calendar_of(stack, "bob@example.com")
    calendar_of(stack, "carol@example.com")
    uid = f"sched-{uuid.uuid4()}"
    organizer_copy = alice_calendar + f"{uid}.ics"
    attendees = ["bob@example.com", "carol@example.com", EXTERNAL]
    assert put(stack, alice, organizer_copy, event(uid, attendees)).status_code == 201

    # The invitation: the local attendee's copy, and one REQUEST mail per attendee.
    bob_href, bob_text = wait_for(lambda: find_copy(stack, bob, bob_calendar, uid), "bob's copy")
    invites = wait_for_mails(stack, uid, lambda m: len(m) >= 3, "three invitations")
    assert sorted(m["to"] for m in invites) == sorted(attendees)
    for m in invites:
        assert m["method"] == "REQUEST" and m["from"] == "alice@example.com"
        assert "METHOD:REQUEST" in m["ics"]
        assert m["message"]["Message-ID"].endswith("@example.com>")
    carol = next(m for m in invites if m["to"] == "carol@example.com")
    assert carol["language"] == "fr" and carol["subject"].startswith("Invitation : Roadmap")
    assert "19:00" in carol["text"], "10:00 UTC is 19:00 in Tokyo"
    bob_mail = next(m for m in invites if m["to"] == "bob@example.com")
    assert bob_mail["language"] == "en" and "11:00" in bob_mail["text"], "bob: Europe/Paris by default"
    assert "/excal/?jwt=" in bob_mail["text"] and "/calendar/#/calendar?start=12-01-2030" in bob_mail["text"]
    guest = next(m for m in invites if m["to"] == EXTERNAL)
    assert "/calendar/#/calendar" not in guest["text"], "no calendar link for an external attendee"

    # The reply: bob accepts in his copy; the organizer's copy and mailbox show it.
    accepted = bob_text.replace("\r\n ", "").replace(
        "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com", "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:bob@example.com")
    assert put(stack, bob, bob_href, accepted).status_code in (201, 204)
    def organizer_sees_accepted():
        text = requests.get(stack.edge_url + organizer_copy, headers=bearer(alice), timeout=10).text
        line = next(x for x in text.replace("\r\n ", "").splitlines() if "mailto:bob@example.com" in x)
        return "PARTSTAT=ACCEPTED" in line

    wait_for(organizer_sees_accepted, "the reply in the organizer's copy")
    replies = wait_for_mails(stack, uid, lambda m: any(x["method"] == "REPLY" for x in m), "the reply mail")
    reply = next(m for m in replies if m["method"] == "REPLY")
    assert reply["to"] == "alice@example.com" and reply["from"] == "bob@example.com"
    assert reply["message"]["Auto-Submitted"] == "auto-generated"

    # The update: the organizer moves the event by an hour; the mail names the former time.
    current = requests.get(stack.edge_url + organizer_copy, headers=bearer(alice), timeout=10).text
    moved = current.replace("DTSTART:20301201T100000Z", "DTSTART:20301201T110000Z") \
        .replace("DTEND:20301201T110000Z", "DTEND:20301201T120000Z").replace("SEQUENCE:0", "SEQUENCE:1")
    assert put(stack, alice, organizer_copy, moved).status_code in (201, 204)
    updates = wait_for_mails(stack, uid, lambda m: sum(x["method"] == "REQUEST" for x in m) >= 6, "three updates")
    bob_update = [m for m in updates if m["to"] == "bob@example.com" and "Previously starting" in m["text"]]
    assert len(bob_update) == 1 and "11:00" in bob_update[0]["text"] and "12:00" in bob_update[0]["text"]
    wait_for(lambda: "DTSTART:20301201T110000Z" in (find_copy(stack, bob, bob_calendar, uid) or ("", ""))[1],
             "bob's copy moved")

    # The cancellation: the organizer deletes the event.
    assert requests.delete(stack.edge_url + organizer_copy, headers=bearer(alice), timeout=10).status_code in (200, 204)
    cancels = wait_for_mails(stack, uid, lambda m: sum(x["method"] == "CANCEL" for x in m) >= 3, "three cancels")
    assert sorted(m["to"] for m in cancels if m["method"] == "CANCEL") == sorted(attendees)
    assert all(m["message"]["Auto-Submitted"] == "auto-generated" for m in cancels if m["method"] == "CANCEL")
    wait_for(lambda: "STATUS:CANCELLED" in (find_copy(stack, bob, bob_calendar, uid) or ("", ""))[1],
             "bob's copy cancelled")
    # Nothing was mailed twice.
    counts = collections.Counter((m["to"], m["method"], m["text"]) for m in mails_about(stack, uid))
    assert max(counts.values()) == 1, counts


def notification(uid: str, recipient: str, method="REQUEST") -> bytes:
    ics = event(uid, [recipient]).replace("VERSION:2.0", "VERSION:2.0\nMETHOD:" + method).replace("\n", "\r\n")
    return json.dumps({"senderEmail": "alice@example.com", "recipientEmail": recipient, "method": method,
                       "event": ics, "calendarURI": "unused", "isNewEvent": True}).encode()


def test_a_malformed_or_unknown_notification_is_dead_lettered_and_the_consumer_goes_on(stack):
    bad = json.dumps({"senderEmail": "alice@example.com", "method": "REQUEST"}).encode()
    publish(stack, NOTIFICATIONS, bad)
    props = take_dead_letter(stack, NOTIFICATION_DLQ, bad)
    assert props.headers["x-twake-dead-letter-reason"] == "`recipientEmail` is missing or not a string"
    unknown = json.loads(notification(f"sched-{uuid.uuid4()}", EXTERNAL))
    unknown["method"] = "PUBLISH"
    unknown = json.dumps(unknown).encode()
    publish(stack, NOTIFICATIONS, unknown)
    props = take_dead_letter(stack, NOTIFICATION_DLQ, unknown)
    assert props.headers["x-twake-dead-letter-reason"] == "unknown method PUBLISH"
    uid = f"sched-{uuid.uuid4()}"
    publish(stack, NOTIFICATIONS, notification(uid, EXTERNAL))
    wait_for_mails(stack, uid, lambda m: len(m) == 1, "the next notification mailed")


def test_a_counter_proposal_is_mailed_to_the_organizer(stack):
    """esn-sabre publishes an attendee's COUNTER on calendar:itip:localDelivery; nothing is
    delivered, the organizer gets the proposal by mail with the time it replaces."""
    uid = f"sched-{uuid.uuid4()}"
    current = event(uid, ["bob@example.com"]).replace("\n", "\r\n")
    proposal = event(uid, ["bob@example.com"], start="20301201T140000Z", end="20301201T150000Z") \
        .replace("VERSION:2.0", "VERSION:2.0\nMETHOD:COUNTER") \
        .replace("END:VEVENT", "COMMENT:Afternoon suits me better\nEND:VEVENT").replace("\n", "\r\n")
    publish(stack, "calendar:itip:localDelivery", json.dumps({
        "sender": "mailto:bob@example.com", "method": "COUNTER", "uid": uid, "message": proposal,
        "oldMessage": current, "hasChange": True, "recipients": ["mailto:alice@example.com"],
        "calendarId": "unused"}).encode())
    (counter,) = wait_for_mails(stack, uid, lambda m: len(m) == 1, "the counter mail")
    assert counter["method"] == "COUNTER" and counter["to"] == "alice@example.com"
    assert counter["from"] == "bob@example.com" and counter["subject"] == "New time proposed: Roadmap"
    assert "Afternoon suits me better" in counter["text"]
    assert "15:00" in counter["text"] and "(was " in counter["text"], counter["text"]


def test_the_same_notification_delivered_twice_is_mailed_once(stack):
    uid = f"sched-{uuid.uuid4()}"
    body = notification(uid, EXTERNAL)
    publish(stack, NOTIFICATIONS, body)
    wait_for_mails(stack, uid, lambda m: len(m) == 1, "the mail")
    publish(stack, NOTIFICATIONS, body)
    time.sleep(2)
    assert len(mails_about(stack, uid)) == 1


@pytest.mark.fault
def test_a_broker_restart_in_the_middle_of_200_invitations_loses_and_duplicates_nothing(stack):
    alice, alice_calendar = calendar_of(stack, "alice@example.com")
    bob, bob_calendar = calendar_of(stack, "bob@example.com")
    batch = f"burst-{uuid.uuid4().hex[:8]}"
    uids = [f"{batch}-{i:03d}" for i in range(200)]
    started = time.monotonic()
    with requests.Session() as session:
        for uid in uids:
            text = event(uid, ["bob@example.com"]).replace("\n", "\r\n")
            r = session.put(stack.edge_url + alice_calendar + f"{uid}.ics", data=text.encode(),
                            headers={**bearer(alice), "Content-Type": "text/calendar"}, timeout=10)
            assert r.status_code == 201, r.text
    # The broker restarts while the worker is still delivering and mailing the burst.
    assert len(mails_with(stack, batch)) < 200, "the burst should still be in progress"
    stack.rabbitmq.stop()
    stack.rabbitmq.start()

    def all_mailed():
        counts = collections.Counter(mails_with(stack, batch))
        return counts if len(counts) == 200 else None

    counts = wait_for(all_mailed, "200 invitation mails", timeout=120)
    elapsed = time.monotonic() - started
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    # Each invitation is in bob's calendar once.
    query = ('<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/>'
             '</d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>')
    r = requests.request("REPORT", stack.edge_url + bob_calendar, data=query,
                         headers={**bearer(bob), "Depth": "1", "Content-Type": "application/xml"}, timeout=60)
    assert r.status_code == 207, r.text[:300]
    copies = collections.Counter(line.split(f"UID:{batch}-")[1][:3] for line in r.text.splitlines()
                                 if f"UID:{batch}-" in line)
    assert len(copies) == 200 and set(copies.values()) == {1}, copies
    print(f"200 invitations PUT → delivered → mailed in {elapsed:.1f} s ({200 / elapsed:.1f}/s)")


@pytest.fixture
def worker_with(stack, tmp_path):
    """Replaces the stack's worker by one with other settings for the test's duration."""
    started = []

    def start(settings):
        stack.worker.stop()
        started.append(start_worker(stack, tmp_path, settings))
        return started[-1]

    yield start
    for w in started:
        w.stop()
    stack.worker.launch()
    stack.worker.wait_ready()


@pytest.mark.fault
def test_smtp_down_is_retried_then_dead_lettered_and_the_whitelist_is_honoured(stack, worker_with):
    worker = worker_with({"rabbitmq.properties": {"consumer.retry.max": "2", "consumer.retry.delay": "300ms"},
                 "configuration.properties": {"mail.imip.recipient.whitelist": f"Guest@Elsewhere.example,{EXTERNAL}"}})
    # Whitelist: a notification for someone else is acknowledged without mail.
    other = f"sched-{uuid.uuid4()}"
    publish(stack, NOTIFICATIONS, notification(other, "nobody@elsewhere.example"))
    allowed = f"sched-{uuid.uuid4()}"
    publish(stack, NOTIFICATIONS, notification(allowed, EXTERNAL))
    wait_for_mails(stack, allowed, lambda m: len(m) == 1, "the whitelisted mail")
    assert mails_about(stack, other) == []

    # SMTP down for less than the retries: the mail arrives once it is back.
    stack.smtp.stop()
    retried = f"sched-{uuid.uuid4()}"
    try:
        publish(stack, NOTIFICATIONS, notification(retried, EXTERNAL))
        time.sleep(0.5)
    finally:
        stack.smtp.start()
    wait_for_mails(stack, retried, lambda m: len(m) == 1, "the retried mail")

    # SMTP down for longer: dead-lettered with the reason, nothing lost.
    stack.smtp.stop()
    lost = notification(f"sched-{uuid.uuid4()}", EXTERNAL)
    try:
        publish(stack, NOTIFICATIONS, lost)
        props = take_dead_letter(stack, NOTIFICATION_DLQ, lost, timeout=30)
    finally:
        stack.smtp.start()
    assert "SMTP" in props.headers["x-twake-dead-letter-reason"] or "smtp" in props.headers["x-twake-dead-letter-reason"]
    assert props.headers["x-twake-attempts"] == 3
    metrics = requests.get(worker.webadmin_url + "/metrics", timeout=10).text
    assert 'twake_mail_skipped_total{reason="whitelist"} 1' in metrics
    assert 'twake_mail_sends_total{outcome="failed",template="event-invite"}' in metrics
    assert 'twake_mail_sends_total{outcome="sent",template="event-invite"} 2' in metrics
