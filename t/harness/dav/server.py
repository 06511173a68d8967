"""Process entry point: read the JSON configuration written by DavServer, build the shim and
serve it with the standard library's WSGI server, one thread per connection, kept alive
(http11.py), request bodies read whole whatever their framing (bodies.py).

Configuration keys: port, storage (folder), mongo_url, mongo_database, amqp_url, admin_user,
admin_password, technical_token_introspect_url (optional).
"""

from __future__ import annotations

import json
import logging
import signal
from pathlib import Path
import socketserver
import sys
from wsgiref.simple_server import WSGIServer, make_server

from .app import DavShim
from .bodies import Bodies
from .http11 import KeepAliveHandler
from .calendar_json import CalendarInvites
from .auth import Authenticator
from .directory import Directory
from .publisher import Publisher
from .store import Store


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m harness.dav <config.json>")
    with open(sys.argv[1]) as f:
        config = json.load(f)
    logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("radicale").setLevel(logging.ERROR)    # one warning per request otherwise
    logging.getLogger("pika").setLevel(logging.WARNING)

    directory = Directory(config["mongo_url"], config["mongo_database"])
    authenticator = Authenticator(directory, config["admin_user"], config["admin_password"],
                                  config.get("technical_token_introspect_url"))
    publisher = Publisher(config["amqp_url"])
    invites = CalendarInvites(Path(config["storage"]) / "invites")
    shim = DavShim(Store(config["storage"]), directory, authenticator, publisher, invites)

    server = make_server("127.0.0.1", int(config["port"]), Bodies(shim),
                         server_class=ThreadingWSGIServer, handler_class=KeepAliveHandler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    logging.getLogger("dav").info("listening on 127.0.0.1:%s", config["port"])
    try:
        server.serve_forever()
    finally:
        server.server_close()
        publisher.close()
