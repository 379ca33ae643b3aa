"""Queue a notification in the current transaction; it is delivered only if that transaction commits."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from buurtwacht import db
from buurtwacht.models import Notification


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def queue(person_id: uuid.UUID, kind: str, urgent: bool = False, **params: Any) -> None:
    """Record `kind` (a message-catalogue key) for one person, with its parameters.

    Urgent notifications go out during the person's quiet hours too.
    """
    db.session().add(
        Notification(person_id=person_id, kind=kind, urgent=urgent, params={k: _jsonable(v) for k, v in params.items()})
    )
