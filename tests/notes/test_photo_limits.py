"""What a photo may cost: the server reads an image's size from its header and refuses one of more
pixels than a phone photo has before decoding anything, and one person may upload only so many
photos a minute (BUURTWACHT_RATE_LIMIT_PHOTOS), refused tries included."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest
from PIL import Image

from buurtwacht.config import ConfigError
from tests.notes.test_photos import encode, jpeg, photo_ids, record, stored_photos, upload


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with image data that no decoder can read."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not zlib at all") + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is rewritten to claim width x height."""
    raw = bytearray(jpeg((16, 16)))
    frame = raw.index(b"\xff\xc0")
    raw[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(raw)


def refusal(response) -> str:
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]["files"]) == ["photo"]
    return str(response.get_json()["errors"]["files"]["photo"][0])


# Pixels


def test_the_6300_pixel_square_png_of_the_attack_is_refused(client, make, app, team, clock):
    group, anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    attack = encode(Image.new("1", (6300, 6300)), "PNG")  # 39.7 MP; the attacker's was 154 kB
    response = upload(client, make, note_id, bram, attack, "foto.png", "image/png")
    message = refusal(response)
    assert "6300x6300" in message and "25 megapixel" in message
    assert response.get_json()["message"] == message
    assert stored_photos(app) == 0 and photo_ids(client, make, note_id, anna) == []


def test_the_size_is_judged_from_the_header_before_any_pixel_is_decoded(client, make, team, clock):
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    # Were these decoded, they would be refused as unreadable: the answer names the pixels instead.
    assert "6000x5000" in refusal(upload(client, make, note_id, bram, png_claiming(6000, 5000), "a.png", "image/png"))
    full_resolution = refusal(upload(client, make, note_id, bram, jpeg_claiming(8064, 6048)))  # a 48 MP phone's
    assert "8064x6048 pixels (48.8 megapixel)" in full_resolution
    # Beyond twice the limit Pillow itself refuses to open it: still a refusal for its pixels.
    assert "megapixel" in refusal(upload(client, make, note_id, bram, jpeg_claiming(60000, 60000)))


def test_a_phone_photo_at_its_usual_size_is_accepted(client, make, team, clock):
    """12 MP (4032x3024), most phones' default; 24 MP (5712x4284), a recent iPhone's default."""
    group, _anna, bram, _henk = team
    note_id = record(client, make, group, bram)
    for size, stored in (((4032, 3024), (2048, 1536)), ((5712, 4284), (2048, 1536)), ((3024, 4032), (1536, 2048))):
        response = upload(client, make, note_id, bram, encode(Image.new("L", size, 90), "JPEG"))
        assert response.status_code == 201, response.get_json()
        assert (response.get_json()["width"], response.get_json()["height"]) == stored


# Uploads per person


def test_a_twenty_first_upload_in_a_minute_is_refused_and_stores_nothing(client, make, app, team, clock):
    group, _anna, bram, henk = team
    assert app.config["BUURTWACHT"].RATE_LIMIT_PHOTOS == "20/minute;200/hour"
    per_note = app.config["BUURTWACHT"].PHOTOS_PER_NOTE
    notes = [record(client, make, group, bram) for _ in range(20 // per_note + 1)]
    answers = [upload(client, make, notes[n // per_note], bram, jpeg()).status_code for n in range(19)]
    unreadable = upload(client, make, notes[-1], bram, b"geen foto")  # a refused try counts too
    refused = upload(client, make, notes[-1], bram, jpeg())

    assert answers == [201] * 19 and unreadable.status_code == 422
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    body = refused.get_json()
    assert (
        body["code"] == 429
        and "Te veel foto-uploads" in body["message"]
        and "hoogstens 20 per minuut" in body["message"]
    )
    assert stored_photos(app) == 19
    henks_note = record(client, make, group, henk)
    assert upload(client, make, henks_note, henk, jpeg()).status_code == 201  # another person is not held back

    clock.shift(dt.timedelta(seconds=61))
    assert upload(client, make, notes[-1], bram, jpeg()).status_code == 201


def test_a_malformed_photo_limit_stops_the_start(make_settings):
    with pytest.raises(ConfigError, match="RATE_LIMIT_PHOTOS is not a limit"):
        make_settings(RATE_LIMIT_PHOTOS="20/minute;lots")
