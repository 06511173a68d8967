"""python -m harness.smtp_tls --mode starttls|tls --port N --cert C --key K --maildir D
--user U --password P: aiosmtpd with a TLS context, AUTH PLAIN/LOGIN required (only over TLS),
messages kept in a Maildir."""

from __future__ import annotations

import argparse
import asyncio
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--mode", "--port", "--cert", "--key", "--maildir", "--user", "--password"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login.decode() == args.user \
            and data.password.decode() == args.password
        return AuthResult(success=ok)

    starttls = args.mode == "starttls"

    class TlsController(Controller):
        def factory(self):
            # With implicit TLS aiosmtpd does not see the connection as TLS: AUTH is offered
            # without that condition there (the whole connection is encrypted anyway).
            return SMTP(self.handler, hostname="smtp-tls.localhost", auth_required=True,
                        auth_require_tls=starttls, authenticator=authenticator,
                        tls_context=context if starttls else None, require_starttls=starttls)

    controller = TlsController(Mailbox(args.maildir), hostname="127.0.0.1", port=int(args.port),
                               ssl_context=None if starttls else context)
    controller.start()
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
