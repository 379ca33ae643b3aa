"""One note from the street to 'opgelost': Bram sees a dead street light, Anna forwards it to Gemeente Emmen
(Signalen), a dispatcher sends it after the request, and the municipality's answer comes back to Bram."""

from __future__ import annotations

import io
import json

from PIL import Image
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.messages import text
from buurtwacht.models import Notification
from tests.forwarding.conftest import dispatch, forward, forwards, note, photo_with_exif, poll, record


def notifications_of(app, person_id):
    with app.app_context():
        rows = db.session().scalars(select(Notification).where(Notification.person_id == person_id)).all()
        return [(n.kind, n.params) for n in rows]


def test_from_the_street_to_opgelost(client, make, app, team, signalen):
    group, anna, bram = team
    written = record(client, make, bram, group)
    upload = client.post(
        f"/api/v1/notes/{written['id']}/photos",
        data={"photo": (io.BytesIO(photo_with_exif()), "lamp.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        headers=make.headers(bram),
    )
    assert upload.status_code == 201

    answer = forward(client, make, anna, written["id"], subject="street_light")
    assert answer.status_code == 202, answer.get_json()
    assert answer.get_json()["status"] == "queued"
    assert answer.get_json()["municipality"] == "Gemeente Emmen"
    assert signalen.received == []  # nothing is sent during the request

    tally = dispatch(app)
    assert (tally.sent, tally.photos) == (1, 1)
    assert signalen.made == 1
    sent = signalen.creates()[0].json
    assert sent["text"].startswith("Lantaarnpaal bij de speeltuin")
    assert sent["location"]["geometrie"] == {"type": "Point", "coordinates": [6.8803, 52.7701]}
    assert sent["category"]["sub_category"].endswith(
        "/terms/categories/wegen-verkeer-straatmeubilair/sub_categories/lantaarnpaal-straatverlichting-niet-werkend"
    )
    assert "reporter" not in sent  # Bram did not agree to be contacted
    everything_sent = json.dumps([r.json or r.form for r in signalen.received])
    for name in ("Bram", "Jansen", "Anna", "Vries", group.name):
        assert name not in everything_sent
    [(filename, content_type, data)] = next(iter(signalen.attachments.values()))
    assert content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(data)).getexif()  # no maker, no GPS

    [record_seen] = forwards(client, make, anna, written["id"])
    assert record_seen["status"] == "sent"
    assert record_seen["remote_id"] == "SIG-1"
    assert forwards(client, make, bram, written["id"]) == [record_seen]

    assert poll(app) == 1  # Signalen says: Gemeld (open)
    seen = note(client, make, bram, written["id"])
    assert seen["status"] == "reported"
    assert seen["history"][-1]["reason"] == "Gemeente Emmen: Gemeld"

    signal_id = next(iter(signalen.signals))
    signalen.set_status(signal_id, "CLOSED", "Afgehandeld: de lamp is vervangen")
    assert poll(app) == 1
    seen = note(client, make, bram, written["id"])
    assert seen["status"] == "resolved"
    assert [h["kind"] for h in seen["history"]] == [
        "created",
        "photo_added",
        "forward_queued",
        "forward_sent",
        "municipality",
        "municipality",
    ]
    assert seen["history"][-1] == {
        **seen["history"][-1],
        "from_status": "reported",
        "to_status": "resolved",
        "reason": "Gemeente Emmen: Afgehandeld: de lamp is vervangen",
    }
    assert forwards(client, make, anna, written["id"])[0]["status"] == "closed"
    # A generated client knows each of these kinds: the document lists them.
    documented = client.get("/openapi.json").get_json()["components"]["schemas"]["History"]["properties"]["kind"]
    assert {h["kind"] for h in seen["history"]} <= set(documented["enum"])

    told = [params for kind, params in notifications_of(app, bram.id) if kind == "forward.municipality_says"]
    assert [p["status"] for p in told] == ["Gemeld", "Afgehandeld: de lamp is vervangen"]
    assert text("forward.municipality_says", "nl", **told[-1]) == (
        "Gemeente Emmen meldt over je waarneming: Afgehandeld: de lamp is vervangen"
    )
    assert text("forward.municipality_says", "en", **told[-1]).startswith("Gemeente Emmen says about your note:")

    # Asking again, or another poll, sends and tells nothing twice.
    assert poll(app) == 0
    again = forward(client, make, anna, written["id"], subject="street_light")
    assert again.status_code == 202 and again.get_json()["status"] == "closed"
    assert dispatch(app).sent == 0
    assert signalen.made == 1
    assert len(notifications_of(app, bram.id)) == 2
    assert signalen.contract_errors == []


def test_an_author_who_agrees_to_be_contacted_sends_their_address_and_phone_only(client, make, app, team, signalen):
    group, anna, bram = team
    client.put(f"/api/v1/groups/{group.id}/forwarding", json={"authors_may_forward": True}, headers=make.headers(anna))
    written = record(client, make, bram, group, what="Container aan de Kapelstraat puilt uit.")
    answer = forward(client, make, bram, written["id"], subject="container", share_contact=True)
    assert answer.status_code == 202, answer.get_json()
    dispatch(app)
    sent = signalen.creates()[0].json
    assert sent["reporter"] == {"email": bram.email, "phone": "+31 6 1234 5678"}
    assert sent["category"]["sub_category"].endswith("/afval/sub_categories/container-is-vol")
    assert signalen.contract_errors == []
