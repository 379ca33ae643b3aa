"""The area tree: Gemeente Emmen, its six gebieden, their wijken and dorpen, and the wijkagenten who serve them.

The municipality adds and refines areas; everyone signed in reads them.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.factories import Someone

SIX_GEBIEDEN = {"De Blokken", "De Velden", "De Monden", "Emmen Noord", "Emmen Oost", "Emmen Zuid"}
NAMED_IN_THE_SEED = {
    "Bargeres": ("neighbourhood", "Emmen Zuid"),
    "Rietlanden": ("neighbourhood", "Emmen Zuid"),
    "Emmerhout": ("neighbourhood", "Emmen Oost"),
    "Angelslo": ("neighbourhood", "Emmen Oost"),
    "Nieuw-Weerdinge": ("village", "De Monden"),
    "Nieuw-Amsterdam": ("village", "De Blokken"),
    "Veenoord": ("village", "De Blokken"),
    "Schoonebeek": ("village", "De Blokken"),
    "Klazienaveen": ("village", "De Velden"),
    "Nieuw-Dordrecht": ("village", "De Velden"),
}

A_SQUARE_IN_EMMEN = {
    "type": "Polygon",
    "coordinates": [[[6.870, 52.760], [6.880, 52.760], [6.880, 52.770], [6.870, 52.770], [6.870, 52.760]]],
}


def areas(client, make, person, query: str = "") -> list[dict]:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/areas{query}", headers=make.headers(person))
    assert response.status_code == 200, response.get_json()
    found: list[dict] = response.get_json()
    return found


def new_wijk(make, **changes):  # type: ignore[no-untyped-def]
    body = {
        "code": "de-kern",
        "name": "De Kern",
        "kind": "neighbourhood",
        "parent_id": make.area_id("emmen-zuid"),
        "centre": {"lat": 52.765, "lon": 6.875},
        "boundary": A_SQUARE_IN_EMMEN,
    }
    body.update(changes)
    return body


def add_area(client, make, admin, body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/areas", json=body, headers=make.headers(admin))


def field_errors(response, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == 422
    reasons: list[str] = body["errors"]["json"][field]
    return reasons


# Reference data


def test_emmen_has_six_gebieden_under_the_municipality(client, make):
    bram = make.person("Bram Jansen")
    [emmen] = areas(client, make, bram, "?kind=municipality")
    assert (emmen["code"], emmen["name"], emmen["parent_id"]) == ("emmen", "Gemeente Emmen", None)
    districts = areas(client, make, bram, "?kind=district")
    assert {d["name"] for d in districts} == SIX_GEBIEDEN
    assert {d["parent_id"] for d in districts} == {emmen["id"]}
    assert {d["name"] for d in areas(client, make, bram, f"?parent_id={emmen['id']}")} == SIX_GEBIEDEN


def test_the_wijken_and_dorpen_of_the_seed_lie_in_their_gebied(client, make):
    bram = make.person("Bram Jansen")
    everything = areas(client, make, bram)
    by_id = {a["id"]: a for a in everything}
    by_name = {a["name"]: a for a in everything}
    for name, (kind, gebied) in NAMED_IN_THE_SEED.items():
        area = by_name[name]
        assert (area["kind"], by_id[area["parent_id"]]["name"]) == (kind, gebied), name
        assert -90 <= area["centre"]["lat"] <= 90 and -180 <= area["centre"]["lon"] <= 180


def test_areas_are_filtered_by_kind_and_by_parent(client, make):
    bram = make.person("Bram Jansen")
    villages = {a["name"] for a in areas(client, make, bram, "?kind=village")}
    assert {"Nieuw-Weerdinge", "Schoonebeek", "Klazienaveen"} <= villages
    assert not {"Bargeres", "Emmerhout"} & villages
    neighbourhoods = {a["name"] for a in areas(client, make, bram, "?kind=neighbourhood")}
    assert {"Bargeres", "Rietlanden", "Emmerhout", "Angelslo"} <= neighbourhoods
    assert not villages & neighbourhoods

    in_zuid = areas(client, make, bram, f"?parent_id={make.area_id('emmen-zuid')}")
    assert {"Bargeres", "Rietlanden"} <= {a["name"] for a in in_zuid}
    assert "Emmerhout" not in {a["name"] for a in in_zuid}
    villages_in_de_blokken = areas(client, make, bram, f"?kind=village&parent_id={make.area_id('de-blokken')}")
    assert {"Nieuw-Amsterdam", "Veenoord", "Schoonebeek"} <= {a["name"] for a in villages_in_de_blokken}


def test_an_unknown_kind_is_refused(client, make):
    response = client.get("/api/v1/areas?kind=wijk", headers=make.headers(make.person()))
    assert response.status_code == 422
    assert "kind" in response.get_json()["errors"]["query"]


def test_one_area_is_read_by_id_and_an_unknown_one_is_404(client, make):
    bram = make.person("Bram Jansen")
    response = client.get(f"/api/v1/areas/{make.area_id('bargeres')}", headers=make.headers(bram))
    assert response.status_code == 200
    assert (response.get_json()["name"], response.get_json()["kind"]) == ("Bargeres", "neighbourhood")
    missing = client.get("/api/v1/areas/999999", headers=make.headers(bram))
    assert (missing.status_code, missing.get_json()["message"]) == (404, "gebied niet gevonden")


# Adding areas


def test_an_admin_adds_a_wijk_with_its_boundary(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = add_area(client, make, gemma, new_wijk(make))
    assert response.status_code == 201, response.get_json()
    wijk = response.get_json()
    assert (wijk["code"], wijk["name"], wijk["kind"]) == ("de-kern", "De Kern", "neighbourhood")
    assert wijk["parent_id"] == make.area_id("emmen-zuid")
    assert wijk["centre"] == {"lat": 52.765, "lon": 6.875}
    assert wijk["boundary"] == A_SQUARE_IN_EMMEN

    read = client.get(f"/api/v1/areas/{wijk['id']}", headers=make.headers(make.person("Bram Jansen")))
    assert read.get_json() == wijk
    assert "De Kern" in {a["name"] for a in areas(client, make, gemma, f"?parent_id={make.area_id('emmen-zuid')}")}
    # A group can now be set up there.
    group = client.post(
        "/api/v1/groups",
        json={
            "name": "De Kern Waakt",
            "area_id": wijk["id"],
            "coordinator": {"email": "kees@example.org", "display_name": "Kees Kern"},
        },
        headers=make.headers(gemma),
    )
    assert group.status_code == 201


def test_a_dorp_without_a_boundary_is_fine(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    body = new_wijk(make, code="nieuw-dorp", name="Nieuw Dorp", kind="village", boundary=None)
    response = add_area(client, make, gemma, body)
    assert response.status_code == 201
    assert response.get_json()["boundary"] is None


def test_a_multipolygon_boundary_is_accepted(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    shifted = [[[lon + 0.02, lat] for lon, lat in A_SQUARE_IN_EMMEN["coordinates"][0]]]
    boundary = {"type": "MultiPolygon", "coordinates": [A_SQUARE_IN_EMMEN["coordinates"], shifted]}
    response = add_area(client, make, gemma, new_wijk(make, boundary=boundary))
    assert response.status_code == 201
    assert response.get_json()["boundary"] == boundary


@pytest.mark.parametrize(
    ("boundary", "reason"),
    [
        (
            {"type": "Polygon", "coordinates": [[[6.87, 52.76], [6.88, 52.76], [6.88, 52.77], [6.87, 52.77]]]},
            "polygon ring 0: de eerste en de laatste positie moeten gelijk zijn",
        ),
        (
            {"type": "Polygon", "coordinates": [[[6.87, 52.76], [6.88, 95.0], [6.88, 52.77], [6.87, 52.76]]]},
            "polygon ring 0 position 1: lengtegraad of breedtegraad buiten bereik",
        ),
        ({"type": "Point", "coordinates": [6.87, 52.76]}, "type moet 'Polygon' of 'MultiPolygon' zijn"),
        (
            {"type": "Polygon", "coordinates": [[[6.87, 52.76], [6.88, 52.76], [6.87, 52.76]]]},
            "polygon ring 0: een ring heeft minstens 4 posities nodig",
        ),
        (
            {"type": "Polygon", "coordinates": [[["6.87", "52.76"], [6.88, 52.76], [6.88, 52.77], ["6.87", "52.76"]]]},
            "polygon ring 0 position 0: een positie is [lengtegraad, breedtegraad]",
        ),
        ({**A_SQUARE_IN_EMMEN, "crs": "EPSG:28992"}, "alleen 'type' en 'coordinates' zijn toegestaan"),
        ("POLYGON((6.87 52.76, 6.88 52.76, 6.88 52.77, 6.87 52.76))", None),
    ],
    ids=["unclosed-ring", "latitude-out-of-range", "a-point", "too-few-positions", "strings", "extra-member", "wkt"],
)
def test_a_bad_boundary_is_refused_naming_the_field(client, make, boundary, reason):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = add_area(client, make, gemma, new_wijk(make, boundary=boundary))
    reasons = field_errors(response, "boundary")
    if reason is not None:
        assert reasons == [reason]
    assert "de-kern" not in {a["code"] for a in areas(client, make, gemma)}


def test_a_bad_boundary_is_also_refused_when_changing_an_area(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    bargeres = make.area_id("bargeres")
    unclosed = {"type": "Polygon", "coordinates": [[[6.87, 52.76], [6.88, 52.76], [6.88, 52.77], [6.87, 52.77]]]}
    response = client.patch(f"/api/v1/areas/{bargeres}", json={"boundary": unclosed}, headers=make.headers(gemma))
    assert field_errors(response, "boundary")
    good = client.patch(f"/api/v1/areas/{bargeres}", json={"boundary": A_SQUARE_IN_EMMEN}, headers=make.headers(gemma))
    assert good.status_code == 200
    assert good.get_json()["boundary"] == A_SQUARE_IN_EMMEN


def test_a_wijk_needs_a_gebied_as_its_parent(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    without_parent = add_area(client, make, gemma, new_wijk(make, parent_id=None))
    assert field_errors(without_parent, "parent_id") == [
        "een gebied van soort neighbourhood moet onder een ander gebied liggen"
    ]
    under_a_wijk = add_area(client, make, gemma, new_wijk(make, parent_id=make.area_id("bargeres")))
    assert field_errors(under_a_wijk, "parent_id") == [
        "een gebied van soort neighbourhood kan niet in een gebied van soort neighbourhood liggen"
    ]
    under_the_municipality = add_area(client, make, gemma, new_wijk(make, parent_id=make.area_id("emmen")))
    assert field_errors(under_the_municipality, "parent_id") == [
        "een gebied van soort neighbourhood kan niet in een gebied van soort municipality liggen"
    ]
    under_nothing_known = add_area(client, make, gemma, new_wijk(make, parent_id=999_999))
    assert field_errors(under_nothing_known, "parent_id") == ["er is geen gebied met deze id"]
    assert "de-kern" not in {a["code"] for a in areas(client, make, gemma)}


def test_a_duplicate_code_is_409(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = add_area(client, make, gemma, new_wijk(make, code="bargeres", name="Bargeres 2"))
    assert response.status_code == 409
    body = response.get_json()
    assert (body["code"], body["message"]) == (409, "er is al een gebied met deze code")
    assert body["errors"]["json"]["code"] == ["already in use"]
    assert [a["name"] for a in areas(client, make, gemma) if a["code"] == "bargeres"] == ["Bargeres"]


def test_a_code_must_be_a_slug(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = add_area(client, make, gemma, new_wijk(make, code="De Kern"))
    assert field_errors(response, "code") == ["gebruik kleine letters, cijfers en losse streepjes"]


def test_only_admins_add_areas(client, make):
    anna = make.person("Anna de Vries")
    make.group(coordinator=anna)
    response = add_area(client, make, anna, new_wijk(make))
    assert response.status_code == 403
    assert "de-kern" not in {a["code"] for a in areas(client, make, anna)}


# The wijkagenten


def test_an_admin_assigns_a_wijkagent_by_e_mail_and_removes_them(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    bargeres = make.area_id("bargeres")
    officers_url = f"/api/v1/areas/{bargeres}/officers"
    bram = make.person("Bram Jansen")
    assert client.get(officers_url, headers=make.headers(bram)).get_json() == []

    assigned = client.post(
        officers_url, json={"email": "S.Mulder@Politie.nl", "display_name": "Sanne Mulder"}, headers=make.headers(gemma)
    )
    assert assigned.status_code == 201
    sanne_id = assigned.get_json()["person_id"]
    assert assigned.get_json()["display_name"] == "Sanne Mulder"
    assert client.get(officers_url, headers=make.headers(bram)).get_json() == [
        {"person_id": sanne_id, "display_name": "Sanne Mulder"}
    ]
    # Assigning twice changes nothing.
    twice = client.post(
        officers_url, json={"email": "s.mulder@politie.nl", "display_name": "Sanne Mulder"}, headers=make.headers(gemma)
    )
    assert (twice.status_code, twice.get_json()["person_id"]) == (201, sanne_id)
    assert len(client.get(officers_url, headers=make.headers(bram)).get_json()) == 1

    # On her first sign-in with that (verified) address she is the wijkagent of Bargeres.
    sanne = Someone(uuid.uuid4(), "uid-sanne-politie", "s.mulder@politie.nl", "Sanne Mulder")
    me = client.get("/api/v1/me", headers=make.headers(sanne)).get_json()
    assert me["person"]["id"] == sanne_id
    assert [a["code"] for a in me["officer_areas"]] == ["bargeres"]

    # She sees the group of Bargeres while she serves it, and no longer once she is removed.
    group = make.group("bargeres", name="Bargeres Waakt")
    assert [g["name"] for g in client.get("/api/v1/groups", headers=make.headers(sanne)).get_json()] == [
        "Bargeres Waakt"
    ]

    removed = client.delete(f"{officers_url}/{sanne_id}", headers=make.headers(gemma))
    assert removed.status_code == 204
    assert client.get("/api/v1/groups", headers=make.headers(sanne)).get_json() == []
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(sanne)).status_code == 404
    assert client.get(officers_url, headers=make.headers(bram)).get_json() == []
    assert client.get("/api/v1/me", headers=make.headers(sanne)).get_json()["officer_areas"] == []
    again = client.delete(f"{officers_url}/{sanne_id}", headers=make.headers(gemma))
    assert (again.status_code, again.get_json()["message"]) == (404, "toewijzing van de wijkagent niet gevonden")


def test_officers_of_an_unknown_area_are_404(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    assert client.get("/api/v1/areas/999999/officers", headers=make.headers(gemma)).status_code == 404
    response = client.post(
        "/api/v1/areas/999999/officers",
        json={"email": "s.mulder@politie.nl", "display_name": "Sanne Mulder"},
        headers=make.headers(gemma),
    )
    assert response.status_code == 404


def test_only_admins_assign_wijkagenten(client, make):
    anna = make.person("Anna de Vries")
    officers_url = f"/api/v1/areas/{make.area_id('bargeres')}/officers"
    response = client.post(
        officers_url, json={"email": anna.email, "display_name": "Anna de Vries"}, headers=make.headers(anna)
    )
    assert response.status_code == 403
    assert client.get("/api/v1/me", headers=make.headers(anna)).get_json()["officer_areas"] == []


# Limits


def test_a_two_mebibyte_body_is_413_in_the_error_shape(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    huge_ring = [[6.87 + i * 1e-7, 52.76] for i in range(120_000)]
    body = json.dumps(new_wijk(make, boundary={"type": "Polygon", "coordinates": [huge_ring]})).encode()
    body += b" " * max(0, 2 * 1024 * 1024 - len(body))
    assert len(body) >= 2 * 1024 * 1024
    response = client.post("/api/v1/areas", data=body, content_type="application/json", headers=make.headers(gemma))
    assert response.status_code == 413
    error = response.get_json()
    assert error["code"] == 413
    assert isinstance(error["status"], str)
    assert "de-kern" not in {a["code"] for a in areas(client, make, gemma)}


# Input the database cannot hold is refused, never a crash

BEYOND_ANY_ID = 10**20  # more than a 64-bit integer: no area can have this id


def test_an_area_id_beyond_any_area_is_404(client, make):
    bram = make.person("Bram Jansen")
    for url in (f"/api/v1/areas/{BEYOND_ANY_ID}", f"/api/v1/areas/{BEYOND_ANY_ID}/officers"):
        response = client.get(url, headers=make.headers(bram))
        assert response.status_code == 404
        assert response.get_json()["code"] == 404


def test_filtering_by_a_parent_beyond_any_area_is_not_a_crash(client, make):
    response = client.get(f"/api/v1/areas?parent_id={BEYOND_ANY_ID}", headers=make.headers(make.person()))
    assert (response.status_code, response.get_json()) == (200, []) or (
        response.status_code == 422 and "parent_id" in response.get_json()["errors"]["query"]
    )


def test_a_parent_id_beyond_any_area_is_422_naming_parent_id(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = add_area(client, make, gemma, new_wijk(make, parent_id=BEYOND_ANY_ID))
    assert field_errors(response, "parent_id") == ["Moet tussen 1 en 2147483647 liggen (beide inbegrepen)."]


def test_an_officer_e_mail_longer_than_254_characters_is_422(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 5) + ".nl"
    response = client.post(
        f"/api/v1/areas/{make.area_id('bargeres')}/officers",
        json={"email": too_long, "display_name": "Lange Naam"},
        headers=make.headers(gemma),
    )
    assert field_errors(response, "email")


def test_an_area_name_with_a_nul_character_is_422(client, make):
    gemma = make.person("Gemma Gemeente", admin=True)
    response = add_area(client, make, gemma, new_wijk(make, name="De\x00Kern"))
    assert field_errors(response, "name")
