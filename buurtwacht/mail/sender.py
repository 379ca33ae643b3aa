"""Send queued e-mail over SMTP: claimed under a lease, retried with backoff, failures recorded."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import smtplib
import ssl
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from buurtwacht import db
from buurtwacht.models import DeliveryStatus, Email

LEASE = dt.timedelta(minutes=5)
BARE_LF = re.compile(rb"(?<!\r)\n")


def on_the_wire(message: bytes) -> bytes:
    """SMTP wants CRLF line ends; smtplib converts them only for str, so bytes are made right here."""
    return BARE_LF.sub(b"\r\n", message)


def _tls(settings: Any) -> ssl.SSLContext:
    """The server's certificate and host name are checked, against the system's CAs or SMTP_CA_FILE's."""
    return ssl.create_default_context(cafile=settings.SMTP_CA_FILE or None)


def _smtp(settings: Any) -> smtplib.SMTP:
    if settings.SMTP_SECURITY == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.SMTP_HOST, settings.SMTP_PORT, context=_tls(settings), timeout=30
        )
    else:
        client = smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=30)
        if settings.SMTP_SECURITY == "starttls":
            client.starttls(context=_tls(settings))
    if settings.SMTP_USERNAME:
        client.login(settings.SMTP_USERNAME, settings.SMTP_PASSWORD)
    return client


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Send what is due; returns (sent, failed for good). One SMTP connection per round."""
    settings = current_app.config["BUURTWACHT"]
    session = db.session()
    now = db.utcnow()
    ids = list(
        session.scalars(
            select(Email.id)
            .where(
                Email.status == DeliveryStatus.PENDING,
                Email.next_attempt_at <= now,
                or_(Email.lease_until.is_(None), Email.lease_until < now),
            )
            .order_by(Email.next_attempt_at, Email.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        session.commit()
        return 0, 0
    session.execute(update(Email).where(Email.id.in_(ids)).values(lease_until=now + LEASE, attempts=Email.attempts + 1))
    session.commit()
    sent = failed = 0
    emails = session.scalars(select(Email).where(Email.id.in_(ids))).all()
    try:
        client = _smtp(settings)
    except (OSError, smtplib.SMTPException) as exc:
        for email in emails:
            failed += _failed(email, f"connect: {exc}", settings.MAIL_MAX_ATTEMPTS)
        session.commit()
        return 0, failed
    try:
        for email in emails:
            try:
                client.sendmail(settings.MAIL_FROM, [email.to_address], on_the_wire(email.message))
            except smtplib.SMTPRecipientsRefused as exc:
                email.status, email.error, email.lease_until = DeliveryStatus.FAILED, f"refused: {exc}"[:300], None
                failed += 1
            except (OSError, smtplib.SMTPException) as exc:
                failed += _failed(email, str(exc), settings.MAIL_MAX_ATTEMPTS)
            else:
                email.status, email.sent_at, email.lease_until, email.error = (
                    DeliveryStatus.SENT,
                    db.utcnow(),
                    None,
                    None,
                )
                sent += 1
            session.commit()
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()
    return sent, failed


def _failed(email: Email, error: str, max_attempts: int) -> int:
    email.error, email.lease_until = error[:300], None
    if email.attempts >= max_attempts:
        email.status = DeliveryStatus.FAILED
        return 1
    email.next_attempt_at = db.utcnow() + min(dt.timedelta(minutes=2**email.attempts), dt.timedelta(hours=6))
    return 0
