"""`POST /add-revoked-token` (docs/webadmin.md §5,
docs/reference/edge-worker.md §4.3): the cached tokens
of the session are deleted from Redis as the edge wrote them, and the revocation is published
on `tcal_oidc_revoked`."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid

import pytest
import requests

from harness.resp import RespClient, Subscriber
from harness.worker_conf import start_worker

CHANNEL = "tcal_oidc_revoked"


def b64url(data: dict | str) -> str:
    raw = data if isinstance(data, str) else json.dumps(data)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def logout_token(sid: str | None, **claims) -> str:
    payload = {"iss": "https://sso.example.test", "aud": "tcalendar", "iat": int(time.time()),
               "jti": uuid.uuid4().hex, "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
               **claims}
    if sid is not None:
        payload["sid"] = sid
    return f"{b64url({'alg': 'RS256', 'typ': 'logout+jwt'})}.{b64url(payload)}.c2lnbmF0dXJl"


def cache_token(redis: RespClient, token: str, sid: str) -> str:
    """What the edge writes for a resolved token (docs/reference/edge-worker.md §4.2)."""
    key = "tcal_oidc_hash_" + hashlib.sha512(token.encode()).hexdigest()
    redis.call("HSET", key, "email", "alice@example.com", "exp", int(time.time()) + 3600,
               "aud", "tcalendar;account", "sid", sid)
    redis.call("EXPIRE", key, 600)
    redis.call("RPUSH", f"tcal_oidc_sid_{sid}", key)
    redis.call("EXPIRE", f"tcal_oidc_sid_{sid}", 600)
    return key


def revoke(worker, token: str | None = None, body=None, content_type="application/x-www-form-urlencoded"):
    data = body if body is not None else {"logout_token": token}
    headers = {"Content-Type": content_type} if content_type else {}
    if isinstance(data, dict):
        from urllib.parse import urlencode
        data = urlencode(data)
    return requests.post(worker.webadmin_url + "/add-revoked-token", data=data, headers=headers, timeout=30)


@pytest.fixture
def redis(stack):
    with RespClient(stack.redis.url) as client:
        yield client


@pytest.fixture
def subscriber(stack):
    s = Subscriber(stack.redis.url, CHANNEL)
    yield s
    s.close()


def test_the_session_tokens_are_deleted_and_the_revocation_published(stack, redis, subscriber):
    sid, other = f"sid-{uuid.uuid4().hex}", f"sid-{uuid.uuid4().hex}"
    keys = [cache_token(redis, f"opaque-{uuid.uuid4().hex}", sid) for _ in range(2)]
    kept = cache_token(redis, f"opaque-{uuid.uuid4().hex}", other)

    token = logout_token(sid)
    r = revoke(stack.worker, token)
    assert (r.status_code, r.text) == (200, "")
    assert r.headers["Cache-Control"] == "no-store"

    assert redis.call("EXISTS", *keys) == 0
    assert redis.call("EXISTS", f"tcal_oidc_sid_{sid}") == 0
    assert redis.call("EXISTS", kept, f"tcal_oidc_sid_{other}") == 2
    channel, data = subscriber.message()
    assert channel == CHANNEL
    assert json.loads(data) == {"sid": sid, "keys": keys}
    assert token not in stack.worker.log_path.read_text()


def test_revocation_is_idempotent(stack, redis, subscriber):
    sid = f"sid-{uuid.uuid4().hex}"
    cache_token(redis, f"opaque-{uuid.uuid4().hex}", sid)
    token = logout_token(sid)
    assert revoke(stack.worker, token).status_code == 200
    assert json.loads(subscriber.message()[1])["sid"] == sid
    # Again: nothing left in Redis, still 200, and still published (an edge may hold it).
    assert revoke(stack.worker, token).status_code == 200
    assert json.loads(subscriber.message()[1]) == {"sid": sid, "keys": []}


def test_only_token_keys_of_the_list_are_deleted(stack, redis):
    sid = f"sid-{uuid.uuid4().hex}"
    bystander = f"not-a-cache-key-{uuid.uuid4().hex}"
    redis.call("SET", bystander, "1")
    redis.call("RPUSH", f"tcal_oidc_sid_{sid}", bystander)
    assert revoke(stack.worker, logout_token(sid)).status_code == 200
    assert redis.call("EXISTS", bystander) == 1
    assert redis.call("EXISTS", f"tcal_oidc_sid_{sid}") == 0


@pytest.mark.parametrize("body,details", [
    ("", "Missing logout token"),
    ("other=1", "Missing logout token"),
    ("logout_token=", "Missing logout token"),
    ("logout_token=abc.def.ghi", "The logout token is not a JWT"),
    ("logout_token=eyJhbGciOiJSUzI1NiJ9", "The logout token is not a JWT: it has no payload part"),
    ("logout_token=eyJhbGciOiJSUzI1NiJ9.%23%23%23.c2ln", "The logout token payload is not base64url"),
    (f"logout_token=eyJhbGciOiJSUzI1NiJ9.{b64url('not json')}.c2ln", "The logout token payload is not a JSON object"),
    (f"logout_token={logout_token(None, sub='alice')}", "The logout token has no 'sid' claim"),
    (f"logout_token={logout_token('')}", "The logout token has no 'sid' claim"),
    ("logout_token=%zz", "The form body has a malformed percent-encoding"),
])
def test_bad_logout_tokens_answer_400_without_echoing_them(stack, body, details):
    r = revoke(stack.worker, body=body)
    assert r.status_code == 400
    assert r.json() == {"statusCode": 400, "type": "InvalidArgument",
                        "message": "Invalid arguments supplied in the user request", "details": details}
    assert r.headers["Cache-Control"] == "no-store"
    value = body.partition("=")[2]
    if len(value) > 8:
        assert value not in r.text
        assert value not in stack.worker.log_path.read_text()


@pytest.mark.parametrize("content_type", [None, "application/json", "text/plain", "Application/X-WWW-Form-Urlencoded"])
def test_other_content_types_answer_415(stack, content_type):
    r = revoke(stack.worker, logout_token("sid-x"), content_type=content_type)
    assert (r.status_code, r.text) == (415, "Unsupported Content-Type")


def test_charset_parameter_is_accepted(stack):
    r = revoke(stack.worker, logout_token(f"sid-{uuid.uuid4().hex}"),
               content_type="application/x-www-form-urlencoded; charset=UTF-8")
    assert r.status_code == 200


def test_redis_down_answers_503_so_the_idp_retries(stack, redis):
    sid = f"sid-{uuid.uuid4().hex}"
    cache_token(redis, f"opaque-{uuid.uuid4().hex}", sid)
    stack.redis.stop()
    try:
        r = revoke(stack.worker, logout_token(sid))
        assert r.status_code == 503
        assert r.json()["type"] == "ServerError"
    finally:
        stack.redis.launch()
    entries = [json.loads(line) for line in stack.worker.log_path.read_text().splitlines() if line.strip()]
    failure = [e for e in entries if e["message"].startswith("Back-channel logout failed")
               and e["mdc"].get("sid") == sid]
    assert failure and failure[0]["level"] == "ERROR"
    # Redis is back (empty: no persistence); the retry succeeds.
    assert revoke(stack.worker, logout_token(sid)).status_code == 200


def test_without_redis_nor_edge_endpoints_the_gap_is_logged(stack, tmp_path):
    worker = start_worker(stack, tmp_path, drop=("redis.properties",))
    try:
        sid = f"sid-{uuid.uuid4().hex}"
        r = revoke(worker, logout_token(sid))
        assert (r.status_code, r.text) == (200, "")
        entries = [json.loads(line) for line in worker.log_path.read_text().splitlines() if line.strip()]
        assert any("no Redis and no edge.revocation.urls" in e["message"] and e["level"] == "WARN"
                   and e["mdc"]["sid"] == sid for e in entries)
    finally:
        worker.stop()
