"""The read paths as they were first written: ORM objects dumped by the schemas, the signed-in person
and their roles read from the database on every request.

tests/test_same_answers.py answers every read of the authorization matrix's world once through
these and once through the app as it is, and compares the bytes. Only what the faster paths replaced
is kept here, unchanged.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from buurtwacht.alerts import reads as alert_reads
from buurtwacht.alerts import service as alert_service
from buurtwacht.auth import identities
from buurtwacht.notes import reads as note_reads
from buurtwacht.notes import service as note_service
from buurtwacht.patrols import reads as patrol_reads
from buurtwacht.patrols import service as patrol_service
from buurtwacht.people import reads as people_reads
from buurtwacht.people import service as people_service


def forget_signed_in(app: Flask) -> None:
    with app.app_context():
        identities.forget()


def _nothing_kept(*_args: Any, **_kwargs: Any) -> None:
    return None


def patches() -> list[tuple[Any, str, Any]]:
    """(module, name, what it was first) for everything the fast paths replaced."""
    return [
        (identities, "kept_person", _nothing_kept),  # every request reads the person and their roles
        (identities, "remember", _nothing_kept),
        (identities, "area_parents", _nothing_kept),
        (alert_reads, "list_alerts", alert_service.list_alerts),  # the ORM alerts dumped by the schema
        (alert_reads, "detail", alert_service.detail),
        (people_reads, "me", people_service.me),
        (patrol_reads, "group_patrols", patrol_service.group_patrols),  # the ORM rows dumped by the schema
        (patrol_reads, "my_upcoming", patrol_service.my_upcoming),
        (patrol_reads, "detail", patrol_service.detail),
        (note_reads, "list_notes", note_service.list_notes),  # the ORM notes dumped by the schema
        (note_reads, "get_note", note_service.get_note),
    ]
