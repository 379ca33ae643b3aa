"""A note's history says who did each thing, named as each reader may see names: coordinators read full names,
fellow members and the wijkagent first name and initial, everyone their own name in full; an erased account is
its pseudonym, and what nobody did (the municipality's answers) names nobody. Admins read no note at all."""

from __future__ import annotations

import datetime as dt
import uuid

from buurtwacht import db
from buurtwacht.models import MembershipRole, Note
from buurtwacht.notes import service as notes
from buurtwacht.privacy.service import PSEUDONYM


def record(client, make, group, author) -> str:
    note_id = str(uuid.uuid4())
    response = client.post(
        f"/api/v1/groups/{group.id}/notes",
        json={
            "id": note_id,
            "category": "burglary_suspicious",
            "what": "Iemand voelde aan de schuurdeuren achter de Kapelstraat.",
            "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat(),
            "street": "Kapelstraat",
        },
        headers=make.headers(author),
    )
    assert response.status_code == 201, response.get_json()
    assert [(line["kind"], line["by"]) for line in response.get_json()["history"]] == [("created", "Bram Jansen")]
    return note_id


def who(client, make, note_id, reader) -> list[tuple[str, str | None]]:
    response = client.get(f"/api/v1/notes/{note_id}", headers=make.headers(reader))
    assert response.status_code == 200, response.get_json()
    return [(line["kind"], line["by"]) for line in response.get_json()["history"]]


def test_each_reader_sees_who_followed_the_note_up_as_they_may_see_names(client, make, app, team, clock):
    group, anna, bram, henk = team
    carla = make.person("Carla van Dijk")
    make.member(group, carla, MembershipRole.COORDINATOR)
    sanne, gemma = make.person("Sanne Mulder"), make.person("Gemma Gemeente", admin=True)
    make.officer(sanne, "bargeres")
    note_id = record(client, make, group, bram)
    assert client.post(f"/api/v1/notes/{note_id}/share", headers=make.headers(bram)).status_code == 200
    moved = client.post(
        f"/api/v1/notes/{note_id}/status",
        json={"status": "reported", "reason": "Gemeld bij de politie via 0900-8844"},
        headers=make.headers(carla),
    )
    assert moved.status_code == 200
    with app.app_context():  # the municipality answers: nobody of the group did that
        notes.record_from_outside(db.session().get_one(Note, uuid.UUID(note_id)), "municipality", "In behandeling")
        db.session().commit()

    def lines(*names):
        return list(zip(["created", "shared", "status", "municipality"], names, strict=True))

    assert who(client, make, note_id, anna) == lines("Bram Jansen", "Bram Jansen", "Carla van Dijk", None)
    assert who(client, make, note_id, henk) == lines("Bram J.", "Bram J.", "Carla D.", None)
    assert who(client, make, note_id, bram) == lines("Bram Jansen", "Bram Jansen", "Carla D.", None)
    assert who(client, make, note_id, sanne) == lines("Bram J.", "Bram J.", "Carla D.", None)
    assert client.get(f"/api/v1/notes/{note_id}", headers=make.headers(gemma)).status_code == 403
    listed = client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(henk)).get_json()
    assert [line["by"] for line in listed[0]["history"]] == ["Bram J.", "Bram J.", "Carla D.", None]

    # Bram's export names them as his note does; Carla erases her account and is the pseudonym for everyone.
    exported = client.get("/api/v1/me/export", headers=make.headers(bram)).get_json()
    assert [(line["by"], line["by_you"]) for line in exported["notes"][0]["history"]] == [
        ("Bram Jansen", True),
        ("Bram Jansen", True),
        ("Carla D.", False),
        (None, False),
    ]
    assert client.delete("/api/v1/me", headers=make.headers(carla)).status_code == 204
    assert who(client, make, note_id, anna)[2] == ("status", PSEUDONYM)
    assert who(client, make, note_id, henk)[2] == ("status", PSEUDONYM)
    exported = client.get("/api/v1/me/export", headers=make.headers(bram)).get_json()
    assert exported["notes"][0]["history"][2]["by"] == PSEUDONYM


def test_a_coordinator_s_export_names_who_acted_in_full_in_the_group_they_coordinate(client, make, team, clock):
    group, anna, _bram, _henk = team
    karel = make.person("Karel de Boer")
    make.member(group, karel, MembershipRole.COORDINATOR)
    note_id = str(uuid.uuid4())
    body = {
        "id": note_id,
        "category": "clean_whole_safe",
        "what": "Lantaarnpaal bij de speeltuin is kapot.",
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).isoformat(),
        "street": "Statenweg",
    }
    assert client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(anna)).status_code == 201
    moved = client.post(
        f"/api/v1/notes/{note_id}/status",
        json={"status": "resolved", "reason": "Gerepareerd"},
        headers=make.headers(karel),
    )
    assert moved.status_code == 200
    exported = client.get("/api/v1/me/export", headers=make.headers(anna)).get_json()
    assert [line["by"] for line in exported["notes"][0]["history"]] == ["Anna de Vries", "Karel de Boer"]
