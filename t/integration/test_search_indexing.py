"""Event indexing in OpenSearch (docs/reference/search.md): the events index and its aliases
made at start (§3) and an existing index with another mapping refused, the indexing consumers (§5) driven through the edge's /dav as clients do,
their dead letters; queried on the stack's OpenSearch node directly."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid

import pytest
import requests

from harness import broker
from harness.worker_process import BINARY, SAMPLE_CONF
from test_itip_delivery import bearer, calendar_of, put, wait_for


def opensearch(stack, method: str, path: str, **kwargs):
    return requests.request(method, stack.opensearch.url + path, timeout=10, **kwargs)


def test_the_events_index_and_its_aliases_exist_with_the_mapping(stack):
    aliases = opensearch(stack, "GET", "/_alias/calendar-events-read,calendar-events-write")
    assert aliases.status_code == 200, aliases.text
    assert aliases.json() == {"calendar-events": {"aliases": {"calendar-events-read": {},
                                                              "calendar-events-write": {}}}}
    mapping = opensearch(stack, "GET", "/calendar-events/_mapping").json()
    properties = mapping["calendar-events"]["mappings"]["properties"]
    assert properties["start"] == {"type": "date"}
    assert properties["calendarURL"] == {"type": "keyword"}
    assert properties["summary"]["fields"]["prefix"]["analyzer"] == "calendar_event_summary_prefix_analyzer"
    assert properties["organizer"]["properties"]["email"]["fields"]["raw"] == {
        "type": "keyword", "normalizer": "case_insensitive"}
    settings = opensearch(stack, "GET", "/calendar-events/_settings").json()
    index = settings["calendar-events"]["settings"]["index"]
    assert index["max_ngram_diff"] == "4"
    assert index["analysis"]["filter"]["edge_ngram_filter"]["max_gram"] == "7"



EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//search test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
DTSTART;TZID=Europe/Paris:20300601T100000
DTEND;TZID=Europe/Paris:20300601T110000
SUMMARY:{summary}
ORGANIZER;CN=Alice:mailto:alice@example.com
ATTENDEE;CN=Room;CUTYPE=RESOURCE:mailto:room@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com
END:VEVENT
END:VCALENDAR
"""

