"""A note's story: recorded on patrol with a photo, retried, referred, shared with the wijkagent, followed up."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import time_machine
from PIL import Image

from buurtwacht import db
from buurtwacht.models import MembershipRole, NoteAccess, Patrol, PatrolStatus


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 46.0, 12.0), "E", (6.0, 52.0, 48.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_note_from_the_street_reaches_the_wijkagent_and_is_followed_up(client, make, app):
    anna, bram, sanne = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Sanne Mulder")
    group = make.group(coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.officer(sanne, "bargeres")
    with time_machine.travel(dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC), tick=False):
        with app.app_context():
            now = db.utcnow()
            patrol = Patrol(
                group_id=group.id, starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=1),
                meeting_point="Wijkcentrum", min_team=2, max_team=4, status=PatrolStatus.RUNNING,
            )  # fmt: skip
            db.session().add(patrol)
            db.session().commit()
            patrol_id = patrol.id

        note_id = str(uuid.uuid4())
        body = {
            "id": note_id,
            "category": "burglary_suspicious",
            "what": "Garagedeur van nummer 12 staat wijd open, niemand thuis.",
            "observed_at": "2026-11-03T20:25",
            "street": "Kapelstraat 12",
            "lat": 52.7701,
            "lon": 6.8779,
            "accuracy_m": 8,
            "patrol_id": str(patrol_id),
        }
        created = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(bram))
        assert created.status_code == 201, created.get_json()
        note = created.get_json()
        assert note["held"] is False
        assert [r["code"] for r in note["referrals"]] == ["emergency", "police", "anonymous"]
        assert note["referrals"][0]["phone"] == "112"

        # The phone lost the answer and sends it again: the same note, not a second one.
        again = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(bram))
        assert again.status_code == 201
        assert again.get_json()["id"] == note_id
        listed = client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(anna)).get_json()
        assert [n["id"] for n in listed] == [note_id]
        # The same id with another body is a conflict, and changes nothing.
        other = client.post(
            f"/api/v1/groups/{group.id}/notes", json={**body, "what": "Iets anders gezien."}, headers=make.headers(bram)
        )
        assert other.status_code == 409

        # A photo: its location metadata is gone when it is read back.
        uploaded = client.post(
            f"/api/v1/notes/{note_id}/photos",
            data={"photo": (io.BytesIO(jpeg_with_gps()), "garage.jpg", "image/jpeg")},
            content_type="multipart/form-data",
            headers=make.headers(bram),
        )
        assert uploaded.status_code == 201, uploaded.get_json()
        photo_id = uploaded.get_json()["id"]
        stored = client.get(f"/api/v1/notes/{note_id}/photos/{photo_id}", headers=make.headers(anna))
        assert stored.status_code == 200
        assert stored.mimetype == "image/jpeg"
        with Image.open(io.BytesIO(stored.data)) as read_back:
            assert dict(read_back.getexif()) == {}
            assert read_back.getexif().get_ifd(0x8825) == {}

        # Before sharing, the wijkagent does not see it.
        assert client.get(f"/api/v1/notes/{note_id}", headers=make.headers(sanne)).status_code == 404
        shared = client.post(f"/api/v1/notes/{note_id}/share", headers=make.headers(bram))
        assert shared.get_json()["shared_with_police"] is True
        seen = client.get(f"/api/v1/notes/{note_id}", headers=make.headers(sanne))
        assert seen.status_code == 200
        assert seen.get_json()["author"] == "Bram J."
        assert client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(sanne)).status_code == 200
        assert client.get(f"/api/v1/notes/{note_id}/photos/{photo_id}", headers=make.headers(sanne)).status_code == 200

        # The coordinator moves it on, with reasons, in its history.
        reported = client.post(
            f"/api/v1/notes/{note_id}/status",
            json={"status": "reported", "reason": "Gemeld bij politie via 0900-8844"},
            headers=make.headers(anna),
        )
        assert reported.get_json()["status"] == "reported"
        resolved = client.post(
            f"/api/v1/notes/{note_id}/status",
            json={"status": "resolved", "reason": "Bewoner gebeld, garage dicht"},
            headers=make.headers(anna),
        ).get_json()
        assert [
            (h["from_status"], h["to_status"], h["reason"]) for h in resolved["history"] if h["kind"] == "status"
        ] == [
            ("open", "reported", "Gemeld bij politie via 0900-8844"),
            ("reported", "resolved", "Bewoner gebeld, garage dicht"),
        ]
        back = client.post(
            f"/api/v1/notes/{note_id}/status", json={"status": "open", "reason": "terug"}, headers=make.headers(anna)
        )
        assert back.status_code == 409

    # Each of the wijkagent's reads is in the audit log: the note, the list and the photo.
    with app.app_context():
        reads = db.session().query(NoteAccess.via).filter(NoteAccess.note_id == uuid.UUID(note_id)).all()
        assert sorted(via for (via,) in reads) == ["detail", "list", "photo"]


def test_a_note_about_someones_origin_only_is_held_for_review(client, make):
    anna, bram, henk = make.person("Anna de Vries"), make.person("Bram Jansen"), make.person("Henk Bakker")
    group = make.group(coordinator=anna)
    make.member(group, bram)
    make.member(group, henk)
    body = {
        "id": str(uuid.uuid4()),
        "category": "burglary_suspicious",
        "what": "Marokkaanse jongens in de wijk.",
        "observed_at": dt.datetime.now(dt.UTC).isoformat(),
        "street": "Rietlanden",
    }
    created = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(bram)).get_json()
    assert created["held"] is True
    assert "gedrag" in created["review_message"]
    # Fellow volunteers do not see it; the coordinator does, and decides.
    assert client.get(f"/api/v1/notes/{body['id']}", headers=make.headers(henk)).status_code == 404
    assert client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(henk)).get_json() == []
    assert client.post(f"/api/v1/notes/{body['id']}/share", headers=make.headers(bram)).status_code == 409
    held = client.get(f"/api/v1/groups/{group.id}/notes?held=true", headers=make.headers(anna)).get_json()
    assert [n["id"] for n in held] == [body["id"]]

    # Rewritten as behaviour, it is released by itself.
    edited = client.patch(
        f"/api/v1/notes/{body['id']}",
        json={"what": "Twee jongens voelden aan autodeuren op de parkeerplaats."},
        headers=make.headers(bram),
    ).get_json()
    assert edited["held"] is False
    assert client.get(f"/api/v1/notes/{body['id']}", headers=make.headers(henk)).status_code == 200


def test_no_note_field_stores_ethnicity_and_domestic_violence_only_refers(client, make):
    bram = make.person("Bram Jansen")
    group = make.group()
    make.member(group, bram)
    base = {
        "id": str(uuid.uuid4()),
        "category": "other",
        "what": "Iemand liep aan deuren te voelen.",
        "observed_at": dt.datetime.now(dt.UTC).isoformat(),
        "street": "Kapelstraat",
    }
    response = client.post(
        f"/api/v1/groups/{group.id}/notes", json={**base, "ethnicity": "x"}, headers=make.headers(bram)
    )
    assert response.status_code == 422
    assert "ethnicity" in response.get_json()["errors"]["json"]
    refused = client.post(
        f"/api/v1/groups/{group.id}/notes", json={**base, "category": "domestic_violence"}, headers=make.headers(bram)
    )
    assert refused.status_code == 422
    assert "Veilig Thuis" in refused.get_json()["errors"]["json"]["category"][0]
    categories = client.get("/api/v1/note-categories", headers=make.headers(bram)).get_json()
    domestic = next(c for c in categories if c["code"] == "domestic_violence")
    assert domestic["recordable"] is False
    assert domestic["referrals"][0]["phone"] == "0800-2000"
    assert client.get(f"/api/v1/groups/{group.id}/notes", headers=make.headers(bram)).get_json() == []
