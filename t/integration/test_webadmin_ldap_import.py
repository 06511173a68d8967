"""`POST /registeredUsers/tasks?task=importFromLDAP` (docs/webadmin.md §7.3): the directory's users
become registered users (names from cn and sn), paced to `usersPerSecond`."""

from __future__ import annotations

import subprocess
import time

import pytest
import requests

from harness.worker_conf import start_worker

STRANGER_DN = "uid=stranger,ou=users,dc=twake,dc=test"
STRANGER = f"""dn: {STRANGER_DN}
objectClass: inetOrgPerson
uid: stranger
cn: Sam Stranger
sn: Stranger
mail: sam@not-provisioned.test
"""


def admin(stack, method: str, path: str) -> requests.Response:
    return requests.request(method, stack.worker.webadmin_url + path, timeout=60)


def run_import(stack, per_second: int | None = None) -> tuple[dict, float]:
    query = "" if per_second is None else f"&usersPerSecond={per_second}"
    started = time.monotonic()
    r = admin(stack, "POST", f"/registeredUsers/tasks?task=importFromLDAP{query}")
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == f"/tasks/{r.json()['taskId']}"
    report = admin(stack, "GET", f"/tasks/{r.json()['taskId']}/await?timeout=30").json()
    return report, time.monotonic() - started


def ldap(stack, tool: str, *args: str, data: str | None = None) -> None:
    subprocess.run([tool, "-x", "-H", stack.ldap.url, "-D", stack.ldap.admin_dn, "-w", stack.ldap.admin_password, *args],
                   input=data, text=True, check=True, capture_output=True, timeout=10)


def test_the_directory_users_are_created_or_renamed_at_the_pace_asked(stack, db):
    # The health-check entry is nobody's login: its user document can go without harm.
    db.users.delete_many({"accounts.emails": "ldap-test@example.com"})
    db.users.update_one({"accounts.emails": "bob@example.com"}, {"$set": {"firstname": "Robert", "lastname": "X"}})
    report, took = run_import(stack, per_second=2)
    assert report["status"] == "completed", report
    assert report["type"] == "import-ldap-users"
    info = report["additionalInformation"]
    # alice, bob, carol and the health-check entry: all in example.com.
    assert (info["processedUserCount"], info["failedUserCount"]) == (4, 0)
    assert info["runningOptions"] == {"usersPerSecond": 2}
    assert took >= 1.0, "4 entries at 2 per second take at least one pause of a second"
    created = db.users.find_one({"accounts.emails": "ldap-test@example.com"})
    assert (created["firstname"], created["lastname"]) == ("LDAP health", "check")
    bob = db.users.find_one({"accounts.emails": "bob@example.com"})
    assert (bob["firstname"], bob["lastname"]) == ("Bob", "Durand")
    # Nothing changes the second time.
    again, _ = run_import(stack)
    assert again["status"] == "completed"
    assert again["additionalInformation"]["runningOptions"] == {"usersPerSecond": 100}
    assert db.users.count_documents({"accounts.emails": "ldap-test@example.com"}) == 1


def test_an_entry_in_an_unknown_domain_fails_the_task(stack, db):
    ldap(stack, "ldapadd", data=STRANGER)
    try:
        report, _ = run_import(stack)
        assert report["status"] == "failed", report
        info = report["additionalInformation"]
        assert (info["processedUserCount"], info["failedUserCount"]) == (4, 1)
        assert db.users.count_documents({"accounts.emails": "sam@not-provisioned.test"}) == 0
    finally:
        ldap(stack, "ldapdelete", STRANGER_DN)


@pytest.mark.parametrize("query,details", [
    ("task=importFromLDAP&usersPerSecond=0", "usersPerSecond"),
    ("task=importFromLDAP&usersPerSecond=-3", "usersPerSecond"),
    ("task=importFromLDAP&usersPerSecond=fast", "usersPerSecond"),
    ("task=syncEverything", "Invalid task: 'syncEverything'"),
    ("", "Invalid task: ''"),
])
def test_bad_parameters_are_refused(stack, query, details):
    r = admin(stack, "POST", f"/registeredUsers/tasks?{query}")
    assert r.status_code == 400
    assert r.json()["type"] == "InvalidArgument" and details in r.json()["message"]


def test_without_ldap_the_route_does_not_exist(stack, tmp_path):
    worker = start_worker(stack, tmp_path, drop=("usersrepository.xml",))
    try:
        r = requests.post(worker.webadmin_url + "/registeredUsers/tasks?task=importFromLDAP", timeout=10)
        assert r.status_code == 404
    finally:
        worker.stop()
