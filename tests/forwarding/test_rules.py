"""Who may forward, what the municipality must be told, and what it cannot take; Open311 end to end."""

from __future__ import annotations

import json

import pytest

from buurtwacht.config import ConfigError
from buurtwacht.forwarding import dispatcher, targets
from buurtwacht.forwarding.targets import parse
from tests.forwarding.conftest import dispatch, forward, forwards, note, poll, record


def test_the_author_forwards_only_where_the_group_allows_it(client, make, app, team, signalen):
    group, anna, bram = team
    written = record(client, make, bram, group)
    refused = forward(client, make, bram, written["id"])
    assert refused.status_code == 403
    settings = client.put(
        f"/api/v1/groups/{group.id}/forwarding", json={"authors_may_forward": True}, headers=make.headers(anna)
    )
    assert settings.get_json() == {
        "authors_may_forward": True,
        "municipality": "Gemeente Emmen",
        "system": "signalen",
        "needs_point": True,
        "forwardable": ["clean_whole_safe", "clean_whole_safe/container", "clean_whole_safe/street_light"],
    }
    assert forward(client, make, bram, written["id"]).status_code == 202
    other = make.person("Kees Smit")
    make.group("emmerhout", coordinator=other)
    assert forward(client, make, other, written["id"]).status_code == 404


def test_only_the_author_agrees_to_be_contacted(client, make, app, team, signalen):
    group, anna, bram = team
    written = record(client, make, bram, group)
    answer = forward(client, make, anna, written["id"], share_contact=True)
    assert answer.status_code == 422
    assert "share_contact" in answer.get_json()["errors"]["json"]


def test_what_the_municipality_cannot_take_is_said_before_anything_is_queued(client, make, app, team, signalen):
    group, anna, bram = team
    traffic = record(client, make, bram, group, category="traffic_safety", what="Er wordt hard gereden.")
    answer = forward(client, make, anna, traffic["id"])
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["json"]["category"] == [
        "Gemeente Emmen takes no notes of category traffic_safety from here"
    ]
    litter = record(client, make, bram, group)
    answer = forward(client, make, anna, litter["id"], subject="graffiti")
    assert answer.get_json()["errors"]["json"]["subject"] == [
        "Gemeente Emmen has no counterpart for clean_whole_safe/graffiti; subjects: container, street_light"
    ]
    assert forwards(client, make, anna, litter["id"]) == []


def test_a_note_without_a_point_needs_one_for_signalen(client, make, app, team, signalen):
    group, anna, bram = team
    written = record(client, make, bram, group, lat=None, lon=None, street="Kapelstraat 3")
    answer = forward(client, make, anna, written["id"])
    assert answer.status_code == 422
    assert "send lat and lon of the place" in answer.get_json()["errors"]["json"]["lat"][0]
    assert forward(client, make, anna, written["id"], lat=52.771, lon=6.881).status_code == 202
    dispatch(app)
    assert signalen.creates()[0].json["location"]["geometrie"]["coordinates"] == [6.881, 52.771]


def test_without_a_target_the_coordinator_is_told(client, make, app, team):
    group, anna, bram = team
    written = record(client, make, bram, group)
    answer = forward(client, make, anna, written["id"])
    assert answer.status_code == 409
    assert "no forwarding target" in answer.get_json()["message"]


def test_a_held_note_is_not_forwarded(client, make, app, team, signalen):
    group, anna, bram = team
    held = record(client, make, bram, group, what="Marokkaanse jongens in de wijk.")
    assert held["held"] is True
    assert forward(client, make, anna, held["id"]).status_code == 409


def test_a_target_that_changed_its_category_list(client, make, app, team, signalen):
    group, anna, bram = team
    written = record(client, make, bram, group)
    assert forward(client, make, anna, written["id"]).status_code == 202
    with app.app_context():
        assert dispatcher.check_targets() == []
    signalen.categories["afval"].remove("zwerfafval")
    with app.app_context():
        assert dispatcher.check_targets() == [
            "emmen: clean_whole_safe maps to 'afval/zwerfafval', which Gemeente Emmen does not list"
        ]
    assert dispatch(app).failed == 1  # a note already queued fails with Signalen's words
    assert "Ongeldige hyperlink" in forwards(client, make, anna, written["id"])[0]["error"]


def test_the_forwarding_file_is_checked_when_read(tmp_path):
    assert parse({}) == {}
    with pytest.raises(ConfigError, match="needs its api_key"):
        parse({"emmen": {"kind": "open311", "base_url": "https://x", "categories": {"clean_whole_safe": "L"}}})
    with pytest.raises(ConfigError, match="not a category of notes"):
        parse({"emmen": {"kind": "signalen", "base_url": "https://x", "categories": {"domestic_violence": "a/b"}}})
    with pytest.raises(ConfigError, match="main-slug/sub-slug"):
        parse({"emmen": {"kind": "signalen", "base_url": "https://x", "categories": {"clean_whole_safe": "afval"}}})
    file = tmp_path / "forwarding.json"
    file.write_text(json.dumps({"emmen": {"kind": "signalen", "base_url": "https://x/",
                                          "categories": {"clean_whole_safe": "afval/zwerfafval"}}}))  # fmt: skip
    loaded = targets.load(str(file), str(tmp_path))
    assert loaded["emmen"].base_url == "https://x"


def test_open311_from_the_street_to_closed(client, make, app, team, open311):
    group, anna, bram = team
    client.put(f"/api/v1/groups/{group.id}/forwarding", json={"authors_may_forward": True}, headers=make.headers(anna))
    lamp = record(client, make, bram, group)
    street_only = record(client, make, bram, group, lat=None, lon=None, street="Kapelstraat 3")
    assert forward(client, make, bram, lamp["id"], subject="street_light", share_contact=True).status_code == 202
    assert forward(client, make, anna, street_only["id"]).status_code == 202
    assert dispatch(app).sent == 2
    first, second = open311.forms["1001"], open311.forms["1002"]
    assert first == {
        "service_code": "LIGHT",
        "description": "Lantaarnpaal bij de speeltuin is al drie avonden uit.\n\nPlek: Kapelstraat bij de speeltuin",
        "lat": "52.7701",
        "long": "6.8803",
        "api_key": "emmen-key",
        "first_name": "Bram",
        "last_name": "Jansen",
        "email": bram.email,
        "phone": "+31 6 1234 5678",
    }
    assert second["address_string"] == "Kapelstraat 3" and "first_name" not in second and "email" not in second
    assert poll(app) == 2
    open311.set_status("1001", "closed", "Lamp vervangen op 4 november")
    assert poll(app) == 1
    seen = note(client, make, bram, lamp["id"])
    assert seen["status"] == "resolved"
    assert seen["history"][-1]["reason"] == "Gemeente Emmen: Lamp vervangen op 4 november"
    assert open311.contract_errors == []


def test_open311_refuses_a_wrong_key_with_its_message(client, make, app, team, open311):
    group, anna, bram = team
    written = record(client, make, bram, group)
    open311.api_key = "rotated"
    assert forward(client, make, anna, written["id"]).status_code == 202
    assert dispatch(app).failed == 1
    assert forwards(client, make, anna, written["id"])[0]["error"] == "403: Invalid api_key"
