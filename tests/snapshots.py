"""A built test world kept as rows, and put back for the next test in a few statements.

The authorization matrix and the fuzzer each need the same rich world (eight roles, two groups,
their patrols, notes, a photo, an alert) for every one of hundreds of tests. Building it through the
factories and the API takes about half a second; putting its rows back takes a few milliseconds.
Every test still starts from exactly the world it would have built: the same rows, the same photo
file on disk, no rate limit counted yet. A kept world is built again when it is older than MAX_AGE
seconds, so that what it holds relative to now (a patrol that is running, a note still in its edit
window) stays true.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Table, select

from buurtwacht import db
from buurtwacht.models import AlertTip, NotePhoto
from buurtwacht.notes import photos
from buurtwacht.readcache import KEPT_FROM
from tests.conftest import made_by_tests

MAX_AGE = 60.0


@dataclass
class Snapshot:
    value: Any
    rows: list[tuple[Table, list[dict[str, Any]]]]
    files: dict[Path, bytes]
    taken: float = field(default_factory=time.monotonic)

    def fresh(self) -> bool:
        return time.monotonic() - self.taken < MAX_AGE


def take(app: Flask, value: Any, keep_area_ids_up_to: int) -> Snapshot:
    """Every row the test made (all but the reference areas and the tables triggers keep) and the photo files
    they name."""
    rows: list[tuple[Table, list[dict[str, Any]]]] = []
    with app.app_context():
        session = db.session()
        for table in db.Base.metadata.sorted_tables:
            if table.name in KEPT_FROM:
                continue  # kept by the database's triggers as the rows they follow are put back
            condition = made_by_tests(table, keep_area_ids_up_to)
            query = select(table) if condition is None else select(table).where(condition)
            found = [dict(row._mapping) for row in session.execute(query)]
            if found:
                rows.append((table, found))
        folder = Path(app.config["BUURTWACHT"].PHOTO_DIR)
        keys = [*session.scalars(select(NotePhoto.storage_key)), *session.scalars(select(AlertTip.photo_key))]
        paths = [photos.path_of(folder, key) for key in keys if key]
        files = {path: path.read_bytes() for path in paths}
        session.rollback()
    return Snapshot(copy.deepcopy(value), rows, files)


def restore(app: Flask, snapshot: Snapshot) -> Any:
    """Put the snapshot's rows and files back into the emptied database; returns a copy of its value."""
    with app.app_context():
        session = db.session()
        for table, rows in snapshot.rows:
            session.execute(table.insert(), rows)
        session.commit()
        app.extensions["buurtwacht.limiter"].storage.reset()
    for path, content in snapshot.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return copy.deepcopy(snapshot.value)


_kept: dict[int, Snapshot] = {}


def kept(app: Flask) -> Snapshot | None:
    """The fresh snapshot kept for this app, if any."""
    snapshot = _kept.get(id(app))
    return snapshot if snapshot is not None and snapshot.fresh() else None


def keep(app: Flask, snapshot: Snapshot) -> None:
    _kept[id(app)] = snapshot
