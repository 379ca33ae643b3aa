"""Scheduled work for forwarding: ask the municipality about every open forward, and bring its answer home.

Idempotent: a status already recorded changes nothing, so a run repeated (or two at once) appends each
change to the note's history once per change seen, and tells the author once.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.forwarding import service, targets
from buurtwacht.forwarding.clients import Open311Client, client_for
from buurtwacht.models import NoteForward
from buurtwacht.models.forward import OPEN_AT_MUNICIPALITY
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


JOBS = [Job("forward-poll", poll_forwards, {"minute": "*/15"})]
