"""`/addressbook/domain-members` (docs/webadmin.md §9): each domain's `domain-members` address book,
on the DAV server, mirrors the directory's entries of that domain; only the differences are
written, at most `cardsPerSecond` cards a second."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from test_api_public import technical_token
from test_webadmin_ldap_import import admin, ldap

SYNC = "sync-domain-members-contacts-ldap-to-dav"


def person(domain: str, n: int, tag: str, **attributes) -> dict:
    values = {"uid": f"{tag}-{n}", "cn": f"Given{n} Family{n}", "sn": f"Family{n}",
              "mail": f"member{n}@{domain}", "telephoneNumber": f"+33 1 00 00 {n:04d}"}
    values.update(attributes)
    return values


def ldif(entries: list[dict]) -> str:
    blocks = []
    for e in entries:
        lines = [f"dn: uid={e['uid']},ou=users,dc=twake,dc=test", "objectClass: inetOrgPerson"]
        lines += [f"{k}: {v}" for k, v in e.items()]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


class Directory:
    """The entries a test adds, removed at the end (other tests count the directory's users)."""

    def __init__(self, stack):
        self.stack, self.uids = stack, set()

    def add(self, entries: list[dict]) -> None:
        ldap(self.stack, "ldapadd", data=ldif(entries))
        self.uids |= {e["uid"] for e in entries}

    def modify(self, uid: str, attribute: str, value: str) -> None:
        ldap(self.stack, "ldapmodify", data=f"dn: uid={uid},ou=users,dc=twake,dc=test\nchangetype: modify\n"
                                            f"replace: {attribute}\n{attribute}: {value}\n")

    def delete(self, uids) -> None:
        ldap(self.stack, "ldapdelete", "-c", *[f"uid={u},ou=users,dc=twake,dc=test" for u in uids])
        self.uids -= set(uids)

    def clean(self) -> None:
        if self.uids:
            self.delete(sorted(self.uids))


@pytest.fixture
def directory(stack):
    d = Directory(stack)
    yield d
    if stack.ldap.running():
        d.clean()


# The domains of this file's tests: the all-domains test leaves the others' books alone.
CREATED: list[str] = []


@pytest.fixture
def domain(people):
    name = people.domain()
    CREATED.append(name)
    return name, people.domain_id(name)


def run(stack, method: str, path: str, wait: bool = True) -> dict:
    r = admin(stack, method, path)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == f"/tasks/{r.json()['taskId']}"
    if not wait:
        return r.json()
    return admin(stack, "GET", f"/tasks/{r.json()['taskId']}/await?timeout=60").json()


def sync(stack, domain: str, query: str = "&cardsPerSecond=1000") -> dict:
    return run(stack, "POST", f"/addressbook/domain-members/{domain}?task=sync{query}")


def cards(stack, domain_id: str) -> dict[str, dict]:
    """The book read back from the DAV server as the worker reads it, by e-mail address."""
    r = requests.get(f"{stack.dav.url}/addressbooks/{domain_id}/domain-members?export",
                     headers={"TwakeCalendarToken": technical_token(stack, domain_id)}, timeout=30)
    assert r.status_code == 200, r.text
    found = {}
    for block in r.text.split("BEGIN:VCARD")[1:]:
        props = {}
        for line in filter(None, block.replace("\r\n ", "").splitlines()):
            name, _, value = line.partition(":")
            props.setdefault(name.split(";")[0], value)
        found[props["EMAIL"]] = props
    return found


def counts(report: dict) -> tuple[int, int, int]:
    info = report["additionalInformation"]
    return info["addedCount"], info["updatedCount"], info["deletedCount"]


def test_the_book_follows_the_directory_and_writes_only_changes(stack, directory, domain):
    name, domain_id = domain
    tag = uuid.uuid4().hex[:8]
    members = [person(name, n, tag) for n in range(500)]
    directory.add(members)

    report = sync(stack, name)
    assert report["status"] == "completed", report
    info = report["additionalInformation"]
    assert info["type"] == SYNC and info["domain"] == name and "ignoredDomains" not in info
    assert "ldapFilter" not in info and info["runningOptions"] == {"cardsPerSecond": 1000}
    assert counts(report) == (500, 0, 0)
    assert info["addFailureContacts"] == info["updateFailureContacts"] == info["deleteFailureContacts"] == []
    book = cards(stack, domain_id)
    assert len(book) == 500
    assert book[f"member7@{name}"] == {"VERSION": "4.0", "UID": f"{tag}-7", "FN": "Given7 Family7",
                                       "N": "Family7;Given7;;;", "EMAIL": f"member7@{name}",
                                       "TEL": "+33 1 00 00 0007", "END": "VCARD"}

    # 10 changed, 5 gone, 5 new.
    for n in range(10):
        directory.modify(f"{tag}-{n}", "telephoneNumber", f"+1 555 {n}")
    directory.delete([f"{tag}-{n}" for n in range(10, 15)])
    directory.add([person(name, n, tag, displayName=f"New {n}") for n in range(500, 505)])
    report = sync(stack, name)
    assert report["status"] == "completed", report
    assert counts(report) == (5, 10, 5)
    book = cards(stack, domain_id)
    assert len(book) == 500 and f"member12@{name}" not in book
    assert book[f"member3@{name}"]["TEL"] == "+1 555 3"
    assert book[f"member502@{name}"]["FN"] == "New 502"

    # Nothing changed: nothing written.
    assert counts(sync(stack, name)) == (0, 0, 0)



def test_a_bad_entry_or_a_refused_card_fails_alone(stack, directory, domain):
    name, domain_id = domain
    tag = uuid.uuid4().hex[:8]
    token = technical_token(stack, domain_id)
    # A card of someone no longer in the directory holds the UID a new entry will want: the
    # DAV server refuses that entry's card (a UID is unique in a book).
    sync(stack, name)  # creates the book
    stale = f"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{tag}-taken\r\nFN:Old\r\nEMAIL:old@{name}\r\nEND:VCARD\r\n"
    r = requests.put(f"{stack.dav.url}/addressbooks/{domain_id}/domain-members/elsewhere.vcf", data=stale,
                     headers={"TwakeCalendarToken": token, "Content-Type": "text/vcard"}, timeout=10)
    assert r.status_code == 201, r.text
    directory.add([person(name, n, tag) for n in range(3)]
                  + [person(name, 3, tag, mail=f"not an address@{name}"),
                     person(name, 4, tag, uid=f"{tag}-taken", mail=f"taken@{name}")])
    report = sync(stack, name)
    assert report["status"] == "failed", report
    info = report["additionalInformation"]
    assert counts(report) == (3, 0, 1)
    assert sorted(info["addFailureContacts"]) == sorted([f"not an address@{name}", f"taken@{name}"])
    assert set(cards(stack, domain_id)) == {f"member{n}@{name}" for n in range(3)} | {f"old@{name}"}

    # The clear task empties the book, whatever the directory says; as upstream, a card is
    # deleted at its UID's path, so one stored elsewhere stays.
    report = run(stack, "DELETE", f"/addressbook/domain-members/{name}")
    assert report["status"] == "completed", report
    info = report["additionalInformation"]
    assert info["type"] == "clear-domain-members-contacts-dav" and info["domain"] == name
    assert (info["deletedCount"], info["deleteFailureContacts"]) == (4, [])
    assert "addedCount" not in info and info["runningOptions"] == {"cardsPerSecond": 100}
    assert set(cards(stack, domain_id)) == {f"old@{name}"}


def test_an_unreachable_directory_fails_the_task_and_changes_nothing(stack, directory, domain):
    name, domain_id = domain
    tag = uuid.uuid4().hex[:8]
    directory.add([person(name, n, tag) for n in range(3)])
    assert counts(sync(stack, name)) == (3, 0, 0)
    directory.modify(f"{tag}-0", "sn", "Changed")
    stack.ldap.stop()
    try:
        report = sync(stack, name)
    finally:
        stack.ldap.launch()
    assert report["status"] == "failed", report
    assert counts(report) == (0, 0, 0)
    assert cards(stack, domain_id)[f"member0@{name}"]["N"] == "Family0;Given0;;;"
    errors = [json.loads(line) for line in stack.worker.log_path.read_text(errors="replace").splitlines()
              if report["taskId"] in line and "Error while running task" in line]
    assert [e["mdc"]["error"] for e in errors] == ["LDAP bind failed: Can't contact LDAP server"]


def test_live_counts_and_cancellation(stack, directory, domain):
    name, domain_id = domain
    tag = uuid.uuid4().hex[:8]
    directory.add([person(name, n, tag) for n in range(20)])
    started = run(stack, "POST", f"/addressbook/domain-members/{name}?task=sync&cardsPerSecond=4", wait=False)
    task = f"/tasks/{started['taskId']}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        report = admin(stack, "GET", task).json()
        if report["status"] == "inProgress" and report["additionalInformation"]["addedCount"] >= 4:
            break
        time.sleep(0.2)
    assert report["status"] == "inProgress" and 4 <= report["additionalInformation"]["addedCount"] < 20
    assert admin(stack, "DELETE", task).status_code == 204
    report = admin(stack, "GET", f"{task}/await?timeout=10").json()
    assert report["status"] == "canceled", report
    assert report["additionalInformation"]["addedCount"] < 20
    assert len(cards(stack, domain_id)) == report["additionalInformation"]["addedCount"]


def test_all_domains_with_a_filter(stack, directory, people, domain):
    name, domain_id = domain
    tag = uuid.uuid4().hex[:8]
    ignored = people.domain()
    directory.add([person(name, 0, tag, description=tag), person(name, 1, tag),
                   person(ignored, 2, tag, description=tag)])
    others = ",".join(d for d in CREATED if d != name)
    report = run(stack, "POST", f"/addressbook/domain-members?task=sync&ignoredDomains=%20{ignored.upper()},,"
                                f"{others}&ldapFilter=(description={tag})")
    assert report["status"] == "completed", report
    info = report["additionalInformation"]
    assert info["ignoredDomains"] == [ignored] + [d for d in CREATED if d != name]
    assert info["ldapFilter"] == f"(description={tag})" and "domain" not in info
    assert info["addedCount"] == 1
    assert set(cards(stack, domain_id)) == {f"member0@{name}"}
    ignored_id = people.domain_id(ignored)
    r = requests.get(f"{stack.dav.url}/addressbooks/{ignored_id}/domain-members?export",
                     headers={"TwakeCalendarToken": technical_token(stack, ignored_id)}, timeout=10)
    assert r.status_code == 404, "an ignored domain's book is not even created"


@pytest.mark.parametrize("method,path,status,text", [
    ("POST", "/addressbook/domain-members/unknown-{u}.test?task=sync", 404, "domain not found: unknown-{u}.test"),
    ("DELETE", "/addressbook/domain-members/unknown-{u}.test", 404, "domain not found: unknown-{u}.test"),
    ("POST", "/addressbook/domain-members/bad_domain-.test?task=sync", 400, "Invalid arguments"),
    ("POST", "/addressbook/domain-members?task=sync&ldapFilter=(cn=a", 400, "Invalid 'ldapFilter' parameter: (cn=a"),
    ("POST", "/addressbook/domain-members?task=sync&ignoredDomains=a.org,-b-", 400, "Invalid arguments"),
    ("POST", "/addressbook/domain-members?task=sync&cardsPerSecond=0", 400, "Invalid arguments"),
    ("POST", "/addressbook/domain-members", 400, "Invalid arguments"),
    ("POST", "/addressbook/domain-members?task=reindex", 400, "Invalid arguments"),
    ("POST", "/calendars?task=sync", 400, "Invalid arguments"),
])
def test_refusals(stack, method, path, status, text):
    u = uuid.uuid4().hex[:6]
    r = admin(stack, method, path.format(u=u))
    assert r.status_code == status, r.text
    assert text.format(u=u) in r.json()["message"]
