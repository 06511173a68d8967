"""The stack's DAV server: Radicale behind a WSGI shim that speaks esn-sabre's dialect
(impersonation, technical token, path layout, ?export, POST /itip, AMQP change and iTIP messages).
Started by t/harness/dav_server.py; test infrastructure only, production runs esn-sabre."""
