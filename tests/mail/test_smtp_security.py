"""Mail over an SMTP server that wants TLS and a login: implicit TLS (465), STARTTLS (587), both with
AUTH, against a real aiosmtpd on loopback with a certificate of its own authority. A wrong password or
a certificate nobody vouched for never sends a mail in the clear: it is retried, then recorded failed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.mail.outbox import queue, render
from buurtwacht.mail.sender import send_pending
from buurtwacht.models import DeliveryStatus, Email
from tests.mail.smtpd import Inbox, free_port

USER, PASSWORD = "buurtwacht", "correct horse battery staple"


@dataclasses.dataclass
class Authority:
    """A certificate authority of the test's own and a certificate it signed for 127.0.0.1."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    folder = tmp_path_factory.mktemp("smtp-tls")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder().subject_name(_name("buurtwacht test CA")).issuer_name(_name("buurtwacht test CA"))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("mail.buurtwacht.test")).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    found = Authority(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    found.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    found.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    found.key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return found


def _server_context(authority: Authority) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(authority.cert_file, authority.key_file)
    return context


class Logins:
    """aiosmtpd's authenticator: one user, and a record of every login tried."""

    def __init__(self) -> None:
        self.tried: list[tuple[str, bool]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        self.tried.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)  # aiosmtpd then answers 535 itself


@dataclasses.dataclass
class SecureServer:
    port: int
    inbox: Inbox
    logins: Logins


def _serve(authority: Authority, *, implicit: bool) -> Iterator[SecureServer]:
    inbox, logins, port = Inbox(), Logins(), free_port()
    tls = _server_context(authority)
    if implicit:  # port 465: TLS from the first byte (aiosmtpd's auth_require_tls only knows STARTTLS)
        controller = Controller(
            inbox, hostname="127.0.0.1", port=port, ssl_context=tls, authenticator=logins, auth_require_tls=False
        )
    else:  # port 587: plain until STARTTLS, which the server insists on before anything else, AUTH included
        controller = Controller(
            inbox, hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=True, authenticator=logins,
            auth_require_tls=True,
        )  # fmt: skip
    controller.start()
    try:
        yield SecureServer(port, inbox, logins)
    finally:
        controller.stop()


@pytest.fixture(params=["tls", "starttls"])
def server(request: pytest.FixtureRequest, authority: Authority) -> Iterator[tuple[str, SecureServer]]:
    """The server as BUURTWACHT_SMTP_SECURITY names it: `tls` (port 465) or `starttls` (port 587)."""
    for serving in _serve(authority, implicit=request.param == "tls"):
        yield request.param, serving


def _send_one(app, server: SecureServer, **settings: object) -> Email:  # type: ignore[no-untyped-def]
    before = app.config["BUURTWACHT"]
    app.config["BUURTWACHT"] = dataclasses.replace(before, SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, **settings)
    try:
        with app.app_context():
            queue(None, render("wijkagent@politie.example", "Maandoverzicht november", "Tekst"))
            db.session().commit()
            send_pending()
            return db.session().scalars(select(Email)).one()
    finally:
        app.config["BUURTWACHT"] = before


def test_mail_goes_over_tls_with_a_login(app, authority, server):
    security, server = server
    sent = _send_one(
        app, server, SMTP_SECURITY=security, SMTP_USERNAME=USER, SMTP_PASSWORD=PASSWORD, SMTP_CA_FILE=str(authority.ca_file)
    )
    assert (sent.status, sent.error) == (DeliveryStatus.SENT, None)
    assert [r.to for r in server.inbox.received] == ["wijkagent@politie.example"]
    assert str(server.inbox.received[0].message["Subject"]) == "Maandoverzicht november"
    assert [ok for _mechanism, ok in server.logins.tried] == [True]


def test_a_wrong_password_is_retried_later_and_sends_nothing(app, authority, server):
    security, server = server
    kept = _send_one(
        app, server, SMTP_SECURITY=security, SMTP_USERNAME=USER, SMTP_PASSWORD="wrong", SMTP_CA_FILE=str(authority.ca_file)
    )
    assert kept.status == DeliveryStatus.PENDING  # tried again with backoff, failed for good after MAIL_MAX_ATTEMPTS
    assert "535" in (kept.error or "") or "authentication" in (kept.error or "").lower()
    assert server.inbox.received == []
    assert server.logins.tried and not any(ok for _mechanism, ok in server.logins.tried)  # smtplib tries each mechanism


def test_a_certificate_nobody_vouched_for_sends_nothing_not_even_the_password(app, server):
    security, server = server
    kept = _send_one(app, server, SMTP_SECURITY=security, SMTP_USERNAME=USER, SMTP_PASSWORD=PASSWORD)
    assert kept.status == DeliveryStatus.PENDING
    assert "certificate verify failed" in (kept.error or "")
    assert server.inbox.received == []
    assert server.logins.tried == []  # the password never left the app
