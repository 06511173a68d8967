"""The reindex task (docs/reference/search.md §8): `POST /calendars?task=reindex` rebuilds the
events index from the DAV server, restoring what was wiped, correcting what is wrong and
removing what no object holds any more; paced, cancellable, with its counts in the task's
additional information."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from test_event_search import found, ids, save, word
from test_itip_delivery import calendar_of, put, wait_for
from test_resource_booking import invite, person, room, room_copy
from test_search_indexing import RECURRING, opensearch


def admin(stack, method: str, path: str) -> requests.Response:
    return requests.request(method, stack.worker.webadmin_url + path, timeout=60)


def home_documents(stack, home: str) -> dict:
    """{id: source} of every document of a calendar home."""
    opensearch(stack, "POST", "/calendar-events/_refresh")
    answer = opensearch(stack, "POST", "/calendar-events-read/_search",
                        json={"query": {"term": {"baseCalendarId": home}}, "size": 10000})
    assert answer.status_code == 200, answer.text
    return {hit["_id"]: hit["_source"] for hit in answer.json()["hits"]["hits"]}


def delete_documents(stack, doc_ids: list[str], routing: str) -> None:
    lines = "".join(f'{{"delete":{{"_index":"calendar-events-write","_id":"{d}","routing":"{routing}"}}}}\n'
                    for d in doc_ids)
    answer = opensearch(stack, "POST", "/_bulk?refresh=true", data=lines,
                        headers={"Content-Type": "application/x-ndjson"})
    assert answer.status_code == 200 and not answer.json()["errors"], answer.text


def start_reindex(stack, query: str = "") -> str:
    started = admin(stack, "POST", "/calendars?task=reindex" + query)
    assert started.status_code == 201, started.text
    return started.json()["taskId"]


def await_task(stack, task_id: str) -> dict:
    return admin(stack, "GET", f"/tasks/{task_id}/await?timeout=60").json()


def test_a_wiped_home_is_restored_a_wrong_document_corrected_and_a_stale_one_removed(stack, people):
    # A user of its own: the demo users' calendars hold other tests' events, some of them
    # written under two file names, whose documents a reindex may name differently.
    owner = person(stack, people.domain())
    alice, calendar = owner.token, owner.calendar
    home = ids(calendar)["userId"]
    text = word()
    single = save(stack, alice, calendar, f"Reindexed {text}")
    recurring = f"search-{uuid.uuid4()}"
    assert put(stack, alice, calendar + f"{recurring}.ics",
               RECURRING.format(uid=recurring).replace("SUMMARY:Weekly", f"SUMMARY:{text} weekly")).status_code == 201
    wait_for(lambda: len(found(stack, alice, {"calendars": [ids(calendar)], "query": text})) == 2, "both events")
    before = home_documents(stack, home)
    assert f"{home}:{home}:{recurring}:master" in before
    assert f"{home}:{home}:{recurring}:recurrence:20300610T080000Z" in before

    # Wipe the home's documents, add a stale one, and let another home's stay as they are.
    delete_documents(stack, list(before), home)
    stale = {**before[f"{home}:{home}:{single}:single"], "eventUid": "gone", "summary": f"Gone {text}"}
    assert opensearch(stack, "PUT", f"/calendar-events-write/_doc/{home}:{home}:gone:single?routing={home}&refresh=true",
                      json=stale).status_code == 201

    report = await_task(stack, start_reindex(stack, "&eventsPerSecond=1000&calendarsConcurrency=2"))
    assert report["status"] == "completed", report
    assert report["type"] == "reindex-calendar-events"
    info = report["additionalInformation"]
    assert info["type"] == "reindex-calendar-events"
    assert info["processedEventCount"] >= 2 and info["failedEventCount"] == 0
    assert info["runningOptions"] == {"eventsPerSecond": 1000, "calendarsConcurrency": 2}
    assert "timestamp" in info

    after = home_documents(stack, home)
    assert set(after) == set(before)                      # every document back, the stale one gone
    for doc_id, source in before.items():
        assert after[doc_id] == source, doc_id            # the same documents as the messages gave
    events = found(stack, alice, {"calendars": [ids(calendar)], "query": text})
    assert sorted(e["data"]["uid"] for e in events) == sorted([single, recurring])


def test_the_task_is_paced_shows_its_progress_and_can_be_cancelled(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    home = ids(calendar)["userId"]
    for _ in range(3):
        save(stack, alice, calendar, f"Paced {word()}")
    canary = f"{home}:{home}:canary-{uuid.uuid4()}:single"
    assert opensearch(stack, "PUT", f"/calendar-events-write/_doc/{canary}?routing={home}&refresh=true",
                      json={"baseCalendarId": home, "calendarURL": f"{home}/{home}",
                            "eventUid": "canary"}).status_code == 201
    task = start_reindex(stack, "&eventsPerSecond=1")
    time.sleep(2.5)
    running = admin(stack, "GET", f"/tasks/{task}").json()
    assert running["status"] == "inProgress", running
    assert 1 <= running["additionalInformation"]["processedEventCount"] <= 4
    assert admin(stack, "DELETE", f"/tasks/{task}").status_code == 204
    report = await_task(stack, task)
    assert report["status"] == "canceled", report
    # A home only partly rewritten when the task stopped keeps what was not rewritten.
    assert canary in home_documents(stack, home)
    delete_documents(stack, [canary], home)


def test_bad_parameters_are_refused(stack):
    for query, details in [
        ("&eventsPerSecond=0", "Query parameter 'eventsPerSecond' must be strictly positive, got: 0"),
        ("&eventsPerSecond=x", "Illegal value supplied for query parameter 'eventsPerSecond', expecting an integer"),
        ("&calendarsConcurrency=-2", "Query parameter 'calendarsConcurrency' must be strictly positive, got: -2"),
    ]:
        answer = admin(stack, "POST", "/calendars?task=reindex" + query)
        assert answer.status_code == 400, answer.text
        assert answer.json()["details"] == details
    unknown = admin(stack, "POST", "/calendars?task=nope")
    assert unknown.status_code == 400
    assert "reindex" in unknown.json()["details"] and "scheduleAlarms" in unknown.json()["details"]


def test_a_resource_calendar_is_rebuilt_with_its_domain_token(stack, db, people):
    domain = people.domain()
    organizer, blue = person(stack, domain), room(db, people, domain)
    uid = invite(stack, organizer, blue, f"Booked {word()}")
    wait_for(lambda: room_copy(stack, blue, uid), "the room's copy")
    before = wait_for(lambda: home_documents(stack, blue.id), "the room's documents")
    delete_documents(stack, list(before), blue.id)

    report = await_task(stack, start_reindex(stack, "&eventsPerSecond=1000"))
    assert report["status"] == "completed", report
    assert home_documents(stack, blue.id) == before


@pytest.mark.fault
def test_an_unreachable_dav_server_fails_the_task_and_removes_nothing(stack):
    alice, calendar = calendar_of(stack, "alice@example.com")
    home = ids(calendar)["userId"]
    canary = f"{home}:{home}:canary-{uuid.uuid4()}:single"
    assert opensearch(stack, "PUT", f"/calendar-events-write/_doc/{canary}?routing={home}&refresh=true",
                      json={"baseCalendarId": home, "calendarURL": f"{home}/{home}",
                            "eventUid": "canary"}).status_code == 201
    stack.dav.stop()
    try:
        report = await_task(stack, start_reindex(stack, "&eventsPerSecond=1000"))
    finally:
        stack.dav.start()
    assert report["status"] == "failed", report
    assert report["additionalInformation"]["processedEventCount"] == 0
    assert canary in home_documents(stack, home)
    delete_documents(stack, [canary], home)
