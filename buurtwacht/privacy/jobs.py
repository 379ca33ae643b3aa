"""Retention: notes, photos, tips, alert locations, devices, invites, audit rows and sent messages go in time.

Before notes are deleted their numbers are added to note_month_counts, so the monthly summaries
can still compare with last year. Every step is idempotent: running it twice deletes nothing more.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update

from buurtwacht import db
from buurtwacht.alerts import service as alerts
from buurtwacht.devices import service as devices
from buurtwacht.localtime import to_local
from buurtwacht.models import (
    Alert,
    AlertEvent,
    AlertRecipient,
    AlertResponder,
    AlertStatus,
    AlertTip,
    Broadcast,
    Delivery,
    DeliveryStatus,
    Device,
    Email,
    Group,
    GroupInvite,
    JobMark,
    Note,
    NoteAccess,
    NoteMonthCount,
    NotePhoto,
    Notification,
)
from buurtwacht.notes import photos
from buurtwacht.privacy import service as privacy
from buurtwacht.scheduler import Job

MAX_NOTE_MONTHS = 24
MARKS_KEPT = dt.timedelta(days=400)


def _photo_dir() -> Path:
    folder = Path(current_app.config["BUURTWACHT"].PHOTO_DIR)
    return folder if folder.is_absolute() else Path(current_app.instance_path) / folder


def _delete_photo_files(keys: list[str]) -> None:
    folder = _photo_dir()
    for key in keys:
        photos.path_of(folder, key).unlink(missing_ok=True)


def expire_notes(now: dt.datetime) -> int:
    """Delete notes past their group's retention, after adding them to the monthly counts."""
    session = db.session()
    deleted = 0
    for group in session.scalars(select(Group)).all():
        months = min(group.note_retention_months, MAX_NOTE_MONTHS)
        cutoff = now - dt.timedelta(days=round(months * 30.44))
        old = session.scalars(select(Note).where(Note.group_id == group.id, Note.observed_at < cutoff)).all()
        if not old:
            continue
        counts: dict[tuple[str, str, str], int] = {}
        for note in old:
            key = (to_local(note.observed_at).strftime("%Y-%m"), note.category, str(note.status))
            counts[key] = counts.get(key, 0) + 1
        for (month, category, status), n in counts.items():
            row = session.get(NoteMonthCount, (group.id, month, category, status))
            if row is None:
                session.add(NoteMonthCount(group_id=group.id, month=month, category=category, status=status, count=n))
            else:
                row.count += n
        ids = [n.id for n in old]
        keys = list(session.scalars(select(NotePhoto.storage_key).where(NotePhoto.note_id.in_(ids))))
        session.execute(delete(Note).where(Note.id.in_(ids)))
        session.commit()  # counts and deletion together; files only after the commit
        _delete_photo_files(keys)
        deleted += len(ids)
    return deleted


def expire_photos_tips_and_locations(now: dt.datetime) -> None:
    days = current_app.config["BUURTWACHT"].PHOTO_RETENTION_DAYS
    cutoff = now - dt.timedelta(days=days)
    session = db.session()
    old_photos = session.execute(select(NotePhoto.id, NotePhoto.storage_key).where(NotePhoto.created_at < cutoff)).all()
    if old_photos:
        session.execute(delete(NotePhoto).where(NotePhoto.id.in_([i for i, _ in old_photos])))
    ended = select(Alert.id).where(Alert.status != AlertStatus.OPEN, Alert.closed_at < cutoff)
    alerts.keep_counts(ended, AlertTip)
    tip_photos = list(
        session.scalars(select(AlertTip.photo_key).where(AlertTip.alert_id.in_(ended), AlertTip.photo_key.is_not(None)))
    )
    session.execute(delete(AlertTip).where(AlertTip.alert_id.in_(ended)))
    session.execute(
        update(Alert).where(Alert.id.in_(ended), Alert.centre_lat.is_not(None)).values(centre_lat=None, centre_lon=None)
    )
    session.commit()
    _delete_photo_files([key for _, key in old_photos] + [key for key in tip_photos if key])


