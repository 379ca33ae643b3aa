"""Scheduled work for forwarding: ask the municipality about every open forward, and bring its answer home;
ask the author "Fixed yet?" of a forward still open after some weeks.

Idempotent: a status already recorded changes nothing, so a run repeated (or two at once) appends each
change to the note's history once per change seen, and tells the author once. "Fixed yet?" is asked once
per forward: a job mark (a unique key) is written with the push, in one transaction per forward.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import select

from buurtwacht import db, jobmarks
from buurtwacht.forwarding import service, targets
from buurtwacht.forwarding.clients import Open311Client, client_for
from buurtwacht.models import Note, NoteForward
from buurtwacht.models.forward import OPEN_AT_MUNICIPALITY
from buurtwacht.push import outbox
from buurtwacht.scheduler import Job

log = logging.getLogger(__name__)

POLL_BATCH = 500


def poll_forwards() -> int:
    """Check open forwards, least recently checked first; returns how many changed."""
    session = db.session()
    configured = targets.configured()
    timeout = current_app.config["BUURTWACHT"].FORWARD_TIMEOUT_SECONDS
    ids = list(
        session.scalars(
            select(NoteForward.id)
            .where(NoteForward.status.in_(OPEN_AT_MUNICIPALITY), NoteForward.remote_id.is_not(None))
            .order_by(NoteForward.last_checked_at.asc().nulls_first(), NoteForward.id)
            .limit(POLL_BATCH)
        )
    )
    session.commit()
    changed = 0
    for forward_id in ids:
        forward = session.get(NoteForward, forward_id)
        target = configured.get(forward.target) if forward is not None else None
        if forward is None or target is None or forward.remote_id is None:
            continue
        client = client_for(target, timeout)
        if forward.remote_id.startswith("token:") and isinstance(client, Open311Client):
            resolved = client.resolve(forward.remote_id)
            if resolved is None:
                continue  # the endpoint has not made the request yet
            forward.remote_id = resolved
        answer, status = client.status(forward.remote_id)
        if status is None:
            log.warning("forward %s: %s did not answer its status (%s)", forward.id, target.code, answer.error)
            session.commit()
            continue
        if service.apply_remote_status(forward, target, status):
            changed += 1
        session.commit()  # one forward at a time: an error on the next keeps what this one brought
    return changed


def ask_fixed_yet() -> int:
    """Ask each author whose forward is still open at the municipality FIXED_YET_WEEKS after sending; returns how
    many were asked. One forward per transaction: a run that dies half-way leaves the rest to the next run."""
    session = db.session()
    now = db.utcnow()
    due = now - dt.timedelta(weeks=current_app.config["BUURTWACHT"].FIXED_YET_WEEKS)
    ids = list(
        session.scalars(
            select(NoteForward.id)
            .join(Note, Note.id == NoteForward.note_id)
            .where(
                NoteForward.status.in_(OPEN_AT_MUNICIPALITY),
                NoteForward.sent_at <= due,
                NoteForward.fixed_yet_asked_at.is_(None),
                Note.author_id.is_not(None),
            )
            .order_by(NoteForward.sent_at, NoteForward.id)
            .limit(POLL_BATCH)
        )
    )
    session.commit()
    configured = targets.configured()
    asked = 0
    for forward_id in ids:
        forward = session.get(NoteForward, forward_id)
        note = session.get(Note, forward.note_id) if forward is not None else None
        if (
            forward is None  # the note was deleted meanwhile
            or note is None
            or note.author_id is None
            or forward.fixed_yet_asked_at is not None
            or forward.status not in OPEN_AT_MUNICIPALITY  # closed since the list was read
            or forward.sent_at is None
            or not jobmarks.once("fixed-yet", str(forward.id))
        ):
            session.rollback()
            continue
        forward.fixed_yet_asked_at = now
        target = configured.get(forward.target)
        outbox.queue(
            note.author_id,
            "forward.fixed_yet",
            municipality=target.name if target else forward.target,
            weeks=max(1, (now - forward.sent_at).days // 7),
            note_id=note.id,
        )
        session.commit()
        asked += 1
    return asked


JOBS = [
    Job("forward-poll", poll_forwards, {"minute": "*/15"}),
    # Mid-morning: a question people answer when they pass the spot, not one that wakes them.
    Job("forward-fixed-yet", ask_fixed_yet, {"hour": "10", "minute": "30"}, grace=dt.timedelta(hours=6)),
]
