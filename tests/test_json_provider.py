"""JSON answers through orjson say what Flask's own encoder said: the same values, keys in the same order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import uuid

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from buurtwacht.json_provider import FastJSONProvider


@dataclasses.dataclass
class Place:
    street: str
    number: int


VALUES = [
    {"b": 1, "a": [1.5, None, True], "c": {"z": "Coördinator", "y": "€ 7,50"}},
    [{"at": dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), "day": dt.date(2026, 3, 29)}],
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "amount": decimal.Decimal("7.50")},
    {"place": Place("Kapelstraat", 12)},
    {"text": 'regel één\nregel twee \u2028 \u0007 "aanhalingstekens" \\ slash'},
    {10: "a key that is not text", 9: "sorted as Flask sorts numbers"},  # orjson refuses: Flask's encoder writes it
    {"big": 2**70},  # beyond 64 bits: Flask's encoder
    {"lone": "\ud800"},  # a lone surrogate: Flask's encoder (escaped)
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_an_answer_holds_what_flasks_encoder_wrote(value: object) -> None:
    app = Flask(__name__)
    ours, flasks = FastJSONProvider(app), DefaultJSONProvider(app)
    with app.app_context():
        fast = ours.response(value).get_data()
        plain = flasks.response(value).get_data()
    assert json.loads(fast) == json.loads(plain)
    assert list(_keys(json.loads(fast))) == list(_keys(json.loads(plain)))  # the same order of keys
    assert fast.endswith(b"\n") and plain.endswith(b"\n")


def test_text_is_utf8_not_escapes_and_debug_mode_stays_indented() -> None:
    app = Flask(__name__)
    provider = FastJSONProvider(app)
    with app.app_context():
        body = provider.response({"naam": "Coördinator"}).get_data()
    assert body == '{"naam":"Coördinator"}\n'.encode()
    app.debug = True
    with app.app_context():
        assert provider.response({"a": 1}).get_data() == b'{\n  "a": 1\n}\n'


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [k for key, inner in value.items() for k in (key, *_keys(inner))]
    if isinstance(value, list):
        return [k for inner in value for k in _keys(inner)]
    return []


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC),  # the last microsecond of winter time
        dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),  # summer time, no fraction
        dt.datetime(2026, 10, 25, 0, 30, 0, 500, tzinfo=dt.UTC),  # the hour that comes twice, its first time
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),  # and its second
    ],
)
def test_a_fast_reads_moments_and_ids_are_written_as_the_schemas_write_them(moment: dt.datetime) -> None:
    """A Dumped answer keeps local datetimes and UUIDs for orjson to write: isoformat's text and str(uuid)'s."""
    from buurtwacht.api import Dumped
    from buurtwacht.localtime import local_zone

    app = Flask(__name__)
    local = moment.astimezone(local_zone())
    some = uuid.UUID("12345678-1234-5678-1234-567812345678")
    with app.app_context():
        listed = json.loads(FastJSONProvider(app).response(Dumped([{"at": local, "id": some}])).get_data())
        one = json.loads(FastJSONProvider(app).response(Dumped.one({"at": local, "id": some})).get_data())
    assert listed == [{"at": local.isoformat(), "id": str(some)}]
    assert one == {"at": local.isoformat(), "id": str(some)}
    assert local.isoformat()[-6:] in ("+01:00", "+02:00")
