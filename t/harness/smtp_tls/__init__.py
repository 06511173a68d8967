"""An SMTP server that requires TLS (STARTTLS or implicit) and AUTH, for the mail client's tests."""
