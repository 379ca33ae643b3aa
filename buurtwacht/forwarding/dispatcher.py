"""The forwarding dispatcher: claims queued forwards, sends them to the municipality, records what became of each.

Like the push dispatcher, several may run: each claims forwards under a lease (FOR UPDATE SKIP LOCKED on
PostgreSQL), commits, sends one at a time and commits each result at once. 5xx, 429 and timeouts are
retried with backoff (Retry-After honoured); any other 4xx fails the forward with the target's message,
in the note's history and to whoever forwarded it. A dispatcher killed between the target's answer and
its commit leaves the forward to the next one when the lease runs out: the same Idempotency-Key goes
with it, so a target that honours the key makes no second report.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update

from buurtwacht import db, workers
from buurtwacht.forwarding import service, targets
from buurtwacht.forwarding.clients import Answer, SignalenClient, client_for
from buurtwacht.forwarding.targets import Target
from buurtwacht.models import ForwardStatus, Note, NoteForward, NotePhoto
from buurtwacht.notes import photos
from buurtwacht.notes import service as notes
from buurtwacht.push import outbox

log = logging.getLogger(__name__)

BACKOFF_FIRST = dt.timedelta(seconds=15)
BACKOFF_CAP = dt.timedelta(hours=1)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    photos: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.sent or self.failed or self.retried or self.photos)

    def add(self, other: Tally) -> None:
        self.sent, self.failed = self.sent + other.sent, self.failed + other.failed
        self.retried, self.photos = self.retried + other.retried, self.photos + other.photos


def _settings() -> Any:
    return current_app.config["BUURTWACHT"]


def backoff(attempts: int) -> dt.timedelta:
    """15 s, 30 s, 1 min, ... up to an hour: a target down for a minute is reached on the third try."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def claim(now: dt.datetime, limit: int) -> list[uuid.UUID]:
    session = db.session()
    lease = dt.timedelta(seconds=_settings().FORWARD_LEASE_SECONDS)
    ids = list(
        session.scalars(
            select(NoteForward.id)
            .where(
                or_(
                    NoteForward.status == ForwardStatus.QUEUED,
                    (NoteForward.status == ForwardStatus.SENT) & NoteForward.photos_pending.is_(True),
                ),
                NoteForward.next_attempt_at <= now,
                or_(NoteForward.lease_until.is_(None), NoteForward.lease_until < now),
            )
            .order_by(NoteForward.next_attempt_at, NoteForward.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(NoteForward)
            .where(NoteForward.id.in_(ids))
            .values(lease_until=now + lease, attempts=NoteForward.attempts + 1)
        )
    session.commit()
    return ids


def _photo_dir() -> Path:
    folder = Path(_settings().PHOTO_DIR)
    return folder if folder.is_absolute() else Path(current_app.instance_path) / folder


def _fail(forward: NoteForward, note: Note | None, target_name: str, error: str, tally: Tally) -> None:
    forward.status, forward.error, forward.lease_until = ForwardStatus.FAILED, error[:1000], None
    tally.failed += 1
    if note is not None:
        notes.record_from_outside(note, "forward_failed", f"{target_name}: {error}")
    if forward.requested_by_id is not None:
        outbox.queue(
            forward.requested_by_id,
            "forward.failed",
            municipality=target_name,
            reason=error[:300],
            note_id=forward.note_id,
        )


def _retry_or_fail(
    forward: NoteForward, note: Note | None, target_name: str, answer: Answer, now: dt.datetime, tally: Tally
) -> None:
    error = answer.error or "no answer"
    if forward.attempts >= _settings().FORWARD_MAX_ATTEMPTS:
        _fail(forward, note, target_name, f"gave up after {forward.attempts} attempts; last: {error}", tally)
        return
    forward.error, forward.lease_until = error[:1000], None
    forward.next_attempt_at = now + max(backoff(forward.attempts), answer.retry_after or dt.timedelta(0))
    tally.retried += 1


def _send_report(forward: NoteForward, note: Note, target: Target, tally: Tally) -> None:
    client = client_for(target, _settings().FORWARD_TIMEOUT_SECONDS)
    if isinstance(client, SignalenClient):
        payload = service.signalen_payload(note, forward, client.category_url(forward.remote_category))
    else:
        payload = service.open311_payload(note, forward)
    answer = client.create(payload, forward.idempotency_key)
    now = db.utcnow()
    if not answer.ok:
        if answer.retry:
            _retry_or_fail(forward, note, target.name, answer, now, tally)
        else:
            _fail(forward, note, target.name, answer.error or "refused", tally)
        return
    body = answer.body or {}
    if target.kind == "signalen":
        forward.remote_id, forward.remote_display = str(body["signal_id"]), body.get("_display")
    else:
        forward.remote_id = body["id"]
    forward.status, forward.sent_at, forward.error = ForwardStatus.SENT, now, None
    forward.lease_until = None
    has_photos = db.session().scalar(select(func.count()).where(NotePhoto.note_id == note.id)) or 0
    # Open311 takes a photo only as a public media_url, which a note's photo never has.
    forward.photos_pending = target.kind == "signalen" and has_photos > 0
    tally.sent += 1
    notes.record_from_outside(note, "forward_sent", f"{target.name}: {forward.remote_display or forward.remote_id}")


def _send_photos(forward: NoteForward, note: Note, target: Target, tally: Tally) -> None:
    """The note's photos, re-cleaned of any metadata, after the report; each one once."""
    client = client_for(target, _settings().FORWARD_TIMEOUT_SECONDS)
    rows = (
        db.session()
        .scalars(select(NotePhoto).where(NotePhoto.note_id == note.id).order_by(NotePhoto.created_at, NotePhoto.id))
        .all()
    )
    for index, photo in enumerate(rows[forward.photos_sent :], start=forward.photos_sent):
        try:
            image = photos.clean(photos.path_of(_photo_dir(), photo.storage_key).read_bytes())
        except (OSError, photos.BadImage):
            forward.photos_sent = index + 1  # gone (retention) or unreadable: nothing to send
            continue
        answer = client.attach(
            str(forward.remote_id),
            image.data,
            image.content_type,
            f"foto-{index + 1}{image.suffix}",
            f"{forward.idempotency_key}-{index}",
        )
        if not answer.ok:
            if answer.retry and forward.attempts < _settings().FORWARD_MAX_ATTEMPTS:
                forward.error, forward.lease_until = f"photo {index + 1}: {answer.error}"[:1000], None
                forward.next_attempt_at = db.utcnow() + max(
                    backoff(forward.attempts), answer.retry_after or dt.timedelta(0)
                )
                tally.retried += 1
                return
            # The report stands; a photo refused for good is noted and the rest still go.
            notes.record_from_outside(note, "forward_failed", f"{target.name}: photo {index + 1}: {answer.error}")
        else:
            tally.photos += 1
        forward.photos_sent = index + 1
        db.session().commit()  # each photo once, even if this dispatcher dies on the next
    forward.photos_pending, forward.lease_until, forward.error = False, None, None


def dispatch_one(forward_id: uuid.UUID, tally: Tally) -> None:
    session = db.session()
    forward = session.get(NoteForward, forward_id)
    if forward is None:
        return  # the note was deleted meanwhile
    note = session.get(Note, forward.note_id)
    target = targets.configured().get(forward.target)
    if target is None or note is None:
        _fail(forward, note, forward.target, "this municipality's forwarding target is no longer configured", tally)
    elif forward.status == ForwardStatus.QUEUED:
        _send_report(forward, note, target, tally)
        session.commit()
    if forward.status == ForwardStatus.SENT and forward.photos_pending and note is not None and target is not None:
        _send_photos(forward, note, target, tally)
    session.commit()


def dispatch_once(batch: int = 20) -> Tally:
    """Claim and send up to `batch` forwards, one at a time (a lease covers one forward, not a batch)."""
    tally = Tally()
    for _ in range(batch):
        claimed = claim(db.utcnow(), 1)
        if not claimed:
            break
        dispatch_one(claimed[0], tally)
    return tally


def check_targets() -> list[str]:
    """Each target's mapping against the categories it lists now: what no longer exists there.

    An unreachable target is reported too, but only a missing category is a mismatch.
    """
    problems: list[str] = []
    for target in targets.configured().values():
        answer = client_for(target, _settings().FORWARD_TIMEOUT_SECONDS).categories()
        if not answer.ok:
            problems.append(f"{target.code}: cannot read its categories ({answer.error})")
            continue
        listed: set[str] = answer.body
        for ours, theirs in sorted(target.categories.items()):
            if theirs not in listed:
                problems.append(f"{target.code}: {ours} maps to {theirs!r}, which {target.name} does not list")
    return problems


def run(batch: int = 20, idle_sleep: float = 2.0, stop_when_idle: bool = False) -> Tally:
    """Dispatch until stopped (SIGTERM/SIGINT finish the forward in hand), or until idle if asked."""
    total = Tally()

    def one_round() -> bool:
        tally = dispatch_once(batch)
        total.add(tally)
        return bool(tally.busy)

    workers.run_until_stopped(one_round, idle_sleep, stop_when_idle)
    return total
