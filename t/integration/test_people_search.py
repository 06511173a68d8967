"""POST /api/people/search (docs/reference/rest-api.md §13): users and resources of the caller's
domain from MongoDB, contacts from Twake Mail's contact indices (docs/reference/search.md §7),
ranked and cut to the limit. The contact indices are made here as Twake Mail makes them (the
worker only reads them), on the stack's OpenSearch node."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone

import pytest
import requests
from bson import ObjectId

from harness.service import free_port
from harness.worker_process import SAMPLE_CONF, Worker

# Twake Mail's contact indices, reduced to what the query reads: addresses n-grammed and
# searched as one lower-cased keyword, names edge-n-grammed and searched by word.
CONTACT_INDEX = {
    "settings": {"number_of_shards": 1, "number_of_replicas": 0, "index": {"max_ngram_diff": 27},
                 "analysis": {
                     "tokenizer": {"email_ngram": {"type": "ngram", "min_gram": 2, "max_gram": 29}},
                     "filter": {"name_edge_ngram": {"type": "edge_ngram", "min_gram": 2, "max_gram": 29}},
                     "analyzer": {
                         "email_ngram_analyzer": {"type": "custom", "tokenizer": "email_ngram", "filter": ["lowercase"]},
                         "email_search_analyzer": {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase"]},
                         "name_edge_ngram_analyzer": {"type": "custom", "tokenizer": "standard",
                                                      "filter": ["lowercase", "asciifolding", "name_edge_ngram"]}}}},
    "mappings": {"properties": {
        "accountId": {"type": "keyword"}, "domain": {"type": "keyword"}, "contactId": {"type": "keyword"},
        "email": {"type": "text", "analyzer": "email_ngram_analyzer", "search_analyzer": "email_search_analyzer"},
        "firstname": {"type": "text", "analyzer": "name_edge_ngram_analyzer", "search_analyzer": "standard"},
        "surname": {"type": "text", "analyzer": "name_edge_ngram_analyzer", "search_analyzer": "standard"}}}}


def opensearch(stack, method: str, path: str, **kwargs):
    return requests.request(method, stack.opensearch.url + path, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def contact_indices(stack):
    for index in ("user_contact", "domain_contact"):
        r = opensearch(stack, "PUT", f"/{index}", json={
            **CONTACT_INDEX, "aliases": {f"{index}_read_alias": {}, f"{index}_write_alias": {}}})
        assert r.status_code == 200, r.text
    yield
    for index in ("user_contact", "domain_contact"):
        opensearch(stack, "DELETE", f"/{index}")


def add_contact(stack, index: str, owner: dict, email: str, first: str, last: str) -> str:
    """Writes a contact as Twake Mail does: id `{owner}:{email}`, routed by the address."""
    contact_id = str(uuid.uuid4())
    (owner_value,) = owner.values()
    r = opensearch(stack, "PUT", f"/{index}_write_alias/_doc/{owner_value}:{email}",
                   params={"routing": email, "refresh": "true"},
                   json={**owner, "contactId": contact_id, "email": email, "firstname": first, "surname": last})
    assert r.status_code == 201, r.text
    return contact_id


def user_contact(stack, account: str, email: str, first: str, last: str) -> str:
    return add_contact(stack, "user_contact", {"accountId": account}, email, first, last)


def domain_contact(stack, domain: str, email: str, first: str, last: str) -> str:
    return add_contact(stack, "domain_contact", {"domain": domain}, email, first, last)


def add_resource(db, domain_id: str, name: str, **fields) -> str:
    rid = ObjectId()
    db.resources.insert_one({"_id": rid, "creator": ObjectId(), "deleted": False, "description": "",
                             "domain": ObjectId(domain_id), "name": name, "type": "resource",
                             "timestamps": {"creation": datetime.now(timezone.utc)}, **fields})
    return str(rid)


def search(api, caller: str, body) -> list:
    r = api.post("/api/people/search", user=caller, body=body)
    assert r.status == 200, r.body
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    return r.json()


def summary(results: list) -> list:
    return [(p["objectType"], p["names"][0]["displayName"]) for p in results]


def set_user_search_mode(stack, domain: str, mode: str):
    requests.patch(f"{stack.worker.webadmin_url}/domains/{domain}/settings", timeout=30,
                   json={"userSearchMode": mode}).raise_for_status()


@pytest.fixture
def world(stack, db, people, contact_indices):
    """A domain with a caller, a user, contacts and resources all matching "ali", and the same
    kinds elsewhere that must not show."""
    caller = people.user(given="Carol", family="Caller")
    domain = caller["domain"]
    domain_id = people.domain_id(domain)
    alice = people.user(domain, local="alice" + uuid.uuid4().hex[:6], given="Alice", family="Martin")
    other = people.user(given="Alistair", family="Foreign")
    w = {"caller": caller, "domain": domain, "alice": alice, "other": other,
         "alice_contact": user_contact(stack, caller["email"], alice["email"], "Alice", "Contact"),
         "external": user_contact(stack, caller["email"], f"alicia.{uuid.uuid4().hex[:6]}@elsewhere.test",
                                  "Alicia", "External"),
         "colleague": domain_contact(stack, domain, f"alina.{uuid.uuid4().hex[:6]}@{domain}", "Alina", "Domain"),
         "room": add_resource(db, domain_id, "Alibaba room", icon="laptop"),
         "bare_room": add_resource(db, domain_id, "Kalimba studio")}
    # Another account's contacts, another domain's contacts and resources, a deleted resource.
    user_contact(stack, other["email"], f"alibi.{uuid.uuid4().hex[:6]}@elsewhere.test", "Alibi", "Hidden")
    domain_contact(stack, other["domain"], f"alix@{other['domain']}", "Alix", "Hidden")
    add_resource(db, people.domain_id(other["domain"]), "Alibaba elsewhere")
    add_resource(db, domain_id, "Alias gone", deleted=True)
    return w


def test_every_kind_merged_and_ranked(api, stack, world):
    found = search(api, world["caller"]["email"], {"q": "ali", "objectTypes": [], "limit": 10})
    assert summary(found) == [("user", "Alice Contact"), ("resource", "Alibaba room"),
                              ("resource", "Kalimba studio"), ("contact", "Alicia External"),
                              ("contact", "Alina Domain")]
    alice, room, bare, external, colleague = found
    # A contact whose address is a user's is that user, named as the contact names it.
    assert alice == {
        "id": world["alice"]["id"], "objectType": "user",
        "names": [{"displayName": "Alice Contact", "type": "default"}],
        "emailAddresses": [{"value": world["alice"]["email"], "type": "Work"}], "phoneNumbers": [],
        "photos": [{"url": f"{stack.edge_url}/api/avatars?email={world['alice']['email']}", "type": "default"}]}
    assert room == {
        "id": world["room"], "objectType": "resource",
        "names": [{"displayName": "Alibaba room", "type": "default"}],
        "emailAddresses": [{"value": f"{world['room']}@{world['domain']}", "type": "default"}], "phoneNumbers": [],
        "photos": [{"url": f"{stack.edge_url}/images/icon/laptop.svg", "type": "default"}]}
    assert "photos" not in bare
    assert (external["id"], colleague["id"]) == (world["external"], world["colleague"])
    assert external["emailAddresses"][0]["type"] == "Work"
    # The same with the three names listed (any case), unknown names ignored.
    listed = search(api, world["caller"]["email"],
                    {"q": "ali", "objectTypes": ["User", "CONTACT", "resource", "group"], "limit": 10, "extra": 1})
    assert listed == found


def test_limit_cuts_after_ranking(api, world):
    # Each provider reads `limit` (the three contacts here), the merged list is cut after ranking.
    found = search(api, world["caller"]["email"], {"q": "ali", "objectTypes": [], "limit": 3})
    assert summary(found) == [("user", "Alice Contact"), ("resource", "Alibaba room"),
                              ("resource", "Kalimba studio")]


def test_contacts_alone_are_not_resolved_to_users(api, world):
    found = search(api, world["caller"]["email"], {"q": "ali", "objectTypes": ["contact"], "limit": 10})
    assert summary(found) == [("contact", "Alice Contact"), ("contact", "Alicia External"),
                              ("contact", "Alina Domain")]
    assert found[0]["id"] == world["alice_contact"]
    # An address query matches the address only.
    by_address = search(api, world["caller"]["email"],
                        {"q": world["alice"]["email"], "objectTypes": ["contact"], "limit": 10})
    assert summary(by_address) == [("contact", "Alice Contact")]


def test_users_of_the_callers_domain_by_prefix(api, stack, people, world):
    caller = world["caller"]["email"]
    found = search(api, caller, {"q": "ALI", "objectTypes": ["user"], "limit": 10})
    assert found == [{
        "id": world["alice"]["id"], "objectType": "user",
        "names": [{"displayName": "Alice Martin", "type": "default"}],
        "emailAddresses": [{"value": world["alice"]["email"], "type": "Work"}], "phoneNumbers": [],
        "photos": [{"url": f"{stack.edge_url}/api/avatars?email={world['alice']['email']}", "type": "default"}]}]
    assert summary(search(api, caller, {"q": "mart", "objectTypes": ["user"], "limit": 10})) == [("user", "Alice Martin")]
    # Another domain's Alistair is never found, even by its exact address.
    assert search(api, caller, {"q": world["other"]["email"], "objectTypes": ["user"], "limit": 10}) == []
    # Regular-expression characters are text.
    assert search(api, caller, {"q": "a.i", "objectTypes": ["user"], "limit": 10}) == []
    assert search(api, caller, {"q": "ali(", "objectTypes": ["user", "resource"], "limit": 10}) == []
    assert summary(search(api, caller, {"q": "  IBABA ", "objectTypes": ["resource"], "limit": 10})) == \
        [("resource", "Alibaba room")]
    # The limit applies to the users read.
    for n in range(3):
        people.user(world["domain"], local=f"alizee{n}{uuid.uuid4().hex[:4]}", given="Alizee", family=str(n))
    assert len(search(api, caller, {"q": "ali", "objectTypes": ["user"], "limit": 2})) == 2


def test_user_search_mode_of_the_domain(api, stack, world):
    caller, domain, alice = world["caller"]["email"], world["domain"], world["alice"]
    set_user_search_mode(stack, domain, "limited")
    assert search(api, caller, {"q": "ali", "objectTypes": ["user"], "limit": 10}) == []
    exact = search(api, caller, {"q": alice["email"].upper(), "objectTypes": ["user"], "limit": 10})
    assert summary(exact) == [("user", "Alice Martin")]
    # Limited still lets a contact be answered as the user it is.
    assert summary(search(api, caller, {"q": "ali", "objectTypes": [], "limit": 10}))[0] == ("user", "Alice Contact")
    set_user_search_mode(stack, domain, "disabled")
    assert search(api, caller, {"q": alice["email"], "objectTypes": ["user"], "limit": 10}) == []
    found = search(api, caller, {"q": "ali", "objectTypes": [], "limit": 10})
    assert summary(found)[0] == ("resource", "Alibaba room")
    assert found[2]["objectType"] == "contact" and found[2]["id"] == world["alice_contact"]


@pytest.mark.parametrize("body, details", [
    ({"q": "a", "objectTypes": []}, "Limit must be greater than 0"),
    ({"q": "a", "objectTypes": [], "limit": 0}, "Limit must be greater than 0"),
    ({"q": "a", "objectTypes": [], "limit": -1}, "Limit must be greater than 0"),
    ({"q": "a", "objectTypes": [], "limit": 257}, "Maximum limit allowed: 256, but got: 257"),
    ({"q": "a", "objectTypes": [], "limit": "ten"}, "Limit must be an integer"),
    ({"q": "a", "objectTypes": "user", "limit": 1}, "objectTypes must be an array of strings"),
    ("{not json", "The body must be a JSON object"),
])
def test_refused_requests(api, people, body, details):
    u = people.user()
    r = api.post("/api/people/search", user=u["email"], body=body)
    assert (r.status, r.json()) == (400, {"error": {"code": 400, "type": "BadRequest", "message": "Bad request",
                                                    "details": details}})


def test_needs_a_caller(api):
    r = api.post("/api/people/search", body={"q": "a", "objectTypes": [], "limit": 1})
    assert (r.status, r.json()["error"]["type"]) == (401, "Unauthorized")


def test_through_the_edge_with_a_token(stack, db, people, contact_indices):
    domain = people.domain()
    email = f"searcher{uuid.uuid4().hex[:6]}@{domain}"
    stack.oidc.add_account({"sub": email, "email": email, "given_name": "Sam", "family_name": "Searcher",
                            "password": "x"})
    token = stack.oidc.token(email)
    peer = people.user(domain, given="Samantha", family="Peer")
    domain_contact(stack, domain, f"sammy@{domain}", "Sammy", "Colleague")
    url = stack.edge_url + "/api/people/search"
    r = requests.post(url, json={"q": "sam", "objectTypes": [], "limit": 5},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200, r.text
    assert summary(r.json()) == [("contact", "Sammy Colleague")]
    r = requests.post(url, json={"q": "sam", "objectTypes": ["user"], "limit": 5},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert {p["id"] for p in r.json()} == {peer["id"], str(db.users.find_one({"accounts.emails": email})["_id"])}
    assert requests.post(url, json={"q": "sam", "limit": 5}, timeout=10).status_code == 401


def test_opensearch_down_leaves_contacts_out(stack, db, people, tmp_path):
    """Users and resources still answer; the failure is logged and counted."""
    env = {**stack.worker_environment(), "TCAL_OPENSEARCH_HOSTS": f"127.0.0.1:{free_port()}"}
    worker = Worker(tmp_path / "worker", env)
    worker.start()
    try:
        caller = people.user(given="Carol", family="Caller")
        add_resource(db, people.domain_id(caller["domain"]), "Alibaba room")
        r = worker.api().post("/api/people/search", user=caller["email"],
                              body={"q": "ali", "objectTypes": [], "limit": 5})
        assert (r.status, summary(r.json())) == (200, [("resource", "Alibaba room")])
        status, metrics = worker.get("/metrics")
        assert status == 200 and b"tcal_people_search_contact_failures_total 1" in metrics
    finally:
        worker.stop()


def test_missing_contact_aliases_give_no_contact_and_no_failure(stack, db, people, tmp_path, contact_indices):
    """Twake Mail not deployed: the aliases do not exist, which is no failure."""
    conf = tmp_path / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    with (conf / "opensearch.properties").open("a") as f:
        f.write("\nopensearch.alias.read.contact.user.name=absent_user_contacts\n"
                "opensearch.alias.read.contact.domain.name=absent_domain_contacts\n")
    worker = Worker(tmp_path / "worker", stack.worker_environment(), conf_dir=conf)
    worker.start()
    try:
        caller = people.user(given="Carol", family="Caller")
        user_contact(stack, caller["email"], f"alicia@{caller['domain']}", "Alicia", "Hidden")
        add_resource(db, people.domain_id(caller["domain"]), "Alibaba room")
        r = worker.api().post("/api/people/search", user=caller["email"],
                              body={"q": "ali", "objectTypes": [], "limit": 5})
        assert (r.status, summary(r.json())) == (200, [("resource", "Alibaba room")])
        status, metrics = worker.get("/metrics")
        assert status == 200 and b"tcal_people_search_contact_failures_total 0" in metrics
    finally:
        worker.stop()
