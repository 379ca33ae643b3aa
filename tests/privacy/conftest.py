"""Fixtures: a real SMTP server on loopback."""

from tests.mail.smtpd import smtp, smtp_server  # noqa: F401
