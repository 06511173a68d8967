"""wsgiref's request handler, made to keep connections open (HTTP/1.1 keep-alive).

wsgiref answers one request per connection with HTTP/1.0; nginx's upstream keepalive and DAV
clients reuse connections. This handler loops: each request is parsed as BaseHTTPRequestHandler
does (Connection / HTTP version decide whether to go on, `Expect: 100-continue` is answered) and
run through the WSGI app, whose bodies.py layer has read the whole request body and given the
response a Content-Length. The connection is closed after a response without a length, after a
request whose body could not be framed, or after `timeout` seconds idle.
"""

from __future__ import annotations

from wsgiref.simple_server import ServerHandler, WSGIRequestHandler


class _ServerHandler(ServerHandler):
    def cleanup_headers(self):
        super().cleanup_headers()
        # Hop-by-hop headers are the server's (a WSGI app may not set them): say that this
        # connection ends when the client asked for it or spoke HTTP/1.0.
        if self.request_handler.close_connection:
            self.headers["Connection"] = "close"


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60                                       # an idle kept-alive connection ends then

    def handle(self):
        self.close_connection = True
        self._handle_one()
        while not self.close_connection:
            self._handle_one()

    def _handle_one(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except TimeoutError:
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():                   # it answered and set close_connection
            return
        environ = self.get_environ()
        # wsgiref hands the app a copy of environ; this dict is shared with it, for bodies.py's mark.
        connection = environ["dav.connection"] = {}
        handler = _ServerHandler(self.rfile, self.wfile, self.get_stderr(), environ, multithread=True)
        handler.http_version = "1.1"
        handler.request_handler = self
        handler.run(self.server.get_app())
        # bodies.py marks a response the client can delimit; an app error (wsgiref's own 500)
        # or an unframed request body leaves it unmarked.
        if not connection.get("framed"):
            self.close_connection = True
        self.wfile.flush()

    def log_message(self, format, *args):
        """The shim logs each request itself (without the Authorization header); no access log here."""
