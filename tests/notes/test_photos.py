"""Photos on a note: a few JPEGs or PNGs, read to know what they are, stored without EXIF or location.

What the phone says a file is does not count: the server reads the image. Orientation from EXIF is
applied to the pixels, then every bit of metadata is dropped (EXIF, GPS, PNG text chunks). Only the
note's author adds photos, only while the note can be edited; a photo is seen by whoever may see
its note.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from buurtwacht import create_app, db
from buurtwacht.models import NoteEvent, NotePhoto

NOW = dt.datetime(2026, 11, 3, 19, 30, tzinfo=dt.UTC)


def record(client, make, group, author) -> str:
    note_id = str(uuid.uuid4())
    response = client.post(
        f"/api/v1/groups/{group.id}/notes",
        json={
            "id": note_id,
            "category": "clean_whole_safe",
            "what": "Bushokje vernield, glas ligt op het fietspad.",
            "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
            "street": "Statenweg",
        },
        headers=make.headers(author),
    )
    assert response.status_code == 201, response.get_json()
    return note_id


def upload(client, make, note_id, person, data: bytes, filename="foto.jpg", mimetype="image/jpeg"):
    return client.post(
        f"/api/v1/notes/{note_id}/photos",
        data={"photo": (io.BytesIO(data), filename, mimetype)},
        content_type="multipart/form-data",
        headers=make.headers(person),
    )


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(size=(64, 48), colour=(200, 120, 40), **options) -> bytes:
    return encode(Image.new("RGB", size, colour), "JPEG", **options)


def png(size=(64, 48), colour=(20, 120, 200), **options) -> bytes:
    return encode(Image.new("RGB", size, colour), "PNG", **options)


def stored_photos(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(NotePhoto))


def photo_ids(client, make, note_id, person) -> list[str]:
    return client.get(f"/api/v1/notes/{note_id}", headers=make.headers(person)).get_json()["photo_ids"]


# What is accepted


def test_a_png_is_accepted_and_read_back_as_a_png(client, make, team, clock):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    response = upload(client, make, note_id, bram, png((120, 90)), "plattegrond.png", "image/png")
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    assert (photo["content_type"], photo["width"], photo["height"]) == ("image/png", 120, 90)
    assert photo_ids(client, make, note_id, anna) == [photo["id"]]

    stored = client.get(f"/api/v1/notes/{note_id}/photos/{photo['id']}", headers=make.headers(anna))
    assert stored.status_code == 200
    assert stored.mimetype == "image/png"
    assert len(stored.data) == photo["size_bytes"]
    assert Image.open(io.BytesIO(stored.data)).format == "PNG"


def test_what_a_file_is_comes_from_reading_it_not_from_its_name(client, make, team, clock):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    response = upload(client, make, note_id, bram, jpeg(), "scherm.png", "image/png")
    assert response.status_code == 201
    assert response.get_json()["content_type"] == "image/jpeg"
    stored = client.get(f"/api/v1/notes/{note_id}/photos/{response.get_json()['id']}", headers=make.headers(anna))
    assert stored.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(stored.data)).format == "JPEG"


def test_a_large_photo_is_scaled_down(client, make, team, clock):
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    response = upload(client, make, note_id, bram, jpeg((3000, 2000)))
    assert response.status_code == 201
    assert (response.get_json()["width"], response.get_json()["height"]) == (2048, 1365)


def test_a_photo_over_the_json_limit_but_within_the_photo_limit_is_accepted(client, make, app, team, clock):
    """A phone photo is larger than the 1 MiB that JSON requests may be."""
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    rng = random.Random(7)
    noisy = Image.frombytes("RGB", (1200, 1000), rng.randbytes(1200 * 1000 * 3))
    raw = encode(noisy, "JPEG", quality=95)
    settings = app.config["BUURTWACHT"]
    assert settings.MAX_REQUEST_BYTES < len(raw) < settings.PHOTO_MAX_BYTES
    response = upload(client, make, note_id, bram, raw)
    assert response.status_code == 201, response.status_code


# What is refused


def gif() -> bytes:
    return encode(Image.new("RGB", (32, 32), (255, 0, 0)), "GIF")


def truncated_jpeg() -> bytes:
    rng = random.Random(3)
    noisy = Image.frombytes("RGB", (200, 150), rng.randbytes(200 * 150 * 3))
    whole = encode(noisy, "JPEG")
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("data", "filename", "mimetype"),
    [
        (gif(), "foto.gif", "image/gif"),
        (gif(), "foto.jpg", "image/jpeg"),  # a GIF that says it is a JPEG
        (b"Dit is geen foto, maar een tekstbestand.\n" * 20, "foto.jpg", "image/jpeg"),
        (truncated_jpeg(), "foto.jpg", "image/jpeg"),  # the upload broke off halfway
        (jpeg()[:2] + b"\x00" * 200, "foto.jpg", "image/jpeg"),  # a JPEG marker and nothing after
        (b"", "foto.jpg", "image/jpeg"),
        (encode(Image.new("RGB", (32, 32)), "BMP"), "foto.bmp", "image/bmp"),
    ],
    ids=["gif", "gif-named-jpg", "text-named-jpg", "truncated-jpeg", "header-only", "empty", "bmp"],
)
def test_what_is_not_a_jpeg_or_png_is_refused_naming_photo(client, make, app, team, clock, data, filename, mimetype):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    response = upload(client, make, note_id, bram, data, filename, mimetype)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["files"]) == ["photo"]
    assert stored_photos(app) == 0
    assert photo_ids(client, make, note_id, anna) == []


def test_an_image_of_too_many_pixels_is_refused_without_decoding_it(client, make, app, team, clock):
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    bomb = encode(Image.new("1", (8000, 6000)), "PNG")  # 48 MP of nothing: a few kB on the wire
    assert len(bomb) < 100_000
    response = upload(client, make, note_id, bram, bomb, "foto.png", "image/png")
    assert response.status_code == 422
    assert "pixels" in response.get_json()["errors"]["files"]["photo"][0]
    assert stored_photos(app) == 0


def test_an_upload_without_the_photo_field_is_refused(client, make, team, clock):
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    response = client.post(
        f"/api/v1/notes/{note_id}/photos",
        data={"image": (io.BytesIO(jpeg()), "foto.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        headers=make.headers(bram),
    )
    assert response.status_code == 422
    assert "photo" in response.get_json()["errors"]["files"]


def test_a_phone_jpeg_with_a_multi_picture_segment_is_accepted(client, make, team, clock):
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    main, depth = Image.new("RGB", (64, 48), (200, 40, 40)), Image.new("RGB", (64, 48), (40, 40, 200))
    raw = encode(main, "MPO", save_all=True, append_images=[depth])
    assert raw[:3] == b"\xff\xd8\xff"  # a JPEG, as far as anyone sending it knows
    response = upload(client, make, note_id, bram, raw)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == "image/jpeg"


@pytest.fixture
def small_photo_app(make_settings, app):
    """The same service and database, with photos limited to 4 kB."""
    small = create_app(make_settings(PHOTO_MAX_BYTES=4096))
    yield small
    with small.app_context():
        small.extensions["buurtwacht.identity"].close()
        db.database().dispose()


def test_a_photo_larger_than_the_limit_is_413_and_leaves_nothing(small_photo_app, make, app, team):
    group, anna, bram, _henk = team
    client = small_photo_app.test_client()
    note_id = record(client, make, group, bram)
    rng = random.Random(11)
    big = encode(Image.frombytes("RGB", (80, 80), rng.randbytes(80 * 80 * 3)), "PNG")
    assert len(big) > 4096

    too_large = upload(client, make, note_id, bram, big, "foto.png", "image/png")
    assert too_large.status_code == 413
    assert stored_photos(app) == 0
    # A small one still fits.
    assert upload(client, make, note_id, bram, png((16, 16)), "foto.png", "image/png").status_code == 201
    assert stored_photos(app) == 1


# How many, by whom, and when


def test_a_note_takes_a_few_photos(client, make, app, team, clock):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    most = app.config["BUURTWACHT"].PHOTOS_PER_NOTE
    for n in range(most):
        assert upload(client, make, note_id, bram, jpeg(colour=(n * 40, 0, 0))).status_code == 201
    one_more = upload(client, make, note_id, bram, jpeg())
    assert one_more.status_code == 409
    assert str(most) in one_more.get_json()["message"]
    assert len(photo_ids(client, make, note_id, anna)) == most
    assert stored_photos(app) == most


def test_only_the_author_adds_photos_and_only_while_the_note_can_be_edited(client, make, app, team, clock):
    group, anna, bram, henk = team
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    note_id = record(client, make, group, bram)
    client.post(f"/api/v1/notes/{note_id}/share", headers=make.headers(bram))

    assert upload(client, make, note_id, henk, jpeg()).status_code == 403
    assert upload(client, make, note_id, anna, jpeg()).status_code == 403
    assert upload(client, make, note_id, sanne, jpeg()).status_code == 403
    assert upload(client, make, note_id, make.person(admin=True), jpeg()).status_code == 403
    assert upload(client, make, note_id, make.person(), jpeg()).status_code == 404
    assert upload(client, make, uuid.uuid4(), bram, jpeg()).status_code == 404
    assert stored_photos(app) == 0

    clock.shift(dt.timedelta(minutes=app.config["BUURTWACHT"].NOTE_EDIT_MINUTES, seconds=1))
    late = upload(client, make, note_id, bram, jpeg())
    assert late.status_code == 409
    assert stored_photos(app) == 0
    with app.app_context():
        kinds = db.session().scalars(select(NoteEvent.kind).where(NoteEvent.note_id == uuid.UUID(note_id))).all()
        assert "photo_added" not in kinds


# Metadata


def sideways_jpeg_with_gps() -> bytes:
    """A phone held upright: the sensor's 64x48 pixels, left half red, right half blue, Orientation=6."""
    image = Image.new("RGB", (64, 48), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 32, 48))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0132] = "2026:11:03 20:25:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to show
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 46.0, 12.0), "E", (6.0, 52.0, 48.0)
    raw = encode(image, "JPEG", exif=exif, quality=95)
    with Image.open(io.BytesIO(raw)) as check:  # the test's own premise: the upload does carry them
        assert check.getexif()[0x0112] == 6
        assert check.getexif().get_ifd(0x8825)[1] == "N"
    return raw


