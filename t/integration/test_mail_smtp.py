"""Calendar mail through the stack's SMTP listener (docs/mail.md §8): the test tool
build/test-tools/send-test-mail renders an invitation with the shipped templates and sends it
with the worker's SMTP sender; the message is read back from the listener's Maildir with
Python's email package."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest

from harness.smtp_server import TlsSmtpServer

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "build" / "test-tools" / "send-test-mail"
TEMPLATES = REPO / "conf" / "mail-templates"

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:{uid}\r
DTSTAMP:20250501T100000Z\r
DTSTART:20250602T123000Z\r
DTEND:20250602T133000Z\r
SUMMARY:Revue du budget été\r
LOCATION:Salle Rivoli\r
ORGANIZER;CN=Élise Martin:mailto:elise@example.com\r
ATTENDEE;CN=Élise Martin;PARTSTAT=ACCEPTED:mailto:elise@example.com\r
ATTENDEE;CN=Bruno Lefèvre;PARTSTAT=NEEDS-ACTION:mailto:{to}\r
END:VEVENT\r
END:VCALENDAR\r
"""


def send(stack, tmp_path, to, *extra):
    uid = f"mail-{uuid.uuid4()}"
    ics = tmp_path / f"{uid}.ics"
    ics.write_bytes(ICS.format(uid=uid, to=to).encode())
    result = subprocess.run(
        [str(TOOL), "--smtp", f"127.0.0.1:{stack.smtp.port}", "--templates", str(TEMPLATES),
         "--ics", str(ics), "--to", to, "--to-name", "Bruno Lefèvre", *extra],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return uid, result.stdout.strip()


def received(stack, uid, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in stack.smtp.messages():
            for part in message.walk():
                if part.get_content_type() == "text/calendar" and uid in part.get_payload(decode=True).decode():
                    return message
        time.sleep(0.2)
    pytest.fail(f"no mail for {uid}")


@pytest.fixture(scope="module", autouse=True)
def tool():
    if not TOOL.exists():
        pytest.skip("build/test-tools/send-test-mail is not built (cmake --build build/cmake)")


def test_french_invitation_has_the_itip_structure(stack, tmp_path):
    uid, outcome = send(stack, tmp_path, "bruno@example.org", "--language", "fr",
                        "--timezone", "Europe/Paris")
    assert outcome == "sent"
    message = received(stack, uid)

    from email.header import decode_header, make_header
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("Invitation : Revue du budget été")
    assert "Élise Martin" in str(make_header(decode_header(message["From"])))
    assert "elise@example.com" in message["From"]
    assert message["Message-Id"].endswith("@example.com>")
    assert message.get_content_type() == "multipart/mixed"

    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html, calendar = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert html["Content-Language"] == "fr"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"

    body = text.get_payload(decode=True).decode(text.get_content_charset())
    # 12:30 UTC is 14:30 in Paris, written the French way.
    assert "vous invite à « Revue du budget été »" in body
    assert "lundi 2 juin 2025" in body and "14:30" in body
    assert "Salle Rivoli" in html.get_payload(decode=True).decode("utf-8")

    ics = calendar.get_payload(decode=True).decode("utf-8")
    assert "METHOD:REQUEST" in ics and uid in ics
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "meeting.ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_payload(decode=True).decode("utf-8") == ics


def test_english_by_default_and_whitelist_skips(stack, tmp_path):
    uid, outcome = send(stack, tmp_path, "carol@example.org")
    assert outcome == "sent"
    message = received(stack, uid)
    text = message.get_payload()[0].get_payload()[0]
    assert "invites you to" in text.get_payload(decode=True).decode("utf-8")

    _, skipped = send(stack, tmp_path, "dave@example.org", "--whitelist", "someone@example.org")
    assert skipped == "skipped"


@pytest.fixture(scope="module", params=["starttls", "tls"])
def tls_server(request, tmp_path_factory):
    server = TlsSmtpServer(tmp_path_factory.mktemp(request.param), request.param)
    server.start()
    yield server
    server.stop()


def send_to(server, tmp_path, *extra):
    uid = f"mail-{uuid.uuid4()}"
    ics = tmp_path / f"{uid}.ics"
    ics.write_bytes(ICS.format(uid=uid, to="bruno@example.com").encode())
    result = subprocess.run(
        [str(TOOL), "--smtp", f"127.0.0.1:{server.port}", "--templates", str(TEMPLATES), "--ics", str(ics),
         "--to", "bruno@example.com", "--security", server.mode, *extra],
        capture_output=True, text=True, timeout=60)
    return uid, result


def test_tls_and_auth_against_a_server_that_requires_them(tls_server, tmp_path):
    """STARTTLS (EHLO, STARTTLS, EHLO, AUTH) or implicit TLS, then AUTH PLAIN, to a server that
    refuses mail otherwise; the certificate is checked unless trustAllCerts."""
    credentials = ["--user", tls_server.user, "--password", tls_server.password]
    uid, result = send_to(tls_server, tmp_path, *credentials, "--trust-all", "true")
    assert result.returncode == 0, result.stderr
    assert any(part.get_content_type() == "text/calendar" and uid in part.get_payload(decode=True).decode()
               for m in tls_server.messages() for part in m.walk())

    # A self-signed certificate is refused when it is checked.
    _, result = send_to(tls_server, tmp_path, *credentials)
    assert result.returncode != 0 and "certificate" in result.stderr.lower(), result.stderr
    # Wrong credentials: refused, and the error does not carry the password.
    _, result = send_to(tls_server, tmp_path, "--user", tls_server.user, "--password", "wrong-secret",
                        "--trust-all", "true")
    assert result.returncode != 0 and "wrong-secret" not in result.stderr, result.stderr
    # No AUTH at all: the server refuses the mail, and the error says what to set.
    _, result = send_to(tls_server, tmp_path, "--trust-all", "true")
    assert result.returncode != 0 and "set smtp.username and smtp.password" in result.stderr, result.stderr
