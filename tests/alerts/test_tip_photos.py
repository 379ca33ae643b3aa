"""A tip can carry a photo. On a weak connection the tip goes first (small, it gets through), then its photo by
PUT under the tip's own id, so a retry is the same photo. It is checked, bounded and stripped by the notes'
photo code, counts against the same per-person photo limit, is seen only by the alert's issuer, the area's
wijkagent and its sender, and goes with the tip: 30 days after the alert ended, or with the sender's account."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid

import pytest
import time_machine
from PIL import Image

from buurtwacht import db
from buurtwacht.models import MembershipRole
from buurtwacht.notes import photos
from buurtwacht.privacy import jobs as retention
from tests.notes.test_photo_limits import jpeg_claiming, png_claiming, refusal
from tests.notes.test_photos import encode, jpeg, sideways_jpeg_with_gps, small_photo_app  # noqa: F401 (a fixture)
from tests.push.helpers import start_alert

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)  # a Tuesday evening, 20:30 in Emmen


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def search(make, client, clock):
    """Sanne, the wijkagent, looks for a boy in Bargeres; Anna coordinates its group, Bram walks in it."""
    sanne, anna, bram = make.person("Sanne Mulder"), make.person("Anna de Vries"), make.person("Bram Jansen")
    make.officer(sanne, "bargeres")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    return {"sanne": sanne, "anna": anna, "bram": bram, "alert": start_alert(client, make, sanne)}


def send_tip(client, make, alert_id, person) -> str:
    tip_id = str(uuid.uuid4())
    response = client.post(
        f"/api/v1/alerts/{alert_id}/tips",
        json={"id": tip_id, "text": "Jongen met rode jas bij de brug gezien."},
        headers=make.headers(person),
    )
    assert response.status_code == 201, response.get_json()
    return tip_id


def put_photo(client, make, alert_id, tip_id, person, data: bytes, filename="brug.jpg", mimetype="image/jpeg"):
    return client.put(
        f"/api/v1/alerts/{alert_id}/tips/{tip_id}/photo",
        data={"photo": (io.BytesIO(data), filename, mimetype)},
        content_type="multipart/form-data",
        headers=make.headers(person),
    )


def get_photo(client, make, alert_id, tip_id, person):
    return client.get(f"/api/v1/alerts/{alert_id}/tips/{tip_id}/photo", headers=make.headers(person))


def stored_files(app) -> set[str]:
    with app.app_context():
        folder = photos.folder()
        return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_the_tip_first_then_its_photo_seen_by_the_wijkagent_stripped_and_the_same_on_a_retry(client, make, app, search):
    alert_id, bram = search["alert"], search["bram"]
    tip_id = send_tip(client, make, alert_id, bram)
    before = stored_files(app)
    raw = sideways_jpeg_with_gps()

    first = put_photo(client, make, alert_id, tip_id, bram, raw)
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {
        "tip_id": tip_id, "content_type": "image/jpeg", "size_bytes": first.get_json()["size_bytes"],
        "width": 48, "height": 64,
    }  # fmt: skip
    again = put_photo(client, make, alert_id, tip_id, bram, raw)  # the answer got lost: the phone sends it again
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert len(stored_files(app) - before) == 1

    seen = get_photo(client, make, alert_id, tip_id, search["sanne"])
    assert seen.status_code == 200 and seen.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(seen.data)) as image:
        assert image.size == (48, 64)  # turned upright
        assert not image.getexif() and not image.info.get("exif")  # no EXIF, no location
    assert get_photo(client, make, alert_id, tip_id, bram).status_code == 200  # the sender's own
    assert get_photo(client, make, alert_id, tip_id, search["anna"]).status_code == 404  # another tip's reader: none
    tips = client.get(f"/api/v1/alerts/{alert_id}/tips", headers=make.headers(search["sanne"])).get_json()
    assert [(t["id"], t["has_photo"]) for t in tips] == [(tip_id, True)]

    # Another photo replaces it; the first file goes with the sweep of files without a row.
    assert put_photo(client, make, alert_id, tip_id, bram, jpeg((80, 60))).get_json()["width"] == 80
    with app.app_context():  # judged by the files' own times
        retention.remove_orphan_photo_files(dt.datetime.now(dt.UTC).replace(year=3000))
    assert len(stored_files(app) - before) == 1


def test_only_the_sender_puts_a_photo_and_only_while_the_alert_is_open(client, make, search):
    alert_id, bram, anna, sanne = search["alert"], search["bram"], search["anna"], search["sanne"]
    tip_id = send_tip(client, make, alert_id, bram)
    assert put_photo(client, make, alert_id, tip_id, anna, jpeg()).status_code == 404
    assert put_photo(client, make, alert_id, tip_id, sanne, jpeg()).status_code == 403
    assert put_photo(client, make, alert_id, uuid.uuid4(), bram, jpeg()).status_code == 404
    sent = jpeg((40, 30))
    assert put_photo(client, make, alert_id, tip_id, bram, sent).status_code == 200
    closed = client.post(
        f"/api/v1/alerts/{alert_id}/close",
        json={"outcome": "found", "message": "Hij is thuis."},
        headers=make.headers(sanne),
    )
    assert closed.status_code == 200
    assert put_photo(client, make, alert_id, tip_id, bram, jpeg((50, 30))).status_code == 409
    assert put_photo(client, make, alert_id, tip_id, bram, sent).status_code == 200  # a late retry is answered


def test_the_pixels_are_judged_from_the_header_as_for_a_note(client, make, search):
    alert_id, bram = search["alert"], search["bram"]
    tip_id = send_tip(client, make, alert_id, bram)
    assert "6000x5000" in refusal(put_photo(client, make, alert_id, tip_id, bram, png_claiming(6000, 5000), "a.png"))
    assert "8064x6048" in refusal(put_photo(client, make, alert_id, tip_id, bram, jpeg_claiming(8064, 6048)))
    assert refusal(put_photo(client, make, alert_id, tip_id, bram, b"geen foto"))
    assert get_photo(client, make, alert_id, tip_id, search["sanne"]).status_code == 404


def test_a_photo_larger_than_the_limit_is_413(small_photo_app, make, app, search):  # noqa: F811
    client = small_photo_app.test_client()
    tip_id = send_tip(client, make, search["alert"], search["bram"])
    rng = random.Random(11)
    big = encode(Image.frombytes("RGB", (80, 80), rng.randbytes(80 * 80 * 3)), "PNG")
    too_large = put_photo(client, make, search["alert"], tip_id, search["bram"], big, "brug.png", "image/png")
    assert too_large.status_code == 413
    assert get_photo(client, make, search["alert"], tip_id, search["sanne"]).status_code == 404


def test_tip_photos_count_against_the_same_photo_limit_as_notes(client, make, app, search, clock):
    alert_id, bram = search["alert"], search["bram"]
    tip_id = send_tip(client, make, alert_id, bram)
    assert app.config["BUURTWACHT"].RATE_LIMIT_PHOTOS == "20/minute;200/hour"
    answers = [put_photo(client, make, alert_id, tip_id, bram, jpeg((16 + n, 16))).status_code for n in range(20)]
    refused = put_photo(client, make, alert_id, tip_id, bram, jpeg((99, 16)))
    assert answers == [200] * 20 and refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    clock.shift(dt.timedelta(seconds=61))
    assert put_photo(client, make, alert_id, tip_id, bram, jpeg((99, 16))).status_code == 200


def test_the_photo_is_in_the_export_and_goes_with_the_tip_or_the_account(client, make, app, search):
    alert_id, bram, sanne = search["alert"], search["bram"], search["sanne"]
    tip_id = send_tip(client, make, alert_id, bram)
    before = stored_files(app)
    assert put_photo(client, make, alert_id, tip_id, bram, jpeg()).status_code == 200
    [stored] = stored_files(app) - before
    exported = client.get("/api/v1/me/export", headers=make.headers(bram)).get_json()
    assert [(t["id"], t["photo"]["width"]) for t in exported["tips"]] == [(tip_id, 64)]

    # Bram deletes his account: his tip and its photo go at once.
    assert client.delete("/api/v1/me", headers=make.headers(bram)).status_code == 204
    assert stored not in stored_files(app)

    # Henk's tip on the same alert goes 30 days after the alert ended, its photo with it.
    henk = make.person("Henk Bakker")
    make.member(make.group("bargeres"), henk, MembershipRole.VOLUNTEER)
    henks = send_tip(client, make, alert_id, henk)
    assert put_photo(client, make, alert_id, henks, henk, jpeg((30, 30))).status_code == 200
    [kept] = stored_files(app) - before
    ended = client.post(f"/api/v1/alerts/{alert_id}/cancel", json={"reason": "Per abuis."}, headers=make.headers(sanne))
    assert ended.status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=29), tick=False), app.app_context():
        retention.expire_photos_tips_and_locations(db.utcnow())
    assert kept in stored_files(app)
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False), app.app_context():
        retention.expire_photos_tips_and_locations(db.utcnow())
    assert kept not in stored_files(app)