def test_the_photo_is_turned_upright_and_its_exif_and_location_are_gone(client, make, app, photo_dir, team, clock):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    raw = sideways_jpeg_with_gps()

    response = upload(client, make, note_id, bram, raw)
    assert response.status_code == 201
    assert (response.get_json()["width"], response.get_json()["height"]) == (48, 64)

    stored = client.get(f"/api/v1/notes/{note_id}/photos/{response.get_json()['id']}", headers=make.headers(anna))
    with Image.open(io.BytesIO(stored.data)) as image:
        assert image.size == (48, 64)
        # Turned clockwise: what was left (red) is now on top, right (blue) at the bottom.
        top, bottom = image.getpixel((24, 8)), image.getpixel((24, 56))
        assert top[0] > 200 and top[2] < 50
        assert bottom[2] > 200 and bottom[0] < 50
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}
        assert "exif" not in image.info
    for marker in (b"Exif", b"PhoneMaker", b"Phone 12", b"2026:11:03"):
        assert marker not in stored.data
    # And so it is on disk.
    with app.app_context():
        key = db.session().get(NotePhoto, uuid.UUID(response.get_json()["id"])).storage_key
    assert (photo_dir / key).read_bytes() == stored.data


def test_a_png_loses_its_text_chunks_and_exif(client, make, team, clock):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Kapelstraat 12, bij Bram thuis")
    info.add_itxt("Location", "52.7701 N, 6.8779 E")
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    raw = png(pnginfo=info, exif=exif)
    with Image.open(io.BytesIO(raw)) as check:
        assert check.text == {"Comment": "Kapelstraat 12, bij Bram thuis", "Location": "52.7701 N, 6.8779 E"}

    response = upload(client, make, note_id, bram, raw, "scherm.png", "image/png")
    assert response.status_code == 201
    stored = client.get(f"/api/v1/notes/{note_id}/photos/{response.get_json()['id']}", headers=make.headers(anna))
    with Image.open(io.BytesIO(stored.data)) as image:
        image.load()
        assert image.text == {}
        assert "exif" not in image.info
        assert dict(image.getexif()) == {}
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"Kapelstraat", b"52.7701"):
        assert marker not in stored.data


# Where a photo is found


def test_a_photo_is_found_only_under_its_own_note(client, make, team, clock):
    group, anna, bram, henk = team
    mine, other = record(client, make, group, bram), record(client, make, group, henk)
    photo = upload(client, make, other, henk, jpeg()).get_json()["id"]

    assert client.get(f"/api/v1/notes/{other}/photos/{photo}", headers=make.headers(anna)).status_code == 200
    assert client.get(f"/api/v1/notes/{mine}/photos/{photo}", headers=make.headers(anna)).status_code == 404
    assert client.get(f"/api/v1/notes/{mine}/photos/{uuid.uuid4()}", headers=make.headers(anna)).status_code == 404
