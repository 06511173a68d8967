"""A scheduling worker killed with SIGKILL while it sends an alarm (docs/reference/alarms.md §4):
its lease holds the alarm until it expires, then another worker sends it, once. The kill lands in
the window between the lease and the send without any mock: the dying worker's SMTP server accepts
the connection and never greets, so the worker is stuck in its send when it is killed."""

from __future__ import annotations

import pytest

import datetime
import os
import signal
import socket
import threading
import time
import uuid

from harness.worker_conf import start_worker
from test_alarms import SCHEDULER, alarm_mails, as_utc, rows, soon_event
from test_itip_delivery import wait_for

LEASES = "twake_calendar_alarm_events_ledge"
LEASE_TTL = 10


class SilentSmtp:
    """A listener that takes connections and says nothing: an SMTP client waits for a greeting."""

    def __init__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.port = self._listener.getsockname()[1]
        self.connected = threading.Event()
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            while True:
                connection, _ = self._listener.accept()
                self._held.append(connection)
                self.connected.set()
        except OSError:
            pass  # closed

    def close(self):
        self._listener.close()
        for connection in self._held:
            connection.close()


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


@pytest.mark.fault
def test_a_worker_killed_while_sending_leaves_the_alarm_to_another_once_its_lease_expired(stack, db, tmp_path):
    silent = SilentSmtp()
    doomed = start_worker(stack, tmp_path / "doomed", {"configuration.properties": {
        **SCHEDULER["configuration.properties"],
        "alarm.event.scheduler.lease.ttl": f"{LEASE_TTL}s",
        "smtp.port": str(silent.port),
    }})
    survivor = None
    try:
        summary = f"Killed {uuid.uuid4().hex[:8]}"
        uid, due = soon_event(stack, db, lead_seconds=600, alarm_in=3, summary=summary)
        assert silent.connected.wait(30), "the worker never began to send"
        os.kill(doomed.proc.pid, signal.SIGKILL)
        assert doomed.proc.wait(10) == -signal.SIGKILL
        killed = utcnow()

        # Killed inside the window: lease taken, nothing sent, the row still due.
        lease = db[LEASES].find_one({"eventUid": uid})
        assert lease is not None, "no lease taken before the send"
        expires = as_utc(lease["expiresAt"])
        assert expires > killed and expires <= as_utc(lease["createdAt"]) + datetime.timedelta(seconds=LEASE_TTL)
        assert as_utc(rows(db, uid)[0]["alarmTime"]) == due
        assert alarm_mails(stack, summary) == []

        survivor = start_worker(stack, tmp_path / "survivor", SCHEDULER)
        started = utcnow()
        assert started < expires, "the survivor must be up while the lease still holds"
        wait_for(lambda: alarm_mails(stack, summary), "the alarm mail", timeout=LEASE_TTL + 20)
        sent = utcnow()
        assert sent >= expires, "sent while the dead worker's lease was held"
        assert (sent - expires).total_seconds() < 3.0  # a tick of 1 s, plus the send
        wait_for(lambda: not rows(db, uid), "the fired row's removal")
        time.sleep(2.5)  # a few more ticks
        assert len(alarm_mails(stack, summary)) == 1
    finally:
        doomed.stop()
        if survivor is not None:
            survivor.stop()
        silent.close()