def expire_alerts(now: dt.datetime) -> None:
    """An alert's call-out may describe a person, and its recipients and responders say who was where.
    ALERT_RETENTION_DAYS after it ended, its texts are emptied and those rows deleted; what it was,
    where, when, how it ended and its numbers stay, for the area's yearly figures."""
    cutoff = now - dt.timedelta(days=current_app.config["BUURTWACHT"].ALERT_RETENTION_DAYS)
    session = db.session()
    ended = select(Alert.id).where(Alert.status != AlertStatus.OPEN, Alert.closed_at < cutoff)
    alerts.keep_counts(ended, AlertRecipient)
    alerts.keep_counts(ended, AlertResponder)
    session.execute(delete(AlertRecipient).where(AlertRecipient.alert_id.in_(ended)))
    session.execute(delete(AlertResponder).where(AlertResponder.alert_id.in_(ended)))
    session.execute(
        update(Alert)
        .where(Alert.id.in_(ended), (Alert.headline != "") | (Alert.description != "") | (Alert.instruction != ""))
        .values(headline="", description="", instruction="")
    )
    session.execute(update(Alert).where(Alert.id.in_(ended), Alert.closing_message != "").values(closing_message=""))
    session.execute(update(AlertEvent).where(AlertEvent.alert_id.in_(ended), AlertEvent.text != "").values(text=""))
    session.execute(update(Broadcast).where(Broadcast.alert_id.in_(ended), Broadcast.body != "").values(body=""))
    session.commit()


def expire_devices_invites_audit_and_marks(now: dt.datetime) -> None:
    settings = current_app.config["BUURTWACHT"]
    session = db.session()
    devices.remove(Device.last_seen_at < now - dt.timedelta(days=settings.DEVICE_UNUSED_DAYS))
    session.execute(delete(GroupInvite).where((GroupInvite.expires_at < now) | GroupInvite.revoked_at.is_not(None)))
    session.execute(delete(NoteAccess).where(NoteAccess.at < now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)))
    session.execute(delete(JobMark).where(JobMark.created_at < now - MARKS_KEPT))
    session.commit()


def expire_sent_messages(now: dt.datetime) -> None:
    """E-mails (the whole maandoverzicht, addressed to a person) and push notifications (what was said
    to whom) once they are done with: sent or failed, and older than the term. Pending work stays,
    however old, so nothing queued is lost; alert broadcasts stay with their alert's numbers."""
    cutoff = now - dt.timedelta(days=current_app.config["BUURTWACHT"].MESSAGE_RETENTION_DAYS)
    session = db.session()
    session.execute(delete(Email).where(Email.status != DeliveryStatus.PENDING, Email.created_at < cutoff))
    unfinished = select(Delivery.id).where(
        Delivery.notification_id == Notification.id, Delivery.status == DeliveryStatus.PENDING
    )
    session.execute(
        delete(Notification).where(
            Notification.created_at < cutoff, Notification.expanded_at.is_not(None), ~unfinished.exists()
        )
    )
    session.commit()


def remove_orphan_photo_files(now: dt.datetime) -> int:
    """Files an aborted upload left without a row (written before its transaction rolled back)."""
    folder = _photo_dir()
    if not folder.exists():
        return 0
    known = set(db.session().scalars(select(NotePhoto.storage_key)))
    known |= set(db.session().scalars(select(AlertTip.photo_key).where(AlertTip.photo_key.is_not(None))))
    removed = 0
    for path in folder.iterdir():
        old = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < now - dt.timedelta(hours=1)
        if path.is_file() and path.name not in known and old:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def apply_retention() -> None:
    now = db.utcnow()
    expire_notes(now)
    expire_photos_tips_and_locations(now)
    expire_alerts(now)
    expire_devices_invites_audit_and_marks(now)
    expire_sent_messages(now)
    remove_orphan_photo_files(now)
    privacy.forget_erasures(now)


def note_count(group_id: object, month: str) -> int:
    """Rolled-up notes of a month (for tests and summaries)."""
    return int(
        db.session().scalar(
            select(func.coalesce(func.sum(NoteMonthCount.count), 0)).where(
                NoteMonthCount.group_id == group_id, NoteMonthCount.month == month
            )
        )
        or 0
    )


JOBS = [Job("retention", apply_retention, {"hour": "3", "minute": "30"}, grace=dt.timedelta(hours=12))]
