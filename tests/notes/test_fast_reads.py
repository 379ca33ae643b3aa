"""The notes read from Core rows answer byte for byte what the ORM notes dumped by the schema answered.

A group with every kind of note a reader can meet (held, shared with the wijkagent, with a place, a
patrol, comments, photos, a followed-up status, a comment of an erased account, an author who left) and
enough older notes for a second page is read by everyone who may or may not read it: every filter of
the list, a few pages, and each note by itself. Each answer is asked twice, once through the services as
first written (service.list_notes, service.get_note), once through the app as it is; status, body and
the pagination header must be the same bytes, and the wijkagent's reads are logged alike by both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.models import MembershipRole, NoteAccess
from buurtwacht.notes import reads, service
from tests.factories import Factory

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


@contextlib.contextmanager
def as_first_written(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patched:
        patched.setattr(reads, "list_notes", service.list_notes)
        patched.setattr(reads, "get_note", service.get_note)
        yield


def audit_rows(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        found = db.session().execute(select(NoteAccess.note_id, NoteAccess.via).order_by(NoteAccess.id))
        return [(str(note_id), via) for note_id, via in found]


def test_every_reader_reads_the_same_bytes_as_before(
    app: Flask, client: FlaskClient, make: Factory, team, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    group, anna, bram, henk = team
    carla, sanne = make.person("Carla van Dijk"), make.person("Sanne Mulder")
    make.member(group, carla, MembershipRole.COORDINATOR)
    make.officer(sanne, "bargeres")
    gemma, olaf = make.person("Gemma Gemeente", admin=True), make.person("Olaf Buiten")
    leaver = make.person("Lotte Vertrek")
    make.member(group, leaver, MembershipRole.VOLUNTEER)
    patrol = make.patrol(group, NOW - dt.timedelta(hours=1))

    def record(author, **fields) -> str:
        note = {
            "id": str(uuid.uuid4()), "category": "burglary_suspicious", "street": "Kapelstraat 12",
            "what": "Iemand voelde aan de voordeuren van de rij woningen.",
            "observed_at": (NOW - dt.timedelta(minutes=len(fields) + 5)).isoformat(), **fields,
        }  # fmt: skip
        answer = client.post(f"/api/v1/groups/{group.id}/notes", json=note, headers=make.headers(author))
        assert answer.status_code == 201, answer.get_json()
        return note["id"]

    plain = record(bram)
    placed = record(
        henk, lat=52.7858, lon=6.8975, accuracy_m=12.5, street=None, category="youth_nuisance", called="police",
        called_by="me", urgency="high", patrol_id=str(patrol), observed_at=(NOW - dt.timedelta(hours=2)).isoformat(),
    )  # fmt: skip
    held = record(henk, what="Marokkaanse jongens in de wijk.", category="youth_nuisance")
    shared = record(bram, category="traffic_safety", what="Auto's rijden veel te hard langs de school.")
    by_leaver = record(leaver, category="clean_whole_safe", what="Kapotte straatlantaarn bij het speelveld.")
    for note_id, who in ((shared, bram), (placed, anna)):
        assert client.post(f"/api/v1/notes/{note_id}/share", headers=make.headers(who)).status_code == 200
    moved = client.post(
        f"/api/v1/notes/{shared}/status", json={"status": "reported", "reason": "Gemeld bij de politie"},
        headers=make.headers(carla),
    )  # fmt: skip
    assert moved.status_code == 200
    for note_id, who, words in ((shared, henk, "Ik zag het ook.\nTwee keer."), (shared, carla, "Dank!"),
                                (placed, leaver, "Weer gezien vanavond."), (plain, anna, "Opgepakt.")):  # fmt: skip
        clock.shift(dt.timedelta(seconds=1, microseconds=120_000))  # moments with fractions of a second
        answer = client.post(f"/api/v1/notes/{note_id}/comments", json={"text": words}, headers=make.headers(who))
        assert answer.status_code == 201
    for _ in range(2):
        photo = client.post(
            f"/api/v1/notes/{placed}/photos", data={"photo": (io.BytesIO(_png()), "p.png", "image/png")},
            headers=make.headers(henk), content_type="multipart/form-data",
        )  # fmt: skip
        assert photo.status_code == 201, photo.get_json()
    assert client.delete("/api/v1/me", headers=make.headers(leaver)).status_code == 204
    for n in range(57):  # older notes: a full first page and a second one
        make.past_note(group, anna if n % 3 else None, "traffic_safety" if n % 2 else "youth_nuisance",
                       NOW - dt.timedelta(hours=3, minutes=7 * n), street=f"Straat {n}", status="open")  # fmt: skip

    listed = f"/api/v1/groups/{group.id}/notes"
    paths = [
        listed, f"{listed}?page=2", f"{listed}?page=3", f"{listed}?page_size=10&page=4", f"{listed}?page=99999999",
        f"{listed}?held=true", f"{listed}?held=false", f"{listed}?status=reported", f"{listed}?category=youth_nuisance",
        f"{listed}?from=2026-11-03T18:00:00%2B01:00", f"{listed}?to=2026-11-03T18:00", f"{listed}?area_id={group.area_id}",
        f"{listed}?patrol_id={patrol}", f"{listed}?page_size=100", f"{listed}?status=nonsense",
        f"/api/v1/groups/{uuid.uuid4()}/notes",
        *(f"/api/v1/notes/{n}" for n in (plain, placed, held, shared, by_leaver, uuid.uuid4())),
    ]  # fmt: skip
    compared = 0
    for reader in (anna, carla, bram, henk, sanne, gemma, olaf, None):
        for path in paths:
            headers = make.headers(reader)
            logged = audit_rows(app)
            with as_first_written(monkeypatch):
                before = client.get(path, headers=headers)
            logged_before = audit_rows(app)[len(logged) :]
            now = client.get(path, headers=headers)
            logged_now = audit_rows(app)[len(logged) + len(logged_before) :]
            where = f"GET {path} as {reader.name if reader else 'nobody'}"
            assert now.status_code == before.status_code, where
            assert now.get_json() == before.get_json(), where  # the readable difference first
            assert now.get_data() == before.get_data(), where
            assert now.headers.get("X-Pagination") == before.headers.get("X-Pagination"), where
            assert logged_now == logged_before, where
            compared += now.status_code == 200
    assert compared >= 60
    # The wijkagent's reads were written to the audit log: the shared notes she listed and opened.
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(NoteAccess)) > 0
