"""Exactly once, by the database: a job marks what it did with a unique key before doing it."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from buurtwacht import db
from buurtwacht.models import JobMark


def once(kind: str, key: str) -> bool:
    """True the first time (kind, key) is marked; False ever after, whoever tried first.

    The mark is written in a savepoint of the caller's transaction: if the caller rolls back,
    so does the mark, and the work is done on the next run.
    """
    session = db.session()
    try:
        with session.begin_nested():
            session.add(JobMark(kind=kind, key=key))
    except IntegrityError:
        return False
    return True