RECURRING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Twake//search test//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
DTSTART:20300603T080000Z
DURATION:PT30M
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Weekly
END:VEVENT
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261129T100000Z
RECURRENCE-ID:20300610T080000Z
DTSTART:20300610T090000Z
DURATION:PT30M
SUMMARY:Weekly moved
END:VEVENT
END:VCALENDAR
"""


def documents(stack, uid: str) -> dict:
    """{id: source} of the documents of that UID, read through the read alias."""
    found = opensearch(stack, "POST", "/calendar-events-read/_search",
                       json={"query": {"term": {"eventUid": uid}}, "size": 100})
    assert found.status_code == 200, found.text
    return {hit["_id"]: hit["_source"] for hit in found.json()["hits"]["hits"]}


def test_an_event_put_is_indexed_updated_and_deleted(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    uid = f"search-{uuid.uuid4()}"
    path = calendar + f"{uid}.ics"
    assert put(stack, alice, path, EVENT.format(uid=uid, summary="Budget review")).status_code == 201
    docs = wait_for(lambda: documents(stack, uid), "the event's document")
    home, cal = calendar.strip("/").split("/")[2:4]
    assert list(docs) == [f"{home}:{cal}:{uid}:single"]
    doc = docs[f"{home}:{cal}:{uid}:single"]
    assert doc["summary"] == "Budget review"
    assert doc["start"] == "2030-06-01T08:00:00Z" and doc["end"] == "2030-06-01T09:00:00Z"
    assert doc["allDay"] is False and doc["isRecurrentMaster"] is None
    assert doc["calendarURL"] == f"{home}/{cal}" and doc["baseCalendarId"] == home
    assert doc["resourceName"] == f"{uid}.ics"
    assert doc["organizer"] == {"cn": "Alice", "email": "alice@example.com"}
    assert doc["attendees"] == [{"cn": None, "email": "alice@example.com"}]
    assert doc["resources"] == [{"cn": "Room", "email": "room@example.com"}]

    assert put(stack, alice, path, EVENT.format(uid=uid, summary="Budget review 2")).status_code in (201, 204)
    wait_for(lambda: any(d["summary"] == "Budget review 2" for d in documents(stack, uid).values()),
             "the updated summary")

    gone = requests.delete(stack.edge_url + path, headers=bearer(alice), timeout=10)
    assert gone.status_code in (200, 204), gone.text
    wait_for(lambda: documents(stack, uid) == {}, "the event's removal")


def test_a_recurring_event_and_its_override_give_two_documents(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    uid = f"search-{uuid.uuid4()}"
    assert put(stack, alice, calendar + f"{uid}.ics", RECURRING.format(uid=uid)).status_code == 201
    docs = wait_for(lambda: (lambda d: d if len(d) == 2 else None)(documents(stack, uid)),
                    "the master and the occurrence")
    home, cal = calendar.strip("/").split("/")[2:4]
    master = docs[f"{home}:{cal}:{uid}:master"]
    occurrence = docs[f"{home}:{cal}:{uid}:recurrence:20300610T080000Z"]
    assert master["isRecurrentMaster"] is True and master["collapseRank"] == 0
    assert master["end"] == "2030-06-03T08:30:00Z"
    assert occurrence["isRecurrentMaster"] is False and occurrence["collapseRank"] == 1
    assert occurrence["recurrenceId"] == "20300610T080000Z"
    assert occurrence["summary"] == "Weekly moved" and occurrence["start"] == "2030-06-10T09:00:00Z"


@pytest.mark.fault
def test_nothing_is_lost_while_opensearch_is_stopped(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    prefix = f"burst-{uuid.uuid4()}"
    stack.opensearch.stop()
    try:
        for i in range(40):
            uid = f"{prefix}-{i}"
            assert put(stack, alice, calendar + f"{uid}.ics",
                       EVENT.format(uid=uid, summary=f"Burst {i}")).status_code == 201
        time.sleep(2)
    finally:
        stack.opensearch.start()

    def all_indexed():
        found = opensearch(stack, "POST", "/calendar-events-read/_search",
                           json={"query": {"prefix": {"eventUid": prefix}}, "size": 0,
                                 "track_total_hits": True})
        return found.status_code == 200 and found.json()["hits"]["total"]["value"] == 40

    wait_for(all_indexed, "the 40 events once OpenSearch is back", timeout=90)


def test_a_document_opensearch_refuses_and_a_malformed_message_are_dead_lettered(stack):
    home = "6620a1b2c3d4e5f601234567"
    uid = f"refused-{uuid.uuid4()}"
    # SEQUENCE beyond the mapping's integer: OpenSearch answers 400 for this document only.
    refused = json.dumps({"eventPath": f"/calendars/{home}/{home}/{uid}.ics", "event": [
        "vcalendar", [], [["vevent", [["uid", {}, "text", uid], ["sequence", {}, "integer", 99999999999]], []]]]}).encode()
    broker.publish(stack, "calendar:event:created", refused)
    props = broker.take_dead_letter(stack, "tcalendar:event:created:search-dead-letter", refused)
    reason = props.headers["x-twake-dead-letter-reason"]
    assert "OpenSearch refused a document" in reason and "400" in reason, reason
    assert documents(stack, uid) == {}

    malformed = json.dumps({"eventPath": "/calendars/only-two", "event": ["vcalendar", [], []]}).encode()
    broker.publish(stack, "calendar:event:updated", malformed)
    props = broker.take_dead_letter(stack, "tcalendar:event:updated:search-dead-letter", malformed)
    assert "eventPath" in props.headers["x-twake-dead-letter-reason"]
    # The WebSocket push consumers read the same exchanges: what they dead-lettered goes too,
    # so that the dead-letter health check stays healthy for the tests after this one.
    for queue, body in (("tcalendar:event:created:notification-dead-letter", refused),
                        ("tcalendar:event:updated:notification-dead-letter", malformed)):
        try:
            broker.take_dead_letter(stack, queue, body, timeout=3)
        except AssertionError:
            pass


def test_an_existing_index_with_a_conflicting_mapping_stops_start_and_is_left_alone(stack, tmp_path):
    name = f"conflict-{uuid.uuid4().hex[:8]}"
    made = opensearch(stack, "PUT", f"/{name}", json={
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {"properties": {"start": {"type": "text"}, "kept": {"type": "keyword"}}}})
    assert made.status_code == 200, made.text
    conf = tmp_path / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    properties = conf / "opensearch.properties"
    properties.write_text(properties.read_text() + f"\nopensearch.index.calendar.events.name={name}\n")
    env = {**stack.worker_environment(), "TCAL_WEBADMIN_PORT": "0", "RUNTIME_DIRECTORY": str(tmp_path)}
    result = subprocess.run([str(BINARY), "--conf", str(conf)], env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 78, result.stdout + result.stderr
    error = json.loads(result.stdout.strip().splitlines()[-1])
    assert "'start' is 'text', expected 'date'" in error["mdc"]["error"]
    assert "opensearch.index.calendar.events.name" in error["mdc"]["error"]
    mapping = opensearch(stack, "GET", f"/{name}/_mapping").json()[name]["mappings"]["properties"]
    assert mapping == {"start": {"type": "text"}, "kept": {"type": "keyword"}}
    assert opensearch(stack, "GET", f"/{name}/_alias").json()[name]["aliases"] == {}
