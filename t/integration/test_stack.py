"""Every server of the test stack answers for real (not just an open port)."""

from __future__ import annotations

import json
import smtplib
import time
import urllib.request
import uuid
from email.message import EmailMessage

import ldap3
import pika


def test_redis_stores_and_returns_a_value(stack):
    key = f"probe-{uuid.uuid4().hex}"
    assert stack.redis.call("SET", key, "v") == "+OK"
    assert stack.redis.call("GET", key) == "$1"  # bulk string of length 1 follows


def test_rabbitmq_routes_a_message_through_an_exchange(stack):
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    try:
        channel = connection.channel()
        exchange = f"probe-{uuid.uuid4().hex}"
        channel.exchange_declare(exchange, "fanout", auto_delete=True)
        queue = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(queue, exchange)
        channel.basic_publish(exchange, "", b'{"hello":1}')
        deadline = time.monotonic() + 5
        body = None
        while body is None and time.monotonic() < deadline:
            _, _, body = channel.basic_get(queue, auto_ack=True)
        assert json.loads(body) == {"hello": 1}
    finally:
        connection.close()


def test_slapd_binds_a_user_and_finds_its_entry(stack):
    server = ldap3.Server(stack.ldap.url)
    user = ldap3.Connection(server, "uid=alice,ou=users,dc=twake,dc=test", "alice-secret")
    assert user.bind()
    wrong = ldap3.Connection(server, "uid=alice,ou=users,dc=twake,dc=test", "nope")
    assert not wrong.bind()
    admin = ldap3.Connection(server, stack.ldap.admin_dn, stack.ldap.admin_password, auto_bind=True)
    admin.search(stack.ldap.users_dn, "(mail=alice@example.com)", attributes=["cn", "givenName", "sn"])
    assert [str(e.cn) for e in admin.entries] == ["Alice Martin"]


def test_ferretdb_stores_documents(stack):
    collection = stack.mongo.client()[stack.mongo_database][f"probe_{uuid.uuid4().hex}"]
    collection.insert_one({"email": "x@example.com", "n": 1})
    assert collection.find_one({"email": "x@example.com"})["n"] == 1
    collection.drop()


def test_opensearch_indexes_searches_and_runs_painless(stack):
    index = f"probe-{uuid.uuid4().hex}"
    os = stack.opensearch
    os.request("PUT", f"/{index}", {"settings": {"number_of_replicas": 0, "analysis": {
        "filter": {"edge": {"type": "edge_ngram", "min_gram": 3, "max_gram": 7}},
        "analyzer": {"prefix": {"tokenizer": "standard", "filter": ["lowercase", "edge"]}}}},
        "mappings": {"properties": {"summary": {"type": "text", "analyzer": "prefix"}}}})
    os.request("PUT", f"/{index}/_doc/1?refresh=true", {"summary": "Planning meeting", "count": 1})
    os.request("POST", f"/{index}/_update/1?refresh=true",
               {"script": {"source": "ctx._source.count += params.n", "lang": "painless", "params": {"n": 2}}})
    hits = os.request("POST", f"/{index}/_search", {"query": {"match": {"summary": "plan"}}})["hits"]["hits"]
    assert [h["_source"]["count"] for h in hits] == [3]
    os.request("DELETE", f"/{index}")


def test_smtp_listener_keeps_messages(stack):
    message = EmailMessage()
    subject = f"probe {uuid.uuid4().hex}"
    message["From"] = "noreply@example.com"
    message["To"] = "alice@example.com"
    message["Subject"] = subject
    message.set_content("hello")
    with smtplib.SMTP("127.0.0.1", stack.smtp.port, timeout=5) as smtp:
        smtp.send_message(message)
    assert subject in [m["Subject"] for m in stack.smtp.messages()]


def test_oidc_provider_publishes_its_discovery_document(stack):
    with urllib.request.urlopen(stack.oidc.issuer + "/.well-known/openid-configuration", timeout=5) as r:
        discovery = json.load(r)
    assert discovery["introspection_endpoint"] == stack.oidc.introspection_url
    assert discovery["userinfo_endpoint"] == stack.oidc.userinfo_url
    assert discovery["backchannel_logout_supported"] is True
