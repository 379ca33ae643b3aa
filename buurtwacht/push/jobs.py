"""Scheduled work for push: a sweep of the outbox for work left behind."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from buurtwacht import db
from buurtwacht.models import Delivery, DeliveryStatus
from buurtwacht.scheduler import Job

STALE_AFTER = dt.timedelta(days=1)


def sweep_outbox() -> int:
    """A push still pending a day after it was due will not help anyone any more: record it failed.

    (Batches a killed dispatcher held are taken again by the next one when their lease ends.)
    """
    session = db.session()
    result = session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at < db.utcnow() - STALE_AFTER)
        .values(status=DeliveryStatus.FAILED, error="stale", lease_until=None)
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


JOBS = [Job("push-outbox-sweep", sweep_outbox, {"minute": "*/10"})]
