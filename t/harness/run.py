"""`make run`: the whole stack on loopback, data under ./var, until Ctrl-C.

The same composition as the tests (harness/stack.py); only the front end differs.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.service import REPO, port_open  # noqa: E402
from harness.stack import Stack  # noqa: E402

PREFERRED_EDGE_PORT = 8080


def main() -> int:
    root = REPO / "var"
    edge_port = None if port_open(PREFERRED_EDGE_PORT) else PREFERRED_EDGE_PORT
    stack = Stack(root, edge_port=edge_port)
    print(f"Starting the Twake Calendar stack (data in {root}) ...", flush=True)
    try:
        stack.start()
    except Exception as e:
        print(f"\nThe stack did not start: {e}", file=sys.stderr)
        return 1

    oidc = stack.oidc
    alice = stack.accounts[0]
    print(f"""
Twake Calendar is running.

  Edge (nginx + module)  {stack.nginx.url}
      /dav/ is the CalDAV/CardDAV proxy (authentication: docs/nginx-module.md)
  Worker webadmin        {stack.worker.webadmin_url}/healthcheck
  OIDC provider          {oidc.issuer}
  Mail the worker sends  {stack.smtp.maildir}/new (an SMTP listener on port {stack.smtp.port})

  Demo users (IdP and LDAP): {", ".join(f"{a['email']} / {a['password']}" for a in stack.accounts)}

  A token for {alice['email']}:
    curl -s -u {oidc.client_id}:{oidc.client_secret} -d grant_type=urn:twake:test:password -d username={alice['email']} {oidc.token_url}

  Logs: {root}/<service>/*.log   ·   Ctrl-C stops everything (rm -rf var to start afresh).
""", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        stop.wait(1)
        dead = [s.name for s in stack.services if not s.running()]
        if dead:
            print(f"Stopped unexpectedly: {', '.join(dead)} (see their logs); stopping the rest.", file=sys.stderr)
            break
    print("Stopping ...", flush=True)
    stack.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
