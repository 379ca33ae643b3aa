"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and the fixtures that point the app at it."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

REFUSED_DOMAIN = "refused.example"  # RCPT TO an address here is answered 550


def free_port() -> int:
    """A port nobody listens on (aiosmtpd cannot start on port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclasses.dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])


class Inbox:
    """The aiosmtpd handler: refuses recipients at REFUSED_DOMAIN and keeps every message accepted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._attempts: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self._attempts.append(address)
        if address.lower().endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self._received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def attempts(self) -> list[str]:
        """Every RCPT TO the server was given, accepted or not: one per attempt to deliver a mail."""
        with self._lock:
            return list(self._attempts)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._attempts.clear()


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def point_mail_at(app: Flask, port: int, **more: object) -> object:
    """Point the app's SMTP settings at a port on loopback; returns the settings it had."""
    before = app.config["BUURTWACHT"]
    app.config["BUURTWACHT"] = dataclasses.replace(before, SMTP_HOST="127.0.0.1", SMTP_PORT=port, **more)
    return before


@pytest.fixture
def smtp(app: Flask, smtp_server: SmtpServer) -> Iterator[Inbox]:
    """The app sends e-mail to the SMTP server on loopback; its inbox starts empty."""
    before = point_mail_at(app, smtp_server.port)
    smtp_server.inbox.reset()
    yield smtp_server.inbox
    app.config["BUURTWACHT"] = before
    smtp_server.inbox.reset()


def stored(raw: bytes) -> EmailMessage:
    """A queued message, read back from the outbox's bytes."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> dict[str, Any]:
    """What a reader's mail client finds: the text, the HTML, the attachments and inline images."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    attachments = {a.get_filename(): a for a in message.iter_attachments()}
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    return {
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "attachments": attachments,
        "images": images,
    }
