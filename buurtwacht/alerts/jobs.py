"""Scheduled work for alerts: expiry with the closing message, and a reminder to close."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.alerts.service import expire_due
from buurtwacht.jobmarks import once
from buurtwacht.models import Alert, AlertStatus
from buurtwacht.push import outbox
from buurtwacht.scheduler import Job

CLOSE_REMINDER_BEFORE = dt.timedelta(minutes=30)


def expire_alerts() -> int:
    return expire_due(db.utcnow())


def remind_to_close() -> int:
    """Ask the issuer, once, to close an alert with its outcome before it expires."""
    session = db.session()
    now = db.utcnow()
    due = session.scalars(
        select(Alert).where(
            Alert.status == AlertStatus.OPEN,
            Alert.expires_at <= now + CLOSE_REMINDER_BEFORE,
            Alert.issuer_id.is_not(None),
        )
    ).all()
    reminded = 0
    for alert in due:
        if once("alert.close_reminder", str(alert.id)):
            assert alert.issuer_id is not None
            outbox.queue(
                alert.issuer_id,
                "alert.close_reminder",
                urgent=True,
                alert_id=alert.id,
                headline=alert.headline,
                when=alert.expires_at,
            )
            reminded += 1
        session.commit()
    return reminded


JOBS = [
    Job("alert-expiry", expire_alerts, {"minute": "*"}),
    Job("alert-close-reminders", remind_to_close, {"minute": "*/5"}),
]
