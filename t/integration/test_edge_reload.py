"""`nginx -s reload` under load (docs/nginx-module.md): the module's configuration, shared-memory
cache and metrics zone survive a reload, and no request fails while old workers hand over to
new ones — GETs and POSTs with a body, through the module's authentication, each on its own
connection (a client's keep-alive connection closed by an old worker is the client's to retry)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests

from test_itip_delivery import bearer


@pytest.mark.fault
def test_reloads_under_load_fail_no_request(stack):
    token = stack.oidc.token("alice@example.com")
    headers = {**bearer(token), "Connection": "close"}
    assert requests.get(stack.edge_url + "/api/user", headers=headers, timeout=10).status_code == 200

    stop = threading.Event()
    results: list[int | str] = []
    lock = threading.Lock()

    def load(kind: str):
        while not stop.is_set():
            try:
                if kind == "get":
                    r = requests.get(stack.edge_url + "/api/user", headers=headers, timeout=10)
                else:
                    r = requests.post(stack.edge_url + "/calendar/api/events/search?limit=5", json={"query": "x"},
                                      headers=headers, timeout=10)
                outcome: int | str = r.status_code
            except requests.RequestException as e:
                outcome = type(e).__name__
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=load, args=(kind,)) for kind in ("get", "get", "get", "post", "post")]
    for t in threads:
        t.start()
    master = stack.nginx.proc.pid
    reloads = 4
    try:
        for _ in range(reloads):
            time.sleep(1.0)
            os.kill(master, signal.SIGHUP)
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert stack.nginx.proc.poll() is None, "the master must survive its reloads"
    failures = [r for r in results if r != 200]
    assert len(results) > 200, f"too little load to mean anything: {len(results)} requests"
    assert failures == [], f"{len(failures)} of {len(results)} requests failed during {reloads} reloads: {failures[:10]}"
    # The reloads happened: nginx logged them, and the cached token still works without a new IdP call.
    assert stack.nginx.error_log.read_text().count("reconfiguring") >= reloads
    assert requests.get(stack.edge_url + "/api/user", headers=headers, timeout=10).status_code == 200
