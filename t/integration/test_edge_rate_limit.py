"""The public technical-token check is an oracle (docs/reference/auth.md §5.3): the sample
configuration limits it per client address, and a client over the limit gets a JSON 429."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import requests

URL = "/api/technicalToken/introspect"


def test_a_client_flooding_the_technical_token_check_is_refused_in_json(stack):
    session = requests.Session()

    def check(_):
        r = session.get(stack.edge_url + URL, headers={"X-TECHNICAL-TOKEN": "not-a-token"}, timeout=10)
        return r.status_code, r.headers.get("Content-Type", ""), r.text

    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(check, range(600)))
        statuses = {status for status, _, _ in answers}
        assert statuses <= {404, 429}, statuses
        assert 404 in statuses  # the first ones (the burst) reach the worker
        refused = [a for a in answers if a[0] == 429]
        assert refused, "600 checks at once were all let through"
        status, content_type, body = refused[0]
        assert content_type.startswith("application/json")
        assert json.loads(body)["error"] == {
            "code": 429, "type": "TooManyRequests", "message": "Too Many Requests",
            "details": "Too many token checks from this address"}
    finally:
        # esn-sabre's own checks come from this address too: let the bucket refill (100/s).
        time.sleep(2.5)
