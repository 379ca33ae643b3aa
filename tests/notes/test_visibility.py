"""Who sees a note, as a matrix: every role, every way of reading, before and after sharing with the police.

The world: group A in Bargeres and group B in Emmerhout, each with a coordinator and a volunteer; a
wijkagent for Bargeres and one for Emmerhout; a municipal admin; and someone not signed in. A
volunteer of one group records a note with a photo. Then, for each role:

    GET /notes/{id}                       the note
    GET /groups/{group}/notes             the group's list (does the note appear in it?)
    GET /notes/{id}/photos/{photo}        its photo
    GET /groups/{group}/notes/counts      numbers only

People of the other group, and the other area's wijkagent, never learn the note exists (404). The
wijkagent of the note's area sees nothing until the note is shared, then sees it, and every read
is written to the audit log. Admins get numbers, never the note. The matrix is run with the note
in group A and, mirrored, in group B: no group's notes leak to the other.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass

import pytest
from PIL import Image
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.models import MembershipRole, NoteAccess
from tests.factories import GroupRef

ROLES = (
    "volunteer",
    "coordinator",
    "other_volunteer",
    "other_coordinator",
    "officer",
    "other_officer",
    "admin",
    "anon",
)

# role -> (note, list, photo, counts) status before sharing, and after.
# "list+" means 200 with the note in it, "list-" 200 without it.
BEFORE = {
    "volunteer": (200, "list+", 200, 200),
    "coordinator": (200, "list+", 200, 200),
    "other_volunteer": (404, 404, 404, 404),
    "other_coordinator": (404, 404, 404, 404),
    "officer": (404, "list-", 404, 200),
    "other_officer": (404, 404, 404, 404),
    "admin": (403, 403, 403, 200),
    "anon": (401, 401, 401, 401),
}
AFTER = {**BEFORE, "officer": (200, "list+", 200, 200)}

WHAT = "Garagedeur van nummer 12 stond wijd open, er liep iemand rond met een zaklamp."
STREET = "Kapelstraat 12"


@dataclass
class World:
    note_id: str
    photo_id: str
    group: GroupRef
    people: dict

    @property
    def group_id(self) -> uuid.UUID:
        return self.group.id


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def build_world(client, make, owner: str) -> World:
    """Two groups and their people; a volunteer of the `owner` group records a note with a photo."""
    groups = {}
    people = {}
    for side, area in (("a", "bargeres"), ("b", "emmerhout")):
        coordinator, volunteer, officer = make.person(), make.person(), make.person()
        groups[side] = make.group(area, coordinator=coordinator)
        make.member(groups[side], volunteer, MembershipRole.VOLUNTEER)
        make.officer(officer, area)
        people[side] = {"coordinator": coordinator, "volunteer": volunteer, "officer": officer}
    own, other = ("a", "b") if owner == "a" else ("b", "a")
    by_role = {
        **people[own],
        **{f"other_{role}": person for role, person in people[other].items()},
        "admin": make.person("Gemeente Emmen", admin=True),
        "anon": None,
    }
    group = groups[own]
    note_id = str(uuid.uuid4())
    created = client.post(
        f"/api/v1/groups/{group.id}/notes",
        json={
            "id": note_id,
            "category": "burglary_suspicious",
            "what": WHAT,
            "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
            "street": STREET,
        },
        headers=make.headers(by_role["volunteer"]),
    )
    assert created.status_code == 201, created.get_json()
    photo = client.post(
        f"/api/v1/notes/{note_id}/photos",
        data={"photo": (io.BytesIO(png()), "deur.png", "image/png")},
        content_type="multipart/form-data",
        headers=make.headers(by_role["volunteer"]),
    )
    assert photo.status_code == 201, photo.get_json()
    return World(note_id, photo.get_json()["id"], group, by_role)


def audit_rows(app, note_id: str) -> list[tuple[uuid.UUID, str]]:
    with app.app_context():
        rows = db.session().execute(
            select(NoteAccess.reader_id, NoteAccess.via).where(NoteAccess.note_id == uuid.UUID(note_id))
        )
        return sorted((reader, via) for reader, via in rows)


@pytest.mark.parametrize("owner", ["a", "b"], ids=["note-in-bargeres", "note-in-emmerhout"])
@pytest.mark.parametrize("shared", [False, True], ids=["before-sharing", "after-sharing"])
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_note(client, make, app, owner, shared, role):
    world = build_world(client, make, owner)
    if shared:
        response = client.post(f"/api/v1/notes/{world.note_id}/share", headers=make.headers(world.people["volunteer"]))
        assert response.status_code == 200
    person = world.people[role]
    headers = make.headers(person)
    expected_note, expected_list, expected_photo, expected_counts = (AFTER if shared else BEFORE)[role]

    note = client.get(f"/api/v1/notes/{world.note_id}", headers=headers)
    listed = client.get(f"/api/v1/groups/{world.group_id}/notes", headers=headers)
    photo = client.get(f"/api/v1/notes/{world.note_id}/photos/{world.photo_id}", headers=headers)
    counts = client.get(f"/api/v1/groups/{world.group_id}/notes/counts", headers=headers)

    assert note.status_code == expected_note
    if expected_note == 200:
        assert (note.get_json()["what"], note.get_json()["street"]) == (WHAT, STREET)
    else:
        assert WHAT not in note.get_data(as_text=True)
    if isinstance(expected_list, str):
        assert listed.status_code == 200
        ids = [n["id"] for n in listed.get_json()]
        assert ids == ([world.note_id] if expected_list == "list+" else [])
    else:
        assert listed.status_code == expected_list
        assert WHAT not in listed.get_data(as_text=True)
    assert photo.status_code == expected_photo
    if expected_photo == 200:
        assert photo.mimetype == "image/png"
        assert Image.open(io.BytesIO(photo.data)).size == (40, 30)
    assert counts.status_code == expected_counts
    if expected_counts == 200:
        # Numbers only: no text, place or id of any note.
        body = counts.get_json()
        assert body == {"total": 1, "by_category": {"burglary_suspicious": 1}, "by_status": {"open": 1}}
        raw = counts.get_data(as_text=True)
        assert WHAT not in raw and STREET not in raw and world.note_id not in raw

    # The audit log: each of the wijkagent's reads of a shared note (the note, the list, the photo),
    # and nothing for anyone else's reads, nor for numbers.
    rows = audit_rows(app, world.note_id)
    if role == "officer" and shared:
        assert rows == sorted([(person.id, "detail"), (person.id, "list"), (person.id, "photo")])
    else:
        assert rows == []


def test_every_read_by_the_wijkagent_is_one_audit_row(client, make, app):
    world = build_world(client, make, "a")
    officer = world.people["officer"]
    client.post(f"/api/v1/notes/{world.note_id}/share", headers=make.headers(world.people["coordinator"]))

    for _ in range(3):
        assert client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(officer)).status_code == 200
    assert client.get(f"/api/v1/groups/{world.group_id}/notes", headers=make.headers(officer)).status_code == 200
    # Members' reads, however many, are not audited.
    for role in ("volunteer", "coordinator"):
        client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(world.people[role]))
        client.get(f"/api/v1/groups/{world.group_id}/notes", headers=make.headers(world.people[role]))

    assert audit_rows(app, world.note_id) == sorted([(officer.id, "detail")] * 3 + [(officer.id, "list")])


def test_the_wijkagent_of_a_district_sees_what_is_shared_in_its_neighbourhoods(client, make, app):
    """A wijkagent assigned to Emmen Zuid serves Bargeres too; one of Emmen Oost does not."""
    world = build_world(client, make, "a")
    zuid, oost = make.person(), make.person()
    make.officer(zuid, "emmen-zuid")
    make.officer(oost, "emmen-oost")
    assert client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(zuid)).status_code == 404
    client.post(f"/api/v1/notes/{world.note_id}/share", headers=make.headers(world.people["volunteer"]))
    assert client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(zuid)).status_code == 200
    assert client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(oost)).status_code == 404
    assert audit_rows(app, world.note_id) == [(zuid.id, "detail")]


def test_a_held_note_is_not_shown_to_the_wijkagent_or_fellow_volunteers(client, make, app):
    world = build_world(client, make, "a")
    client.post(f"/api/v1/notes/{world.note_id}/share", headers=make.headers(world.people["volunteer"]))
    # Within the edit window the author rewrites it as origin only: it is held, for everyone but
    # the author and the coordinator, the wijkagent included.
    edited = client.patch(
        f"/api/v1/notes/{world.note_id}",
        json={"what": "Marokkaanse jongens in de wijk."},
        headers=make.headers(world.people["volunteer"]),
    )
    assert edited.get_json()["held"] is True
    fellow = make.person()
    make.member(world.group, fellow, MembershipRole.VOLUNTEER)

    assert (
        client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(world.people["officer"])).status_code == 404
    )
    assert client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(fellow)).status_code == 404
    photo_url = f"/api/v1/notes/{world.note_id}/photos/{world.photo_id}"
    assert client.get(photo_url, headers=make.headers(world.people["officer"])).status_code == 404
    assert client.get(photo_url, headers=make.headers(fellow)).status_code == 404
    assert (
        client.get(f"/api/v1/notes/{world.note_id}", headers=make.headers(world.people["coordinator"])).status_code
        == 200
    )
    assert client.get(photo_url, headers=make.headers(world.people["volunteer"])).status_code == 200
    listed = client.get(f"/api/v1/groups/{world.group_id}/notes", headers=make.headers(world.people["officer"]))
    assert listed.get_json() == []
    assert audit_rows(app, world.note_id) == []
