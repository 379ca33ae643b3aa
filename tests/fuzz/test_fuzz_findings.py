"""Bugs the OpenAPI fuzzer found: a strict xfail while the app has the bug, a plain test once fixed.

Each open one is excluded from tests/fuzz/test_openapi_fuzz.py by an entry of KNOWN_BUGS naming its
test here; when a test below starts to pass, make it a plain test and remove that entry, so the
fuzzer covers those inputs again.
"""

from __future__ import annotations

import uuid

import pytest
from flask.testing import FlaskClient

from tests.factories import Factory


# Found by the fuzzer as a 500 (OverflowError in LocalDateTime._deserialize: the conversion to UTC left the
# range of Python's datetime), and fixed: LocalDateTime refuses a moment it cannot hold in UTC and in local
# time. Kept as plain regression tests.
@pytest.mark.parametrize(
    ("method", "where", "moment"),
    [
        ("POST", "notes", "0001-01-01T00:00:01+01:00"),
        ("POST", "notes", "0001-01-01T00:00:00"),
        ("POST", "notes", "9999-12-31T23:59:59-01:00"),
        ("GET", "patrols?from=", "0001-01-01T00:00:00"),
    ],
    ids=["offset-year-1", "local-year-1", "offset-year-9999", "patrol-filter"],
)
def test_a_moment_at_the_edge_of_year_1_or_9999_is_refused_not_a_500(
    client: FlaskClient, make: Factory, method: str, where: str, moment: str
) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    if method == "POST":
        body = {
            "id": str(uuid.uuid4()),
            "category": "burglary_suspicious",
            "what": "Schuurdeur open.",
            "observed_at": moment,
        }
        response = client.post(f"/api/v1/groups/{group.id}/notes", json=body, headers=make.headers(anna))
    else:
        response = client.get(f"/api/v1/groups/{group.id}/{where}{moment}", headers=make.headers(anna))

    assert response.status_code == 422, response.get_data(as_text=True)
    location, name = ("json", "observed_at") if method == "POST" else ("query", "from")
    assert name in response.get_json()["errors"][location], response.get_json()


# Found by the fuzzer as a 500 (OverflowError showing 9999-12-31T23:30Z in Europe/Amsterdam, year 10000
# there), and fixed: LocalDateTime refuses at input a moment that cannot be shown in local time.
def test_a_patrol_in_the_last_hour_of_year_9999_is_refused_not_a_500(client: FlaskClient, make: Factory) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    body = {"starts_at": "9999-12-31T21:00:00+00:00", "ends_at": "9999-12-31T23:30:00+00:00", "meeting_point": "Kerk"}

    response = client.post(f"/api/v1/groups/{group.id}/patrols", json=body, headers=make.headers(anna))

    assert response.status_code == 422, response.get_data(as_text=True)
    assert "ends_at" in response.get_json()["errors"]["json"], response.get_json()


# Found by the fuzzer as a 500 (psycopg DataError "integer out of range" from 2**31 on PostgreSQL,
# sqlite3 OverflowError from 2**63 on SQLite), and fixed while this suite was written: area_ids are
# now buurtwacht.api.Id. Kept as a plain regression test.
@pytest.mark.parametrize("area_id", [2**31, 2**63], ids=["2**31", "2**63"])
def test_an_alert_for_an_area_id_beyond_the_database_integer_is_refused_not_a_500(
    client: FlaskClient, make: Factory, area_id: int
) -> None:
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    body = {
        "kind": "suspect",
        "headline": "Fietsendief bij het station",
        "description": "Man met donkere jas knipt sloten door.",
        "instruction": "Bel 112.",
        "area_ids": [area_id],
    }

    response = client.post("/api/v1/alerts", json=body, headers=make.headers(sanne))

    assert response.status_code == 422, response.get_data(as_text=True)
    assert "area_ids" in response.get_json()["errors"]["json"]


# Found as 500s: a lone surrogate ("\ud800" is valid JSON but no UTF-8: the database refused it) and JSON
# nested about 600 levels deep (a RecursionError in Python's parser, from a kilobyte any signed-in person
# can send). Fixed: a text with a surrogate is a 422 naming the field, too deep a body a 400 before it is
# parsed. The fuzzer sends both (HOSTILE in tests/fuzz/test_openapi_fuzz.py); kept as plain tests.
@pytest.mark.parametrize(
    ("where", "body"),
    [
        ("notes", b'{"id": "%s", "category": "burglary_suspicious", "what": "Schuur \\ud800 open."}'),
        (
            "patrols",
            b'{"starts_at": "2030-01-01T20:00:00+01:00", "ends_at": "2030-01-01T22:00:00+01:00", "meeting_point": "\\udfff"}',
        ),
    ],
    ids=["note-what", "patrol-meeting-point"],
)
def test_a_lone_surrogate_in_a_text_is_a_422_naming_the_field_not_a_500(
    client: FlaskClient, make: Factory, where: str, body: bytes
) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    data = body.replace(b"%s", str(uuid.uuid4()).encode())

    response = client.post(
        f"/api/v1/groups/{group.id}/{where}", data=data, content_type="application/json", headers=make.headers(anna)
    )

    assert response.status_code == 422, response.get_data(as_text=True)
    field = "what" if where == "notes" else "meeting_point"
    assert "losse surrogaat" in response.get_json()["errors"]["json"][field][0]


@pytest.mark.parametrize("opening", [b"[", b'{"a":'], ids=["arrays", "objects"])
def test_json_nested_six_hundred_levels_deep_is_a_400_not_a_500(
    client: FlaskClient, make: Factory, opening: bytes
) -> None:
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    closing = b"]" if opening == b"[" else b"}"

    response = client.patch(
        f"/api/v1/groups/{group.id}",
        data=b'{"name": ' + opening * 600 + b"1" + closing * 600 + b"}",
        content_type="application/json",
        headers=make.headers(anna),
    )

    assert response.status_code == 400, response.get_data(as_text=True)
    assert "dieper genest dan 32 niveaus" in response.get_json()["message"]
