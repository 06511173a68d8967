"""Uploads and imports end to end (docs/reference/rest-api.md §17): a file uploaded through the
edge's POST /api/files, imported by POST /api/import into the user's calendar or address book
through the DAV server as the user, counted back through /dav, and the report mail read from the
stack's SMTP sink in the user's language; malformed items are reported while the others land; the
per-user limit evicts the oldest upload; an expired upload is refused; bodies over the worker's
own limit are a JSON 413."""

from __future__ import annotations

import email
import email.policy
import os
import re
import time
import uuid

import pytest
import requests

from harness.worker_conf import start_worker
from test_itip_delivery import bearer, wait_for
from test_scheduling_mail import set_settings

PARIS = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
END:DAYLIGHT
END:VTIMEZONE
"""


def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


def vevent(uid: str, n: int, extra: str = "", start: str | None = None, description: str = "") -> str:
    day = 1 + n % 28
    start = start or f"DTSTART;TZID=Europe/Paris:202703{day:02d}T{8 + n % 10:02d}0000"
    desc = f"DESCRIPTION:{description}\n" if description else ""
    return (f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261201T100000Z\n{start}\nDURATION:PT1H\n"
            f"SUMMARY:Imported {n}\n{desc}{extra}END:VEVENT\n")


def calendar_file(events: list[str]) -> bytes:
    return crlf("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//import//EN\n" + PARIS + "".join(events) +
                "END:VCALENDAR\n")


def events_with_overrides(prefix: str, count: int, recurring_every: int = 10) -> list[str]:
    """`count` UIDs; every `recurring_every`-th one weekly with two moved occurrences."""
    out = []
    for n in range(count):
        uid = f"{prefix}-{n}"
        if n % recurring_every == 0:
            out.append(vevent(uid, n, "RRULE:FREQ=WEEKLY;COUNT=10\n",
                              start="DTSTART;TZID=Europe/Paris:20270301T090000"))
            for week in (2, 3):
                out.append(vevent(uid, n, f"RECURRENCE-ID;TZID=Europe/Paris:202703{1 + 7 * (week - 1):02d}T090000\n",
                                  start=f"DTSTART;TZID=Europe/Paris:202703{1 + 7 * (week - 1):02d}T100000"))
        else:
            out.append(vevent(uid, n))
    return out


class User:
    """A fresh user, signed in at the edge, with its default calendar and address book."""

    def __init__(self, stack):
        self.stack = stack
        self.email = f"imp{uuid.uuid4().hex[:8]}@example.com"
        stack.oidc.add_account({"sub": self.email, "email": self.email, "given_name": "Ada",
                                "family_name": "Import", "password": "x"})
        self.token = stack.oidc.token(self.email)
        me = requests.get(stack.edge_url + "/api/user", headers=self.headers(), timeout=10)
        assert me.status_code == 200, me.text
        self.id = me.json()["_id"]
        self.calendar = f"/calendars/{self.id}/{self.id}.json"
        self.book = f"/addressbooks/{self.id}/contacts.json"

    def headers(self, **more) -> dict:
        return {**bearer(self.token), **more}

    def upload(self, content: bytes, mimetype="text/calendar", name="agenda.ics", size=None):
        return requests.post(self.stack.edge_url + "/api/files",
                             params={"name": name, "size": str(len(content) if size is None else size),
                                     "mimetype": mimetype},
                             data=content, headers=self.headers(**{"Content-Type": mimetype}), timeout=60)

    def start_import(self, file_id: str, target: str, path="/api/import"):
        return requests.post(self.stack.edge_url + path, json={"fileId": file_id, "target": target},
                             headers=self.headers(), timeout=30)

    def count(self, collection: str, suffix: str) -> int:
        """The objects of a collection, listed with PROPFIND through /dav."""
        r = requests.request("PROPFIND", self.stack.edge_url + "/dav" + collection, timeout=60,
                             headers=self.headers(Depth="1", **{"Content-Type": "application/xml"}),
                             data=b'<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>')
        assert r.status_code == 207, r.text
        return len(re.findall(rf"<(?:\w+:)?href>[^<]+\{suffix}</(?:\w+:)?href>", r.text))

    def report_mail(self, timeout=60.0):
        """(text, Content-Language, subject) of the import report mail sent to this user."""
        def probe():
            for message in self.stack.smtp.messages():
                parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
                if parsed["To"] and parsed["To"].addresses[0].addr_spec.lower() == self.email:
                    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
                    return text.get_content(), text["Content-Language"], str(parsed["Subject"])
            return None
        return wait_for(probe, f"the import report mail to {self.email}", timeout)


def imported(user: User, collection: str, suffix: str, expected: int, timeout=120.0) -> int:
    return wait_for(lambda: (lambda n: n if n >= expected else None)(user.count(collection, suffix)),
                    f"{expected} objects in {collection}", timeout)


def test_500_events_with_recurring_overrides_become_500_objects_and_a_report(stack):
    user = User(stack)
    body = calendar_file(events_with_overrides(f"ev{uuid.uuid4().hex[:6]}", 500))
    up = user.upload(body)
    assert up.status_code == 201, up.text
    file_id = up.json()["_id"]
    assert re.fullmatch(r"[0-9a-f]{24}", file_id)

    started = time.monotonic()
    r = user.start_import(file_id, user.calendar)
    assert r.status_code == 202, r.text
    assert uuid.UUID(r.json()["importId"])

    calendar = f"/calendars/{user.id}/{user.id}/"
    assert imported(user, calendar, ".ics", 500) == 500
    text, language, subject = user.report_mail()
    elapsed = time.monotonic() - started
    print(f"\n500 objects (600 VEVENTs) imported and reported in {elapsed:.1f} s")
    assert language == "en" and subject == "Your calendar import is done"
    assert "500 event(s) imported, 0 failed" in text
    assert "https://calendar.example.com" in text

    # A master and its overrides are one object: both moved occurrences are in it.
    href = [h for h in re.findall(r"href>([^<]+\.ics)<", requests.request(
        "PROPFIND", stack.edge_url + "/dav" + calendar, headers=user.headers(Depth="1"), timeout=30).text)
        if h.rstrip("/").endswith("-0.ics")][0]
    path = href if href.startswith("/dav/") else "/dav" + href
    got = requests.get(stack.edge_url + path, headers=user.headers(), timeout=10).text
    assert got.count("BEGIN:VEVENT") == 3 and got.count("RECURRENCE-ID") == 2
    assert "BEGIN:VTIMEZONE" in got and "TZID:Europe/Paris" in got


def test_malformed_events_are_reported_in_french_while_the_others_land(stack):
    user = User(stack)
    set_settings(stack, user.email, [{"name": "core", "configurations": [{"name": "language", "value": "fr"}]}])
    prefix = f"bad{uuid.uuid4().hex[:6]}"
    events = [vevent(f"{prefix}-{n}", n) for n in range(20)]
    for n in (3, 9, 15):  # an unreadable start: the event cannot be written
        events[n] = vevent(f"{prefix}-{n}", n, start="DTSTART:not-a-date")
    up = user.upload(calendar_file(events))
    assert up.status_code == 201, up.text
    # The deprecated alias does the same.
    r = user.start_import(up.json()["_id"], user.calendar, path="/linagora.esn.dav.import/api/import")
    assert r.status_code == 202, r.text

    text, language, subject = user.report_mail()
    assert language == "fr" and subject == "Votre import de calendrier est terminé"
    assert "17 événement(s) importé(s), 3 en échec" in text, text
    for n in (3, 9, 15):
        assert f"UID {prefix}-{n}" in text
    assert user.count(f"/calendars/{user.id}/{user.id}/", ".ics") == 17


def test_vcards_land_with_new_uids_and_the_broken_ones_are_reported(stack):
    user = User(stack)
    cards = []
    for n in range(12):
        version = "3.0" if n % 2 else "4.0"
        cards.append(f"BEGIN:VCARD\nVERSION:{version}\nPRODID:-//Phone//EN\nUID:same-uid-for-all\n"
                     f"FN:Contact {n}\nN:Contact;{n};;;\nEMAIL;TYPE=INTERNET:c{n}@example.org\n"
                     f"TEL;TYPE=CELL:+33 6 00 00 00 {n:02d}\nEND:VCARD\n")
    for n in (4, 7):  # a line that is no property: the DAV server refuses the card
        cards[n] = cards[n].replace("END:VCARD\n", "this line is no property\nEND:VCARD\n")
    up = user.upload(crlf("".join(cards)), mimetype="text/vcard", name="contacts.vcf")
    assert up.status_code == 201, up.text
    file_id = up.json()["_id"]

    # The file's type decides: a vCard file into a calendar is refused.
    wrong = user.start_import(file_id, user.calendar)
    assert wrong.status_code == 400 and wrong.json()["error"]["details"] == "Invalid target path"

    r = user.start_import(file_id, user.book)
    assert r.status_code == 202, r.text
    text, language, subject = user.report_mail()
    assert language == "en" and subject == "Your contacts import is done"
    assert "10 contact(s) imported, 2 failed" in text, text
    assert "c4@example.org" in text and "c7@example.org" in text
    # Every card got its own UID: the file's shared one did not make them overwrite each other.
    assert user.count(f"/addressbooks/{user.id}/contacts/", ".vcf") == 10


def test_refusals_of_upload_and_import(stack, db):
    user = User(stack)

    def refusal(r):
        assert r.status_code == 400, r.text
        return r.json()["error"]["details"]

    api = stack.edge_url + "/api/files"
    h = user.headers()
    assert refusal(requests.post(api, params={"size": "1", "mimetype": "text/calendar"}, data=b"x", headers=h)) \
        == "Missing name param"
    assert refusal(requests.post(api, params={"name": "a", "size": "x", "mimetype": "text/calendar"}, data=b"x",
                                 headers=h)) == "Invalid size param: x"
    assert refusal(requests.post(api, params={"name": "a", "size": "1", "mimetype": "image/png"}, data=b"x",
                                 headers=h)) == "Unknown uploaded MIME type: image/png"
    assert refusal(user.upload(b"BEGIN:VCALENDAR", size=3)) == \
        "Real size is greater than declared size, expected: 3, got: 15"
    assert refusal(user.upload(b"x", size=60 * 1024 * 1024)) == "File size exceeds user total upload limit"

    up = user.upload(calendar_file([vevent("expired-1", 1)]))
    file_id = up.json()["_id"]
    assert refusal(user.start_import(file_id, "/calendars/x")) == "Invalid target path"
    assert refusal(requests.post(stack.edge_url + "/api/import", json={"target": user.calendar}, headers=h)) \
        == "fileId must be present"
    other = User(stack)
    assert refusal(other.start_import(file_id, other.calendar)) == "Uploaded file not found"

    # Past upload.expiration (1 h): refused before the purge has deleted it.
    from bson import ObjectId
    import datetime
    db.twake_calendar_uploaded_files.update_one(
        {"_id": ObjectId(file_id)},
        {"$set": {"created": datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)}})
    assert refusal(user.start_import(file_id, user.calendar)) == "Uploaded file has expired"

    # The edge bounds the body (client_max_body_size of location = /api/files): JSON 413.
    big = requests.post(api, params={"name": "big.ics", "size": str(16 << 20), "mimetype": "text/calendar"},
                        data=b"x" * (16 << 20), headers=h, timeout=60)
    assert big.status_code == 413 and big.json()["error"]["code"] == 413


def test_the_user_limit_evicts_the_oldest_and_the_worker_bounds_the_body(stack, db, tmp_path):
    worker = start_worker(stack, tmp_path / "w", {"configuration.properties": {
        "upload.user.total.limit": "1KiB", "upload.max.file.size": "2KiB"}})
    try:
        api = worker.api()
        user = f"lim{uuid.uuid4().hex[:8]}@example.com"

        def upload(size: int):
            r = api.post(f"/api/files?name=f{size}.ics&size={size}&mimetype=text/calendar", user=user,
                         headers={"Content-Type": "text/calendar"}, body=b"a" * size)
            assert r.status == 201, r.body
            return r.json()["_id"]

        first, second = upload(400), upload(400)
        time.sleep(0.01)
        third = upload(300)  # 800 + 300 > 1024: the oldest goes
        kept = {str(d["_id"]) for d in db.twake_calendar_uploaded_files.find({"username": user}, {"data": 0})}
        assert kept == {second, third}
        assert first not in kept

        # Over upload.max.file.size (plus a multipart envelope): the worker's own JSON 413.
        r = api.post(f"/api/files?name=big.ics&size=1000&mimetype=text/calendar", user=user,
                     headers={"Content-Type": "text/calendar"}, body=b"a" * (70 * 1024 + 1))
        assert r.status == 413
        assert r.json()["error"]["type"] == "PayloadTooLarge"
        assert "bytes accepted here" in r.json()["error"]["details"]
    finally:
        worker.stop()


def vm_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        return int(next(line for line in f if line.startswith(field + ":")).split()[1])


def vm_hwm_kib(pid: int) -> int:
    return vm_kib(pid, "VmHWM")


def vm_rss_kib(pid: int) -> int:
    return vm_kib(pid, "VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@pytest.mark.skipif(not os.environ.get("TCAL_IMPORT_BENCH"), reason="benchmark: set TCAL_IMPORT_BENCH=1")
@pytest.mark.timeout(3600)
def test_bench_a_10_mb_file(stack):
    """Throughput and the worker's peak memory for a 10 MB ICS (printed; run with -s)."""
    user = User(stack)
    description = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 60
    events, size, n = [], 0, 0
    prefix = f"big{uuid.uuid4().hex[:6]}"
    while size < 10 * 1000 * 1000:
        events.append(vevent(f"{prefix}-{n}", n, description=description))
        size += len(events[-1]) + 60
        n += 1
    body = calendar_file(events)
    pid = stack.worker.proc.pid
    before, cpu_before = vm_hwm_kib(pid), cpu_seconds(pid)
    up = user.upload(body)
    assert up.status_code == 201, up.text
    uploaded = vm_hwm_kib(pid)
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # peak RSS back to the current RSS: the import's own peak is measured next
    rss = vm_rss_kib(pid)
    started = time.monotonic()
    assert user.start_import(up.json()["_id"], user.calendar).status_code == 202
    text, _, _ = user.report_mail(timeout=1800)
    elapsed = time.monotonic() - started
    after, cpu = vm_hwm_kib(pid), cpu_seconds(pid) - cpu_before
    assert f"{n} event(s) imported, 0 failed" in text, text
    print(f"\n{len(body) / 1e6:.1f} MB, {n} events in {elapsed:.1f} s: {n / elapsed:.1f} events/s; "
          f"worker CPU {cpu:.1f} s (upload, import, and indexing the events' messages); "
          f"worker VmHWM {before / 1024:.0f} MiB before, {uploaded / 1024:.0f} MiB after the upload; "
          f"import: VmRSS {rss / 1024:.0f} MiB at its start, VmHWM {after / 1024:.0f} MiB at its end")
