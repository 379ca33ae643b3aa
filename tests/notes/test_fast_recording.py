"""Recording a note answers byte for byte what it answered when first written, and leaves the same rows behind.

Each kind of note (a street, a place with its accuracy, a patrol, a call made, a note held for review, a
group that chose its categories) is recorded twice at the same moment by the same person: once through
service.record_note as first written, once through the app as it is, under two ids. Apart from the id,
the answers are the same bytes, and so is the note each then shows. Retries, a changed body under the
same id and every refusal answer alike too, and refusals leave nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.models import Note, NoteEvent
from buurtwacht.notes import recording, service
from tests.factories import Factory

NOW = dt.datetime(2026, 11, 3, 19, 30, 12, 340_000, tzinfo=dt.UTC)  # a fraction of a second in every moment


@contextlib.contextmanager
def as_first_written(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patched:
        patched.setattr(recording, "record_note", service.record_note)
        yield


def rows_of(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        return (
            session.scalar(select(func.count()).select_from(Note)) or 0,
            session.scalar(select(func.count()).select_from(NoteEvent)) or 0,
        )


@pytest.fixture
def clock():
    import time_machine

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_each_kind_of_note_is_answered_as_before(
    app: Flask, client: FlaskClient, make: Factory, team, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, anna, bram, henk = team
    patrol = make.patrol(group, NOW - dt.timedelta(hours=1))
    english = make.person("Emma Clarke", locale="en")
    make.member(group, english)
    url = f"/api/v1/groups/{group.id}/notes"
    observed = (NOW - dt.timedelta(minutes=12, microseconds=5)).isoformat()
    kinds: list[tuple[Any, dict[str, Any]]] = [
        (bram, {"category": "burglary_suspicious", "what": "Iemand voelde aan de voordeuren.", "street": "Kapelstraat 12"}),
        (henk, {"category": "youth_nuisance", "what": "Groep jongeren met harde muziek.", "lat": 52.7858, "lon": 6.8975,
                "accuracy_m": 12.5, "patrol_id": str(patrol), "called": "police", "called_by": "me", "urgency": "high"}),
        (henk, {"category": "youth_nuisance", "what": "Marokkaanse jongens in de wijk.", "street": "Hoek Kapelstraat"}),
        (english, {"category": "traffic_safety", "what": "Turkse man parkeerde op de stoep.", "lat": 52.79, "lon": 6.9,
                   "area_id": make.area_id("bargeres"), "called": "emergency_112", "called_by": "resident",
                   "urgency": "low"}),
        (anna, {"category": "clean_whole_safe", "what": "Kapotte lantaarn.\nAl een week.", "street": "Speelveld",
                "observed_at": "2026-11-03T20:00:00"}),
    ]  # fmt: skip
    for author, fields in kinds:
        body = {"observed_at": observed, **fields}
        old_id, new_id = str(uuid.uuid4()), str(uuid.uuid4())
        with as_first_written(monkeypatch):
            before = client.post(url, json={"id": old_id, **body}, headers=make.headers(author))
        now = client.post(url, json={"id": new_id, **body}, headers=make.headers(author))
        assert now.status_code == before.status_code == 201, now.get_json()
        assert now.get_json()["id"] == new_id
        assert now.get_data(as_text=True) == before.get_data(as_text=True).replace(old_id, new_id)
        # The note as it is read afterwards (by the old read), its history included, is the same too.
        with as_first_written(monkeypatch):
            shown_before = client.get(f"/api/v1/notes/{old_id}", headers=make.headers(anna))
            shown_now = client.get(f"/api/v1/notes/{new_id}", headers=make.headers(anna))
        assert shown_now.get_data(as_text=True) == shown_before.get_data(as_text=True).replace(old_id, new_id)
        # A retry (the phone did not hear the answer) and another body under the same id answer alike.
        for retry in ({**body}, {**body, "what": "Toch iets anders gezien."}):
            with as_first_written(monkeypatch):
                again_before = client.post(url, json={"id": old_id, **retry}, headers=make.headers(author))
            again_now = client.post(url, json={"id": new_id, **retry}, headers=make.headers(author))
            assert again_now.status_code == again_before.status_code
            assert again_now.get_data(as_text=True) == again_before.get_data(as_text=True).replace(old_id, new_id)
    assert any(kind["what"].startswith("Marokkaanse") for _, kind in kinds)  # a held note is among them


def test_refusals_and_late_retries_answer_as_before(
    app: Flask, client: FlaskClient, make: Factory, team, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, anna, bram, henk = team
    other_group = make.group("bargeres", coordinator=make.person("Otto Anders"))
    foreign_patrol = make.patrol(other_group, NOW - dt.timedelta(hours=1))
    url = f"/api/v1/groups/{group.id}/notes"
    observed = (NOW - dt.timedelta(minutes=10)).isoformat()
    good = {"category": "burglary_suspicious", "what": "Iemand voelde aan de deuren.", "street": "Kapelstraat",
            "observed_at": observed}  # fmt: skip
    recorded: dict[str, str] = {}
    for name in ("kept", "unused later", "too old later"):
        note_id = str(uuid.uuid4())
        assert client.post(url, json={"id": note_id, **good}, headers=make.headers(bram)).status_code == 201
        recorded[name] = note_id

    def both(note_id: str | None, body: dict[str, Any], who=bram) -> None:
        old_id, new_id = (note_id, note_id) if note_id else (str(uuid.uuid4()), str(uuid.uuid4()))
        counted = rows_of(app)
        with as_first_written(monkeypatch):
            before = client.post(url, json={"id": old_id, **body}, headers=make.headers(who))
        after_before = rows_of(app)
        now = client.post(url, json={"id": new_id, **body}, headers=make.headers(who))
        where = f"{body} as {who.name}"
        assert now.status_code == before.status_code, where
        assert now.get_data(as_text=True) == before.get_data(as_text=True).replace(old_id, new_id), where
        if before.status_code >= 400:
            assert rows_of(app) == after_before == counted, where  # a refusal leaves nothing behind

    both(None, {**good, "category": "no_such_thing"})
    both(None, {**good, "category": "domestic_violence"})
    both(None, {**good, "observed_at": (NOW + dt.timedelta(hours=1)).isoformat()})
    both(None, {**good, "observed_at": (NOW - dt.timedelta(days=30)).isoformat()})
    both(None, {**good, "street": None})
    both(None, {**good, "lat": 52.78})
    both(None, {**good, "patrol_id": str(foreign_patrol)})
    both(None, {**good, "area_id": 987654})
    both(recorded["kept"], {**good, "what": "Een ander verhaal onder hetzelfde id."})
    both(recorded["kept"], good, who=henk)  # someone else's id
    # The group chooses its categories: a category it stopped using is refused before the other rules, and
    # a retry of a note made before that still answers with the note.
    chosen = client.put(f"/api/v1/groups/{group.id}/categories", json={"categories": ["youth_nuisance"]},
                        headers=make.headers(anna))  # fmt: skip
    assert chosen.status_code == 200
    both(None, good)
    both(None, {**good, "observed_at": (NOW + dt.timedelta(hours=1)).isoformat()})
    both(None, {**good, "patrol_id": str(foreign_patrol)})
    both(None, {**good, "category": "youth_nuisance"})
    both(recorded["unused later"], good)
    both(recorded["unused later"], {**good, "what": "Een ander verhaal onder hetzelfde id."})
    clock.shift(dt.timedelta(days=10))
    both(recorded["too old later"], good)
    both(None, good)
